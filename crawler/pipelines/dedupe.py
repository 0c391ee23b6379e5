"""Pipeline 300: exact and near-duplicate copies become alternate URLs of the article first stored."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from corpus.dedupe import exact_hash, minhash
from corpus.models import article_id_for
from corpus.store import CorpusStore
from crawler.extensions import ArchiveConnections
from crawler.items import ArticleItem
from crawler.pipelines.store import record_fetch
from crawler.state import CrawlState


def find_original(
    store: CorpusStore, state: CrawlState, item: ArticleItem, threshold: float
) -> tuple[str | None, str]:
    """(id of the stored article `item` copies, "exact" or "near"), or (None, "") with `item.signature`
    set for the near-duplicate index."""
    own_id = article_id_for(item.canonical_url)
    existing = store.find_by_content_hash(exact_hash(item.text))
    if existing is not None and existing.id != own_id:
        return existing.id, "exact"
    signature = minhash(item.text)
    original = state.find_near_duplicate(signature, exclude=own_id, threshold=threshold)
    if original is None:
        item.signature = signature.tobytes()  # indexed by the store pipeline once the article is stored
        return None, ""
    return original, "near"


def record_duplicate(
    store: CorpusStore, state: CrawlState, item: ArticleItem, original: str, kind: str
) -> None:
    """The copy's URLs become alternate URLs of the original; its fetch is remembered."""
    for url in dict.fromkeys([item.canonical_url, item.url]):
        store.add_alternate_url(original, url)
    record_fetch(state, item, original, note=f"duplicate ({kind})")


class DedupePipeline:
    """Drops a copy of an already stored article (same text, or MinHash similarity above the threshold)."""

    def __init__(self, crawler: Crawler, connections: ArchiveConnections, threshold: float) -> None:
        self.crawler = crawler
        self.connections = connections
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        threshold = crawler.settings.getfloat("THIDUA_NEAR_DUP_THRESHOLD", 0.8)
        return cls(crawler, ArchiveConnections.of(crawler, store=True), threshold)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        store, state = self.connections.store, self.connections.state
        original, kind = find_original(store, state, item, self.threshold)
        if original is None:
            return item
        record_duplicate(store, state, item, original, kind)
        self.crawler.stats.inc_value("thidua/duplicates")
        raise DropItem(f"{kind} duplicate of {original}: {item.url}")
