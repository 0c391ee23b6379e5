"""Log lines for items: one short line per stored or dropped article, never the article itself."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class QuietLogFormatter(LogFormatter):
    """Scraped items at DEBUG and dropped items at INFO, each as its URL and reason."""

    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        return {"level": logging.DEBUG, "msg": "stored %(url)s", "args": {"url": getattr(item, "url", "?")}}

    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        return {"level": logging.INFO, "msg": "%(reason)s", "args": {"reason": str(exception)}}
