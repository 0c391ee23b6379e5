"""The web pages' test harness: a sample archive, the real app under uvicorn, headless Chromium."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from websample import build_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _extractor() -> Callable[[Any], list[dict[str, Any]]] | None:
    """The project's extractor as stored facts; None (gold facts) when THIDUA_WEB_FACTS=gold."""
    if os.environ.get("THIDUA_WEB_FACTS") == "gold":
        return None
    from extract import extract_facts

    def run(article: Any) -> list[dict[str, Any]]:
        facts = extract_facts(article.text, article.published, article.url, article.id)
        return [{"id": f.fact_id(article.id), **f.model_dump(mode="json")} for f in facts]

    return run


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Settings over a fresh data dir holding the indexed sample archive."""
    from search_api import indexing
    from thidua.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("web") / "var", es_url=None)
    build_store(settings.db_path, _extractor())
    indexing.sync(settings)
    return settings


@pytest.fixture(scope="session")
def base_url(web_settings: Any, free_port: Callable[[], int]) -> Iterator[str]:
    """The app served by a real uvicorn on 127.0.0.1."""
    from search_api.http_limits import LimitedHttpToolsProtocol
    from search_api.main import create_app

    port = free_port()
    app = create_app(web_settings)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", http=LimitedHttpToolsProtocol
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 30 s")
        time.sleep(0.05)
    assert httpx.get(f"{base}/search", timeout=10).status_code == 200
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright; the tests skip when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's /usr/bin/chromium is not installed (apt-get install chromium; `make browser`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop-sized page; cookies do not leak between tests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh phone-sized page (375 px wide, touch, device scale 2)."""
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def shoot() -> Callable[[Any, str], Path]:
    """Saves a full-page screenshot to artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(pg: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return save
