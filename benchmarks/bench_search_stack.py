"""Issue 14: the search stack on the realistic corpus: the embedded store (SQLite tables, tantivy full-text
index) built, searched (page of 10, total, highlights) and grown by 1,000 articles, each step in its own
process (build and search memory apart); then the API over HTTP at 50 clients and at one."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from benchmarks import bench_api
from runtime.settings import db_file, index_dir
from search_api.indexing import article_batch
from search_api.query import ArticleSearch
from search_api.schemas import ArticleHit
from search_api.stores.base import ArticleDoc, Batch
from search_api.stores.sqlite import SqliteBackend

ARTICLES = bench_api.ARTICLES
ADDED = 1000
QUERIES = 200
SECONDS = bench_api.SECONDS
# Keep the corpus and the store here (else a temporary directory, removed at the end).
KEEP = os.environ.get("THIDUA_BENCH_STACK_DIR")
ROOT = Path(__file__).resolve().parents[1]
# The search's own files (wc -l); highlight.py, query.py and the SQLite store serve other reads too.
OWNED = ["search_api/stores/text_index.py"]
# Not the search's alone: they serve /facts and /timeline too (emit.py serves only those).
SHARED = ["search_api/emit.py", "search_api/serve.py"]


# -- steps, each in a process of its own ------------------------------------------------------------
def _docs(work: Path, first: int, count: int) -> Iterator[ArticleDoc]:
    with (work / "docs.jsonl").open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if first <= n < first + count:
                yield ArticleDoc(**json.loads(line))


def step_docs(work: Path) -> dict[str, Any]:
    """The bench's articles (text and metadata, without their facts) as JSON lines."""
    with (work / "docs.jsonl").open("w", encoding="utf-8") as out:
        for n, (article, _) in enumerate(bench_api.articles(ARTICLES + ADDED)):
            batch, _ = article_batch(article, [], fingerprint=str(n))
            out.write(json.dumps(dataclasses.asdict(batch.articles[0]), ensure_ascii=False) + "\n")
    return {"bytes": (work / "docs.jsonl").stat().st_size}


def _timed(run: Callable[[], object]) -> dict[str, Any]:
    """Wall and CPU seconds of run() (every thread), and how far it raised the process's peak RSS."""
    before = _status()["VmRSS"]
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "cpu": cpu, "peak_mib": peak - before}


def step_build(work: Path) -> dict[str, Any]:
    """The store of the articles (SqliteBackend.rebuild, no facts): tables and full-text index."""
    docs = list(_docs(work, 0, ARTICLES))
    batches = (Batch(docs[i : i + 1000], []) for i in range(0, len(docs), 1000))
    backend = SqliteBackend(_db(work))
    result = _timed(lambda: backend.rebuild(batches))
    backend.close()
    return {**result, "db_mib": _db(work).stat().st_size / 2**20, "index_mib": _index_mib(work)}


def _index_mib(work: Path) -> float:
    return sum(p.stat().st_size for p in index_dir(_db(work)).iterdir()) / 2**20


def step_add(work: Path) -> dict[str, Any]:
    """ADDED new articles written in one batch (tables and index committed, merges waited for)."""
    docs = list(_docs(work, ARTICLES, ADDED))
    backend = SqliteBackend(_db(work))
    result = _timed(lambda: backend.write(Batch(docs, [])))
    backend.close()
    return result


def step_search(work: Path) -> dict[str, Any]:
    """CPU per search in this process (a warm pass first), each query's page and total, and memory."""
    search = SqliteBackend(_db(work)).search_articles
    queries = search_queries()
    for query in queries:
        search(query)
    cpu, pages = [], []
    for query in queries:
        started = time.process_time()
        hits, total, exact = search(query)
        cpu.append((time.process_time() - started) * 1000)
        pages.append({"ids": [h.id for h in hits], "total": total, "exact": exact, "marked": _marked(hits)})
    return {"cpu_ms": cpu, "pages": pages, "memory": _status()}


def _marked(hits: list[ArticleHit]) -> bool:
    return all(any("<mark>" in h for h in hit.highlights) for hit in hits)


def search_queries() -> list[ArticleSearch]:
    """The API bench's search queries (units in every spelling, `tổng kết` + a unit), page of 10."""
    rng = random.Random(5)
    make = bench_api._generators()["search"][0]
    words = [unquote(make(rng).split("q=")[1].split("&")[0]) for _ in range(QUERIES)]
    return [ArticleSearch(q=q, limit=10) for q in words]


def _status() -> dict[str, float]:
    """VmRSS, RssAnon (private) and RssFile (mapped files) of this process, MiB."""
    lines = Path("/proc/self/status").read_text().splitlines()
    fields = {line.split(":")[0]: line.split()[1] for line in lines if line.startswith(("Vm", "Rss"))}
    return {key: float(fields.get(key, 0)) / 1024 for key in ("VmRSS", "RssAnon", "RssFile")}


def _db(work: Path) -> Path:
    return work / "store" / "thidua.sqlite3"


STEPS: dict[str, Callable[..., dict[str, Any]]] = {
    "docs": step_docs, "build": step_build, "add": step_add, "search": step_search,
}  # fmt: skip


# -- the parent: runs the steps, the servers, and prints the comparison ---------------------------
def _step(work: Path, name: str, *args: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.bench_search_stack", "--step", name, str(work), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _api(work: Path) -> dict[str, Any]:
    """Searches over HTTP through `thidua serve` (2 workers, cache off): 50 clients, then one; the CPU
    the server and the load generator spent per request at 50 clients."""
    with tempfile.TemporaryDirectory(prefix="thidua-bench-stack-") as tmp:
        data = Path(tmp)
        db_file(data).symlink_to(_db(work))
        index_dir(db_file(data)).symlink_to(index_dir(_db(work)))
        port = bench_api._free_port()
        proc = bench_api._serve(data, port, 0)
        try:
            paths = bench_api._scenarios()["search"][0]
            bench_api._measure(port, paths, bench_api.CLIENTS, 2)
            server, loadgen = bench_api.server_cpu_seconds(proc.pid), _children_cpu()
            many = bench_api._measure(port, paths, bench_api.CLIENTS, SECONDS)
            server, loadgen = bench_api.server_cpu_seconds(proc.pid) - server, _children_cpu() - loadgen
            one = bench_api._measure(port, paths, 1, SECONDS / 3)
            memory = bench_api._memory_mib(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    per_request = {"server_ms": server / many.requests * 1000, "loadgen_ms": loadgen / many.requests * 1000}
    return {"many": dataclasses.asdict(many) | {"rate": many.rate} | per_request,
            "one": dataclasses.asdict(one), "memory": memory}  # fmt: skip


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the load generator's runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _lines(paths: list[str]) -> int:
    return sum(len((ROOT / p).read_text(encoding="utf-8").splitlines()) for p in paths)


def _percentiles(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), statistics.quantiles(values, n=20)[18]


def _report(res: dict[str, Any]) -> None:
    print(f"{ARTICLES:,} articles ({bench_api.CORPUS} corpus), {ADDED:,} added, {QUERIES} queries; "
          f"corpus {res['docs']['bytes'] / 2**20:,.0f} MiB of JSON lines")  # fmt: skip
    built, search, mem = res["build"], res["search"], res["search"]["memory"]
    print(f"build {built['wall']:.1f} s wall {built['cpu']:.1f} s CPU, +{built['peak_mib']:,.0f} MiB peak; "
          f"on disk: database {built['db_mib']:,.0f} MiB, index {built['index_mib']:,.0f} MiB")  # fmt: skip
    p50, p95 = _percentiles(search["cpu_ms"])
    pages = search["pages"]
    print(f"search CPU p50 {p50:.2f} ms p95 {p95:.2f} ms mean {statistics.mean(search['cpu_ms']):.2f} ms; "
          f"exact totals {sum(p['exact'] for p in pages)}/{QUERIES}, every hit highlighted "
          f"{all(p['marked'] for p in pages)}; process RSS {mem['VmRSS']:,.0f} MiB (private "
          f"{mem['RssAnon']:,.0f}, mapped {mem['RssFile']:,.0f})")  # fmt: skip
    many, one, smem = res["api"]["many"], res["api"]["one"], res["api"]["memory"]
    print(f"API, 50 clients p50 {many['p50']:.1f} ms p95 {many['p95']:.1f} ms {many['rate']:.1f} req/s; CPU "
          f"per request: server {many['server_ms']:.2f} ms, load generator {many['loadgen_ms']:.2f} ms; one "
          f"client p50 {one['p50']:.1f} ms p95 {one['p95']:.1f} ms; server RSS {smem['VmRSS']:,.0f} MiB "
          f"(private {smem['RssAnon']:,.0f})")  # fmt: skip
    print(f"add {ADDED:,}: {res['add']['wall']:.2f} s to searchable ({res['add']['cpu']:.2f} s CPU)")
    print(f"lines (wc -l): {', '.join(OWNED)} {_lines(OWNED)}; also serving facts {_lines(SHARED)}: "
          f"{', '.join(SHARED)}")  # fmt: skip


def _run_all(work: Path) -> dict[str, Any]:
    res: dict[str, Any] = {name: _step(work, name) for name in ("docs", "build", "search")}
    res["api"] = _api(work)
    res["add"] = _step(work, "add")
    return res


def main() -> None:
    work = Path(KEEP or tempfile.mkdtemp(prefix="thidua-bench-stack-"))
    shutil.rmtree(work / "store", ignore_errors=True)
    (work / "store").mkdir(parents=True)
    try:
        res = _run_all(work)
        (work / "results.json").write_text(json.dumps(res), encoding="utf-8")
        _report(res)
    finally:
        if not KEEP:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--step"]:
        print(json.dumps(STEPS[sys.argv[2]](Path(sys.argv[3]), *sys.argv[4:])))
    else:
        main()
