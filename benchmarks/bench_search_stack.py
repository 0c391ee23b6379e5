"""Issue 14: the search stack decided by measurement. On the realistic corpus, side by side for the same
queries (page of 10, total, highlights): plain FTS5, FTS5 with the accelerator, and tantivy. Each step
runs in its own process (build and search memory apart); the API is measured at 50 clients for the
two SQLite stacks."""

from __future__ import annotations

import dataclasses
import importlib.util
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
from search_api.indexing import article_batch
from search_api.query import ArticleSearch
from search_api.schemas import ArticleHit
from search_api.stores.accel_build import accel_root
from search_api.stores.base import ArticleDoc, Batch
from search_api.stores.sqlite import SqliteBackend

ARTICLES = bench_api.ARTICLES
ADDED = 1000
QUERIES = 200
SECONDS = bench_api.SECONDS
# Keep the corpus, stores and index here (else a temporary directory, removed at the end).
KEEP = os.environ.get("THIDUA_BENCH_STACK_DIR")
ROOT = Path(__file__).resolve().parents[1]
# The files each path adds to the project (wc -l); highlight.py, query.py and the SQLite store serve all.
OWNED = {
    "fts5": [],
    "accel": ["search_api/stores/accel.py", "search_api/stores/accel_build.py"],
    "tantivy": ["benchmarks/tantivy_search.py"],
}
# Not the search's alone: they serve /facts and /timeline too (emit.py serves only those).
SHARED = ["search_api/fastpath.py", "search_api/emit.py", "search_api/serve.py"]
# tantivy is no dependency of the project: `pip install tantivy==0.27.*` to measure it too.
STACKS = ("fts5", "accel", "tantivy") if importlib.util.find_spec("tantivy") else ("fts5", "accel")


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


def step_fts5(work: Path) -> dict[str, Any]:
    """The FTS5 index of the articles (SqliteBackend.rebuild, no facts): the build of stacks a and b."""
    docs = list(_docs(work, 0, ARTICLES))
    batches = (Batch(docs[i : i + 1000], []) for i in range(0, len(docs), 1000))
    backend = SqliteBackend(_db(work), accelerated=False)
    result = _timed(lambda: backend.rebuild(batches))
    backend.close()
    return {**result, "mib": _db(work).stat().st_size / 2**20}


def step_accel(work: Path) -> dict[str, Any]:
    """The accelerator for the store's current generation (after the build, or after the addition)."""
    backend = SqliteBackend(_db(work))
    result = _timed(backend.accelerate)
    backend.close()
    size = sum(p.stat().st_size for p in accel_root(_db(work)).glob("v*/*"))
    return {**result, "mib": size / 2**20}


def step_tantivy(work: Path) -> dict[str, Any]:
    """A tantivy index of the same articles (one indexing thread, merges as tantivy schedules them)."""
    from benchmarks.tantivy_search import build

    docs = list(_docs(work, 0, ARTICLES))
    result = _timed(lambda: build(work / "tantivy", docs))
    return {**result, "mib": sum(p.stat().st_size for p in (work / "tantivy").iterdir()) / 2**20}


def step_add(work: Path, stack: str) -> dict[str, Any]:
    """ADDED new articles written: into the SQLite store (fts5), or into the tantivy index, where
    `visible` is the commit (searchable once a reader reloads) and the rest the merges it started."""
    docs = list(_docs(work, ARTICLES, ADDED))
    if stack == "fts5":
        backend = SqliteBackend(_db(work), accelerated=False)
        result = _timed(lambda: backend.write(Batch(docs, [])))
        backend.close()
        return result
    from benchmarks.tantivy_search import TantivySearch, upsert

    search = TantivySearch(work / "tantivy")
    started = time.perf_counter()
    writers = []
    result = _timed(lambda: writers.append(upsert(search.index, docs)))
    visible = time.perf_counter() - started
    writers[0].wait_merging_threads()
    return {**result, "visible": visible, "wall": time.perf_counter() - started}


def step_search(work: Path, stack: str) -> dict[str, Any]:
    """CPU per search in this process (a warm pass first), each query's page and total, and memory."""
    search = _searcher(work, stack)
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


def _searcher(work: Path, stack: str) -> Callable[[ArticleSearch], tuple[list[ArticleHit], int, bool]]:
    if stack == "tantivy":
        from benchmarks.tantivy_search import TantivySearch

        return TantivySearch(work / "tantivy").search_articles
    return SqliteBackend(_db(work), accelerated=stack == "accel").search_articles


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
    "docs": step_docs, "fts5": step_fts5, "accel": step_accel, "tantivy": step_tantivy,
    "add": step_add, "search": step_search,
}  # fmt: skip


# -- the parent: runs the steps, the servers, and prints the comparison ---------------------------
def _step(work: Path, name: str, *args: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.bench_search_stack", "--step", name, str(work), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _api(work: Path, stack: str) -> dict[str, Any]:
    """Searches over HTTP through `thidua serve` (2 workers, cache off): 50 clients, then one; the CPU
    the server and the load generator spent per request at 50 clients."""
    with tempfile.TemporaryDirectory(prefix=f"thidua-bench-stack-{stack}-") as tmp:
        data = Path(tmp)
        (data / "thidua.sqlite3").symlink_to(_db(work))
        if stack == "accel":  # without its files the server answers every search through FTS5
            accel_root(data / "thidua.sqlite3").symlink_to(accel_root(_db(work)))
        port = bench_api._free_port()
        proc = bench_api._serve(data, port, 0)
        try:
            paths = bench_api._scenarios()["search"][0]
            bench_api._measure(port, paths, bench_api.CLIENTS, 2)
            server, loadgen = _cpu_seconds(proc.pid), _children_cpu()
            many = bench_api._measure(port, paths, bench_api.CLIENTS, SECONDS)
            server, loadgen = _cpu_seconds(proc.pid) - server, _children_cpu() - loadgen
            one = bench_api._measure(port, paths, 1, SECONDS / 3)
            memory = bench_api._memory_mib(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    per_request = {"server_ms": server / many.requests * 1000, "loadgen_ms": loadgen / many.requests * 1000}
    return {"many": dataclasses.asdict(many) | {"rate": many.rate} | per_request,
            "one": dataclasses.asdict(one), "memory": memory}  # fmt: skip


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of the server: its parent process and every worker."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    ticks = 0
    for each in [pid, *map(int, children)]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the load generator's runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _lines(paths: list[str]) -> int:
    return sum(len((ROOT / p).read_text(encoding="utf-8").splitlines()) for p in paths)


def _agreement(pages: list[dict[str, Any]], reference: list[dict[str, Any]]) -> tuple[float, int]:
    """Mean share of the reference's page found in this page, and how many totals equal."""
    pairs = list(zip(pages, reference, strict=True))
    shared = [len(set(p["ids"]) & set(r["ids"])) / max(1, len(r["ids"])) for p, r in pairs]
    return statistics.mean(shared), sum(p["total"] == r["total"] for p, r in pairs)


def _percentiles(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), statistics.quantiles(values, n=20)[18]


def _report_stack(stack: str, built: dict[str, Any], search: dict[str, Any], reference: list[Any]) -> None:
    p50, p95 = _percentiles(search["cpu_ms"])
    share, totals = _agreement(search["pages"], reference)
    mem = search["memory"]
    marked = all(p["marked"] for p in search["pages"])
    print(f"{stack:8s} build {built['wall']:6.1f} s wall {built['cpu']:6.1f} s CPU, "
          f"+{built['peak_mib']:,.0f} MiB peak, {built['mib']:,.0f} MiB on disk")  # fmt: skip
    print(f"{'':8s} search CPU p50 {p50:6.2f} ms p95 {p95:6.2f} ms; page shared with FTS5 {share:.0%}, "
          f"totals equal {totals}/{QUERIES}, every hit highlighted {marked}; process RSS "
          f"{mem['VmRSS']:,.0f} MiB (private {mem['RssAnon']:,.0f}, "
          f"mapped {mem['RssFile']:,.0f})")  # fmt: skip


def _report_api(stack: str, api: dict[str, Any]) -> None:
    many, one, mem = api["many"], api["one"], api["memory"]
    print(f"{stack:8s} API, 50 clients p50 {many['p50']:7.1f} ms p95 {many['p95']:7.1f} ms "
          f"{many['rate']:7.1f} req/s; CPU per request: server {many['server_ms']:.2f} ms, load generator "
          f"{many['loadgen_ms']:.2f} ms; one client p50 {one['p50']:5.1f} ms p95 {one['p95']:5.1f} ms; "
          f"server RSS {mem['VmRSS']:,.0f} MiB (private {mem['RssAnon']:,.0f})")  # fmt: skip


def _report(res: dict[str, Any]) -> None:
    print(f"{ARTICLES:,} articles ({bench_api.CORPUS} corpus), {ADDED:,} added, {QUERIES} queries; "
          f"corpus {res['docs']['bytes'] / 2**20:,.0f} MiB of JSON lines")  # fmt: skip
    for stack in STACKS:
        _report_stack(stack, res[stack], res[f"search_{stack}"], res["search_fts5"]["pages"])
    for stack in ("fts5", "accel"):
        _report_api(stack, res[f"api_{stack}"])
    add = res["add"]
    print(f"add {ADDED:,}: FTS5 {add['fts5']['wall']:.2f} s, accelerator then {add['accel']['wall']:.1f} s")
    if "tantivy" in add:
        tv = add["tantivy"]
        print(f"add {ADDED:,}: tantivy searchable in {tv['visible']:.2f} s, merges done {tv['wall']:.2f} s")
    lines = {stack: _lines(files) for stack, files in OWNED.items()}
    print(f"lines (wc -l): own files {lines}; also serving facts {_lines(SHARED)}: {', '.join(SHARED)}")


def _run_all(work: Path) -> dict[str, Any]:
    res: dict[str, Any] = {name: _step(work, name) for name in ("docs", *STACKS)}
    for stack in STACKS:
        res[f"search_{stack}"] = _step(work, "search", stack)
    for stack in ("fts5", "accel"):
        res[f"api_{stack}"] = _api(work, stack)
    res["add"] = {"fts5": _step(work, "add", "fts5"), "accel": _step(work, "accel")}
    if "tantivy" in STACKS:
        res["add"]["tantivy"] = _step(work, "add", "tantivy")
    return res


def main() -> None:
    work = Path(KEEP or tempfile.mkdtemp(prefix="thidua-bench-stack-"))
    for built in ("store", "tantivy"):
        shutil.rmtree(work / built, ignore_errors=True)
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
