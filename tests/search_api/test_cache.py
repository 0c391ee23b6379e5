"""The response cache: bounded, keyed by query and index generation, emptied when the index changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from corpus.store import CorpusStore
from search_api.cache import ResponseCache
from search_api.catalog import Catalog
from search_api.indexing import sync
from search_api.query import ArticleSearch, FactFilter
from search_api.stores import open_backend
from tests.search_api.conftest import make_settings
from tests.search_api.corpus_fixture import build_corpus


def const(body: str) -> Callable[[], str]:
    return lambda: body


def test_entries_are_reused_within_a_generation_and_dropped_with_it() -> None:
    cache = ResponseCache(1000)
    calls: list[str] = []

    def compute(body: str) -> str:
        calls.append(body)
        return body

    assert cache.get("q", lambda: "1", lambda: compute("a")) == "a"
    assert cache.get("q", lambda: "1", lambda: compute("b")) == "a"
    assert cache.get("q", lambda: "2", lambda: compute("c")) == "c", "a new generation recomputes"
    assert cache.get("q", lambda: "2", lambda: compute("d")) == "c"
    assert calls == ["a", "c"] and (cache.hits, cache.misses) == (2, 2)


def test_least_recently_used_entries_leave_once_the_byte_bound_is_reached() -> None:
    cache = ResponseCache(25)
    for key in ("a", "b", "c"):
        cache.get(key, lambda: "g", const(key * 10))
    recomputed = cache.get("a", lambda: "g", lambda: "fresh")
    assert recomputed == "fresh", "the oldest entry was evicted"
    assert cache.get("c", lambda: "g", lambda: "stale") == "c" * 10
    assert cache.get("big", lambda: "g", lambda: "x" * 26) == "x" * 26
    assert cache.get("big", lambda: "g", lambda: "again") == "again", "too big to keep"


def test_the_bound_counts_utf8_bytes_not_characters() -> None:
    cache = ResponseCache(12)
    word = "Lạt"  # 3 characters, 5 bytes: three would fit a bound of 12 characters, not of 12 bytes
    for key in ("a", "b", "c"):
        cache.get(key, lambda: "g", const(word))
    assert cache.size == 10
    assert cache.get("a", lambda: "g", lambda: "fresh") == "fresh", "the oldest left when the third came"
    assert cache.get("c", lambda: "g", lambda: "stale") == word
    assert cache.get("wide", lambda: "g", const("ế" * 5)) == "ế" * 5  # 5 characters, 15 bytes
    assert cache.get("wide", lambda: "g", lambda: "again") == "again", "over the bound in bytes: not kept"


def test_disabled_cache_and_untracked_generations_always_compute() -> None:
    off, on = ResponseCache(0), ResponseCache(1000)
    assert [off.get("k", lambda: "1", const(str(n))) for n in range(2)] == ["0", "1"]
    assert [on.get("k", lambda: None, const(str(n))) for n in range(2)] == ["0", "1"]


def test_a_sync_that_changes_facts_is_seen_through_the_cache(tmp_path: Path) -> None:
    settings = make_settings("sqlite", tmp_path / "var", None)
    build_corpus(settings.db_path)
    sync(settings)
    backend = open_backend(settings)
    catalog = Catalog(backend, ResponseCache(2**20))
    try:
        flt = FactFilter(unit_id="lam-dong--di-linh", types=("chair",))
        before = json.loads(catalog.facts_json(flt))
        search = catalog.search_json(ArticleSearch(q="Di Linh"))
        assert catalog.facts_json(flt) == json.dumps(before, ensure_ascii=False, separators=(",", ":"))
        assert catalog.search_json(ArticleSearch(q="Di Linh")) == search and catalog.cache.hits == 2
        with CorpusStore(settings.db_path) as store:
            article = next(a for a in store.iter_articles() if a.site == "khac.example")
            facts = list(store.iter_facts(article.id))
            store.replace_facts(article, [{**facts[0], "unit": "Di Linh", "id": "new-chair"}])
        sync(settings)  # another connection, as `thidua index` would be another process
        after = json.loads(catalog.facts_json(flt))
        assert after["total"] == before["total"] + 1
        assert "new-chair" in {f["id"] for f in after["items"]}
    finally:
        backend.close()
