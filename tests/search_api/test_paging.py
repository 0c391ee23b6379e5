"""Paging over real HTTP on both stores: the result window (offset + limit ≤ 10,000) and /export's
offset and limit."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest

from search_api.params import MAX_OFFSET

API = "/api/v1"
Api = tuple[httpx.Client, dict[str, Any], Any]
# Every paged list with the parameters it needs and its default page size.
LISTS = [
    ("/articles", {"q": "thi đua"}, 20),
    ("/facts", {"type": "member"}, 50),
    ("/timeline", {"province": "Lâm Đồng"}, 50),
    ("/clusters", {}, 50),
    ("/units", {}, 50),
    ("/export", {"type": "member"}, 50),
]


def _window_error(resp: httpx.Response) -> str:
    assert resp.status_code == 422, resp.text
    [error] = resp.json()["detail"]
    assert error["loc"] == ["query", "offset"]
    return str(error["msg"])


@pytest.mark.parametrize(("path", "params", "default"), LISTS)
def test_pages_past_the_result_window_are_422(
    api: Api, path: str, params: dict[str, Any], default: int
) -> None:
    client, _, _ = api
    for offset, limit in ((MAX_OFFSET, 200), (MAX_OFFSET - 199, 200), (MAX_OFFSET, 1), (9_999, 2)):
        msg = _window_error(client.get(API + path, params={**params, "offset": offset, "limit": limit}))
        assert "offset + limit must be at most 10,000" in msg and f"{offset} + {limit}" in msg
    # Without `limit`, the route's default page size counts.
    msg = _window_error(client.get(API + path, params={**params, "offset": MAX_OFFSET - default + 1}))
    assert f"+ {default})" in msg


@pytest.mark.parametrize(("path", "params", "default"), LISTS)
def test_the_last_pages_inside_the_window_answer(
    api: Api, path: str, params: dict[str, Any], default: int
) -> None:
    client, _, _ = api
    for query in ({"offset": MAX_OFFSET - 200, "limit": 200}, {"offset": MAX_OFFSET - default}):
        resp = client.get(API + path, params={**params, **query})
        assert resp.status_code == 200, resp.text
        if path != "/export":
            body = resp.json()
            assert body["items"] == [] and body["offset"] == query["offset"] and body["total"] < 1_000
        else:
            assert resp.text == ""


@pytest.mark.parametrize("path", ["/facts", "/articles", "/timeline"])
def test_other_bad_paging_values_keep_their_own_message(api: Api, path: str) -> None:
    client, _, _ = api
    for query in ("offset=10001", "limit=201&offset=9900", "limit=0&offset=10000", "offset=-1"):
        resp = client.get(f"{API}{path}?province=Lâm Đồng&{query}")
        assert resp.status_code == 422 and "offset + limit" not in resp.text
        assert all(e["loc"][-1] in ("offset", "limit") for e in resp.json()["detail"])


def _ids(client: httpx.Client, **params: Any) -> list[str]:
    resp = client.get(f"{API}/export", params={"format": "jsonl", "type": "member", **params})
    assert resp.status_code == 200, resp.text
    return [json.loads(line)["id"] for line in resp.text.splitlines()]


def test_export_honours_offset_and_limit(api: Api) -> None:
    client, _, _ = api
    everything = _ids(client)
    listed = client.get(f"{API}/facts", params={"type": "member", "limit": 200}).json()
    assert len(everything) == listed["total"] > 10  # no limit: all of them, in the order /facts pages
    assert everything == [f["id"] for f in listed["items"]]
    assert _ids(client, limit=3) == everything[:3]
    assert _ids(client, offset=4, limit=5) == everything[4:9]
    assert _ids(client, offset=7) == everything[7:]
    assert _ids(client, offset=len(everything) - 2, limit=50) == everything[-2:]
    assert _ids(client, offset=len(everything)) == []
    rows = list(csv.DictReader(io.StringIO(client.get(f"{API}/export", params={
        "format": "csv", "type": "member", "offset": 2, "limit": 4}).text)))  # fmt: skip
    assert [r["id"] for r in rows] == everything[2:6]
    timeline = client.get(
        f"{API}/export", params={"format": "timelinejs", "type": "member", "limit": 2}
    ).json()
    assert len(timeline["events"]) <= 2
