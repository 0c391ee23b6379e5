"""Run crawls from Python, each in a child process (Twisted's reactor cannot restart); resumable."""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from corpus.sample_site.server import SAMPLE_OVERRIDES, serve_sample_sites
from crawler.frontier.names import crawl_key, new_crawler_id, round_key
from crawler.sites import GENERIC, UnknownSiteError, list_sites, load_site
from runtime.settings import Settings

log = logging.getLogger("thidua.crawl")
RUNNING_MARKER = "RUNNING"  # present while a crawl runs; left behind when it was killed
# Seconds a crawl child gets to stop on its own after a SIGINT before the runner forwards one.
SIGINT_GRACE = 10.0
RESUMABLE = {"shutdown"}  # finish reasons after which the job directory is kept for a resume


class CrawlError(RuntimeError):
    """A crawl that cannot start or failed for an expected reason; the message says what to do."""


@dataclass
class CrawlReport:
    """What one crawl did."""

    pages_fetched: int = 0
    not_modified: int = 0
    conditional_requests: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    duplicates: int = 0
    relevant: int = 0
    not_relevant: int = 0
    flagged: int = 0
    errors: int = 0
    warc_records: int = 0
    robots_forbidden: int = 0
    canonical_offsite: int = 0  # pages naming another site's address as theirs (kept under their own)
    redirect_loops: int = 0  # redirects back into their own chain, or more than REDIRECT_MAX_TIMES
    redirect_offsite: int = 0  # redirects to another site, not followed
    not_html: int = 0  # PDFs, images and other binary responses where an article page was expected
    retry_after_honoured: int = 0  # retries that waited as long as the server's Retry-After asked
    retry_after_too_long: int = 0  # requests given up because Retry-After asked more than RETRY_BACKOFF_MAX
    seconds: float = 0.0
    finish_reason: str = ""

    def __add__(self, other: CrawlReport) -> CrawlReport:
        summed: dict[str, Any] = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            summed[f.name] = ",".join(x for x in (a, b) if x) if isinstance(a, str) else a + b
        return CrawlReport(**summed)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_reachable(url: str, user_agent: str) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            response.read(1)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 404:
            raise CrawlError(
                f"{url} answered HTTP {exc.code}; check the address or try again later"
            ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CrawlError(f"cannot reach {url} ({reason}); check the address and your connection") from None


def _spider_and_urls(
    site: str | None, url: str | None, start_urls: list[str] | None
) -> tuple[str, list[str]]:
    if site and url:
        raise CrawlError("give either a site profile (--site) or a URL (--url), not both")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CrawlError(
                f"not a web address: {url!r}; give a full URL such as https://baolamdong.vn/chinh-tri/"
            )
        return GENERIC, [url, *(start_urls or [])]
    if not site:
        raise CrawlError(f"give a site profile (--site; one of: {', '.join(list_sites())}) or a URL (--url)")
    try:
        load_site(site)
    except UnknownSiteError:
        raise CrawlError(
            f"unknown site {site!r}; known sites: {', '.join(list_sites())} (or use --url for any other site)"
        ) from None
    return site, list(start_urls or [])


@contextmanager
def _job(settings: Settings, spider: str, urls: list[str]) -> Iterator[Path]:
    """The crawl's JOBDIR, held under an exclusive lock for the duration of the crawl."""
    key = crawl_key(spider, urls)
    settings.jobs_dir.mkdir(parents=True, exist_ok=True)
    lock_path = settings.jobs_dir / f"{key}.lock"
    with lock_path.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CrawlError(f"another crawl of {key} is running; wait for it to finish") from None
        job = settings.jobs_dir / key
        if (job / RUNNING_MARKER).exists():
            # The last run was killed hard: Scrapy's on-disk queue is only consistent after a clean stop,
            # so start over; the seen-URL state makes the re-walk cheap and the store makes it idempotent.
            log.warning("previous crawl of %s was interrupted; resuming from the stored state", key)
            shutil.rmtree(job)
        job.mkdir(parents=True, exist_ok=True)
        try:
            yield job
        finally:
            if not job.exists():  # finished: nothing left to resume, so no lock to keep around
                lock_path.unlink(missing_ok=True)


def _stderr_fd() -> int | None:
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _run_child(config: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="thidua-crawl-") as tmp:
        config_path, report_path = Path(tmp) / "config.json", Path(tmp) / "report.json"
        config["report"] = str(report_path)
        config_path.write_text(json.dumps(config), encoding="utf-8")
        child = subprocess.Popen([sys.executable, "-m", "crawler.run", str(config_path)], stdout=_stderr_fd())
        try:
            code = child.wait()
        except KeyboardInterrupt:
            code = _stop_gracefully(child)
        if not report_path.exists():
            raise CrawlError(f"the crawl process failed (exit status {code}); see the log above")
        return dict(json.loads(report_path.read_text(encoding="utf-8")))


def _stop_gracefully(child: subprocess.Popen[bytes]) -> int:
    """After a SIGINT: Ctrl-C in a terminal reaches the child too (one process group) and Scrapy stops
    gracefully, keeping its job directory; a second SIGINT would force an unclean stop. So the child
    gets one only if it is still running a while later (the SIGINT was sent to this process alone)."""
    try:
        return child.wait(timeout=SIGINT_GRACE)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGINT)
        return child.wait()


def crawl(
    settings: Settings,
    *,
    site: str | None = None,
    url: str | None = None,
    start_urls: list[str] | None = None,
    max_pages: int | None = None,
    all_articles: bool = False,
    overrides: Mapping[str, Any] | None = None,
    frontier: str | None = None,
) -> CrawlReport:
    """Crawl a site profile (optionally re-targeted at `start_urls`) or any URL with the generic profile.
    With a `frontier` (or THIDUA_FRONTIER), join the crawl every process on that Redis frontier shares."""
    spider, urls = _spider_and_urls(site, url, start_urls)
    if url:
        _check_reachable(url, settings.user_agent)
    config = {
        "spider": spider,
        "start_urls": urls,
        "max_pages": max_pages,
        "all_articles": all_articles,
        "db_path": str(settings.db_path.resolve()),
        "warc_dir": str(settings.warc_dir.resolve()),
        "user_agent": settings.user_agent,
        "relevance_keywords": list(settings.relevance_keywords),
        "overrides": dict(overrides or {}),
    }
    frontier = frontier or settings.frontier
    started = time.monotonic()
    if frontier or settings.ingest:
        stats = _run_shared(settings, config, frontier, crawl_key(spider, urls))
    else:
        stats = _run_alone(settings, config)
    known = {f.name for f in fields(CrawlReport)}
    report = CrawlReport(**{k: v for k, v in stats.items() if k in known})
    report.seconds = round(time.monotonic() - started, 2)
    log.info("crawl %s: %s", spider, json.dumps(report.to_dict()))
    return report


def _run_alone(settings: Settings, config: dict[str, Any]) -> dict[str, Any]:
    """One crawl process with its own queue in a job directory (resumable after a stop)."""
    with _job(settings, config["spider"], config["start_urls"]) as job:
        marker = job / RUNNING_MARKER
        marker.write_text(str(time.time()), encoding="utf-8")
        stats = _run_child({**config, "jobdir": str(job)})
        marker.unlink(missing_ok=True)
        if stats.get("finish_reason") not in RESUMABLE:
            shutil.rmtree(job, ignore_errors=True)  # done: the next crawl is a fresh, conditional one
    return stats


def _run_shared(settings: Settings, config: dict[str, Any], frontier: str | None, key: str) -> dict[str, Any]:
    """One of many crawl processes: the queue is the frontier's (no job directory, no lock), articles
    go to the shared archive or, with THIDUA_INGEST, to the ingest queue."""
    from crawler.shared import check_redis, prepare_archive

    for name, redis_url in (("frontier", frontier), ("ingest queue", settings.ingest)):
        if redis_url:
            check_redis(name, redis_url)
    prepare_archive(settings.db_path)
    shared = {
        "frontier": frontier,
        "frontier_key": round_key(key),
        "frontier_lease": settings.frontier_lease,
        "crawler_id": new_crawler_id(),
        "ingest": settings.ingest,
    }
    return _run_child({**config, **shared})


def crawl_sample(settings: Settings) -> CrawlReport:
    """Serve the bundled sample site on 127.0.0.1 and crawl each of its sites through its own profile."""
    total = CrawlReport()
    with serve_sample_sites() as sites:
        for name, start in sites.items():
            total = total + crawl(settings, site=name, start_urls=start, overrides=SAMPLE_OVERRIDES)
    return total
