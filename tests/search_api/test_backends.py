"""The storage contract on both backends over real connections: sync, updates, deletions, rebuild."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from corpus.models import Article
from corpus.store import CorpusStore
from search_api.catalog import Catalog
from search_api.indexing import rebuild, sync
from search_api.query import ArticleSearch, EntityFilter, FactFilter
from search_api.stores import open_backend
from tests.search_api.conftest import BACKENDS, Server, make_settings
from tests.search_api.corpus_fixture import CONFIDENCE, LOW_CONFIDENCE, build_corpus
from thidua.settings import Settings


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path, es_url: str | None) -> Settings:
    settings = make_settings(request.param, tmp_path / "var", es_url)
    build_corpus(settings.db_path)
    return settings


def test_sync_is_idempotent(settings: Settings) -> None:
    first = sync(settings)
    assert first.articles == 8 and first.facts > 40 and first.skipped == 0
    second = sync(settings)
    assert (second.articles, second.facts, second.deleted) == (0, 0, 0)
    backend = open_backend(settings)
    try:
        assert backend.counts() == (8, first.facts)
    finally:
        backend.close()


def test_changed_facts_replace_old_ones_without_duplicates(settings: Settings) -> None:
    sync(settings)
    with CorpusStore(settings.db_path) as store:
        article = next(a for a in store.iter_articles() if a.site == "khac.example")
        facts = list(store.iter_facts(article.id))
        changed = [{**facts[0], "unit": "Di Linh", "id": "changed-fact"}]
        store.replace_facts(article, changed)
    report = sync(settings)
    assert (report.articles, report.facts) == (1, 1)
    backend = open_backend(settings)
    try:
        found, total, _ = backend.find_facts(FactFilter(article_id=article.id))
        assert [f.id for f in found] == ["changed-fact"] and total == 1
        assert backend.get_entity("unit", "lam-dong--bao-loc") is not None  # still a member elsewhere
        assert (
            backend.find_facts(FactFilter(unit_id="lam-dong--di-linh", year=2022, types=("chair",)))[1] == 2
        )
    finally:
        backend.close()


def test_articles_leaving_the_corpus_leave_the_index(settings: Settings) -> None:
    sync(settings)
    with CorpusStore(settings.db_path) as store:
        gone = next(a for a in store.iter_articles() if a.site == "hcm.example")
        with store.conn:
            store.conn.execute("DELETE FROM articles WHERE id = ?", (gone.id,))
    assert sync(settings).deleted == 1
    backend = open_backend(settings)
    try:
        assert backend.get_article(gone.id) is None
        assert backend.get_entity("unit", "ho-chi-minh") is None
        assert backend.search_articles(ArticleSearch(q="giao ước TP.HCM"))[0] == []
    finally:
        backend.close()


def test_unreadable_facts_are_skipped_and_the_rest_indexed(settings: Settings) -> None:
    with CorpusStore(settings.db_path) as store:
        article = Article(
            url="https://bad.example/1", title="Bài lỗi", text="Văn bản thi đua.", site="bad.example"
        )
        store.upsert_article(article)
        good = {"type": "member", "member": "Lạc Dương", "cluster": "Cụm 9", "id": "good", "evidence": None}
        bad = [
            {"type": "award", "id": "bad1", "evidence": "not a mapping"},
            {"type": "award", "id": "bad2", "recipient": "Lạc Dương"},
            {"type": "chair", "id": "bad3", "unit": "Lạc Dương", "role": "boss"},
        ]
        store.replace_facts(article, [*bad, good])
    report = sync(settings)
    assert report.skipped == 3
    backend = open_backend(settings)
    try:
        assert [f.id for f in backend.find_facts(FactFilter(article_id=article.id))[0]] == ["good"]
    finally:
        backend.close()


def test_a_word_of_several_syllables_is_found_written_together(settings: Settings) -> None:
    """A query's place or word of two syllables ("Lâm Hà", "tổng kết") matches where they are written
    side by side, in any spelling; apart, only each syllable alone does (search_api.phrases)."""
    with CorpusStore(settings.db_path) as store:
        together = Article(url="https://p.example/1", title="Hội nghị", text="Huyện Lâm Hà tổng kết thi đua.")
        apart = Article(url="https://p.example/2", title="Hội nghị", text="Hà Nam tổng kết, Lâm Đồng ký kết.")
        for article in (together, apart):
            store.upsert_article(replace(article, site="p.example"))
    sync(settings)
    backend = open_backend(settings)
    try:
        for q in ("Lâm Hà", "lam ha", "LÂM HÀ tổng kết"):
            assert [h.id for h in backend.search_articles(ArticleSearch(q=q, site="p.example"))[0]] == [
                together.id
            ]
        assert {h.id for h in backend.search_articles(ArticleSearch(q="lâm", site="p.example"))[0]} == {
            together.id,
            apart.id,
        }
    finally:
        backend.close()


def test_rebuild_swaps_in_a_complete_index(settings: Settings) -> None:
    first = sync(settings)
    backend = open_backend(settings)
    try:
        before = backend.counts()
        clusters_before = backend.list_entities(EntityFilter(kind="cluster"))[1]
    finally:
        backend.close()
    report = rebuild(settings)
    assert (report.articles, report.facts) == (8, first.facts)
    backend = open_backend(settings)
    try:
        assert backend.counts() == before
        assert backend.list_entities(EntityFilter(kind="cluster"))[1] == clusters_before
        if settings.es_url:
            from search_api.stores.elastic import ElasticBackend

            assert isinstance(backend, ElasticBackend)
            indices = backend.indices.current("facts")
            assert len(indices) == 1 and indices[0].startswith(f"{settings.es_index_prefix}-facts-v")
    finally:
        backend.close()
    assert sync(settings).articles == 0


def test_without_a_token_writing_is_off_and_cors_follows_settings(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    settings = Settings(data_dir=tmp_path / "var", es_url=None, cors_origins=["https://example.org"])
    with Server(settings, free_port()) as server, httpx.Client(base_url=server.url) as client:
        resp = client.post("/api/v1/admin/reindex", headers={"Authorization": "Bearer anything"})
        assert resp.status_code == 403 and "disabled" in resp.json()["detail"]
        empty = client.get("/api/v1/facts", headers={"Origin": "https://example.org"})
        assert empty.json()["total"] == 0
        assert empty.headers["access-control-allow-origin"] == "https://example.org"
        other = client.get("/api/v1/facts", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_any_change_to_a_fact_is_picked_up(settings: Settings) -> None:
    sync(settings)
    with CorpusStore(settings.db_path) as store:
        article = next(a for a in store.iter_articles() if a.site == "tin.example")
        facts = list(store.iter_facts(article.id))
        store.replace_facts(article, [{**facts[0], "confidence": 0.8}])  # same JSON length as 0.9
    assert (sync(settings).articles, sync(settings).articles) == (1, 0)
    backend = open_backend(settings)
    try:
        assert backend.get_facts([facts[0]["id"]])[0].confidence == 0.8
    finally:
        backend.close()


@pytest.mark.parametrize(
    "flt",
    [
        FactFilter(limit=200),
        FactFilter(types=("chair",), limit=5, offset=2),
        FactFilter(unit_id="lam-dong--da-lat"),
        FactFilter(province_key="lam-dong", year=2022),
    ],
)
def test_ready_json_equals_the_validated_models(settings: Settings, flt: FactFilter) -> None:
    """The hot endpoints' pre-serialised pages are exactly what the response models would emit."""
    sync(settings)
    backend = open_backend(settings)
    try:
        catalog = Catalog(backend)
        facts = catalog.facts(flt)
        assert facts.items, "the filter selects facts"
        assert json.loads(catalog.facts_json(flt)) == facts.model_dump(mode="json")
        timeline = catalog.timeline(flt).model_dump(mode="json")
        assert json.loads(catalog.timeline_json(flt)) == timeline
        if flt == FactFilter(limit=200):  # the whole fixture: some statements have several sources
            assert any(item["source_count"] > 1 for item in timeline["items"])
    finally:
        backend.close()


def test_totals_are_the_same_on_every_page(settings: Settings) -> None:
    """Whether counted or read off a partial page, every page reports the same total."""
    sync(settings)
    backend = open_backend(settings)
    try:
        everything = backend.find_facts(FactFilter(types=("member",), limit=200))
        count = len(everything[0])
        assert count > 5 and everything[1:] == (count, True)
        for offset in (0, 3, count - 2, count, count + 5):
            for find in (backend.find_facts, backend.find_fact_json):
                page, total, exact = find(FactFilter(types=("member",), limit=4, offset=offset))
                assert (total, exact) == (count, True) and len(page) == max(0, min(4, count - offset))
    finally:
        backend.close()


def test_timeline_totals_kept_per_entity_follow_syncs(settings: Settings) -> None:
    """A cluster's or unit's number of dated statements (kept per entity on SQLite) equals counting
    the groups of its dated facts, before and after syncs that move a fact to another unit and
    take away the most confident source of a statement (its lead)."""

    def check() -> None:
        backend = open_backend(settings)
        try:
            for flt in (
                FactFilter(unit_id="lam-dong--da-lat", dated_only=True),
                FactFilter(unit_id="lam-dong--di-linh", dated_only=True),
                FactFilter(unit_key="da-lat", dated_only=True),
                FactFilter(cluster_ids=("lam-dong--cum-thi-dua-so-1",), dated_only=True),
                FactFilter(cluster_ids=("lam-dong--cum-thi-dua-so-1", "no--such"), dated_only=True),
            ):
                every = backend.find_facts(replace(flt, limit=200))[0]
                statements = {f.group_key for f in every}
                for limit in (1, 2):
                    assert backend.find_timeline(replace(flt, limit=limit))[1:] == (len(statements), True), (
                        flt
                    )
                leads = backend.find_timeline(replace(flt, limit=200))[0]
                assert {r.fact.group_key for r in leads} == statements
        finally:
            backend.close()

    sync(settings)
    check()
    with CorpusStore(settings.db_path) as store:
        article = next(a for a in store.iter_articles() if a.site == "khac.example")
        facts = list(store.iter_facts(article.id))
        store.replace_facts(article, [{**facts[0], "unit": "Di Linh", "id": "moved"}])
    sync(settings)
    check()
    with CorpusStore(settings.db_path) as store:
        article = next(a for a in store.iter_articles() if a.site == "tin.example")
        facts = list(store.iter_facts(article.id))
        store.replace_facts(article, [{**facts[0], "confidence": 0.99}])  # now the lead of Đà Lạt 2022
    sync(settings)
    check()
    backend = open_backend(settings)
    try:
        chair = FactFilter(unit_key="da-lat", types=("chair",), year=2022)
        assert [(r.fact.confidence, r.source_count) for r in backend.find_timeline(chair)[0]] == [(0.99, 2)]
    finally:
        backend.close()
    with CorpusStore(settings.db_path) as store:
        store.replace_facts(article, [])
    sync(settings)
    check()


@pytest.mark.parametrize(
    "flt",
    [
        FactFilter(unit_key="da-lat"),
        FactFilter(unit_id="lam-dong--da-lat"),
        FactFilter(cluster_ids=("lam-dong--cum-thi-dua-so-1",)),
        FactFilter(province_key="lam-dong"),
        FactFilter(province_key="lam-dong", types=("chair",), year=2022),
    ],
)
def test_timeline_pages_over_statements_not_facts(settings: Settings, flt: FactFilter) -> None:
    """Every page size gives the same statements with the same source counts, and `total` counts
    statements: one statement's sources never split across pages."""
    sync(settings)
    backend = open_backend(settings)
    try:
        catalog = Catalog(backend)
        whole = json.loads(catalog.timeline_json(replace(flt, limit=200)))
        assert whole["total"] == len(whole["items"]) > 2
        assert len({i["fact"]["group_key"] for i in whole["items"]}) == whole["total"]
        for size in (1, 3):
            items = []
            for offset in range(0, whole["total"] + size, size):
                page = json.loads(catalog.timeline_json(replace(flt, limit=size, offset=offset)))
                assert page["total"] == whole["total"]
                items += page["items"]
            assert items == whole["items"]
        dates = [i["date"] for i in whole["items"]]
        assert dates == sorted(dates)
    finally:
        backend.close()


CLUSTER_1 = "lam-dong--cum-thi-dua-so-1"
CHAIRS_2022 = FactFilter(cluster_ids=(CLUSTER_1,), types=("chair",), year=2022, limit=200)


def _second_source_less_sure(settings: Settings) -> None:
    """Index the fixture with Đà Lạt's second source for its chair of 2022 at 0.75 (the first is at
    CONFIDENCE; Bảo Lộc's rival statement, one source, at LOW_CONFIDENCE)."""
    with CorpusStore(settings.db_path) as store:
        article = next(a for a in store.iter_articles() if a.site == "tin.example")
        facts = list(store.iter_facts(article.id))
        store.replace_facts(article, [{**facts[0], "confidence": 0.75}])
    sync(settings)


@pytest.mark.parametrize(
    ("floor", "units"),
    [
        (None, ["bao-loc", "da-lat", "da-lat", "di-linh"]),
        (LOW_CONFIDENCE, ["bao-loc", "da-lat", "da-lat", "di-linh"]),  # at the floor: kept
        (0.61, ["da-lat", "da-lat", "di-linh"]),
        (0.75, ["da-lat", "da-lat", "di-linh"]),
        (0.8, ["da-lat", "di-linh"]),
        (CONFIDENCE, ["da-lat", "di-linh"]),
        (0.95, []),
    ],
)
def test_min_confidence_keeps_facts_at_or_above_it(
    settings: Settings, floor: float | None, units: list[str]
) -> None:
    """Pages (models and ready JSON), totals and exports keep exactly the facts at or above the floor."""
    _second_source_less_sure(settings)
    backend = open_backend(settings)
    try:
        catalog = Catalog(backend)
        flt = replace(CHAIRS_2022, min_confidence=floor)
        page = catalog.facts(flt)
        assert sorted(str(f.unit_id).split("--")[1] for f in page.items) == units
        assert page.total == len(units) and all(f.confidence >= (floor or 0) for f in page.items)
        assert json.loads(catalog.facts_json(flt)) == page.model_dump(mode="json")
        assert [f.id for f in catalog.iter_facts(flt)] == [f.id for f in page.items]
        first = backend.find_facts(replace(flt, limit=1))
        assert first[1:] == (len(units), True)  # counted, not read off the page
    finally:
        backend.close()


def test_min_confidence_timelines_count_statements_and_sources_at_or_above_it(settings: Settings) -> None:
    """A statement stays while one of its facts reaches the floor, with only those facts' sources."""
    _second_source_less_sure(settings)
    backend = open_backend(settings)
    try:
        catalog = Catalog(backend)
        da_lat = FactFilter(unit_key="da-lat", types=("chair",), year=2022)
        for floor, expected in ((None, [(0.9, 2)]), (0.75, [(0.9, 2)]), (0.8, [(0.9, 1)]), (0.95, [])):
            rows, total, exact = backend.find_timeline(replace(da_lat, min_confidence=floor))
            assert [(r.fact.confidence, r.source_count) for r in rows] == expected, floor
            assert (total, exact) == (len(expected), True)
        cluster = FactFilter(cluster_ids=(CLUSTER_1,), limit=200)
        every = catalog.timeline(cluster)
        sure = replace(cluster, min_confidence=0.61)
        kept = catalog.timeline(sure)
        assert kept.total == every.total - 1  # Bảo Lộc's chair of 2022
        rival = ("chair", "lam-dong--bao-loc", 2022)
        assert rival in {(i.fact.type, i.fact.unit_id, i.fact.year) for i in every.items}
        assert rival not in {(i.fact.type, i.fact.unit_id, i.fact.year) for i in kept.items}
        assert json.loads(catalog.timeline_json(sure)) == kept.model_dump(mode="json")
        for size in (1, 4):
            paged = [
                catalog.timeline(replace(sure, limit=size, offset=n)) for n in range(0, kept.total, size)
            ]
            assert [i for p in paged for i in p.items] == kept.items
            assert {p.total for p in paged} == {kept.total}
    finally:
        backend.close()


def test_min_confidence_decides_checks_and_detail_pages(settings: Settings) -> None:
    """A claim whose only source is below the floor is no longer supported; facts below it neither
    support, contradict nor appear on cluster, unit, fact and article pages."""
    _second_source_less_sure(settings)
    backend = open_backend(settings)
    try:
        catalog = Catalog(backend)
        assert catalog.check("Bảo Lộc", "chair", 2022, None).verdict == "supported"
        unsure = catalog.check("Bảo Lộc", "chair", 2022, None, min_confidence=0.61)
        assert unsure.verdict == "contradicted" and unsure.claim.min_confidence == 0.61
        assert [g.fact.unit_id for g in unsure.instead] == ["lam-dong--da-lat"]
        assert catalog.check("Bảo Lộc", "chair", 2022, None, min_confidence=0.95).verdict == "not_found"
        da_lat = catalog.check("Đà Lạt", "chair", 2022, None, min_confidence=0.8)
        assert (da_lat.verdict, da_lat.instead, da_lat.evidence[0].source_count) == ("supported", [], 1)
        cluster = catalog.cluster(CLUSTER_1, 0.61)
        assert cluster is not None
        holders = [g for r in cluster.chairs if (r.year, r.role) == (2022, "chair") for g in r.holders]
        assert [(g.fact.unit_id, g.source_count) for g in holders] == [("lam-dong--da-lat", 2)]
        unit = catalog.unit("lam-dong--bao-loc", 0.61)
        assert unit is not None and [r.year for r in unit.roles if r.role == "chair"] == [2024]
        gold = next(
            f
            for f in catalog.facts(CHAIRS_2022).items
            if f.confidence == CONFIDENCE and f.unit_key == "da-lat"
        )
        detail = catalog.fact(gold.id, 0.8)
        assert detail is not None and (detail.source_count, detail.corroborating, detail.conflicting) == (
            1,
            [],
            [],
        )
        rival = next(f for f in catalog.facts(CHAIRS_2022).items if f.unit_key == "bao-loc")
        article = catalog.article(str(rival.evidence.article_id), 0.61)
        assert article is not None and [f.type for f in article.facts] == ["member"]
    finally:
        backend.close()


def test_configured_min_confidence_is_the_default_and_zero_turns_it_off(
    settings: Settings, free_port: Callable[[], int]
) -> None:
    """`THIDUA_API_MIN_CONFIDENCE` applies wherever a request gives no `min_confidence` (the direct
    path too); `min_confidence=0` asks for every fact."""
    sync(settings)
    config = settings.model_copy(update={"api_min_confidence": 0.61})
    chairs = {"cluster": CLUSTER_1, "type": "chair", "year": 2022}
    with Server(config, free_port()) as server, httpx.Client(base_url=server.url, timeout=30) as client:

        def units(path: str, **extra: object) -> set[str]:
            body = client.get(f"/api/v1/{path}", params={**chairs, **extra}).json()
            return {(i.get("fact") or i)["unit_id"] for i in body["items"]}

        for path in ("facts", "timeline"):
            assert "lam-dong--bao-loc" not in units(path)
            assert "lam-dong--bao-loc" in units(path, min_confidence=0)
        check = client.get("/api/v1/check", params={"unit": "Bảo Lộc", "role": "chair", "year": 2022}).json()
        assert (check["verdict"], check["claim"]["min_confidence"]) == ("contradicted", 0.61)
        exported = client.get("/api/v1/export", params={**chairs, "format": "jsonl"}).text.splitlines()
        assert {json.loads(line)["unit"] for line in exported} == {"Đà Lạt", "TP Đà Lạt", "Di Linh"}
