"""Scaling out (docs/SCALING.md): crawl throughput of 1 and 2 crawler processes on one Redis frontier
over a local site that answers each request after a fixed latency, and extraction articles/s with 1
and 2 worker processes. Needs Debian's redis-server (make test installs it)."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.bench_crawl import generated_site
from benchmarks.bench_extract import load_articles, workload
from corpus.sample_site.server import SiteHandler, mapping_resolver, serve
from crawler.runner import CrawlReport, crawl
from extract.batch import run_batch
from runtime.settings import Settings

ARTICLES = int(os.environ.get("THIDUA_BENCH_SCALING_ARTICLES", "400"))
LATENCY = float(os.environ.get("THIDUA_BENCH_LATENCY", "0.1"))  # seconds the site takes per request
EXTRACT_ARTICLES = int(os.environ.get("THIDUA_BENCH_SCALING_EXTRACT", "1200"))
# Politeness per crawler process as a deployment would set it for one site: a few requests at once.
OVERRIDES = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "LOG_LEVEL": "WARNING",
}


class SlowHandler(SiteHandler):
    """The site's pages, each after LATENCY seconds (a distant, busy news site)."""

    def do_GET(self) -> None:  # noqa: N802
        time.sleep(LATENCY)
        super().do_GET()


@contextmanager
def redis_server() -> Iterator[str]:
    """redis-server on a free loopback port, for the duration."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server, or make test)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def crawl_rate(processes: int, base: str, frontier: str) -> tuple[float, CrawlReport]:
    """Articles stored per second by `processes` crawlers sharing the frontier (one archive)."""
    with tempfile.TemporaryDirectory(prefix="thidua-bench-scaling-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "var")
        started = time.perf_counter()
        with ThreadPoolExecutor(processes) as pool:
            job: dict[str, Any] = {"site": "nukeviet", "start_urls": [base + "/news/"], "frontier": frontier}
            runs = [pool.submit(crawl, settings, overrides=OVERRIDES, **job) for _ in range(processes)]
            reports = [run.result() for run in runs]
        seconds = time.perf_counter() - started
    total = CrawlReport()
    for report in reports:
        total = total + report
    return total.articles_new / seconds, total


def extract_rate(workers: int, lines: list[str]) -> float:
    """Articles per second through the batch interface with `workers` processes (wall clock)."""
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    stats = run_batch(io.BytesIO(data), io.StringIO(), workers=workers)
    seconds = time.perf_counter() - started
    assert stats.ok == len(lines), stats
    return len(lines) / seconds


def main() -> None:
    import json

    pages = generated_site(ARTICLES)
    with redis_server() as frontier, serve(mapping_resolver(pages), SlowHandler) as base:
        one, report_one = crawl_rate(1, base, frontier)
        two, report_two = crawl_rate(2, base, frontier)
    print(f"site: {ARTICLES} articles, {LATENCY * 1000:.0f} ms per request, 4 requests at once per crawler")
    print(f"crawl, 1 process:   {one:6.1f} articles/s ({report_one.articles_new} stored)")
    print(f"crawl, 2 processes: {two:6.1f} articles/s ({report_two.articles_new} stored)")
    print(f"crawl ratio 2/1: {two / one:.2f} (wall clock incl. ~2 s start-up of each crawl process)")
    base_articles = load_articles("articles.jsonl") + load_articles("constructed_articles.jsonl")
    lines = [json.dumps(a, ensure_ascii=False) for a in workload(base_articles, EXTRACT_ARTICLES)]
    extract_rate(1, lines[:5])  # load lexicons and models once in this process (forked workers share it)
    e1, e2 = extract_rate(1, lines), extract_rate(2, lines)
    print(f"extraction, {len(lines)} articles: 1 worker {e1:.1f} articles/s, 2 workers {e2:.1f} articles/s")
    print(f"extraction ratio 2/1: {e2 / e1:.2f} (target >= 1.7 on 2 cores; cores here: {os.cpu_count()})")


if __name__ == "__main__":
    main()
