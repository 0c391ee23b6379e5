"""Pipeline 500: articles into the CorpusStore, then their fetch state and near-duplicate signature."""

from __future__ import annotations

import numpy as np
from scrapy.crawler import Crawler

from corpus.models import Article
from corpus.store import CorpusStore, UpsertResult
from crawler.extensions import ArchiveConnections
from crawler.items import ArticleItem
from crawler.state import CrawlState

STAT = {
    "created": "thidua/articles_new",
    "updated": "thidua/articles_updated",
    "unchanged": "thidua/articles_unchanged",
}


def to_article(item: ArticleItem) -> Article:
    """The stored record of an item."""
    return Article(
        url=item.url,
        final_url=item.final_url or item.url,
        canonical_url=item.canonical_url,
        title=item.title or "",
        text=item.text,
        published=item.published,
        source=item.source,
        site=item.site,
        province=item.province,
        author=item.author,
        raw_html=item.raw_html,
        fetched_at=item.fetched_at,
        warc_file=item.warc_file,
        warc_record_id=item.warc_record_id,
        relevant=item.relevant,
    )


def store_item(store: CorpusStore, state: CrawlState, item: ArticleItem) -> UpsertResult:
    """Upsert the article (idempotent: keyed by canonical URL), then its signature and fetch state."""
    article = to_article(item)
    result = store.upsert_article(article)
    if item.signature is not None:
        state.index_signature(article.id, np.frombuffer(item.signature, dtype=np.uint64))
    record_fetch(state, item, article.id)
    return result


def record_fetch(state: CrawlState, item: ArticleItem, article_id: str, note: str | None = None) -> None:
    """Remember an article page's fetch (status and validators) under the article it became."""
    state.record(
        item.url,
        kind="article",
        status=item.status,
        etag=item.etag,
        last_modified=item.last_modified,
        article_id=article_id,
        note=note,
    )


class StorePipeline:
    """Upserts each article (keyed by canonical URL); counts new, updated and unchanged articles."""

    def __init__(self, crawler: Crawler, connections: ArchiveConnections) -> None:
        self.crawler = crawler
        self.connections = connections

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, ArchiveConnections.of(crawler, store=True))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        result = store_item(self.connections.store, self.connections.state, item)
        self.crawler.stats.inc_value(STAT[result])
        return item
