"""Pipeline 400: the raw HTTP exchange of each article goes into a WARC file; the item keeps the record id."""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from crawler.warc import WarcArchive


class ArchivePipeline:
    """Writes request and response records with warcio; one WARC file per crawl process."""

    def __init__(self, crawler: Crawler, warc_dir: Path, software: str) -> None:
        self.crawler = crawler
        self.warc_dir = warc_dir
        self.software = software
        self.archive: WarcArchive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        s = crawler.settings
        return cls(crawler, Path(s.get("THIDUA_WARC_DIR")), s.get("USER_AGENT"))

    def open_spider(self) -> None:
        name = self.crawler.spider.name if self.crawler.spider else "crawl"
        self.archive = WarcArchive(self.warc_dir, f"thidua-{name}", self.software)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.archive is not None
        item.warc_file, item.warc_record_id = self.archive.write(
            item.final_url or item.url,
            status=item.status,
            reason=item.reason,
            headers=item.headers,
            body=item.raw_body,
            request_headers=item.request_headers,
            fetched_at=item.fetched_at,
        )
        self.crawler.stats.inc_value("thidua/warc_records")
        return item
