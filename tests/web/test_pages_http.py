"""The page routes over HTTP without a browser: escaping, form parsing, language cookie, assets."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from search_api.forms import FormError, claim_parts, parse_confidence, parse_page, parse_year
from search_api.i18n import Translator
from search_api.routers.pages import safe_marks


def test_safe_marks_keeps_only_mark_tags_whether_or_not_escaped() -> None:
    assert safe_marks("a <mark>Đà</mark> &amp; b") == "a <mark>Đà</mark> &amp; b"
    assert safe_marks("<script>x</script> <mark>y</mark>") == "&lt;script&gt;x&lt;/script&gt; <mark>y</mark>"
    assert safe_marks("&lt;b&gt;bold&lt;/b&gt;") == "&lt;b&gt;bold&lt;/b&gt;"


@pytest.mark.parametrize(("raw", "year"), [(None, None), ("", None), (" 2022 ", 2022), ("1900", 1900)])
def test_parse_year_accepts_blank_and_years(raw: str | None, year: int | None) -> None:
    assert parse_year(raw, "year") == year


@pytest.mark.parametrize("raw", ["abc", "1899", "2101", "-5", "20.5"])
def test_parse_year_rejects_with_a_message_in_each_language(raw: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_year(raw, "year_from")
    english = caught.value.message(Translator("en"))
    assert f"“{raw}”" in english and "1900" in english
    assert "không phải là năm" in caught.value.message(Translator("vi"))


def test_parse_page_bounds() -> None:
    assert parse_page(None) == 1 and parse_page("3") == 3
    for bad in ("0", "x", "100000"):
        with pytest.raises(FormError):
            parse_page(bad)


@pytest.mark.parametrize(
    ("claim", "role", "award", "expected"),
    [
        ("role:chair", None, None, ("chair", None)),
        ("role:vice_chair", None, None, ("vice_chair", None)),
        ("award:Cờ thi đua", None, None, (None, "Cờ thi đua")),
        (None, "vice_chair", None, ("vice_chair", None)),
        (None, None, "Bằng khen", (None, "Bằng khen")),
        (None, None, None, (None, None)),
    ],
)
def test_claim_parts(claim: str | None, role: str | None, award: str | None, expected: tuple) -> None:
    assert claim_parts(claim, role, award) == expected


@pytest.mark.parametrize(("claim", "role"), [("role:mayor", None), ("award: ", None), (None, "mayor")])
def test_claim_parts_rejects_unknown_roles(claim: str | None, role: str | None) -> None:
    with pytest.raises(FormError):
        claim_parts(claim, role, None)


def test_user_text_is_escaped_in_pages(base_url: str) -> None:
    evil = "<script>alert(1)</script>"
    for path in ("/search", "/check"):
        params = {"q": evil} if path == "/search" else {"unit": evil, "claim": "role:chair", "year": "2022"}
        body = httpx.get(f"{base_url}{path}", params=params, timeout=10).text
        assert evil not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_lang_query_sets_a_cookie_and_the_cookie_is_honoured(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        first = client.get("/check", params={"lang": "en"})
        assert first.cookies.get("lang") == "en" and '<html lang="en">' in first.text
        assert '<html lang="en">' in client.get("/search").text
        assert '<html lang="vi">' in client.get("/search", params={"lang": "vi"}).text


def test_stylesheet_is_served_and_other_paths_are_not(base_url: str) -> None:
    css = httpx.get(f"{base_url}/static/thidua.css", timeout=10)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    for name in ("..%2Fmain.py", "nope.css", "thidua.py"):
        assert httpx.get(f"{base_url}/static/{name}", timeout=10).status_code == 404


def test_unknown_records_get_a_404_page(base_url: str) -> None:
    for path in ("/articles/nope", "/units/nowhere-at-all", "/clusters/x--y"):
        response = httpx.get(f"{base_url}{path}", timeout=10)
        assert response.status_code == 404 and "text/html" in response.headers["content-type"]


def test_article_page_exports_exactly_that_articles_facts(base_url: str) -> None:
    hits = httpx.get(f"{base_url}/api/v1/articles", params={"q": "cụm thi đua"}, timeout=10).json()["items"]
    article_id = hits[0]["id"]
    page = httpx.get(f"{base_url}/articles/{article_id}", timeout=10).text
    assert f"/api/v1/export?article={article_id}&amp;format=csv" in page
    exported = httpx.get(
        f"{base_url}/api/v1/export", params={"article": article_id, "format": "jsonl"}, timeout=10
    ).text.splitlines()
    detail = httpx.get(f"{base_url}/api/v1/articles/{article_id}", timeout=10).json()
    assert exported and len(exported) == len(detail["facts"])
    assert all(f'"{article_id}"' in line for line in exported)


@pytest.mark.parametrize(
    ("raw", "value"), [(None, None), ("", None), (" 0.7 ", 0.7), ("0,7", 0.7), ("1", 1.0)]
)
def test_parse_confidence_accepts_blank_and_zero_to_one(raw: str | None, value: float | None) -> None:
    assert parse_confidence(raw) == value


@pytest.mark.parametrize("raw", ["abc", "-0.1", "1.5", "nan", "inf", "1_0"])
def test_parse_confidence_rejects_with_a_message_in_each_language(raw: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_confidence(raw)
    assert f"“{raw}”" in caught.value.message(Translator("en"))
    assert "độ tin cậy" in caught.value.message(Translator("vi"))


def _export_confidences(page: str) -> set[str]:
    links = re.findall(r'href="(/api/v1/export\?[^"]+)"', page)
    assert links, "the page has export links"
    return {parse_qs(urlsplit(html.unescape(link)).query).get("min_confidence", [""])[0] for link in links}


def test_check_form_takes_a_minimum_confidence_and_its_exports_keep_it(base_url: str) -> None:
    claim = {"unit": "Đà Lạt", "claim": "role:chair", "year": "2022", "lang": "en"}
    page = httpx.get(f"{base_url}/check", params={**claim, "min_confidence": "0.5"}, timeout=10)
    assert page.status_code == 200 and 'name="min_confidence"' in page.text and 'value="0.5"' in page.text
    assert "confidence of at least 0.5" in page.text
    if "/api/v1/export" in page.text:  # sources were found
        assert _export_confidences(page.text) == {"0.5"}
    assert "confidence of at least" not in httpx.get(f"{base_url}/check", params=claim, timeout=10).text
    bad = httpx.get(f"{base_url}/check", params={**claim, "min_confidence": "2"}, timeout=10)
    assert bad.status_code == 422 and "is not a confidence between 0 and 1" in bad.text


@pytest.mark.parametrize("path", ["/clusters/lam-dong--cum-thi-dua-so-1", "/units/lam-dong--da-lat"])
def test_entity_pages_filter_by_confidence_and_export_with_it(base_url: str, path: str) -> None:
    page = httpx.get(f"{base_url}{path}", params={"min_confidence": "0.8", "lang": "en"}, timeout=10)
    assert page.status_code == 200 and 'id="min_confidence"' in page.text
    assert "confidence of at least 0.8" in page.text and _export_confidences(page.text) == {"0.8"}
    plain = httpx.get(f"{base_url}{path}", params={"lang": "en"}, timeout=10).text
    assert _export_confidences(plain) == {""}
    bad = httpx.get(f"{base_url}{path}", params={"min_confidence": "lots", "lang": "en"}, timeout=10)
    assert bad.status_code == 422 and "text/html" in bad.headers["content-type"]
    assert "“lots” is not a confidence" in bad.text
