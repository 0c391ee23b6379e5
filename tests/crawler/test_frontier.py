"""Several crawler processes on one Redis frontier: one queue, one seen-set, nothing lost to SIGKILL,
every article stored once and fetched about once; across hosts, through the ingest queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import redis
from crawlsite import FAST, ROOT_DIR, article_html, article_path, count_articles, listing_pages, stored

from crawler.frontier.queue import FrontierQueue
from crawler.ingest import ingest
from crawler.runner import crawl
from thidua.settings import Settings

N = 60
SHARED = {**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}
LEASE = 2.0


def _site(make_site: Any, delay: float = 0.0) -> tuple[Any, list[str]]:
    paths = [article_path(n) for n in range(1, N + 1)]
    pages = {p: article_html(n).encode() for n, p in enumerate(paths, start=1)}
    pages.update(listing_pages(paths, per_page=10))
    site = make_site(pages)
    site.delay = delay
    return site, [site.url("/news/")]


def _crawler(
    data_dir: Path, start: list[str], frontier: str, ingest_url: str | None = None, name: str = "crawler"
) -> Any:
    """`crawl` in a process of its own (its own process group, like a crawler on another terminal);
    `name` is in its User-Agent, so the site can tell the crawlers apart."""
    settings = (
        f"Settings(data_dir=Path({str(data_dir)!r}), frontier_lease={LEASE}, ingest={ingest_url!r}, "
        f"user_agent='thidua-test/{name}')"
    )
    code = (
        "from pathlib import Path; from crawler.runner import crawl; from thidua.settings import Settings; "
        f"crawl({settings}, site='nukeviet', start_urls={start!r}, overrides={SHARED!r}, "
        f"frontier={frontier!r})"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT_DIR, start_new_session=True, stderr=subprocess.DEVNULL
    )


def _fetchers(site: Any) -> set[str]:
    """The crawlers (by User-Agent) that fetched articles."""
    return {h["User-Agent"].rsplit("/", 1)[1] for path, h in site.seen if "/tin-tuc/" in path}


def _article_fetches(site: Any) -> list[int]:
    return [len(site.requests_for(article_path(n))) for n in range(1, N + 1)]


def test_two_crawlers_one_sigkilled_and_restarted_store_articles_once(make_site, tmp_path, redis_url) -> None:  # type: ignore[no-untyped-def]
    site, start = _site(make_site, delay=0.25)
    data = tmp_path / "var"
    first, second = _crawler(data, start, redis_url, name="a"), _crawler(data, start, redis_url, name="b")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and (
        count_articles(data / "thidua.sqlite3") < N // 3 or not list((data / "warc").glob(f"*-{first.pid}-*"))
    ):  # a third of the articles stored, some of them by the first crawler
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the runner and its Scrapy child, mid-crawl
    first.wait()
    killed_at = count_articles(data / "thidua.sqlite3")
    assert N // 3 <= killed_at < N, "the kill did not land mid-crawl"
    restarted = _crawler(data, start, redis_url, name="a2")
    assert second.wait(timeout=180) == 0 and restarted.wait(timeout=180) == 0

    articles = stored(data / "thidua.sqlite3")
    expected = sorted(site.url(article_path(n)) for n in range(1, N + 1))
    assert sorted(a["url"] for a in articles.values()) == expected
    assert count_articles(data / "thidua.sqlite3") == N, "an article was stored twice"
    fetches = _article_fetches(site)
    assert min(fetches) >= 1
    assert sum(fetches) / N <= 1.1, f"articles fetched {sum(fetches)} times for {N}: {fetches}"
    assert _fetchers(site) == {"a", "b", "a2"}, "every crawler took its share of the articles"
    warcs = sorted(p.name for p in (data / "warc").glob("*.warc.gz"))
    assert len(warcs) == 3 and len(set(warcs)) == 3, f"one WARC file per crawler process: {warcs}"
    assert not redis.Redis.from_url(redis_url).keys("thidua:frontier:*"), "the finished round is cleared"


def test_crawlers_on_other_hosts_send_articles_to_one_ingest_process(make_site, tmp_path, redis_url) -> None:  # type: ignore[no-untyped-def]
    site, start = _site(make_site)
    hosts = [tmp_path / "host-a", tmp_path / "host-b"]
    crawlers = [_crawler(host, start, redis_url, ingest_url=redis_url) for host in hosts]
    assert [c.wait(timeout=180) for c in crawlers] == [0, 0]

    archive = tmp_path / "archive" / "thidua.sqlite3"
    report = ingest(archive, redis_url, once=True)
    assert report.articles_new == N and report.duplicates == 0
    assert len(stored(archive)) == N
    assert sum(_article_fetches(site)) == N, "the shared seen-set: each article fetched once"
    warc_hosts = [len(list((host / "warc").glob("*.warc.gz"))) for host in hosts]
    assert warc_hosts == [1, 1], "the raw responses stay in each crawler host's WARC file"
    assert ingest(archive, redis_url, once=True).articles_new == 0


def test_without_a_frontier_a_crawl_runs_alone_as_before(make_site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, start = _site(make_site)
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(settings, site="nukeviet", start_urls=start, overrides=SHARED)
    assert report.articles_new == N and count_articles(settings.db_path) == N
    assert [p.name.startswith("thidua-nukeviet-2") for p in (settings.warc_dir).glob("*.warc.gz")] == [True]


def test_the_frontier_queue_dedupes_and_gives_back_what_a_stopped_crawler_held(redis_url) -> None:  # type: ignore[no-untyped-def]
    client = redis.Redis.from_url(redis_url)
    a, b = FrontierQueue(client, "t:round", "a"), FrontierQueue(client, "t:round", "b")
    a.join(lease=0.3)
    b.join(lease=30)
    assert a.push("fp1", b"r1", 0, False) and not b.push("fp1", b"r1 again", 0, False)
    assert b.push("fp1", b"r1 forced", 0, True), "dont_filter requests are queued anyway"
    assert a.push("fp2", b"article", 10, False)
    assert a.pop() == ("3", b"article"), "higher priority first"
    assert b.pending().held_elsewhere == 1 and not a.pending().held_elsewhere
    time.sleep(0.5)  # a's lease runs out with the article in hand
    assert b.reclaim() == 1
    taken = [b.pop(), b.pop(), b.pop(), b.pop()]
    assert taken == [("3", b"article"), ("1", b"r1"), ("2", b"r1 forced"), None]
    b.done(["3", "1", "2"])
    assert b.leave(), "the last crawler leaving a drained round ends it"
    assert not client.keys("t:round:*")
