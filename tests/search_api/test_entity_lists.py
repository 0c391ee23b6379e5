"""Paged cluster and unit lists over HTTP on both stores: a generated cluster of ~4,000 facts, its first
page small, every statement reached once by following the cursors, bad cursors and limits refused."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from search_api.entity_lists import SOURCES_SHOWN
from search_api.indexing import sync
from tests.search_api.big_cluster import CHAIRS, CLUSTER_ID, PROVINCE, build_big_cluster
from tests.search_api.conftest import BACKENDS, Server, make_settings

CLUSTER_LISTS = ("members", "chairs", "awards", "slogans", "events")
UNIT_LISTS = ("clusters", "roles", "awards")
Client = httpx.Client


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, es_url: str | None,
    free_port: Callable[[], int],
) -> Iterator[Client]:  # fmt: skip
    """The API over the big cluster's corpus in one store, under real uvicorn."""
    settings = make_settings(request.param, tmp_path_factory.mktemp(f"big-{request.param}"), es_url)
    assert build_big_cluster(settings.db_path) > 3000
    sync(settings)
    with Server(settings, free_port()) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


def _all_facts(http: Client, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        page = http.get("/api/v1/facts", params={**params, "limit": 200, "offset": len(out)}).json()
        out += page["items"]
        if not page["items"] or len(out) >= page["total"]:
            return out


def _sources(facts: list[dict[str, Any]]) -> dict[str, int]:
    """Each statement's number of distinct source articles."""
    by: dict[str, set[str]] = defaultdict(set)
    for f in facts:
        by[f["group_key"]].add(f["evidence"]["article_id"])
    return {k: len(v) for k, v in by.items()}


def _keys(name: str, items: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """A page's statements (a member's unit) with their source counts."""
    if name in ("members", "clusters"):
        return [(i.get("unit_id") or i["id"], i.get("source_count", 0)) for i in items]
    groups = [g for row in items for g in row["holders"]] if name in ("chairs", "roles") else items
    for g in groups:
        assert len(g["sources"]) == min(g["source_count"], SOURCES_SHOWN), g
    return [(g["group_key"], g["source_count"]) for g in groups]


def _follow(http: Client, path: str, name: str, limit: int) -> tuple[list[tuple[str, int]], int]:
    """Every item of a list, page by page through `next_cursor`, and the total each page stated."""
    seen: list[tuple[str, int]] = []
    totals: set[int] = set()
    cursor: str | None = None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        resp = http.get(f"{path}/{name}", params=params)
        assert resp.status_code == 200, resp.text
        page = resp.json()
        assert page["name"] == name and page["limit"] == limit
        seen += _keys(name, page["items"])
        totals.add(page["total"])
        cursor = page["next_cursor"]
        if cursor is None:
            assert len(totals) == 1, totals
            return seen, totals.pop()


def test_the_first_page_is_small_and_states_each_lists_total(client: Client) -> None:
    resp = client.get(f"/api/v1/clusters/{CLUSTER_ID}")
    assert resp.status_code == 200, resp.text
    assert len(resp.content) <= 200_000
    body = resp.json()
    assert body["fact_count"] > 2500 and body["complete"] is True
    assert set(body["lists"]) == set(CLUSTER_LISTS)
    for name in ("members", "awards", "slogans", "events"):
        info = body["lists"][name]
        assert info["limit"] == 20 and len(body[name]) == min(20, info["total"])
        assert (info["next_cursor"] is None) == (info["total"] <= 20)
    assert sum(len(r["holders"]) for r in body["chairs"]) == 20
    member = body["members"][0]
    fact = client.get(f"/api/v1/facts/{member['fact_id']}").json()
    assert fact["unit_id"] == member["unit_id"] and fact["evidence"]["article_id"] == member["article_id"]


def test_following_the_cursors_reaches_every_statement_once(client: Client) -> None:
    own = _all_facts(client, cluster=CLUSTER_ID)
    member_facts = [f for f in own if f["type"] == "member"]
    members = {f["unit_id"] for f in member_facts}
    context = [f for t in ("award", "slogan") for f in _all_facts(client, type=t, province=PROVINCE)]
    expected = {
        "members": _sources([{**f, "group_key": f["unit_id"]} for f in member_facts]),
        "chairs": _sources([f for f in own if f["type"] == "chair"]),
        "events": _sources([f for f in own if f["type"] == "event"]),
        "awards": _sources([f for f in context if f["type"] == "award" and f["unit_id"] in members]),
        "slogans": _sources([f for f in context if f["type"] == "slogan"]),
    }
    first = client.get(f"/api/v1/clusters/{CLUSTER_ID}", params={"limit": 7}).json()
    for name in CLUSTER_LISTS:
        seen, total = _follow(client, f"/api/v1/clusters/{CLUSTER_ID}", name, 7)
        assert len(seen) == len({k for k, _ in seen}), f"{name}: a statement listed twice"
        assert dict(seen) == expected[name], name
        assert total == first["lists"][name]["total"] == len(expected[name])
    chairs, _ = _follow(client, f"/api/v1/clusters/{CLUSTER_ID}", "chairs", 200)
    assert max(n for _, n in chairs) > SOURCES_SHOWN  # more sources than a statement lists


def test_a_units_lists_page_the_same_way(client: Client) -> None:
    unit = client.get("/api/v1/units", params={"q": CHAIRS[0]}).json()["items"][0]["id"]
    facts = _all_facts(client, unit=unit)
    body = client.get(f"/api/v1/units/{unit}", params={"limit": 3}).json()
    assert set(body["lists"]) == set(UNIT_LISTS)
    expected = {
        "clusters": {CLUSTER_ID},
        "roles": set(_sources([f for f in facts if f["type"] == "chair"])),
        "awards": set(_sources([f for f in facts if f["type"] == "award"])),
    }
    for name in UNIT_LISTS:
        seen, total = _follow(client, f"/api/v1/units/{unit}", name, 3)
        assert len(seen) == len({k for k, _ in seen}) == total == body["lists"][name]["total"]
        assert {k for k, _ in seen} == expected[name], name


@pytest.mark.parametrize(
    "params",
    [{"cursor": "!!"}, {"cursor": "bm90IGpzb24"}, {"cursor": "eyJhIjogMX0"}, {"limit": 0}, {"limit": 201},
     {"limit": "ten"}],
)  # fmt: skip
def test_bad_cursors_and_limits_are_422(client: Client, params: dict[str, Any]) -> None:
    for path in (f"/api/v1/clusters/{CLUSTER_ID}/members", f"/api/v1/clusters/{CLUSTER_ID}/chairs"):
        if "cursor" in params or path.endswith("members"):
            resp = client.get(path, params=params)
            assert resp.status_code == 422, (path, params, resp.text)
    if "limit" in params:
        assert client.get(f"/api/v1/clusters/{CLUSTER_ID}", params=params).status_code == 422


def test_a_cursor_of_another_list_is_422_and_limit_200_is_allowed(client: Client) -> None:
    members = client.get(f"/api/v1/clusters/{CLUSTER_ID}/members", params={"limit": 2}).json()
    resp = client.get(f"/api/v1/clusters/{CLUSTER_ID}/chairs", params={"cursor": members["next_cursor"]})
    assert resp.status_code == 422 and "cursor" in resp.json()["detail"]
    assert client.get(f"/api/v1/clusters/{CLUSTER_ID}", params={"limit": 200}).status_code == 200
    assert client.get(f"/api/v1/clusters/{CLUSTER_ID}/sources").status_code in (404, 422)
    assert client.get("/api/v1/clusters/lam-dong--khong-co/members").status_code == 404


def _listed_units(html: str) -> list[str]:
    listed = html.split('id="members"')[1].split("</ul>")[0]
    return re.findall(r'<li><a href="/units/([^"]+)">', listed)


def test_the_html_list_pages_paginate(client: Client) -> None:
    total = client.get(f"/api/v1/clusters/{CLUSTER_ID}").json()["lists"]["members"]["total"]
    page = client.get(f"/clusters/{CLUSTER_ID}")
    assert page.status_code == 200
    href: str | None = re.findall(r'<a href="([^"]+)" rel="next"', page.text)[0].replace("&amp;", "&")
    assert href and href.startswith(f"/clusters/{CLUSTER_ID}/members?cursor=")
    units = _listed_units(page.text)
    pages = 1
    while href:
        resp = client.get(href)
        assert resp.status_code == 200, resp.text
        first, last = len(units) + 1, len(units) + len(_listed_units(resp.text))
        assert f"{first}–{last} trên {total}" in resp.text  # where the page stands, not just "20 of N"
        units += _listed_units(resp.text)
        found = re.findall(r'<a href="([^"]+)" rel="next"', resp.text)
        href = found[0].replace("&amp;", "&") if found else None
        pages += 1
    assert len(units) == len(set(units)) == total and pages == -(-total // 20)
    assert client.get(f"/clusters/{CLUSTER_ID}/members", params={"cursor": "!!"}).status_code == 422
    second = re.findall(r'<a href="([^"]+)" rel="next"', page.text)[0].replace("&amp;", "&")
    for bad in ("0", "x", str(total + 1), "9" * 40):  # a position the page cannot stand at is not shown
        resp = client.get(second.split("&start=")[0], params={"start": bad})
        assert resp.status_code == 200 and f"20 trên {total}" in resp.text
    assert client.get(f"/clusters/{CLUSTER_ID}/nothing").status_code == 404
