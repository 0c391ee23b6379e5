"""The API over real HTTP (uvicorn) against both backends: every endpoint, with bad input."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest

from search_api.params import MAX_LIMIT, MAX_OFFSET, MAX_TEXT, ArticleQuery, EntityQuery, FactQuery
from tests.search_api.corpus_fixture import CONFIDENCE, LOW_CONFIDENCE

API = "/api/v1"
Api = tuple[httpx.Client, dict[str, Any], Any]


def test_health_names_the_backend(api: Api) -> None:
    client, _, settings = api
    body = client.get("/health").json()
    assert body["backend"] == ("elasticsearch" if settings.es_url else "sqlite")
    assert body["articles"] == 8 and body["facts"] > 40


def test_walking_skeleton_fact_check_query(api: Api) -> None:
    client, ids, _ = api
    resp = client.get(f"{API}/facts", params={"type": "chair", "unit": "Đà Lạt", "year": 2022})
    assert resp.status_code == 200
    items = resp.json()["items"]
    gold_id = ids["gold"]["lamdong-2022-01-13-cum1-tong-ket"]
    fact = next(f for f in items if f["evidence"]["article_id"] == gold_id)
    assert fact["fields"]["unit"] == fact["unit"] == "Đà Lạt"
    assert fact["role"] == "chair" and fact["year"] == 2022
    assert "Đà Lạt" in fact["evidence"]["sentence"]
    assert fact["evidence"]["url"].startswith("https://baolamdong.example/")
    assert {f["unit_id"] for f in items} == {"lam-dong--da-lat"}


def test_search_is_diacritic_insensitive_and_ranks_exact_first(api: Api) -> None:
    client, ids, _ = api
    plain = client.get(f"{API}/articles", params={"q": "da lat"}).json()
    exact = client.get(f"{API}/articles", params={"q": "Đà Lạt"}).json()
    assert plain["total"] == exact["total"] >= 3
    hcm = ids["extra"][2]  # its text says "Da Lat" without diacritics
    assert exact["items"][-1]["id"] == hcm
    assert any("<mark>" in h for h in exact["items"][0]["highlights"])
    assert client.get(f"{API}/articles", params={"q": "duc trong"}).json()["total"] >= 1


def test_search_filters(api: Api) -> None:
    client, ids, _ = api
    by_site = client.get(f"{API}/articles", params={"q": "cụm", "site": "khac.example"}).json()
    assert [h["id"] for h in by_site["items"]] == [ids["extra"][1]]
    by_province = client.get(f"{API}/articles", params={"province": "TP.HCM"}).json()
    assert [h["id"] for h in by_province["items"]] == [ids["extra"][2]]
    dated = client.get(f"{API}/articles", params={"date_from": "2024-01-01", "date_to": "2024-12-31"}).json()
    assert [h["published"][:4] for h in dated["items"]] == ["2024"]


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", "OR OR", 'x" OR "y', "AND", "(((", "x" * 10_000, "đ" * 500])
def test_hostile_queries_never_fail(api: Api, q: str) -> None:
    client, _, _ = api
    resp = client.get(f"{API}/articles", params={"q": q})
    assert resp.status_code == 200, resp.text
    assert isinstance(resp.json()["items"], list)


def test_article_detail_has_text_facts_and_raw_link(api: Api) -> None:
    client, ids, _ = api
    aid = ids["gold"]["lamdong-2022-01-13-cum1-tong-ket"]
    body = client.get(f"{API}/articles/{aid}").json()
    assert "Cụm thi đua số 1" in body["text"] and len(body["facts"]) >= 10
    raw = client.get(body["raw_html_url"])
    assert raw.status_code == 200 and "sandbox" in raw.headers["content-security-policy"]
    assert client.get(f"{API}/articles/nope").json()["detail"].startswith("No article")


def test_fact_detail_counts_corroborating_sources_and_keeps_conflicts(api: Api) -> None:
    client, _ids, _ = api
    items = client.get(f"{API}/facts", params={"type": "chair", "unit": "TP Đà Lạt", "year": 2022}).json()[
        "items"
    ]
    detail = client.get(f"{API}/facts/{items[0]['id']}").json()
    assert detail["source_count"] == 2
    assert len(detail["corroborating"]) == 1
    rivals = [g["fact"]["unit_id"] for g in detail["conflicting"]]
    assert rivals == ["lam-dong--bao-loc"]
    assert client.get(f"{API}/facts/unknown").status_code == 404


def test_clusters_resolve_spellings_and_show_roles_by_year(api: Api) -> None:
    client, _, _ = api
    listing = client.get(f"{API}/clusters", params={"q": "cum thi dua so 1", "province": "Lâm Đồng"}).json()
    assert [c["id"] for c in listing["items"]] == ["lam-dong--cum-thi-dua-so-1"]
    body = client.get(f"{API}/clusters/lam-dong--cum-thi-dua-so-1").json()
    assert {f"lam-dong--{u}" for u in ("duc-trong", "di-linh", "da-lat", "bao-loc")} <= {
        m["unit_id"] for m in body["members"]
    }
    chair_2022 = next(r for r in body["chairs"] if r["year"] == 2022 and r["role"] == "chair")
    holders = {g["fact"]["unit_id"]: g["source_count"] for g in chair_2022["holders"]}
    assert holders == {"lam-dong--da-lat": 2, "lam-dong--bao-loc": 1}
    assert body["events"] and body["slogans"] and body["awards"]
    assert client.get(f"{API}/clusters/nope").status_code == 404


def test_unit_page_collects_facts_of_every_spelling(api: Api) -> None:
    client, _, _ = api
    body = client.get(f"{API}/units/thành phố Đà Lạt").json()
    assert body["id"] == "lam-dong--da-lat"
    assert [c["id"] for c in body["clusters"]] == ["lam-dong--cum-thi-dua-so-1"]
    assert any(r["year"] == 2022 and r["role"] == "chair" for r in body["roles"])
    assert any(g["fact"]["fields"]["award"] == "Bằng khen" for g in body["awards"])
    assert client.get(f"{API}/units/xyz-nowhere").status_code == 404


def test_timeline_is_dated_and_ordered(api: Api) -> None:
    client, _, _ = api
    body = client.get(f"{API}/timeline", params={"cluster": "lam-dong--cum-thi-dua-so-1"}).json()
    dates = [i["date"] for i in body["items"]]
    assert dates == sorted(dates) and len(dates) >= 5
    assert all(i["fact"]["evidence"]["sentence"] for i in body["items"])
    by_name = client.get(
        f"{API}/timeline", params={"cluster": "Cụm thi đua số 1", "province": "Lâm Đồng"}
    ).json()
    assert by_name["total"] == body["total"]
    assert client.get(f"{API}/timeline").status_code == 422


def test_cluster_named_without_province_matches_every_province_but_not_lookalikes(api: Api) -> None:
    client, _, _ = api
    items = client.get(f"{API}/facts", params={"cluster": "cum thi dua so 01", "limit": 200}).json()["items"]
    assert {f["cluster_id"] for f in items} == {"lam-dong--cum-thi-dua-so-1"}


@pytest.mark.parametrize(
    ("params", "verdict"),
    [
        ({"unit": "Đà Lạt", "role": "chair", "year": 2022}, "supported"),
        ({"unit": "Di Linh", "role": "chair", "year": 2022}, "contradicted"),
        ({"unit": "Đức Trọng", "role": "chair", "year": 2019}, "not_found"),
        ({"unit": "huyện Đức Trọng", "award": "Cờ thi đua", "year": 2021}, "supported"),
        ({"unit": "Đà Lạt", "award": "Cờ thi đua", "year": 2021}, "contradicted"),
    ],
)
def test_check_verdicts(api: Api, params: dict[str, Any], verdict: str) -> None:
    client, _, _ = api
    body = client.get(f"{API}/check", params=params).json()
    assert body["verdict"] == verdict, body
    if verdict == "supported":
        assert body["evidence"][0]["fact"]["evidence"]["sentence"]
    if verdict == "contradicted":
        assert body["instead"]


def test_check_supported_claim_shows_conflicting_sources(api: Api) -> None:
    client, _, _ = api
    body = client.get(f"{API}/check", params={"unit": "Đà Lạt", "role": "chair", "year": 2022}).json()
    assert body["evidence"][0]["source_count"] == 2
    assert [g["fact"]["unit_id"] for g in body["instead"]] == ["lam-dong--bao-loc"]


def test_exports(api: Api) -> None:
    client, _, _ = api
    params = {"cluster": "lam-dong--cum-thi-dua-so-1", "type": "chair"}
    lines = client.get(f"{API}/export", params={**params, "format": "jsonl"}).text.splitlines()
    assert len(lines) >= 5 and all('"evidence"' in line for line in lines)
    csv_text = client.get(f"{API}/export", params={**params, "format": "csv"}).text
    assert (
        csv_text.splitlines()[0].startswith("id,type,year") and len(csv_text.splitlines()) == len(lines) + 1
    )
    tl = client.get(f"{API}/export", params={**params, "format": "timelinejs"}).json()
    assert tl["events"] and {"year"} <= set(tl["events"][0]["start_date"])


CLUSTER_1 = "lam-dong--cum-thi-dua-so-1"
CHAIRS_2022 = {"cluster": CLUSTER_1, "type": "chair", "year": 2022}
SURE = 0.61  # above the fixture's LOW_CONFIDENCE (Bảo Lộc's chair of 2022), below its CONFIDENCE


def test_min_confidence_filters_facts_timelines_and_detail_pages(api: Api) -> None:
    """Facts at or above `min_confidence` stay (the bound included), those below go, on every listing."""
    client, _, _ = api

    def units(path: str, **params: Any) -> list[str]:
        items = client.get(f"{API}/{path}", params={**CHAIRS_2022, "limit": 200, **params}).json()["items"]
        return sorted((i.get("fact") or i)["unit_id"].split("--")[1] for i in items)

    everyone = ["bao-loc", "da-lat", "da-lat", "di-linh"]
    assert units("facts") == units("facts", min_confidence=LOW_CONFIDENCE) == everyone
    assert units("facts", min_confidence=SURE) == units("facts", min_confidence=CONFIDENCE) == everyone[1:]
    assert units("facts", min_confidence=1) == []
    assert units("timeline") == ["bao-loc", "da-lat", "di-linh"]
    assert units("timeline", min_confidence=SURE) == ["da-lat", "di-linh"]
    cluster = client.get(f"{API}/clusters/{CLUSTER_1}", params={"min_confidence": SURE}).json()
    chair = next(r for r in cluster["chairs"] if r["year"] == 2022 and r["role"] == "chair")
    assert [(g["fact"]["unit_id"], g["source_count"]) for g in chair["holders"]] == [("lam-dong--da-lat", 2)]
    unit = client.get(f"{API}/units/lam-dong--bao-loc", params={"min_confidence": SURE}).json()
    assert [r["year"] for r in unit["roles"] if r["role"] == "chair"] == [2024]
    fact = client.get(f"{API}/facts", params={**CHAIRS_2022, "unit": "Đà Lạt"}).json()["items"][0]
    detail = client.get(f"{API}/facts/{fact['id']}", params={"min_confidence": SURE}).json()
    assert detail["conflicting"] == [] and detail["source_count"] == 2


def test_check_verdicts_come_only_from_facts_at_or_above_min_confidence(api: Api) -> None:
    """Bảo Lộc's chair of 2022 has one source, below SURE: above it the claim is contradicted by Đà Lạt."""
    client, _, _ = api
    claim = {"unit": "Bảo Lộc", "role": "chair", "year": 2022}
    assert client.get(f"{API}/check", params=claim).json()["verdict"] == "supported"
    body = client.get(f"{API}/check", params={**claim, "min_confidence": SURE}).json()
    assert body["verdict"] == "contradicted" and body["claim"]["min_confidence"] == SURE
    assert [g["fact"]["unit_id"] for g in body["instead"]] == ["lam-dong--da-lat"]
    assert client.get(f"{API}/check", params={**claim, "min_confidence": 1}).json()["verdict"] == "not_found"
    da_lat = client.get(f"{API}/check", params={**claim, "unit": "Đà Lạt", "min_confidence": SURE}).json()
    assert da_lat["verdict"] == "supported" and da_lat["instead"] == []


def test_exports_honour_min_confidence(api: Api) -> None:
    client, _, _ = api
    for floor, expected in ((None, 4), (LOW_CONFIDENCE, 4), (SURE, 3), (1, 0)):
        params = {**CHAIRS_2022, **({"min_confidence": floor} if floor is not None else {})}
        lines = client.get(f"{API}/export", params={**params, "format": "jsonl"}).text.splitlines()
        assert len(lines) == expected and all(
            json.loads(line)["confidence"] >= (floor or 0) for line in lines
        )
        rows = list(
            csv.DictReader(io.StringIO(client.get(f"{API}/export", params=params | {"format": "csv"}).text))
        )
        assert sorted(r["id"] for r in rows) == sorted(json.loads(line)["id"] for line in lines)
        timeline = client.get(f"{API}/export", params={**params, "format": "timelinejs"}).json()
        assert len(timeline["events"]) == expected


@pytest.mark.parametrize("value", ["abc", "-0.1", "1.01", "nan", "inf", "", "0,5"])
@pytest.mark.parametrize(
    ("path", "params"),
    [(f"{API}/facts", {}), (f"{API}/timeline", {"cluster": CLUSTER_1}),
     (f"{API}/check", {"unit": "Đà Lạt", "year": 2022}), (f"{API}/export", {"format": "csv"}),
     (f"{API}/clusters/{CLUSTER_1}", {}), (f"{API}/units/lam-dong--da-lat", {})],
)  # fmt: skip
def test_min_confidence_outside_zero_to_one_is_422(
    api: Api, path: str, params: dict[str, Any], value: str
) -> None:
    client, _, _ = api
    resp = client.get(path, params={**params, "min_confidence": value})
    assert resp.status_code == 422, resp.text
    assert [e["loc"] for e in resp.json()["detail"]] == [["query", "min_confidence"]]


@pytest.mark.parametrize(
    "path",
    [f"{API}/facts?year=abc", f"{API}/facts?type=bogus", f"{API}/facts?limit=0", f"{API}/facts?offset=-1",
     f"{API}/articles?date_from=13/01/2022", f"{API}/export?format=xml", f"{API}/check?role=chair",
     f"{API}/check?unit=Đà Lạt&role=boss", f"{API}/facts?offset=10000&limit=200",
     f"{API}/articles?offset=9990&limit=20", f"{API}/clusters?offset=10000",
     f"{API}/units?offset=9999&limit=2", f"{API}/timeline?province=Lâm Đồng&offset=10000&limit=200",
     f"{API}/export?offset=9960"],
)  # fmt: skip
def test_bad_parameters_are_422_with_a_message(api: Api, path: str) -> None:
    client, _, _ = api
    resp = client.get(path)
    assert resp.status_code == 422
    assert resp.json()["detail"]


# How the fact filters parse (search_api/params.py, pydantic's lax mode): what they take and what they
# refuse, one parameter at a time (None: answered 200).
@pytest.mark.parametrize(
    ("query", "refused"),
    [("year=%2B2022", None), ("year=%202022", None), ("year=2022.0", None), ("year=%C2%B2", "year"),
     ("min_confidence=1e-1", None), ("min_confidence=-0", None), ("min_confidence=.5", None),
     ("min_confidence=0%2C7", "min_confidence"), ("limit=07", None), ("limit=201", "limit"),
     ("include_retracted=yes", None), ("include_retracted=maybe", "include_retracted"),
     ("type=chair%0A", "type"), ("status=", "status"), ("article=", "article"), ("unit=", "unit"),
     (f"cluster={'x' * (MAX_TEXT + 1)}", "cluster"), ("bogus=1", None)],
)  # fmt: skip
@pytest.mark.parametrize("endpoint", ["facts", "timeline"])
def test_fact_parameters_parse_as_declared(api: Api, endpoint: str, query: str, refused: str | None) -> None:
    client, _, _ = api
    resp = client.get(f"{API}/{endpoint}?province=L%C3%A2m+%C4%90%E1%BB%93ng&{query}")
    if refused is None:
        assert resp.status_code == 200, resp.text
    else:
        assert resp.status_code == 422
        assert [e["loc"] for e in resp.json()["detail"]] == [["query", refused]]


def test_a_repeated_parameter_takes_its_last_value(api: Api) -> None:
    client, _, _ = api
    years = {f["year"] for f in client.get(f"{API}/facts?type=chair&year=1800&year=2022").json()["items"]}
    assert years == {2022}
    assert client.get(f"{API}/facts?year=2022&year=1800").status_code == 422


def test_the_query_models_are_the_documented_parameters(api: Api) -> None:
    """OpenAPI lists each list endpoint's model fields (then `min_confidence`) with the models' bounds."""
    client, _, _ = api
    paths = client.get("/openapi.json").json()["paths"]
    models = {"/facts": FactQuery, "/timeline": FactQuery, "/articles": ArticleQuery,
              "/clusters": EntityQuery, "/units": EntityQuery}  # fmt: skip
    for path, model in models.items():
        params = {p["name"]: p for p in paths[API + path]["get"]["parameters"]}
        fact_list = model is FactQuery
        assert list(params) == [*model.model_fields, *(["min_confidence"] if fact_list else [])], path
        assert params["limit"]["schema"]["maximum"] == MAX_LIMIT
        assert params["offset"]["schema"]["maximum"] == MAX_OFFSET


def test_writing_endpoint_needs_the_token(api: Api) -> None:
    client, _, _ = api
    assert client.post(f"{API}/admin/reindex").status_code == 401
    assert client.post(f"{API}/admin/reindex", headers={"Authorization": "Bearer wrong"}).status_code == 401
    resp = client.post(f"{API}/admin/reindex", headers={"Authorization": "Bearer s3cret"})
    assert resp.status_code == 200
    assert resp.json()["articles"] == 0  # nothing changed since the fixture's sync


def test_crawl_job_needs_the_token_and_a_known_site(api: Api) -> None:
    client, _, _ = api
    auth = {"Authorization": "Bearer s3cret"}
    assert client.post(f"{API}/admin/crawl", json={"site": "x"}).status_code == 401
    assert client.post(f"{API}/admin/crawl", json={"site": "../etc"}, headers=auth).status_code == 422
    unknown = client.post(f"{API}/admin/crawl", json={"site": "no-such-profile"}, headers=auth)
    assert unknown.status_code == 422, "an unknown profile starts no job"
    assert unknown.json()["detail"][0]["loc"] == ["body", "site"] and "baolamdong" in unknown.text
    assert client.get(f"{API}/admin/jobs/nope", headers=auth).status_code == 404


def test_unit_timeline_pages_over_statements(api: Api) -> None:
    """Đà Lạt's chair statement of 2022 has two sources on every page size; `total` counts items."""
    client, _, _ = api
    whole = client.get(f"{API}/timeline", params={"unit": "Đà Lạt", "limit": 200}).json()
    paged = [
        client.get(f"{API}/timeline", params={"unit": "Đà Lạt", "limit": 1, "offset": n}).json()
        for n in range(whole["total"])
    ]
    assert [p["total"] for p in paged] == [len(whole["items"])] * len(whole["items"])
    assert [p["items"][0] for p in paged] == whole["items"]
    chair = [i for i in whole["items"] if i["fact"]["type"] == "chair" and i["fact"]["year"] == 2022]
    assert [i["source_count"] for i in chair] == [2]
