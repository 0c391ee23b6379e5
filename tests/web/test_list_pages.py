"""A big cluster's page in Chromium at 375 px: its lists are paged, and the keyboard follows "Next" from
the cluster page through the members' pages, without sideways scrolling; with screenshots."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.search_api.big_cluster import CLUSTER_ID, build_big_cluster

Shoot = Callable[[Any, str], Path]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]) -> Iterator[str]:
    """The generated big cluster (~4,000 facts) served by a real uvicorn."""
    from search_api import indexing
    from search_api.http_limits import LimitedHttpToolsProtocol
    from search_api.main import create_app
    from thidua.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("lists") / "var", es_url=None)
    build_big_cluster(settings.db_path)
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


def _no_sideways_scroll(pg: Any) -> None:
    widths = pg.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths


def _tab_to(pg: Any, selector: str, presses: int = 400) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(presses):
        pg.keyboard.press("Tab")
        if pg.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


def _members(pg: Any) -> list[str]:
    links: list[str] = pg.locator("#members li > a:first-child").evaluate_all(
        "l => l.map(a => a.getAttribute('href'))"
    )
    return links


def test_the_keyboard_pages_through_a_big_clusters_members_at_375px(
    phone: Any, site: str, shoot: Shoot
) -> None:
    phone.goto(f"{site}/clusters/{CLUSTER_ID}")
    _no_sideways_scroll(phone)
    first = _members(phone)
    assert len(first) == 20
    shoot(phone, "cluster-paged-phone")
    _tab_to(phone, "#members ~ p.more a[rel=next]")
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"**/clusters/{CLUSTER_ID}/members?cursor=*")
    _no_sideways_scroll(phone)
    second = _members(phone)
    assert len(second) == 20 and not set(first) & set(second)
    shoot(phone, "cluster-members-page-2-phone")
    url = phone.url
    _tab_to(phone, "nav.pager a[rel=next]")
    phone.keyboard.press("Enter")
    phone.wait_for_url(lambda u: u != url and "/members?cursor=" in u)
    third = _members(phone)
    assert third and not set(third) & (set(first) | set(second))
    _no_sideways_scroll(phone)
