"""Pipeline 400: the raw HTTP exchange of each article goes into a WARC file; the item keeps the record id."""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import Crawler

from crawler.items import ArticleItem
from crawler.warc import WarcArchive


class ArchivePipeline:
    """Writes request and response records with warcio; one WARC file per crawl process, named after the
    crawler too when many share a frontier (host, process, random part: names never collide)."""

    def __init__(self, crawler: Crawler, warc_dir: Path, software: str, crawler_id: str | None) -> None:
        self.crawler = crawler
        self.warc_dir = warc_dir
        self.software = software
        self.crawler_id = crawler_id
        self.archive: WarcArchive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        s = crawler.settings
        return cls(crawler, Path(s.get("THIDUA_WARC_DIR")), s.get("USER_AGENT"), s.get("THIDUA_CRAWLER_ID"))

    def open_spider(self) -> None:
        name = self.crawler.spider.name if self.crawler.spider else "crawl"
        prefix = f"thidua-{name}" + (f"-{self.crawler_id}" if self.crawler_id else "")
        self.archive = WarcArchive(self.warc_dir, prefix, self.software)

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
