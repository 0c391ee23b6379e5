"""The archive connections a pipeline holds for one crawl: the corpus store and the crawl state."""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import Crawler

from corpus.store import CorpusStore
from crawler.state import CrawlState


class ArchivePipelineBase:
    """Opens the store and the crawl state in `open_spider`, closes both in `close_spider`."""

    def __init__(self, crawler: Crawler, db_path: Path) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.store: CorpusStore | None = None
        self.state: CrawlState | None = None

    def open_spider(self) -> None:
        self.store = CorpusStore(self.db_path)
        self.state = CrawlState(self.db_path)

    def close_spider(self) -> None:
        for conn in (self.store, self.state):
            if conn is not None:
                conn.close()
