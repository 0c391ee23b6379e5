"""A fact's permalink page: the sentence in context, its source, citations in both languages, its
correction history, and the maintainers' form behind the API token (over HTTP and in Chromium)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from websample import build_store

TOKEN = "fact-page-token"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]) -> Iterator[str]:
    """The sample archive (gold facts) served with an API token, so the correction form is on."""
    from search_api import indexing
    from search_api.http_limits import LimitedHttpToolsProtocol
    from search_api.main import create_app
    from thidua.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("facts") / "var", es_url=None, api_token=TOKEN)
    build_store(settings.db_path)
    indexing.sync(settings)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", http=LimitedHttpToolsProtocol
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _facts(base: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = httpx.get(f"{base}/api/v1/facts", params=params).json()["items"]
    return items


def test_the_page_shows_the_sentence_in_context_its_source_and_citations(site: str) -> None:
    fact = _facts(site, type="chair")[0]
    article = httpx.get(f"{site}/api/v1/articles/{fact['evidence']['article_id']}").json()
    page = httpx.get(f"{site}/facts/{fact['id']}")
    assert page.status_code == 200
    body = page.text
    for shown in (
        fact["evidence"]["sentence"],
        article["title"],
        article["url"],
        f"/api/v1/articles/{article['id']}/raw",
        "Trích dẫn tiếng Việt",
        "truy cập ngày",
        "accessed",
        "CSL-JSON",
        "BibTeX",
    ):
        assert shown.replace("&", "&amp;") in body or shown in body, shown
    assert 'name="token"' in body and 'type="password"' in body
    assert httpx.get(f"{site}/facts/no-such-fact").status_code == 404


def _post(site: str, fact_id: str, **form: str) -> httpx.Response:
    return httpx.post(f"{site}/facts/{fact_id}/corrections", data=form, follow_redirects=False)


def test_the_form_needs_the_token_and_records_a_correction_in_the_history(site: str) -> None:
    fact = _facts(site, type="award")[0]
    form = {"action": "amend", "reason": "Sai năm theo quyết định gốc.", "fields": "year: 2019", "by": "Minh"}
    assert _post(site, fact["id"], **form, token="wrong").status_code == 401
    assert _post(site, fact["id"], **form).status_code == 401
    bad = _post(site, fact["id"], **{**form, "fields": "colour: đỏ"}, token=TOKEN)
    assert bad.status_code == 422 and "colour" in bad.text
    done = _post(site, fact["id"], **form, token=TOKEN)
    assert done.status_code == 303 and done.headers["location"] == f"/facts/{fact['id']}#history"
    page = httpx.get(f"{site}/facts/{fact['id']}?lang=en").text
    assert "Amended by a maintainer." in page and "Sai năm theo quyết định gốc." in page and "Minh" in page
    shown = httpx.get(f"{site}/api/v1/facts/{fact['id']}").json()
    assert shown["year"] == 2019 and shown["history"][0]["previous"] == {"year": fact["year"]}


def test_a_retracted_fact_keeps_its_page_with_the_history_and_no_form(site: str) -> None:
    fact = _facts(site, type="member")[0]
    form = {"action": "retract", "reason": "Không phải danh sách thành viên.", "token": TOKEN}
    assert _post(site, fact["id"], **form).status_code == 303
    page = httpx.get(f"{site}/facts/{fact['id']}").text
    assert "Đã bị rút lại" in page and 'name="token"' not in page
    assert fact["id"] not in {f["id"] for f in _facts(site, type="member", limit=200)}


def test_fact_page_in_chromium_desktop_and_phone(
    site: str, page: Any, phone: Any, shoot: Callable[[Any, str], Path]
) -> None:
    fact = _facts(site, type="chair")[0]
    for pg, name in ((page, "fact-desktop"), (phone, "fact-phone")):
        pg.goto(f"{site}/facts/{fact['id']}")
        assert pg.locator("h1").count() == 1
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        citation = pg.locator("#cite-vi").input_value()
        assert "truy cập ngày" in citation
        pg.keyboard.press("Tab")  # the skip link first, as on every page
        assert pg.evaluate("document.activeElement.className") == "skip-link"
        shoot(pg, name)
