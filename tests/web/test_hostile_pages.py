"""Hostile input on the web pages (issue 15): Unicode digits, unknown claims, and the archived HTML,
which must load nothing from the app's origin when a browser opens it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from corpus.models import Article
from corpus.store import CorpusStore
from search_api.forms import FormError, claim_parts, parse_page, parse_year, whole_number
from search_api.http_limits import LimitedHttpToolsProtocol

DIGITS = ["²", "①", "٢٠٢٢", "२०२२", "２０２２", "2022²", "¹⁹⁰⁰"]


@pytest.mark.parametrize("raw", DIGITS)
def test_unicode_digits_are_no_numbers(raw: str) -> None:
    assert whole_number(raw) is None
    with pytest.raises(FormError):
        parse_year(raw, "year")
    with pytest.raises(FormError):
        parse_page(raw)


@pytest.mark.parametrize("digits", DIGITS)
@pytest.mark.parametrize(
    "path",
    ["/search?q=thi&year_from={}", "/search?q=thi&year_to={}", "/search?q=thi&page={}", "/?page={}",
     "/check?unit=Bảo Lộc&claim=role:chair&year={}", "/check?unit=Bảo Lộc&role=chair&year={}"],
)  # fmt: skip
def test_unicode_digits_are_422_on_the_pages(base_url: str, path: str, digits: str) -> None:
    resp = httpx.get(base_url + path.format(digits), timeout=30)
    assert resp.status_code == 422 and "<form" in resp.text


@pytest.mark.parametrize("claim", ["bogus", "chair", "role", "role:", "award", "award:  ", "x:chair"])
def test_a_claim_of_no_known_form_is_rejected(base_url: str, claim: str) -> None:
    with pytest.raises(FormError):
        claim_parts(claim, None, None)
    resp = httpx.get(
        f"{base_url}/check", params={"unit": "Bảo Lộc", "claim": claim, "year": "2024"}, timeout=30
    )
    assert resp.status_code == 422
    assert 'class="verdict' not in resp.text, "no verdict for a claim that was not understood"


PROBES = ["/probe-img", "/probe-script", "/probe-css", "/probe-frame", "/probe-bg"]
RAW_HTML = (
    "<html><head><title>archived</title>"
    '<link rel="stylesheet" href="/probe-css"><script src="/probe-script"></script>'
    "<script>document.title = 'ran'</script></head>"
    '<body style="background: url(/probe-bg)"><p>bài báo</p><img src="/probe-img">'
    '<iframe src="/probe-frame"></iframe></body></html>'
)


@pytest.fixture(scope="module")
def raw_server(tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]) -> Iterator[Any]:
    """The app over one article whose archived HTML reaches for the app's own URLs; yields (base URL,
    the article id, the paths the app was asked for)."""
    from search_api.indexing import sync
    from search_api.main import create_app
    from thidua.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("raw") / "var", es_url=None)
    article = Article(
        url="https://tin.example/bai-1", title="Bài 1", text="Bài 1\n\nbài báo", raw_html=RAW_HTML
    )
    with CorpusStore(settings.db_path) as store:
        store.upsert_article(article)
    sync(settings)
    app = create_app(settings)
    asked: list[str] = []

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            asked.append(scope["path"])
        await app(scope, receive, send)

    port = free_port()
    config = uvicorn.Config(
        recording, host="127.0.0.1", port=port, log_level="warning", http=LimitedHttpToolsProtocol
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", article.id, asked
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_archived_html_loads_nothing_from_the_app(raw_server: Any, page: Any) -> None:
    base, article_id, asked = raw_server
    raw = f"{base}/api/v1/articles/{article_id}/raw"
    assert httpx.get(raw, timeout=30).status_code == 200
    page.goto(raw)
    page.wait_for_load_state("load")
    time.sleep(0.5)  # anything the page would still fetch
    assert page.locator("p").inner_text() == "bài báo", "the archived text is shown"
    assert page.title() == "archived", "its script ran"
    assert not [path for path in asked if path in PROBES], "the archived page loaded from the app's origin"
