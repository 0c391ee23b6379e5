"""The page routes over HTTP without a browser: escaping, form parsing, language cookie, assets."""

from __future__ import annotations

import httpx
import pytest

from search_api.i18n import Translator
from search_api.routers.pages import FormError, claim_parts, parse_page, parse_year, safe_marks


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
