"""Atom feeds per cluster, unit, province and fact type: valid Atom that feed readers parse, ids that
stay the same, and the pages that announce them."""

from __future__ import annotations

import re
from typing import Any

import feedparser
import httpx
import pytest
from lxml import etree

from search_api.feeds import entry_id, timestamp

Api = tuple[httpx.Client, dict[str, Any], Any]
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = [
    "/feeds/clusters/lam-dong--cum-thi-dua-so-1",
    "/feeds/units/lam-dong--da-lat",
    "/feeds/provinces/Lâm Đồng",
    "/feeds/types/chair",
]


@pytest.mark.parametrize("path", FEEDS)
def test_feeds_are_valid_atom_with_stable_unique_entry_ids(api: Api, path: str) -> None:
    client, _, _ = api
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"] == "application/atom+xml"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0 and parsed.version == "atom10", parsed.get("bozo_exception")
    assert parsed.entries, path
    root = etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        fact_id = entry.find(f"{ATOM}link[@rel='alternate']").get("href").rsplit("/facts/", 1)[1]
        assert entry.findtext(f"{ATOM}id") == entry_id(fact_id)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.findtext(f"{ATOM}updated") or "")
        assert client.get(f"/api/v1/facts/{fact_id}").status_code == 200
    again = etree.fromstring(client.get(path, params={"lang": "en"}).content)
    assert [e.findtext(f"{ATOM}id") for e in again.findall(f"{ATOM}entry")] == ids  # any host, any language
    assert again.findtext(f"{ATOM}id") == root.findtext(f"{ATOM}id")


def test_a_feed_holds_only_its_own_facts(api: Api) -> None:
    client, _, _ = api
    parsed = feedparser.parse(client.get("/feeds/types/event").content)
    assert {tag.term for entry in parsed.entries for tag in entry.tags} == {"event"}


@pytest.mark.parametrize(
    "path",
    ["/feeds/clusters/nope--none", "/feeds/units/Không Có", "/feeds/types/mayor", "/feeds/provinces/%25"],
)
def test_unknown_subjects_have_no_feed(api: Api, path: str) -> None:
    assert api[0].get(path).status_code == 404


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/clusters/lam-dong--cum-thi-dua-so-1", "/feeds/clusters/lam-dong--cum-thi-dua-so-1"),
        ("/units/lam-dong--da-lat", "/feeds/units/lam-dong--da-lat"),
        ("/search?province=Lâm Đồng", "/feeds/provinces/lam-dong"),
        ("/provinces/Lâm Đồng", "/feeds/provinces/lam-dong"),
        ("/", "/feeds/types/chair"),
    ],
)
def test_pages_announce_their_feeds(api: Api, page: str, feed: str) -> None:
    client, _, _ = api
    head = etree.HTML(client.get(page).content).find("head")
    links = head.findall("link[@rel='alternate'][@type='application/atom+xml']")
    assert feed in {link.get("href") for link in links}
    assert client.get(feed).status_code == 200


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-02-01", "2022-02-01T00:00:00Z"),
        ("2022", "2022-01-01T00:00:00Z"),
        (None, "1970-01-01T00:00:00Z"),
        ("2026-12-04T16:00:00+07:00", "2026-12-04T09:00:00Z"),
    ],
)
def test_timestamps_are_rfc3339_in_utc(value: str | None, expected: str) -> None:
    assert timestamp(value) == expected


def test_a_province_has_its_own_page_linked_from_its_clusters(api: Api) -> None:
    """/provinces/{name}: the province's chair grid and timeline under an address people keep, linked
    from the page of each of its clusters."""
    client, _, _ = api
    cluster = etree.HTML(client.get("/clusters/lam-dong--cum-thi-dua-so-1").content)
    links = [a.get("href") for a in cluster.iter("a") if (a.get("href") or "").startswith("/provinces/")]
    assert links, "the cluster page links its province"
    page = client.get(links[0])
    assert page.status_code == 200
    html = etree.HTML(page.content)
    assert html.find(".//*[@id='chair-grid']") is not None
    assert "Đà Lạt" in page.text
    assert client.get("/provinces/Atlantis").status_code == 404
