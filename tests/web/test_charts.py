"""Timelines and charts people look at: server-drawn SVG (no script, nothing fetched), every mark a link
to its evidence, usable at 375 px and with the keyboard; in Chromium with screenshots."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from lxml import etree

from search_api.charts import awards_svg, chair_grid, timeline_cells, timeline_svg

CLUSTER_1 = "lam-dong--cum-thi-dua-so-1"
Shoot = Callable[[Any, str], Path]


def _fact(fid: str, ftype: str, year: int, **fields: Any) -> Any:
    evidence = SimpleNamespace(article_id="a1")
    return SimpleNamespace(
        id=fid,
        type=ftype,
        year=year,
        fields=fields,
        evidence=evidence,
        cluster_id=fields.get("cluster_id"),
        unit_id=fields.get("unit_id"),
    )


def _item(fact: Any) -> Any:
    return SimpleNamespace(date=str(fact.year), fact=fact)


def test_timeline_marks_group_a_years_facts_per_lane_and_escape_their_labels() -> None:
    facts = [
        _fact("c1", "chair", 2021),
        _fact("c2", "chair", 2021),
        _fact("e1", "event", 2023),
        _fact("m1", "member", 2022),
    ]
    cells = timeline_cells(map(_item, facts))
    assert [(c.year, c.lane, len(c.facts)) for c in cells] == [(2021, "chair", 2), (2023, "event", 1)]
    svg = str(timeline_svg(map(_item, facts), lambda key: key, lambda f: f"<b>{f.id}</b> & co", "T"))
    root = etree.fromstring(svg)  # well-formed XML: labels escaped
    links = root.findall("{*}a") or root.findall("a")
    assert [a.get("href") for a in links] == ["/articles/a1#f-c1", "/articles/a1#f-e1"]
    assert "<b>" not in svg and "&lt;b&gt;c1&lt;/b&gt; &amp; co" in svg
    assert [t.text for t in root.iter("text") if t.get("class") == "year"] == ["2021", "2022", "2023"]
    assert str(timeline_svg([], str, str, "T")) == ""


def test_awards_bars_and_the_chair_grid() -> None:
    groups = [
        SimpleNamespace(fact=_fact(f"a{n}", "award", year)) for n, year in enumerate([2020, 2020, 2022])
    ]
    svg = etree.fromstring(str(awards_svg(groups, str, lambda f: f.id, "A")))
    assert [t.text for t in svg.iter("text") if t.get("class") == "count"] == ["2", "1"]
    chairs = [
        _fact(
            "x",
            "chair",
            2022,
            role="chair",
            unit="Đà Lạt",
            cluster="Cụm 1",
            cluster_id="p--c1",
            unit_id="p--da-lat",
        ),
        _fact(
            "y",
            "chair",
            2022,
            role="chair",
            unit="Bảo Lộc",
            cluster="Cụm 1",
            cluster_id="p--c1",
            unit_id="p--bao-loc",
        ),
        _fact("z", "chair", 2022, role="vice_chair", unit="Di Linh", cluster="Cụm 1", cluster_id="p--c1"),
    ]
    grid = chair_grid(chairs)
    assert grid.years == [2022] and [(cid, name) for cid, name, _ in grid.rows] == [("p--c1", "Cụm 1")]
    assert [f.fields["unit"] for f in grid.rows[0][2][2022]] == ["Đà Lạt", "Bảo Lộc"]  # side by side


@pytest.mark.browser
def test_the_cluster_timeline_is_a_picture_whose_marks_lead_to_the_evidence(
    page: Any, phone: Any, base_url: str, shoot: Shoot
) -> None:
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(f"{base_url}/clusters/{CLUSTER_1}")
    chart = page.locator("#timeline-chart svg")
    assert chart.count() == 1
    marks = chart.locator("a")
    assert marks.count() >= 2
    assert all(
        re.fullmatch(r"/articles/[^#]+#f-.+", h or "")
        for h in marks.evaluate_all("l => l.map(a => a.getAttribute('href'))")
    )
    assert re.match(r"20\d\d · Cụm trưởng: ", marks.first.get_attribute("aria-label") or "")  # a name
    shoot(page, "chart-timeline-desktop")
    # keyboard: the region, then its marks, take focus in order; Enter follows a mark to its sentence
    page.focus("#timeline-chart")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "document.activeElement.closest('svg') !== null && document.activeElement.tagName"
    )
    assert focused == "a"
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target.split('#')[0]}**")
    assert page.locator(f"[id='{target.split('#f-')[1]}'], #f-{target.split('#f-')[1]}").count() >= 1
    assert all(url.startswith(base_url) for url in requests), [
        u for u in requests if not u.startswith(base_url)
    ]

    phone.goto(f"{base_url}/clusters/{CLUSTER_1}")
    widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    phone.locator("#timeline-chart").scroll_into_view_if_needed()
    shoot(phone, "chart-timeline-phone")


@pytest.mark.browser
def test_awards_per_year_and_the_province_chair_grid(
    page: Any, phone: Any, base_url: str, shoot: Shoot
) -> None:
    units = httpx.get(f"{base_url}/api/v1/units", params={"limit": 200}).json()["items"]
    with_awards = [u for u in units if httpx.get(f"{base_url}/api/v1/units/{u['id']}").json().get("awards")]
    assert with_awards
    page.goto(f"{base_url}/units/{with_awards[0]['id']}")
    bars = page.locator("#awards-chart svg a")
    assert bars.count() >= 1
    shoot(page, "chart-awards-desktop")
    for pg, name in ((page, "chart-chairs-desktop"), (phone, "chart-chairs-phone")):
        pg.goto(f"{base_url}/search?province=L%C3%A2m+%C4%90%E1%BB%93ng")
        assert pg.locator("#timeline-chart svg a").count() >= 1  # the province's timeline
        grid = pg.locator("#chair-grid")
        assert grid.count() == 1 and grid.locator("tbody td a").count() >= 1
        widths = pg.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], widths
        grid.scroll_into_view_if_needed()
        shoot(pg, name)
