"""Fault tests over a real local server: 5xx, timeouts, truncation, redirect loops, 404s, robots.txt."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawlsite import FAST, article_html, article_path, listing_pages, stored

from crawler.runner import crawl
from crawler.state import CrawlState
from thidua.settings import Settings

FAULTS = [
    "/news/fault/500-bai-loi-may-chu-1.html",
    "/news/fault/flaky-bai-tam-loi-2.html",
    "/news/fault/slow-bai-cham-3.html",
    "/news/fault/truncated-bai-cut-4.html",
    "/news/fault/loop-bai-vong-5.html",
    "/news/tin-tuc/bai-khong-ton-tai-404-6.html",
    "/news/private/bai-bi-cam-7.html",
]


@pytest.fixture
def faulty_site(make_site):  # type: ignore[no-untyped-def]
    good = [article_path(n) for n in range(1, 9)]
    pages = {article_path(n): article_html(n).encode() for n in range(1, 9)}
    pages[FAULTS[-1]] = article_html(99).encode()  # exists, but robots.txt forbids it
    pages.update(listing_pages(good, per_page=4, extra_links=FAULTS))
    pages["/robots.txt"] = b"User-agent: *\nDisallow: /news/private/\n"
    return make_site(pages)


def test_faults_lose_nothing_else_and_are_reported(faulty_site, tmp_path: Path, capfd) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(settings, site="nukeviet", start_urls=[faulty_site.url("/news/")], overrides=FAST)
    articles = stored(settings.db_path)
    urls = {a["url"] for a in articles.values()}
    # the eight good articles and the flaky one (which succeeds on its third try) are stored
    assert {faulty_site.url(article_path(n)) for n in range(1, 9)} <= urls
    assert faulty_site.url(FAULTS[1]) in urls
    assert len(articles) == 9
    # 500, timeout, truncated body, redirect loop, 404 and the robots.txt refusal fail for good; each
    # counted once (the loop used to vanish in the duplicate filter)
    assert report.errors == 6
    assert report.redirect_loops == 1
    assert report.articles_new == 9
    assert report.robots_forbidden == 1
    assert not faulty_site.requests_for(FAULTS[-1]), "robots.txt disallow was not obeyed"
    assert len(faulty_site.requests_for(FAULTS[0])) == 3, "a 500 is retried RETRY_TIMES times"
    tries = [t for p, t in faulty_site.times if p == FAULTS[0]]
    base = FAST["RETRY_BACKOFF_BASE"]
    assert tries[1] - tries[0] >= base and tries[2] - tries[1] >= 2 * base, "retries back off exponentially"
    assert report.finish_reason == "finished"
    log = capfd.readouterr().err
    assert "Traceback" not in log
    assert "failed: " in log
    state = CrawlState(settings.db_path)
    try:
        assert state.get(faulty_site.url(FAULTS[5])).status == 404  # type: ignore[union-attr]
        assert state.get(faulty_site.url("/news/")).kind == "listing"  # type: ignore[union-attr]
    finally:
        state.close()


def test_user_agent_names_the_project(faulty_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "var")
    crawl(settings, site="nukeviet", start_urls=[faulty_site.url("/news/")], max_pages=3, overrides=FAST)
    agents = {h.get("User-Agent", "") for _, h in faulty_site.seen}
    assert agents == {settings.user_agent}
    assert "thidua" in settings.user_agent and "http" in settings.user_agent
