"""The Elasticsearch backend's index life cycle against noida-db over HTTP: opening creates nothing,
writers create indices race-safely, failed rebuilds leave nothing behind, bulk errors are raised."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from elasticsearch import Elasticsearch
from elasticsearch.helpers import BulkIndexError

from search_api.indexing import rebuild, sync
from search_api.query import ArticleSearch, EntityFilter, FactFilter
from search_api.stores import elastic, elastic_indices
from search_api.stores.base import Batch
from search_api.stores.elastic import KINDS, ElasticBackend, window
from tests.search_api.conftest import Server, make_settings
from tests.search_api.corpus_fixture import build_corpus
from thidua.settings import Settings

pytestmark = pytest.mark.elastic


@pytest.fixture
def config(tmp_path: Path, es_url: str | None) -> Settings:
    """Settings over a fresh index prefix (nothing exists under it yet)."""
    return make_settings("elastic", tmp_path / "var", es_url)


@pytest.fixture
def es(config: Settings) -> Iterator[Elasticsearch]:
    client = Elasticsearch(str(config.es_url))
    yield client
    client.close()


def layout(es: Elasticsearch, prefix: str) -> dict[str, list[str]]:
    """Every index under the prefix -> the aliases on it."""
    found = es.indices.get_alias(index=f"{prefix}-*", ignore_unavailable=True, allow_no_indices=True).body
    return {name: sorted(entry["aliases"]) for name, entry in sorted(found.items())}


def assert_one_index_per_alias(es: Elasticsearch, prefix: str) -> None:
    """Each alias on exactly one index, and no index outside an alias."""
    indices = layout(es, prefix)
    assert sorted(a for aliases in indices.values() for a in aliases) == sorted(
        f"{prefix}-{k}" for k in KINDS
    )
    assert all(len(aliases) == 1 for aliases in indices.values()), indices


def run_together(*jobs: Callable[[], Any]) -> list[BaseException]:
    """Start the jobs at the same moment in threads; the errors they raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def start(job: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as exc:  # reported to the test
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_opening_and_reading_create_nothing(config: Settings, es: Elasticsearch) -> None:
    backend = ElasticBackend.from_settings(config)
    try:
        assert backend.counts() == (0, 0)
        assert backend.fingerprints() == {}
        assert backend.search_articles(ArticleSearch(q="thi đua")) == ([], 0, True)
        assert backend.find_facts(FactFilter(types=("chair",))) == ([], 0, True)
        assert backend.list_entities(EntityFilter(kind="cluster")) == ([], 0)
        assert backend.get_article("x") is None and backend.get_facts(["x"]) == []
        assert backend.get_entity("unit", "x") is None and backend.raw_html("x") is None
    finally:
        backend.close()
    assert layout(es, config.es_index_prefix) == {}
    assert not es.indices.exists_index_template(name=f"{config.es_index_prefix}-*")


def test_the_api_over_an_unbuilt_index_answers_as_an_empty_store(
    config: Settings, es: Elasticsearch, free_port: Callable[[], int]
) -> None:
    with Server(config, free_port()) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.get("/health").json()["articles"] == 0
        for path in ("/api/v1/articles?q=Đà Lạt", "/api/v1/facts?type=chair", "/api/v1/clusters"):
            resp = client.get(path)
            assert resp.status_code == 200 and resp.json()["items"] == [] and resp.json()["total"] == 0
        assert client.get("/api/v1/articles/abc").status_code == 404
    assert layout(es, config.es_index_prefix) == {}


def test_writers_opened_together_share_one_index_per_alias(config: Settings, es: Elasticsearch) -> None:
    backends = [ElasticBackend.from_settings(config) for _ in range(3)]
    try:
        assert run_together(*(b.prepare for b in backends)) == []
        assert_one_index_per_alias(es, config.es_index_prefix)
        before = layout(es, config.es_index_prefix)
        ElasticBackend.from_settings(config).prepare()  # later writers adopt what is there
        assert layout(es, config.es_index_prefix) == before
    finally:
        for backend in backends:
            backend.close()


def test_syncs_started_together_on_a_fresh_cluster_leave_one_complete_index(
    config: Settings, es: Elasticsearch
) -> None:
    build_corpus(config.db_path)
    assert run_together(lambda: sync(config), lambda: sync(config)) == []
    assert_one_index_per_alias(es, config.es_index_prefix)
    backend = ElasticBackend.from_settings(config)
    try:
        articles, facts = backend.counts()
        assert articles == 8 and facts > 40
    finally:
        backend.close()


def _failing(batches: Iterator[Batch], after: int) -> Iterator[Batch]:
    for n, batch in enumerate(batches):
        if n == after:
            raise RuntimeError("the corpus went away")
        yield batch


@pytest.mark.parametrize("after", [0, 1])
def test_a_failed_rebuild_leaves_no_index_behind(config: Settings, es: Elasticsearch, after: int) -> None:
    build_corpus(config.db_path)
    rebuild(config)
    before = layout(es, config.es_index_prefix)
    backend = ElasticBackend.from_settings(config)
    good = backend.fingerprints()
    articles = [
        Batch(articles=[backend.get_article(article_id)], facts=[])  # type: ignore[list-item]
        for article_id in sorted(good)[:2]
    ]
    try:
        with pytest.raises(RuntimeError, match="went away"):
            backend.rebuild(_failing(iter(articles), after))
        assert layout(es, config.es_index_prefix) == before
        assert backend.fingerprints() == good
    finally:
        backend.close()


def test_entity_records_that_cannot_be_written_are_an_error(config: Settings, es: Elasticsearch) -> None:
    build_corpus(config.db_path)
    rebuild(config)
    prefix = config.es_index_prefix
    backend = ElasticBackend.from_settings(config)
    try:
        backend.refresh_entities("unit", {"no-such-unit"})  # removing a record never written: fine
        # A target whose strict mapping refuses entity records, over the real facts (an alias).
        facts_index = next(iter(es.indices.get_alias(name=f"{prefix}-facts").body))
        es.indices.put_alias(index=facts_index, name=f"{prefix}-facts-strict")
        es.indices.create(
            index=f"{prefix}-entities-strict",
            mappings={"dynamic": "strict", "properties": {"id": {"type": "keyword"}}},
        )
        with pytest.raises(BulkIndexError, match="unit record"):
            backend.refresh_entities("unit", None, index=f"{prefix}-entities-strict")
    finally:
        backend.close()


@pytest.mark.parametrize(("offset", "limit", "expected"), [
    (0, 50, (0, 50)), (9_950, 50, (9_950, 10_000)), (9_990, 200, (9_990, 10_000)),
    (10_000, 200, (0, 0)), (12_000, 1, (0, 0)), (0, 20_000, (0, 10_000)),
])  # fmt: skip
def test_pages_stay_inside_the_result_window(offset: int, limit: int, expected: tuple[int, int]) -> None:
    assert window(offset, limit) == expected


def test_the_backend_never_asks_past_the_result_window(config: Settings) -> None:
    build_corpus(config.db_path)
    sync(config)
    backend = ElasticBackend.from_settings(config)
    try:
        total = backend.find_facts(FactFilter())[1]
        assert backend.find_facts(FactFilter(offset=10_000, limit=200)) == ([], total, True)
        assert backend.find_facts(FactFilter(offset=9_999, limit=200))[1:] == (total, True)
        hits, found, _ = backend.search_articles(ArticleSearch(offset=10_000, limit=200))
        assert (hits, found) == ([], 8)
        assert backend.list_entities(EntityFilter(kind="unit", offset=10_000, limit=200))[0] == []
    finally:
        backend.close()


def test_an_index_without_the_confidence_field_is_rebuilt_by_the_next_sync(
    config: Settings, es: Elasticsearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Confidence is a number in the facts mapping (for `min_confidence`); indices an older thidua built
    without it (their strict mapping refuses the field) are rebuilt by the next sync."""
    build_corpus(config.db_path)
    prefix = config.es_index_prefix
    current = elastic_indices._templates()
    facts = current["mappings"]["facts"]
    older_facts = {**facts, "properties": {k: v for k, v in facts["properties"].items() if k != "confidence"}}
    older = {**current, "mappings": {**current["mappings"], "facts": older_facts}}
    with monkeypatch.context() as patch:  # what an older thidua wrote
        patch.setattr(elastic_indices, "_templates", lambda: older)
        source = elastic._fact_source
        patch.setattr(
            elastic, "_fact_source", lambda fact: {k: v for k, v in source(fact).items() if k != "confidence"}
        )
        assert sync(config).articles == 8
        assert sync(config).articles == 0
    built = layout(es, prefix)
    assert sync(config).articles == 8  # a rebuild, though no article changed
    assert_one_index_per_alias(es, prefix)
    assert not set(built) & set(layout(es, prefix))
    mapping = es.indices.get_mapping(index=f"{prefix}-facts").body
    assert [m["mappings"]["properties"]["confidence"]["type"] for m in mapping.values()] == ["float"]
    backend = ElasticBackend.from_settings(config)
    try:
        chairs = FactFilter(types=("chair",), year=2022, cluster_ids=("lam-dong--cum-thi-dua-so-1",))
        every = {f.unit_id for f in backend.find_facts(chairs)[0]}
        sure = {f.unit_id for f in backend.find_facts(replace(chairs, min_confidence=0.61))[0]}
        assert every - sure == {"lam-dong--bao-loc"}
    finally:
        backend.close()
    assert sync(config).articles == 0  # up to date now: incremental again
