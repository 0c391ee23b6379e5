"""The API at scale: 100,000 generated articles and 1,000,000 facts in SQLite; latency at 50 clients."""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, unquote
from urllib.request import urlopen

from benchmarks.loadgen import LoadResult, run_load, run_wrk, wrk_binary
from benchmarks.realistic import TextGenerator
from corpus.models import Article
from extract import gazetteer
from runtime.settings import db_file, index_dir
from search_api.indexing import article_batch
from search_api.query import ArticleSearch
from search_api.resolve import cluster_id, unit_id
from search_api.stores.base import Batch
from search_api.stores.sqlite import SqliteBackend

ARTICLES = int(os.environ.get("THIDUA_BENCH_ARTICLES", "100000"))
SECONDS = float(os.environ.get("THIDUA_BENCH_SECONDS", "15"))
CLIENTS = 50
WORKERS = int(os.environ.get("THIDUA_BENCH_WORKERS", "2"))
# A store built by an earlier run to measure again without reloading (kept as it is when set); when that
# file does not exist yet, the run loads the corpus into it and keeps it.
REUSE_DB = os.environ.get("THIDUA_BENCH_DB")
# "pages": only the cluster and unit pages (one client, cache off), not the load at 50 clients; "load": only
# the load at 50 clients and at one, cache off (a quick A/B of the serving path).
ONLY = os.environ.get("THIDUA_BENCH_ONLY", "")
# "realistic": Zipf-distributed real words, 150–4,000 syllables an article (benchmarks/realistic.py);
# "uniform": 90 words from FILLER and the members' names (the corpus of the figures before issue 14).
CORPUS = os.environ.get("THIDUA_BENCH_CORPUS", "realistic")
PATHS_PER_KIND = 5000
CACHE_MB = 64
# Synthetic syllables for unit names and filler text (generated data, not language rules).
SYLLABLES = (
    "Đà Lạt Bảo Lộc Đức Trọng Di Linh Lâm Hà Cát Tiên Đơn Dương Lạc Hòa Bình An Phú Tân Thạnh "
    "Long Mỹ Xuân Thủy Sơn Tây Ninh Kiều Gò Công Cần Đước Hiệp Thới Vĩnh Châu Hưng Quang"
).split()
FILLER = ("công tác thi đua khen thưởng năm hội nghị tổng kết phong trào đơn vị địa phương kết quả "
          "nhiệm vụ triển khai ký kết giao ước bình xét đề nghị tặng cờ bằng khen").split()  # fmt: skip
PROVINCES = [f"{a} {b}" for a, b in zip(SYLLABLES[::2], SYLLABLES[1::2], strict=False)][:20]
# The members: on the realistic corpus real district names (the gazetteer's, of two syllables or more,
# as a search for one is a search for a word written together); on the uniform one, as before issue 14,
# two of the syllables above.
UNITS = (
    sorted(
        {
            p.name
            for ps in gazetteer.index().values()
            for p in ps
            if p.kind != "tỉnh" and len(p.name.split()) > 1
        }
    )
    if CORPUS == "realistic"
    else sorted({f"{a} {b}" for a in SYLLABLES for b in SYLLABLES if a != b})
)[:600]
CLUSTERS = [(f"Cụm thi đua số {n % 10 + 1}", PROVINCES[n % len(PROVINCES)]) for n in range(100)]


def _article(
    n: int, rng: random.Random, bodies: TextGenerator | None = None
) -> tuple[Article, list[dict[str, object]]]:
    """Article n and its facts; its text after the lead from `bodies` (realistic) or FILLER (uniform)."""
    cluster, province = CLUSTERS[n % len(CLUSTERS)]
    members = rng.sample(UNITS, 4)
    year = 2015 + n % 10
    lead = f"{cluster} tỉnh {province} tổng kết năm {year}; thành phố {members[0]} làm Cụm trưởng."
    if bodies is None:
        text = lead + " " + " ".join(rng.choice(FILLER + members) for _ in range(90)) + "."
    else:
        text = lead + " " + bodies.body(members)
    ev = {"sentence": lead, "start": 0, "end": len(lead), "rule": "bench.v1"}
    facts: list[dict[str, object]] = [{"type": "cluster", "name": cluster, "province": province}]
    facts += [{"type": "member", "cluster": cluster, "member": m, "year": year} for m in members]
    chair = {"type": "chair", "cluster": cluster, "year": year}
    award = {"type": "award", "year": year - 1}
    facts += [
        {**chair, "role": "chair", "unit": f"TP {members[0]}"},
        {**chair, "role": "vice_chair", "unit": members[1]},
        {**award, "recipient": members[2], "award": "Cờ thi đua", "status": "proposed"},
        {**award, "recipient": members[3], "award": "Bằng khen", "status": "conferred"},
        {"type": "event", "kind": "review", "date": f"{year}-01-{n % 28 + 1:02d}", "place": members[0],
         "cluster": cluster},
    ]  # fmt: skip
    facts = [{**f, "id": f"f{n}-{i}", "evidence": ev} for i, f in enumerate(facts)]
    article = Article(url=f"https://bench.example/{n}", title=lead[:80], text=text, published=f"{year}-01-15",
                      site=f"site{n % 5}.example", province=province)  # fmt: skip
    return article, facts


def articles(count: int, first: int = 0) -> Iterator[tuple[Article, list[dict[str, object]]]]:
    """Articles first … first + count - 1 with their facts (the same for the same range)."""
    rng = random.Random(7 + first)
    bodies = TextGenerator(seed=9 + first) if CORPUS == "realistic" else None
    for n in range(first, first + count):
        yield _article(n, rng, bodies)


def _batches(count: int, tally: list[int]) -> Iterator[Batch]:
    docs, facts = [], []
    for n, (article, raw) in enumerate(articles(count)):
        batch, _ = article_batch(article, raw, fingerprint=str(n))
        docs += batch.articles
        facts += batch.facts
        if len(docs) == 1000 or n == count - 1:
            tally[0] += len(docs)
            tally[1] += len(facts)
            yield Batch(docs, facts)
            docs, facts = [], []


def _load_store(db: Path) -> None:
    tally = [0, 0]
    started = time.perf_counter()
    backend = SqliteBackend(db)
    backend.rebuild(_batches(ARTICLES, tally))
    backend.close()
    seconds = time.perf_counter() - started
    print(f"loaded {tally[0]:,} articles ({CORPUS} corpus) and {tally[1]:,} facts in {seconds:.1f} s "
          f"({tally[1] / seconds:,.0f} facts/s and {tally[0] / seconds:,.0f} articles/s on one core, "
          f"resolution + full-text index + indexes); file {db.stat().st_size / 2**20:,.0f} MiB, full-text "
          f"index {sum(p.stat().st_size for p in index_dir(db).iterdir()) / 2**20:,.0f} MiB")  # fmt: skip


def _search_cpu(db: Path) -> None:
    """CPU per search in one process (no HTTP), after a warm pass over the same queries."""
    rng = random.Random(5)
    search = _generators()["search"][0]
    queries = [
        ArticleSearch(q=unquote(search(rng).split("q=")[1].split("&")[0]), limit=10) for _ in range(200)
    ]
    backend = SqliteBackend(db)
    try:
        for query in queries:
            backend.search_articles(query)
        started = time.process_time()
        for query in queries:
            backend.search_articles(query)
        ms = (time.process_time() - started) / len(queries) * 1000
    finally:
        backend.close()
    print(f"search CPU per query in process (page of 10 with highlights): {ms:.2f} ms")


def _serve(data_dir: Path, port: int, cache_mb: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "THIDUA_DATA_DIR": str(data_dir), "THIDUA_API_CACHE_MB": str(cache_mb)}
    env.pop("THIDUA_ES_URL", None)
    env["THIDUA_LOG_LEVEL"] = "WARNING"
    # --reuse-port: each worker on a socket of its own, as a Linux deployment runs it (docs/API.md, Serving)
    cmd = [str(Path(sys.executable).with_name("thidua")), "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(WORKERS), "--reuse-port"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env)
    for _ in range(200):
        try:
            with urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                time.sleep(2)  # every worker up, so connections spread over all of them
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the API server did not start")


def _memory_mib(pid: int) -> dict[str, float]:
    """VmRSS, VmHWM, RssAnon (private) and RssFile (mapped database pages), summed over the workers."""
    children = [  # the server processes, not multiprocessing's resource tracker
        c
        for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()
    ]
    total = dict.fromkeys(("VmRSS", "VmHWM", "RssAnon", "RssFile"), 0.0)
    for each in [pid, *map(int, children)]:
        lines = Path(f"/proc/{each}/status").read_text().splitlines()
        fields = {line.split(":")[0]: line.split()[1] for line in lines if line.startswith(("Vm", "Rss"))}
        for key in total:
            total[key] += int(fields.get(key, 0)) / 1024
    return total


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of the server: its parent process and every worker."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    ticks = 0
    for each in [pid, *map(int, children)]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def _print_memory(mem: dict[str, float]) -> None:
    print(f"  server memory: RSS {mem['VmRSS']:,.0f} MiB (peak {mem['VmHWM']:,.0f}), of which private "
          f"{mem['RssAnon']:,.0f} MiB and mapped database pages {mem['RssFile']:,.0f} MiB")  # fmt: skip


def _scenarios() -> dict[str, tuple[list[str], float]]:
    """Per query kind: varied request paths (units, years, types, clusters, queries) and the p95 target."""
    rng = random.Random(11)
    return {name: ([make(rng) for _ in range(PATHS_PER_KIND)], target)
            for name, (make, target) in _generators().items()}  # fmt: skip


def _generators() -> dict[str, tuple[Callable[[random.Random], str], float]]:
    def search(rng: random.Random) -> str:
        words = rng.choice([rng.choice(UNITS), rng.choice(UNITS).lower(), "tổng kết " + rng.choice(UNITS)])
        return f"/api/v1/articles?q={words}&limit=10"

    def facts(rng: random.Random) -> str:
        kind = rng.choice(["chair", "member", "award"])
        return f"/api/v1/facts?type={kind}&unit={rng.choice(UNITS)}&year={rng.randint(2014, 2024)}&limit=20"

    def timeline(rng: random.Random) -> str:
        if rng.random() < 0.5:
            name, province = rng.choice(CLUSTERS)
            return f"/api/v1/timeline?cluster={cluster_id(name, province)}&limit=20"
        return f"/api/v1/timeline?unit={unit_id(rng.choice(UNITS))}&limit=20"

    return {"facts": (facts, 20.0), "timeline": (timeline, 20.0), "search": (search, 50.0)}


def _report(name: str, result: LoadResult, cpu: float, target: float) -> None:
    """One run's figures; `cpu`: the server's CPU seconds during it."""
    verdict = "meets" if result.p95 < target else "MISSES"
    print(f"  {name:<9} p50 {result.p50:6.1f} ms  p95 {result.p95:6.1f} ms  p99 {result.p99:6.1f} ms  "
          f"{result.rate:7.1f} req/s ({result.rate / (os.cpu_count() or 1):6.1f} per core)  "
          f"server CPU {cpu / max(result.requests, 1) * 1000:5.2f} ms/request  "
          f"errors {result.errors}  [{verdict} p95 < {target:.0f} ms]")  # fmt: skip


def _drain(port: int) -> None:
    """Wait until requests queued by the previous run are served (a quick answer to /health)."""
    for _ in range(300):
        started = time.perf_counter()
        with urlopen(f"http://127.0.0.1:{port}/health", timeout=30):
            if time.perf_counter() - started < 0.05:
                return
        time.sleep(0.1)


def _measured(
    pid: int, port: int, paths: list[str], clients: int, seconds: float
) -> tuple[LoadResult, float]:
    """A load run and the server's CPU seconds during it."""
    _drain(port)
    before = server_cpu_seconds(pid)
    result = _measure(port, paths, clients, seconds)
    return result, server_cpu_seconds(pid) - before


def _measure(port: int, paths: list[str], clients: int, seconds: float) -> LoadResult:
    _drain(port)
    wrk = wrk_binary()
    if wrk:
        return run_wrk(wrk, "127.0.0.1", port, paths, clients=clients, seconds=seconds)
    return run_load("127.0.0.1", port, lambda rng: rng.choice(paths), clients=clients, seconds=seconds)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _detail_pages(port: int) -> None:
    """One client reading the first page of 20 clusters and 20 units (each list's first 20 items): no
    target in the issue, measured so a slow one shows."""
    base = f"http://127.0.0.1:{port}/api/v1"
    for kind in ("clusters", "units"):
        with urlopen(f"{base}/{kind}?limit=20", timeout=60) as listing:
            ids = [item["id"] for item in json.load(listing)["items"]]
        times, sizes = [], []
        for entity in ids:
            started = time.perf_counter()
            with urlopen(f"{base}/{kind}/{quote(entity)}", timeout=60) as page:
                sizes.append(len(page.read()))
            times.append((time.perf_counter() - started) * 1000)
        cuts = statistics.quantiles(times, n=20) if len(times) > 1 else times * 19
        print(f"  {kind[:-1]} page p50 {statistics.median(times):6.1f} ms  p95 {cuts[18]:6.1f} ms  "
              f"({len(ids)} {kind}, {statistics.mean(sizes) / 1024:,.0f} KiB each on average)")  # fmt: skip


def _biggest_cluster_pages(port: int, runs: int = 30) -> None:
    """One client: the first page of the cluster with the most facts (issue 13: ≤ 50 ms, ≤ 200 kB), as
    JSON and as HTML, and a later page of its members by cursor."""
    base = f"http://127.0.0.1:{port}"
    with urlopen(f"{base}/api/v1/clusters?limit=200", timeout=60) as listing:
        biggest = max(json.load(listing)["items"], key=lambda e: e["fact_count"])
    cid = quote(biggest["id"])
    with urlopen(f"{base}/api/v1/clusters/{cid}/members?limit=2", timeout=60) as first:
        cursor = json.load(first)["next_cursor"]
    pages = {
        "JSON": f"{base}/api/v1/clusters/{cid}",
        "HTML": f"{base}/clusters/{cid}",
        "members by cursor": f"{base}/api/v1/clusters/{cid}/members?cursor={quote(cursor or '')}",
    }
    print(f"  biggest cluster ({biggest['fact_count']:,} facts), first page, {runs} requests each:")
    for name, url in pages.items():
        _timed(url)  # warm
        runs_ = [_timed(url) for _ in range(runs)]
        times = sorted(t for t, _ in runs_)
        cuts = statistics.quantiles(times, n=20)
        print(f"    {name:18s} p50 {statistics.median(times):6.1f} ms  p95 {cuts[18]:6.1f} ms  "
              f"{runs_[-1][1]:,} bytes  (target ≤ 50 ms, ≤ 200,000 bytes)")  # fmt: skip


def _timed(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urlopen(url, timeout=120) as page:
        size = len(page.read())
    return (time.perf_counter() - started) * 1000, size


def _issue13_pages(port: int) -> None:
    """One client: a cluster's Atom feed, fact pages with their citations, and full export pages (issue
    13's additions), so a slow one shows."""
    base = f"http://127.0.0.1:{port}"
    with urlopen(f"{base}/api/v1/clusters?limit=20", timeout=60) as listing:
        clusters = [item["id"] for item in json.load(listing)["items"]]
    with urlopen(f"{base}/api/v1/facts?type=chair&limit=20", timeout=60) as listing:
        facts = [item["id"] for item in json.load(listing)["items"]]
    kinds = {
        "cluster feed": [f"{base}/feeds/clusters/{quote(c)}" for c in clusters],
        "fact page": [f"{base}/facts/{f}" for f in facts],
        "BibTeX citation": [f"{base}/api/v1/facts/{f}/citation?format=bibtex" for f in facts],
        "export page (10,000)": [f"{base}/api/v1/export?type=member"] * 3,
    }
    for name, urls in kinds.items():
        runs = [_timed(url) for url in urls]
        times, size = sorted(t for t, _ in runs), statistics.mean(s for _, s in runs) / 1024
        print(f"  {name:21s} p50 {statistics.median(times):7.1f} ms  max {times[-1]:7.1f} ms  "
              f"({len(urls)} requests, {size:,.1f} KiB each)")  # fmt: skip


def _run(data_dir: Path, cache_mb: int) -> None:
    """One server: every query kind at CLIENTS clients (then one client at a time without the cache)."""
    port = _free_port()
    proc = _serve(data_dir, port, cache_mb)
    try:
        if ONLY == "pages":
            _detail_pages(port)
            _biggest_cluster_pages(port)
            return
        scenarios = _scenarios()
        print(f"response cache {f'on ({cache_mb} MiB per process)' if cache_mb else 'off'}:")
        for name, (paths, target) in scenarios.items():
            _measure(port, paths, CLIENTS, 2)
            _report(name, *_measured(proc.pid, port, paths, CLIENTS, SECONDS), target)
        if not cache_mb:
            print("one client at a time (service time without queueing), cache off:")
            for name, (paths, target) in scenarios.items():
                _report(name, *_measured(proc.pid, port, paths, 1, SECONDS / 3), target)
        if not cache_mb and ONLY != "load":
            _detail_pages(port)
            _biggest_cluster_pages(port)
            _issue13_pages(port)
        _print_memory(_memory_mib(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="thidua-bench-api-") as tmp:
        data_dir = Path(tmp)
        if REUSE_DB:
            store = Path(REUSE_DB).resolve()
            if not store.exists():
                store.parent.mkdir(parents=True, exist_ok=True)
                _load_store(store)
            db_file(data_dir).symlink_to(store)
            index_dir(store).mkdir(exist_ok=True)  # its full-text index too (built on open if missing)
            index_dir(db_file(data_dir)).symlink_to(index_dir(store))
            print(f"reusing the store {REUSE_DB}")
        else:
            _load_store(db_file(data_dir))
        if ONLY == "pages":  # the pages alone: no search measured
            _run(data_dir, 0)
            return
        if ONLY != "load":
            _search_cpu(db_file(data_dir))
        tool = "wrk, one thread" if wrk_binary() else "Python load generator: no wrk, it eats a core"
        print(f"{CLIENTS} concurrent clients over HTTP ({tool}), {WORKERS} server process(es), "
              f"{SECONDS:.0f} s each, {PATHS_PER_KIND:,} varied paths per kind, "
              f"{os.cpu_count()} cores shared by server and load generator")  # fmt: skip
        for cache_mb in (0,) if ONLY == "load" else (0, CACHE_MB):
            _run(data_dir, cache_mb)


if __name__ == "__main__":
    main()
