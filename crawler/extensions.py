"""The one owner of a crawl's SQLite connections: an extension holding its corpus store and crawl state."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from corpus.store import CorpusStore
from crawler.state import CrawlState

log = logging.getLogger(__name__)


class ArchiveConnections:
    """Opens one CrawlState and, when a component asked for it, one CorpusStore on THIDUA_DB_PATH at
    `spider_opened`, before the first request; closes them at `spider_closed`, which Scrapy sends once
    the downloader has stopped and the pipelines have closed. Middlewares and pipelines get this
    extension from `ArchiveConnections.of(crawler)` in their `from_crawler` and use `.state` and
    `.store` while they process requests and items."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.wants_store = False
        self._store: CorpusStore | None = None
        self._state: CrawlState | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveConnections:
        owner = cls(Path(crawler.settings.get("THIDUA_DB_PATH")))
        crawler.signals.connect(owner.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(owner.spider_closed, signal=signals.spider_closed)
        return owner

    @classmethod
    def of(cls, crawler: Crawler, *, store: bool = False) -> ArchiveConnections:
        """The crawl's instance, for a component's `from_crawler` (Scrapy builds extensions before
        middlewares and pipelines); `store`: the component uses the corpus store, not only the state."""
        owner = crawler.get_extension(cls)
        if owner is None:
            raise RuntimeError(f"enable {cls.__module__}.{cls.__name__} in EXTENSIONS (crawler/settings.py)")
        owner.wants_store = owner.wants_store or store
        return owner

    def spider_opened(self, spider: Spider) -> None:
        """Open the connections; an archive that cannot be opened closes the spider before any request."""
        try:
            self._state = CrawlState(self.db_path)
            if self.wants_store:
                self._store = CorpusStore(self.db_path)
        except (sqlite3.Error, OSError) as exc:
            log.error("cannot open the archive %s: %s", self.db_path, exc)
            raise CloseSpider("archive_unavailable") from exc

    def spider_closed(self, spider: Spider) -> None:
        for conn in (self._store, self._state):
            if conn is not None:
                conn.close()
        self._store = self._state = None

    @property
    def state(self) -> CrawlState:
        """Seen URLs and near-duplicate signatures; open from spider_opened to spider_closed."""
        if self._state is None:
            raise RuntimeError("the crawl state is used before spider_opened or after spider_closed")
        return self._state

    @property
    def store(self) -> CorpusStore:
        """The articles; open from spider_opened to spider_closed for crawls whose components asked."""
        if self._store is None:
            raise RuntimeError("the corpus store is closed or was not asked for (ArchiveConnections.of)")
        return self._store
