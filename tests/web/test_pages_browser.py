"""The pages in headless Chromium against the app serving the sample archive (issue 6's checks)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from websample import sample_article_id

pytestmark = pytest.mark.browser

CLUSTER_1 = "lam-dong--cum-thi-dua-so-1"
ARTICLE_2022 = sample_article_id("lamdong-2022-01-13-cum1-tong-ket")
Shoot = Callable[[Any, str], Path]


def _no_horizontal_scroll(pg: Any) -> None:
    widths = pg.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways: {widths[0]}px content in a {widths[1]}px viewport"


def _unlabelled_controls(pg: Any) -> list[str]:
    """Form controls without an accessible name (label, aria-label or aria-labelledby)."""
    return list(
        pg.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                 .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                               && !el.getAttribute('aria-labelledby'))
                 .map(el => el.outerHTML)"""
        )
    )


CONTRAST_JS = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")


def test_search_da_lat_finds_the_sample_articles(page: Any, base_url: str, shoot: Shoot) -> None:
    page.goto(f"{base_url}/")
    page.fill("#q", "da lat")
    page.click("form.search button[type=submit]")
    page.wait_for_url(re.compile(r"/search\?"))
    titles = page.locator("ol.results h3 a").all_inner_texts()
    assert any("Cụm thi đua số 1" in t for t in titles), titles
    assert page.locator("ol.results .snippet mark").count() > 0
    marked = {m.casefold() for m in page.locator("ol.results .snippet mark").all_inner_texts()}
    assert marked == {"đà lạt"}, marked  # the place marked whole, as the search matches it
    assert page.locator("ol.results time").first.get_attribute("datetime")
    assert "Báo Lâm Đồng" not in titles and page.locator("ol.results .meta").first.inner_text()
    shoot(page, "search")


def test_search_filters_narrow_results_and_feed_the_export_links(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/search?q=thi+dua")
    everything = page.locator("ol.results > li").count()
    page.select_option("#province", "Bình Định")
    page.click("form.search button[type=submit]")
    page.wait_for_load_state()
    narrowed = page.locator("ol.results > li").count()
    assert 0 < narrowed < everything
    assert all("Bình Định" in m for m in page.locator("ol.results .meta").all_inner_texts())
    page.fill("#year_from", "2030")
    page.click("form.search button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("ol.results > li").count() == 0
    href = page.locator(".exports a", has_text="CSV").get_attribute("href") or ""
    assert parse_qs(urlsplit(href).query) == {"province": ["Bình Định"], "format": ["csv"]}


def test_cluster_page_shows_da_lat_chair_and_di_linh_vice_chair_in_2022(
    page: Any, base_url: str, shoot: Shoot
) -> None:
    page.goto(f"{base_url}/")
    page.get_by_role("link", name=re.compile(r"Cụm thi đua số 1 \(Lâm Đồng\)")).click()
    page.wait_for_url(f"**/clusters/{CLUSTER_1}")
    row = page.locator("#chairs tr[data-year='2022']")
    assert "Đà Lạt" in row.locator("td[data-role=chair]").inner_text()
    assert "Di Linh" in row.locator("td[data-role=vice_chair]").inner_text()
    members = page.locator("#members").inner_text()
    assert all(name in members for name in ("Đà Lạt", "Di Linh", "Đức Trọng", "Bảo Lộc"))
    assert page.locator("ol.timeline > li").count() >= 2
    evidence = row.locator("td[data-role=chair] a[href*='#f-']").first
    evidence.click()
    page.wait_for_url(re.compile(r"/articles/\w+#f-\w+"))
    target = page.locator(".evidence-sentence:target, .evidence-sentence:has(:target)")
    assert "Đà Lạt làm Cụm trưởng" in target.inner_text()
    page.goto(f"{base_url}/clusters/{CLUSTER_1}")
    shoot(page, "cluster")


def test_every_list_has_csv_jsonl_and_timelinejs_exports_that_answer(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/clusters/{CLUSTER_1}")
    blocks = page.locator(".exports")
    assert blocks.count() >= 4
    for i in range(blocks.count()):
        assert blocks.nth(i).locator("a").all_inner_texts() == ["CSV", "JSONL", "TimelineJS"]
    chairs_csv = page.locator("#chairs-heading + .exports a", has_text="CSV").get_attribute("href")
    body = httpx.get(f"{base_url}{chairs_csv}", timeout=10)
    assert body.status_code == 200 and "Đà Lạt" in body.text and "Di Linh" in body.text
    timeline = page.locator("#timeline-heading + .exports a", has_text="TimelineJS").get_attribute("href")
    assert httpx.get(f"{base_url}{timeline}", timeout=10).json()["events"]


def test_unit_page_lists_clusters_roles_and_awards(page: Any, base_url: str, shoot: Shoot) -> None:
    page.goto(f"{base_url}/clusters/{CLUSTER_1}")
    page.locator("#members a", has_text="Đà Lạt").first.click()
    page.wait_for_url("**/units/lam-dong--da-lat")
    assert page.locator("h1").inner_text() == "Đà Lạt"
    assert "Cụm thi đua số 1" in page.locator("#clusters").inner_text()
    roles = page.locator("#roles tbody").inner_text()
    assert "2022" in roles and "Cụm trưởng" in roles
    api = httpx.get(f"{base_url}/api/v1/units/lam-dong--da-lat", timeout=10).json()
    shown = page.locator("section", has=page.locator("#awards-heading")).locator("li")
    assert shown.count() == len(api["awards"])
    for group, text in zip(api["awards"], shown.all_inner_texts(), strict=True):
        assert group["fact"]["fields"]["award"] in text
    assert page.locator("ol.timeline time").count() >= 1
    shoot(page, "unit")


def test_fact_check_da_lat_chair_2022_is_supported_with_the_sentence(
    page: Any, base_url: str, shoot: Shoot
) -> None:
    page.goto(f"{base_url}/check")
    page.get_by_label("Đơn vị").fill("Đà Lạt")
    page.get_by_label("Vai trò hoặc danh hiệu").select_option("role:chair")
    page.get_by_label("Năm").fill("2022")
    page.get_by_role("button", name="Kiểm chứng").click()
    page.wait_for_selector("#verdict")
    assert page.locator("#verdict").get_attribute("data-verdict") == "supported"
    assert "Được xác nhận" in page.locator("#verdict h2").inner_text()
    quote = page.locator("blockquote.supporting").first
    assert "Đà Lạt làm Cụm trưởng" in quote.inner_text()
    assert re.search(r"/articles/\w+#f-\w+", quote.locator("a").first.get_attribute("href") or "")
    shoot(page, "check")


def test_fact_check_says_contradicted_and_not_found(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/check?unit=Di+Linh&claim=role:chair&year=2022")
    assert page.locator("#verdict").get_attribute("data-verdict") == "contradicted"
    assert "Đà Lạt" in page.locator("section", has=page.locator("#contradicting-heading")).inner_text()
    page.goto(f"{base_url}/check?unit=Đà+Lạt&claim=role:chair&year=2019")
    assert page.locator("#verdict").get_attribute("data-verdict") == "not_found"
    award = httpx.get(f"{base_url}/api/v1/facts?type=award&limit=1", timeout=10).json()["items"][0]
    fields = award["fields"]
    page.goto(f"{base_url}/check")
    page.get_by_label("Đơn vị").fill(fields["recipient"])
    page.get_by_label("Vai trò hoặc danh hiệu").select_option(f"award:{fields['award']}")
    page.get_by_label("Năm").fill(str(award["year"]))
    page.get_by_label("Năm").press("Enter")
    page.wait_for_selector("#verdict")
    assert page.locator("#verdict").get_attribute("data-verdict") == "supported"
    assert award["evidence"]["sentence"] in page.locator("blockquote.supporting").all_inner_texts()[0]


def test_bad_input_gets_a_clear_message_not_a_crash(page: Any, base_url: str) -> None:
    response = page.goto(f"{base_url}/check?unit=Đà+Lạt&claim=role:mayor&year=2022")
    assert response.status == 422 and "role:mayor" in page.locator("[role=alert]").inner_text()
    response = page.goto(f"{base_url}/search?q=x&year_from=abc")
    assert response.status == 422 and "year_from" in page.locator("[role=alert]").inner_text()
    response = page.goto(f"{base_url}/clusters/no-such-cluster")
    assert response.status == 404 and page.locator("h1").inner_text() == "Không tìm thấy trang"
    response = page.goto(f"{base_url}/search?q=x&page=0&lang=en")
    assert response.status == 422 and "Page “0” is not valid" in page.locator("[role=alert]").inner_text()


def test_article_page_marks_each_fact_with_a_legend_and_links_the_original(
    page: Any, base_url: str, shoot: Shoot
) -> None:
    page.goto(f"{base_url}/search?q=Cụm+trưởng+Đà+Lạt")
    page.locator("ol.results h3 a").first.click()
    page.wait_for_url(re.compile(r"/articles/\w+$"))
    facts = page.locator("#facts > li").count()
    assert facts >= 5
    anchored = page.evaluate(
        "[...document.querySelectorAll('#facts > li > a[href^=\"#f-\"]')]"
        ".filter(a => document.getElementById(a.getAttribute('href').slice(1))).length"
    )
    assert anchored == facts, "every listed fact has its sentence anchor in the text"
    chair = page.locator("mark.ent[data-types~=chair]", has_text="Đà Lạt")
    assert chair.count() >= 1 and "Cụm trưởng/phó" in (chair.first.get_attribute("data-label") or "")
    label = chair.first.evaluate("el => getComputedStyle(el, '::after').content")
    assert "Cụm trưởng/phó" in label, "the type label is drawn next to the mark"
    legend = page.locator("ul.legend").inner_text()
    for label in ("Cụm trưởng/phó", "Thành viên", "Khen thưởng", "Khẩu hiệu"):
        assert label in legend
    legend_types = set(page.locator("ul.legend .badge").evaluate_all("els => els.map(e => e.className)"))
    mark_types = set(page.locator("mark.ent").evaluate_all("els => els.map(e => 'badge ' + e.classList[1])"))
    assert mark_types <= legend_types
    original = page.locator("#archived-original").get_attribute("href") or ""
    raw = httpx.get(f"{base_url}{original}", timeout=10)
    assert raw.status_code == 200 and "<html" in raw.text
    shoot(page, "article")


def test_language_toggle_switches_to_english_and_is_remembered(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/clusters/{CLUSTER_1}")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("link", name="Switch to English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#chairs thead th").all_inner_texts() == ["Year", "Chair", "Vice-chair"]
    page.goto(f"{base_url}/check?unit=Đà+Lạt&claim=role:chair&year=2022")
    assert page.locator("#verdict h2").inner_text() == "Supported"
    page.get_by_role("link", name="Chuyển sang tiếng Việt").click()
    page.wait_for_load_state()
    assert page.locator("#verdict h2").inner_text() == "Được xác nhận"


def test_keyboard_reaches_the_search_box_and_submits(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q", "Tab never reached the search box"
    page.keyboard.type("di linh")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=di\+linh"))
    assert page.locator("ol.results > li").count() >= 1
    page.goto(f"{base_url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focused links show a focus ring"


PAGES = {
    "home": "/",
    "search": "/search?q=da+lat",
    "cluster": f"/clusters/{CLUSTER_1}",
    "unit": "/units/da-lat",
    "check": "/check?unit=Đà+Lạt&claim=role:chair&year=2022",
    "article": f"/articles/{ARTICLE_2022}",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_have_labels_landmarks_and_sane_contrast(page: Any, base_url: str, name: str) -> None:
    page.goto(f"{base_url}{PAGES[name]}")
    assert _unlabelled_controls(page) == []
    assert page.locator("main").count() == 1 and page.locator("h1").count() == 1
    assert page.locator("img:not([alt])").count() == 0
    assert page.evaluate(CONTRAST_JS) == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_phone_width_has_no_horizontal_scroll(phone: Any, base_url: str, shoot: Shoot, name: str) -> None:
    phone.goto(f"{base_url}{PAGES[name]}")
    _no_horizontal_scroll(phone)
    shoot(phone, f"phone-{name}")
