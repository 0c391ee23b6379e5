"""Identity and grouping on both stores with extractor-shaped facts: one statement in several spellings
and extras is one group; units are province-qualified and found by name; award checks; full detail pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from search_api import groups
from search_api.catalog import Catalog
from search_api.deps import build_fact_filter
from search_api.indexing import sync
from search_api.query import EntityFilter, FactFilter
from search_api.stores import open_backend
from search_api.stores.base import EntityKind, SearchBackend
from search_api.stores.sqlite import SqliteBackend
from tests.search_api.conftest import BACKENDS, Server, make_settings
from tests.search_api.identity_corpus import BULK_FACTS, BULK_YEARS, build_identity_corpus
from thidua.settings import Settings

API = "/api/v1"


@pytest.fixture(scope="module", params=BACKENDS)
def settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, es_url: str | None
) -> Settings:
    settings = make_settings(request.param, tmp_path_factory.mktemp(f"identity-{request.param}"), es_url)
    build_identity_corpus(settings.db_path)
    report = sync(settings)
    assert report.skipped == 0 and report.facts > BULK_FACTS
    return settings


@pytest.fixture(scope="module")
def backend(settings: Settings) -> Iterator[SearchBackend]:
    backend = open_backend(settings)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def sqlite_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteBackend]:
    settings = make_settings("sqlite", tmp_path_factory.mktemp("identity-plans"), None)
    build_identity_corpus(settings.db_path)
    sync(settings)
    backend = SqliteBackend(settings.db_path)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def client(settings: Settings, free_port: Callable[[], int]) -> Iterator[httpx.Client]:
    with Server(settings, free_port()) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def test_one_statement_with_other_extras_and_spellings_is_one_group(backend: SearchBackend) -> None:
    chairs = backend.find_facts(FactFilter(types=("chair",), unit_key="da-lat", year=2022))[0]
    assert len(chairs) == 2 and {f.fields.get("body") for f in chairs} == {None, "UBND"}
    assert len({f.group_key for f in chairs}) == 1
    assert {f.cluster_id for f in chairs} == {"lam-dong--cum-thi-dua-so-1"}  # "số I" and "số 1"
    for fact in chairs:
        detail = Catalog(backend).fact(fact.id)
        assert detail is not None and detail.source_count == 2 and len(detail.corroborating) == 1
        assert [g.fact.unit_id for g in detail.conflicting] == ["lam-dong--bao-loc"]
        assert detail.conflicting[0].source_count == 1


def test_proposed_and_conferred_are_separate_statements(backend: SearchBackend) -> None:
    flt = FactFilter(types=("award",), unit_id="lam-dong--da-lat", year=2021, award_key="bang khen")
    facts = backend.find_facts(flt)[0]
    assert sorted(f.fields["status"] for f in facts) == ["conferred", "proposed"]
    assert len({f.group_key for f in facts}) == 2


@pytest.mark.parametrize(
    ("key", "units"),
    [
        ("chau-thanh", {"long-an--chau-thanh": "Long An", "tien-giang--chau-thanh": "Tiền Giang"}),
        ("so-tai-chinh", {"long-an--so-tai-chinh": "Long An", "tien-giang--so-tai-chinh": "Tiền Giang"}),
        ("da-lat", {"lam-dong--da-lat": "Lâm Đồng"}),
    ],
)
def test_units_are_qualified_by_province_and_found_by_name(
    backend: SearchBackend, key: str, units: dict[str, str]
) -> None:
    found = backend.list_entities(EntityFilter(kind="unit", key=key))[0]
    assert {e.id: e.province for e in found} == units
    facts = backend.find_facts(FactFilter(unit_key=key, limit=200))[0]
    assert {f.unit_id for f in facts} == set(units)
    for uid in units:
        assert {f.unit_id for f in backend.find_facts(FactFilter(unit_id=uid, limit=200))[0]} == {uid}


@pytest.mark.parametrize(
    ("params", "unit_ids"),
    [
        ({"unit": "Châu Thành"}, {"long-an--chau-thanh", "tien-giang--chau-thanh"}),
        ({"unit": "huyện Châu Thành", "province": "tỉnh Long An"}, {"long-an--chau-thanh"}),
        ({"unit": "Chau Thanh", "province": "Tien Giang"}, {"tien-giang--chau-thanh"}),
        ({"unit": "tien-giang--chau-thanh"}, {"tien-giang--chau-thanh"}),
        ({"unit": "Sở Tài chính", "type": "award", "year": 2022},
         {"long-an--so-tai-chinh", "tien-giang--so-tai-chinh"}),
        ({"unit": "UBND TP Đà Lạt", "type": "chair", "year": 2022}, {"lam-dong--da-lat"}),
        ({"unit": "nowhere--chau-thanh"}, set()),
    ],
)  # fmt: skip
def test_unit_parameter_is_a_name_across_provinces_or_an_id(
    client: httpx.Client, params: dict[str, Any], unit_ids: set[str]
) -> None:
    for path in ("/facts", "/timeline"):
        body = client.get(f"{API}{path}", params={**params, "limit": 200}).json()
        facts = [i if path == "/facts" else i["fact"] for i in body["items"]]
        assert {f["unit_id"] for f in facts} == unit_ids, path


def test_unit_pages_use_qualified_ids_and_names_shared_by_provinces_say_so(client: httpx.Client) -> None:
    page = client.get(f"{API}/units/long-an--chau-thanh").json()
    assert page["id"] == "long-an--chau-thanh" and page["province"] == "Long An"
    assert {s["province"] for g in page["awards"] for s in g["sources"]} == {"Long An"}
    assert [c["id"] for c in page["clusters"]] == ["long-an--cum-thi-dua-so-1"]
    shared = client.get(f"{API}/units/Châu Thành")
    assert shared.status_code == 404
    assert (
        "long-an--chau-thanh" in shared.json()["detail"]
        and "tien-giang--chau-thanh" in shared.json()["detail"]
    )
    assert (
        client.get(f"{API}/units/huyện Cần Đước").json()["id"] == "long-an--can-duoc"
    )  # one unit of that name
    assert client.get(f"{API}/units/lam-dong--chau-thanh").status_code == 404


def test_check_names_the_province_of_each_source(client: httpx.Client) -> None:
    params: dict[str, str | int] = {"unit": "Châu Thành", "award": "Bằng khen", "year": 2022}
    both = client.get(f"{API}/check", params=params).json()
    assert both["verdict"] == "supported"
    assert both["claim"]["unit_ids"] == ["long-an--chau-thanh", "tien-giang--chau-thanh"]
    assert "several provinces" in both["message"]
    assert {s["province"] for g in both["evidence"] for s in g["sources"]} == {"Long An", "Tiền Giang"}
    one = client.get(f"{API}/check", params={**params, "province": "Tiền Giang"}).json()
    assert one["verdict"] == "supported" and one["claim"]["unit_ids"] == ["tien-giang--chau-thanh"]
    assert "several provinces" not in one["message"]
    assert (
        client.get(f"{API}/check", params={**params, "province": "Lâm Đồng"}).json()["verdict"] == "not_found"
    )


@pytest.mark.parametrize(
    ("award", "year", "verdict", "instead", "context"),
    [
        ("Giấy khen", 2021, "supported", [], ["Bằng khen"]),
        ("Bằng khen", 2021, "supported", [], ["Giấy khen"]),  # proposed in one source, conferred in another
        ("Huân chương Lao động hạng Ba", 2021, "not_found", [], ["Bằng khen", "Giấy khen"]),
        ("Cờ thi đua", 2021, "contradicted", ["lam-dong--bao-loc"], ["Bằng khen", "Giấy khen"]),
        ("Cờ thi đua", 2020, "not_found", [], []),
    ],
)
def test_another_award_is_context_not_a_contradiction(
    backend: SearchBackend, award: str, year: int, verdict: str, instead: list[str], context: list[str]
) -> None:
    result = Catalog(backend).check("thành phố Đà Lạt", None, year, award)
    assert result.verdict == verdict, result.message
    assert "not confirmed conferred" not in result.message
    assert ("`context`" in result.message) == bool(context)
    assert [g.fact.unit_id for g in result.instead] == instead
    assert sorted({g.fact.fields["award"] for g in result.context}) == context


def test_an_award_only_proposed_is_supported_as_not_confirmed_conferred(backend: SearchBackend) -> None:
    result = Catalog(backend).check("huyện Di Linh", None, 2021, "Bằng khen")
    assert result.verdict == "supported" and "(proposed, not confirmed conferred)" in result.message
    assert [s.province for g in result.evidence for s in g.sources] == ["Lâm Đồng"]
    assert result.claim.unit_ids == ["lam-dong--di-linh"]


def _whole_list(catalog: Catalog, kind: EntityKind, eid: str, name: str) -> list[Any]:
    """Every item of a paged list of a cluster's or unit's page, following its cursors."""
    items: list[Any] = []
    cursor = None
    while True:
        page = catalog.entity_list(kind, eid, name, None, 200, cursor)
        assert page is not None
        items += page.items
        cursor = page.next_cursor
        if cursor is None:
            assert len(items) == page.total
            return items


def test_detail_pages_count_every_fact_beyond_one_page(backend: SearchBackend) -> None:
    catalog = Catalog(backend)
    unit = catalog.unit("lam-dong--di-linh")
    assert unit is not None and unit.complete and unit.fact_count > 1000
    assert unit.lists["awards"].total == BULK_FACTS // 2 + 1  # and its proposed Bằng khen
    awards = _whole_list(catalog, "unit", unit.id, "awards")
    assert {g.fact.year for g in awards} == set(BULK_YEARS)
    assert unit.clusters[0].years == list(BULK_YEARS)
    cluster = catalog.cluster("lam-dong--cum-thi-dua-so-1")
    assert cluster is not None and cluster.complete
    di_linh = next(m for m in cluster.members if m.unit_id == "lam-dong--di-linh")
    assert di_linh.years == list(BULK_YEARS)
    awards = _whole_list(catalog, "cluster", cluster.id, "awards")
    assert {g.fact.year for g in awards if g.fact.unit_id == "lam-dong--di-linh"} == set(BULK_YEARS)


def test_detail_pages_say_when_a_cap_cut_them(
    backend: SearchBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(groups, "DETAIL_CAP", 1000)
    unit = Catalog(backend).unit("lam-dong--di-linh")
    assert unit is not None and not unit.complete
    small = Catalog(backend).unit("lam-dong--bao-loc")
    assert small is not None and small.complete


@pytest.mark.parametrize(
    "params",
    [
        {"type": "chair", "unit": "Di Linh", "year": 2022},
        {"unit": "Di Linh"},
        {"unit": "Di Linh", "offset": 40},
        {"unit": "huyện Di Linh", "province": "Lâm Đồng"},
        {"unit": "lam-dong--di-linh", "type": "award"},
        {"cluster": "lam-dong--cum-thi-dua-so-1"},
        {"province": "Lâm Đồng", "year": 2022},
        {"unit": "Di Linh", "min_confidence": 0.8},
        {"cluster": "lam-dong--cum-thi-dua-so-1", "min_confidence": 0.8},
        {"type": "chair", "unit": "Di Linh", "year": 2022, "min_confidence": 0.8},
    ],
)
def test_fact_and_timeline_pages_stay_on_indexes(
    sqlite_backend: SqliteBackend, params: dict[str, Any]
) -> None:
    """EXPLAIN QUERY PLAN of every statement /facts and /timeline run: no full scan, no sort."""
    catalog = Catalog(sqlite_backend)
    conn = sqlite_backend._read()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        flt = build_fact_filter(catalog, limit=20, **params)
        catalog.facts_json(flt)
        catalog.timeline_json(flt)
    finally:
        conn.set_trace_callback(None)
    queries = [s for s in statements if s.lstrip().startswith("SELECT")]
    assert len(queries) >= 2
    for sql in queries:
        plan = " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SCAN search_facts" not in plan and "SCAN search_entities" not in plan, (sql, plan)
        assert "TEMP B-TREE FOR ORDER BY" not in plan, (sql, plan)


@pytest.mark.parametrize("name", ["Cụm thi đua số 1", "Cụm thi đua số I", "cụm số 01", "Cụm thi đua 1"])
def test_numbered_cluster_spellings_name_one_cluster_per_province(client: httpx.Client, name: str) -> None:
    params: dict[str, str | int] = {
        "cluster": name,
        "province": "tỉnh Lâm Đồng",
        "type": "chair",
        "limit": 200,
    }
    chairs = client.get(f"{API}/facts", params=params).json()["items"]
    assert {f["cluster_id"] for f in chairs} == {"lam-dong--cum-thi-dua-so-1"}
    assert {f["fields"]["cluster"] for f in chairs} == {"Cụm thi đua số 1", "Cụm thi đua số I"}
    members = client.get(f"{API}/facts", params={"cluster": name, "type": "member", "year": 2022}).json()
    assert {f["cluster_id"] for f in members["items"]} == {
        "lam-dong--cum-thi-dua-so-1",
        "long-an--cum-thi-dua-so-1",
    }


def test_facts_carry_their_unit_id_and_name_key(client: httpx.Client) -> None:
    items = client.get(f"{API}/facts", params={"unit": "Châu Thành", "type": "award"}).json()["items"]
    assert {(f["unit_id"], f["unit_key"], f["province"]) for f in items} == {
        ("long-an--chau-thanh", "chau-thanh", "Long An"),
        ("tien-giang--chau-thanh", "chau-thanh", "Tiền Giang"),
    }


def test_web_unit_page_for_a_shared_name_links_each_province(client: httpx.Client) -> None:
    shared = client.get("/units/huyện Châu Thành")
    assert shared.status_code == 200
    assert 'href="/units/long-an--chau-thanh"' in shared.text
    assert 'href="/units/tien-giang--chau-thanh"' in shared.text
    one = client.get("/units/long-an--chau-thanh")
    assert one.status_code == 200 and "Châu Thành" in one.text
    assert client.get("/units/lam-dong--chau-thanh").status_code == 404


def test_detail_pages_read_their_facts_in_one_query_each_by_article(sqlite_backend: SqliteBackend) -> None:
    """Without a confidence floor a cluster page reads the lists kept at write time and groups no facts;
    with one it reads the statements of its articles through the article index (`+type` keeps the
    planner off the type index, which walks every fact of a type: 100,000 events at the bench's scale),
    each in one grouped query (paging with offsets re-read every earlier page: seconds)."""
    catalog = Catalog(sqlite_backend)
    conn = sqlite_backend._read()
    cluster = catalog.clusters(EntityFilter(kind="cluster", limit=1)).items[0]
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        assert catalog.cluster(cluster.id) is not None
        kept = list(statements)
        assert catalog.cluster(cluster.id, min_confidence=0.01) is not None
    finally:
        conn.set_trace_callback(None)
    assert not [s for s in kept if "GROUP BY" in s] and [s for s in kept if "search_entity_items" in s]
    pages = [s for s in statements if "FROM search_facts" in s and " OFFSET " in s]
    assert all(s.rstrip().endswith("OFFSET 0") for s in pages), pages
    grouped = [s for s in statements if "FROM search_facts" in s and "GROUP BY group_key" in s]
    by_article = [s for s in grouped if "article_id IN" in s]
    assert by_article and all("+type IN" in s or "type IN" not in s for s in by_article), by_article


def test_web_check_form_narrows_a_shared_name_by_province(client: httpx.Client) -> None:
    form = {"unit": "Châu Thành", "claim": "award:Bằng khen", "year": 2022, "lang": "en"}
    page = client.get("/check", params=form)
    assert page.status_code == 200 and '<option value="Tiền Giang"' in page.text
    narrowed = client.get("/check", params={**form, "province": "Lâm Đồng"})
    assert narrowed.status_code == 200
    assert "Not found" in narrowed.text and "Supported" not in narrowed.text
    one = client.get("/check", params={**form, "province": "Tiền Giang"})
    assert "Supported" in one.text and "/articles/" in one.text
