"""Pipeline 100: normalised text and canonical URL; pages that cannot be stored are flagged and dropped."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from corpus.dedupe import canonical_url
from corpus.normalize import normalize_text
from crawler.extensions import ArchiveConnections
from crawler.items import ArticleItem


class NormalizePipeline:
    """Builds the stored text (title, blank line, body) with `normalize_text`; flags unusable pages."""

    def __init__(self, crawler: Crawler, connections: ArchiveConnections) -> None:
        self.crawler = crawler
        self.connections = connections

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler, ArchiveConnections.of(crawler))

    def _reject(self, item: ArticleItem, problem: str) -> DropItem:
        self.connections.state.record(item.url, kind="article", status=item.status, note=problem)
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
