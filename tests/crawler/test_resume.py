"""A crawl killed with SIGKILL mid-way, then resumed, ends with the same store as an uninterrupted one."""

from __future__ import annotations

import os
import signal
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
    stored,
)

from crawler.runner import RUNNING_MARKER, crawl
from thidua.settings import Settings

N = 30
SLOW = {**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}


def _site_and_reference(make_site, tmp_path: Path) -> tuple[Any, list[str], Settings]:  # type: ignore[no-untyped-def]
    """A 30-article NukeViet-style site and the store of one uninterrupted crawl of it."""
    paths = [article_path(n) for n in range(1, N + 1)]
    pages = {p: article_html(n).encode() for n, p in enumerate(paths, start=1)}
    pages.update(listing_pages(paths, per_page=5))
    site = make_site(pages)
    start = [site.url("/news/")]
    reference = Settings(data_dir=tmp_path / "reference")
    crawl(reference, site="nukeviet", start_urls=start, overrides=SLOW)
    return site, start, reference


def test_kill_and_resume_equals_uninterrupted(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site, start, reference = _site_and_reference(make_site, tmp_path)
    site.delay = 0.1
    resumed = Settings(data_dir=tmp_path / "resumed")
    proc = crawl_in_background_until_some_stored(resumed, start, SLOW)
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its Scrapy child, mid-crawl
    proc.wait()
    killed_at = count_articles(resumed.db_path)
    assert 0 < killed_at < N, "the kill did not land mid-crawl"
    assert any(resumed.jobs_dir.glob(f"*/{RUNNING_MARKER}"))

    site.delay = 0
    report = crawl(resumed, site="nukeviet", start_urls=start, overrides=SLOW)
    assert stored(resumed.db_path) == stored(reference.db_path)
    assert report.articles_new == N - killed_at, "articles stored before the kill were stored again"
    assert not any(resumed.jobs_dir.glob(f"*/{RUNNING_MARKER}"))


def test_ctrl_c_keeps_the_job_and_the_next_run_resumes_it(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site, start, reference = _site_and_reference(make_site, tmp_path)
    site.delay = 0.1
    stopped = Settings(data_dir=tmp_path / "stopped")
    proc = crawl_in_background_until_some_stored(stopped, start, SLOW)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    proc.wait(timeout=60)
    assert count_articles(stopped.db_path) < N
    jobs = [p for p in stopped.jobs_dir.iterdir() if p.is_dir()]
    assert jobs and (jobs[0] / "requests.queue").is_dir(), "a graceful stop keeps Scrapy's queue"
    assert not (jobs[0] / RUNNING_MARKER).exists()

    site.delay = 0
    crawl(stopped, site="nukeviet", start_urls=start, overrides=SLOW)
    assert stored(stopped.db_path) == stored(reference.db_path)
    assert not [p for p in stopped.jobs_dir.iterdir() if p.is_dir()], "a finished job is cleaned up"


def test_a_second_crawl_of_a_running_job_is_refused(tmp_path: Path) -> None:
    from crawler.runner import CrawlError, _job

    settings = Settings(data_dir=tmp_path / "var")
    start = ["http://127.0.0.1:9/news/"]
    with _job(settings, "nukeviet", start), pytest.raises(CrawlError, match=r"another crawl .* is running"):
        crawl(settings, site="nukeviet", start_urls=start)


def test_sigint_to_the_runner_alone_reaches_the_crawl_once(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`kill -INT <runner>` (not the process group): the runner forwards one SIGINT after its grace
    period, so Scrapy still stops gracefully and keeps its queue for the next run."""
    site, start, reference = _site_and_reference(make_site, tmp_path)
    site.delay = 0.3  # slow enough that the crawl is still running when the grace period ends
    stopped = Settings(data_dir=tmp_path / "stopped")
    proc = crawl_in_background_until_some_stored(stopped, start, SLOW, grace=0.3)
    os.kill(proc.pid, signal.SIGINT)
    proc.wait(timeout=60)
    assert count_articles(stopped.db_path) < N
    jobs = [p for p in stopped.jobs_dir.iterdir() if p.is_dir()]
    assert jobs and (jobs[0] / "requests.queue").is_dir(), "a graceful stop keeps Scrapy's queue"

    site.delay = 0
    crawl(stopped, site="nukeviet", start_urls=start, overrides=SLOW)
    assert stored(stopped.db_path) == stored(reference.db_path)
