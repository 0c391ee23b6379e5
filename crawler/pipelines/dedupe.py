"""Pipeline 300: exact and near-duplicate copies become alternate URLs of the article first stored."""

from __future__ import annotations

from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from corpus.dedupe import exact_hash, minhash
from corpus.models import article_id_for
from crawler.items import ArticleItem
from crawler.pipelines.connections import ArchivePipelineBase


class DedupePipeline(ArchivePipelineBase):
    """Drops a copy of an already stored article (same text, or MinHash similarity above the threshold)."""

    def __init__(self, crawler: Crawler, db_path: Path, threshold: float) -> None:
        super().__init__(crawler, db_path)
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        s = crawler.settings
        return cls(crawler, Path(s.get("THIDUA_DB_PATH")), s.getfloat("THIDUA_NEAR_DUP_THRESHOLD", 0.8))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.store is not None and self.state is not None
        own_id = article_id_for(item.canonical_url)
        existing = self.store.find_by_content_hash(exact_hash(item.text))
        original = existing.id if existing is not None and existing.id != own_id else None
        kind = "exact"
        signature = minhash(item.text)
        if original is None:
            original = self.state.find_near_duplicate(signature, exclude=own_id, threshold=self.threshold)
            kind = "near"
        if original is None:
            item.signature = signature.tobytes()  # indexed by the store pipeline once the article is stored
            return item
        for url in dict.fromkeys([item.canonical_url, item.url]):
            self.store.add_alternate_url(original, url)
        self.state.record(
            item.url,
            kind="article",
            status=item.status,
            etag=item.etag,
            last_modified=item.last_modified,
            article_id=original,
            note=f"duplicate ({kind})",
        )
        self.crawler.stats.inc_value("thidua/duplicates")
        raise DropItem(f"{kind} duplicate of {original}: {item.url}")
