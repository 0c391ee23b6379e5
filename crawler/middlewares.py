"""Downloader middlewares: conditional requests from the seen-URL state, and retries with backoff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from crawler.state import CrawlState


class ConditionalRequestMiddleware:
    """Sends If-None-Match/If-Modified-Since for stored articles and remembers every final response."""

    def __init__(self, crawler: Crawler, db_path: Path) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.state: CrawlState | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        mw = cls(crawler, Path(crawler.settings.get("THIDUA_DB_PATH")))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self, spider: Spider) -> None:
        self.state = CrawlState(self.db_path)

    def spider_closed(self, spider: Spider) -> None:
        if self.state is not None:
            self.state.close()

    def process_request(self, request: Request) -> None:
        if request.meta.get("kind") != "article" or self.state is None:
            return
        record = self.state.get(request.url)
        if record is None or record.article_id is None:
            return
        if record.etag:
            request.headers.setdefault(b"If-None-Match", record.etag.encode("latin-1"))
        if record.last_modified:
            request.headers.setdefault(b"If-Modified-Since", record.last_modified.encode("latin-1"))
        if record.etag or record.last_modified:
            self.crawler.stats.inc_value("thidua/conditional_requests")

    def process_response(self, request: Request, response: Response) -> Response:
        kind = request.meta.get("kind")
        if kind is None or self.state is None:
            return response
        stats = self.crawler.stats
        stats.inc_value("thidua/pages_fetched")
        if response.status == 304:
            self.state.record(request.url, kind=kind, status=304)
        elif kind != "article" or response.status >= 300:
            # articles are recorded by the store pipeline, once they are safely stored
            self.state.record(request.url, kind=kind, status=response.status)
        return response


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, timeouts, lost connections) with an exponential pause before each retry."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None:
            tries = int(retry.meta.get("retry_times", 1))
            retry.meta["backoff_delay"] = min(self.cap, self.base * 2 ** (tries - 1))
        return retry

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("backoff_delay", 0)
        if delay > 0:
            from twisted.internet import reactor  # the reactor Scrapy installed, never a default one

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
