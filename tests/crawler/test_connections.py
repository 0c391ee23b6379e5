"""A crawl has one owner of its SQLite connections: the crawl process opens one connection per store
object it needs (the corpus store and the crawl state: two; the crawl state alone on a crawler host that
ships its articles to an ingest queue) and closes them, also when it is stopped mid-way and resumed; an
archive that cannot be opened stops the crawl before its first request."""

from __future__ import annotations

import os
import signal
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from crawlsite import (
    FAST,
    article_html,
    article_path,
    count_articles,
    crawl_in_background_until_some_stored,
    listing_pages,
)

from crawler.ingest import ItemQueue
from crawler.runner import crawl
from thidua.settings import Settings

N = 20
PROBE_DIR = Path(__file__).with_name("sqlite_probe")
SLOW = {**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}

# What each crawl process opened: the database path of each connection, and the connections left open.
Opened = dict[int, tuple[list[str], list[str]]]


@pytest.fixture
def probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Opened]:
    """Crawls started after this log their SQLite connections (sqlite_probe/sitecustomize.py); the
    returned function reads the log: {process id: (paths opened, connections not closed)}."""
    log = tmp_path / "sqlite-probe.log"
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(PROBE_DIR), os.environ.get("PYTHONPATH")]))
    )
    monkeypatch.setenv("THIDUA_SQLITE_PROBE", str(log))

    def read() -> Opened:
        paths: dict[int, dict[str, str]] = defaultdict(dict)
        closed: dict[int, set[str]] = defaultdict(set)
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        for pid, event, number, *path in (line.split(" ", 3) for line in lines):
            if event == "open":
                paths[int(pid)][number] = path[0]
            else:
                closed[int(pid)].add(number)
        return {
            pid: (list(opened.values()), sorted(set(opened) - closed[pid])) for pid, opened in paths.items()
        }

    return read


def connections_per_process(opened: Opened, db: Path) -> list[int]:
    """How many connections each crawl process opened, having checked that all were to the archive at
    `db` and all were closed."""
    for paths, left_open in opened.values():
        assert set(paths) == {str(db)} and not left_open, (paths, left_open)
    return [len(paths) for paths, _ in opened.values()]


def _site(make_site: Any) -> tuple[Any, list[str]]:
    paths = [article_path(n) for n in range(1, N + 1)]
    pages = {p: article_html(n).encode() for n, p in enumerate(paths, start=1)}
    pages.update(listing_pages(paths, per_page=5))
    site = make_site(pages)
    return site, [site.url("/news/")]


def test_a_crawl_opens_one_connection_for_the_store_and_one_for_the_state(make_site, tmp_path, probe) -> None:  # type: ignore[no-untyped-def]
    _, start = _site(make_site)
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(settings, site="nukeviet", start_urls=start, overrides=FAST)
    assert report.articles_new == N and report.pages_fetched > N
    assert connections_per_process(probe(), settings.db_path) == [2], "one CorpusStore, one CrawlState"


def test_a_stopped_and_resumed_crawl_closes_what_it_opened(make_site, tmp_path, probe) -> None:  # type: ignore[no-untyped-def]
    site, start = _site(make_site)
    site.delay = 0.3  # slow enough that the crawl is still running when Ctrl-C arrives
    settings = Settings(data_dir=tmp_path / "var")
    proc = crawl_in_background_until_some_stored(settings, start, SLOW)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: Scrapy stops gracefully, keeping its job directory
    proc.wait(timeout=60)
    stopped_at = count_articles(settings.db_path)
    assert 0 < stopped_at < N and any(settings.jobs_dir.glob("*/requests.queue")), "stopped mid-crawl"

    site.delay = 0
    report = crawl(settings, site="nukeviet", start_urls=start, overrides=SLOW)
    assert report.articles_new == N - stopped_at and count_articles(settings.db_path) == N
    assert connections_per_process(probe(), settings.db_path) == [2, 2], "the stopped one, the resumed one"


def test_a_crawler_shipping_to_an_ingest_queue_opens_only_its_state(
    make_site, tmp_path, probe, redis_url
) -> None:  # type: ignore[no-untyped-def]
    _, start = _site(make_site)
    settings = Settings(data_dir=tmp_path / "host", ingest=redis_url)
    crawl(settings, site="nukeviet", start_urls=start, overrides=FAST)
    queue = ItemQueue.connect(redis_url)
    try:
        assert len(queue) == N
    finally:
        queue.close()
    assert connections_per_process(probe(), settings.db_path) == [1], "no CorpusStore: articles go to Redis"


def test_an_archive_that_cannot_be_opened_stops_the_crawl_before_any_request(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site, start = _site(make_site)
    settings = Settings(data_dir=tmp_path / "var")
    settings.db_path.mkdir(parents=True)  # a directory where the SQLite file should be
    report = crawl(settings, site="nukeviet", start_urls=start, overrides=FAST)
    assert report.finish_reason == "archive_unavailable"
    assert report.pages_fetched == 0 and not site.seen
