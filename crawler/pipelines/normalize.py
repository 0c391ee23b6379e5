"""Pipeline 100: normalised text and canonical URL; pages that cannot be stored are flagged and dropped."""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from corpus.dedupe import canonical_url
from corpus.normalize import normalize_text
from crawler.items import ArticleItem
from crawler.state import CrawlState


class NormalizePipeline:
    """Builds the stored text (title, blank line, body) with `normalize_text`; flags unusable pages."""

    def __init__(self, crawler: Crawler, db_path: Path) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.state: CrawlState | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler, Path(crawler.settings.get("THIDUA_DB_PATH")))

    def open_spider(self) -> None:
        self.state = CrawlState(self.db_path)

    def close_spider(self) -> None:
        if self.state is not None:
            self.state.close()

    def _reject(self, item: ArticleItem, problem: str) -> DropItem:
        assert self.state is not None
        self.state.record(item.url, kind="article", status=item.status, note=problem)
        self.crawler.stats.inc_value("thidua/flagged")
        return DropItem(f"not stored: {item.url}: {problem}")

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if item.problem:
            raise self._reject(item, item.problem)
        title = normalize_text(item.title or "").strip()
        body = normalize_text(item.body or "").strip()
        if not title or not body:
            raise self._reject(item, "no title" if not title else "no article text")
        item.title = title
        item.author = normalize_text(item.author).strip() if item.author else None
        item.text = f"{title}\n\n{body}"
        item.canonical_url = canonical_url(item.final_url or item.url, item.declared_canonical)
        if item.legacy_encoding:
            self.crawler.stats.inc_value(f"thidua/legacy_converted/{item.legacy_encoding}")
        return item
