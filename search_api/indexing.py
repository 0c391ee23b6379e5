"""Bring the search backend up to date with the corpus store: incremental sync or full rebuild."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from corpus.models import Article
from corpus.store import CorpusStore
from runtime.progress import track
from runtime.settings import Settings
from search_api.factdocs import fact_doc
from search_api.resolve import bare_name, province_key
from search_api.stores import open_backend
from search_api.stores.base import ArticleDoc, Batch, FactDoc, SearchBackend

log = logging.getLogger("thidua.index")
BATCH_SIZE = 500

_ARTICLE_STATE = (
    "SELECT id, content_hash, title, published, url, site, province, raw_html IS NOT NULL "
    "FROM articles WHERE relevant = 1"
)
_FACT_STATE = "SELECT article_id, data FROM facts ORDER BY article_id, id"


@dataclass(frozen=True)
class IndexReport:
    """What an index run did: articles and facts written, articles deleted, bad facts skipped."""

    backend: str
    articles: int
    facts: int
    deleted: int
    skipped: int
    seconds: float


def corpus_fingerprints(store: CorpusStore) -> dict[str, str]:
    """Article id -> a hash of the article's indexed fields and its facts' JSON, for relevant articles."""
    hashes = {}
    for row in store.conn.execute(_ARTICLE_STATE):
        hashes[row[0]] = hashlib.sha1(json.dumps(list(row[1:]), ensure_ascii=False).encode("utf-8"))
    for article_id, data in store.conn.execute(_FACT_STATE):
        if article_id in hashes:
            hashes[article_id].update(data.encode("utf-8"))
    return {article_id: h.hexdigest() for article_id, h in hashes.items()}


def _article_province(article: Article, facts: list[dict[str, Any]]) -> str | None:
    if article.province:
        return bare_name(article.province)
    stated = {bare_name(f["province"]) for f in facts if f.get("type") == "cluster" and f.get("province")}
    return stated.pop() if len(stated) == 1 else None


def article_batch(article: Article, facts: list[dict[str, Any]], fingerprint: str) -> tuple[Batch, int]:
    """The index records of one article and its facts; facts that cannot be read are skipped."""
    province = _article_province(article, facts)
    docs: list[FactDoc] = []
    skipped = 0
    for fact in facts:
        try:
            docs.append(fact_doc(article, fact, province))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # pydantic errors are ValueErrors
            skipped += 1
            log.warning("article %s: skipping a fact that cannot be indexed (%s): %r", article.id, exc, fact)
    doc = ArticleDoc(
        id=article.id,
        title=article.title,
        text=article.text,
        url=article.url,
        canonical_url=article.canonical_url,
        published=article.published,
        site=article.site,
        source=article.source,
        province=province,
        province_key=province_key(province) if province else None,
        has_raw=bool(article.raw_html),
        fingerprint=fingerprint,
        raw_html=article.raw_html,
    )
    return Batch(articles=[doc], facts=docs), skipped


@dataclass
class _Tally:
    articles: int = 0
    facts: int = 0
    skipped: int = 0


def _batches(store: CorpusStore, ids: list[str], fps: dict[str, str], tally: _Tally) -> Iterator[Batch]:
    docs: list[ArticleDoc] = []
    facts: list[FactDoc] = []
    for article_id in track(ids, desc="indexing articles", total=len(ids)):
        article = store.get_article(article_id)
        if article is None:
            continue
        batch, skipped = article_batch(article, list(store.iter_facts(article_id)), fps[article_id])
        docs.extend(batch.articles)
        facts.extend(batch.facts)
        tally.articles += 1
        tally.facts += len(batch.facts)
        tally.skipped += skipped
        if len(docs) >= BATCH_SIZE:
            yield Batch(docs, facts)
            docs, facts = [], []
    if docs:
        yield Batch(docs, facts)


def sync_backend(backend: SearchBackend, store: CorpusStore) -> IndexReport:
    """Index what changed in the corpus since the last run and drop what left it, then settle the
    backend once (the page lists of every entity the batches touched built again); idempotent.

    An empty index is filled by a rebuild, which refreshes the entity records once at the end. A sync
    stopped by an exception does not settle (the exception goes up at once); the marks it left are kept,
    pages of the marked entities are built per request meanwhile, and the next sync settles them, even
    one with nothing to index."""
    indexed = backend.fingerprints()
    if not indexed:
        return rebuild_backend(backend, store)
    started = time.perf_counter()
    current = corpus_fingerprints(store)
    changed = sorted(i for i, fp in current.items() if indexed.get(i) != fp)
    gone = sorted(set(indexed) - set(current))
    tally = _Tally()
    for batch in _batches(store, changed, current, tally):
        backend.write(batch)
    deleted = backend.delete(gone) if gone else 0
    backend.settle()
    seconds = time.perf_counter() - started
    return IndexReport(backend.name, tally.articles, tally.facts, deleted, tally.skipped, seconds)


def rebuild_backend(backend: SearchBackend, store: CorpusStore) -> IndexReport:
    """Index the whole corpus afresh and switch readers over atomically."""
    started = time.perf_counter()
    current = corpus_fingerprints(store)
    before = backend.counts()[0]
    tally = _Tally()
    backend.rebuild(_batches(store, sorted(current), current, tally))
    seconds = time.perf_counter() - started
    deleted = max(0, before - tally.articles)
    return IndexReport(backend.name, tally.articles, tally.facts, deleted, tally.skipped, seconds)


def sync(settings: Settings) -> IndexReport:
    """Bring the configured backend up to date with `CorpusStore(settings.db_path)`."""
    with CorpusStore(settings.db_path) as store:
        backend = open_backend(settings)
        try:
            return sync_backend(backend, store)
        finally:
            backend.close()


def rebuild(settings: Settings) -> IndexReport:
    """`thidua index --rebuild`: reindex everything (Elasticsearch: new index, alias swapped)."""
    with CorpusStore(settings.db_path) as store:
        backend = open_backend(settings)
        try:
            return rebuild_backend(backend, store)
        finally:
            backend.close()
