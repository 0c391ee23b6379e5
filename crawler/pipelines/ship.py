"""Pipeline 500 on crawler hosts without the archive: each article goes to the ingest queue in Redis
(THIDUA_INGEST), where `thidua ingest` deduplicates and stores it; its WARC record stays on this host."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.ingest import ItemQueue
from crawler.items import ArticleItem


class ShipPipeline:
    """Pushes each item (without its raw body: that is in the local WARC file) to the ingest queue."""

    def __init__(self, crawler: Crawler, url: str) -> None:
        self.crawler = crawler
        self.url = url
        self.queue: ItemQueue | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ShipPipeline:
        return cls(crawler, crawler.settings.get("THIDUA_INGEST"))

    def open_spider(self) -> None:
        self.queue = ItemQueue.connect(self.url)

    def close_spider(self) -> None:
        if self.queue is not None:
            self.queue.close()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.queue is not None
        self.queue.push(item)
        self.crawler.stats.inc_value("thidua/shipped")
        return item
