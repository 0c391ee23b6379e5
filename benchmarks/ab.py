"""A back-to-back A/B of the serving path of two source trees (two checkouts of this repository):
`thidua serve --workers 2` from each, both up at once on the bench store (THIDUA_BENCH_DB, cache off),
the load (wrk) alternating between them run by run, so both see the same machine. Each run prints
p50/p95/req/s, the server's CPU per request, how the connections were split between its workers, and the
CPU other jobs used meanwhile (cores), for a machine shared with other work.

    THIDUA_BENCH_DB=/tmp/bench.sqlite3 python -m benchmarks.ab A /tree/a B /tree/b 3 facts search:1

A kind is a bench_api query kind (facts, timeline, search), `:N` for N clients (default 50)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import bench_api
from benchmarks.loadgen import LoadResult, run_wrk, wrk_binary
from runtime.settings import index_dir

SECONDS = bench_api.SECONDS
TICK = os.sysconf("SC_CLK_TCK")


def _serve(tree: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": tree, "THIDUA_DATA_DIR": str(data_dir), "THIDUA_API_CACHE_MB": "0",
           "THIDUA_LOG_LEVEL": "WARNING"}  # fmt: skip
    env.pop("THIDUA_ES_URL", None)
    thidua = str(Path(sys.executable).with_name("thidua"))
    cmd = [thidua, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(cmd, env=env, cwd=tree)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            bench_api._drain(port)
        except OSError:
            time.sleep(0.2)
            continue
        time.sleep(2)  # every worker up
        return proc
    proc.kill()
    raise RuntimeError(f"the server of {tree} did not start")


def _workers(pid: int) -> list[int]:
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(k) for k in kids if b"resource_tracker" not in Path(f"/proc/{k}/cmdline").read_bytes()]


def _busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICK


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _held(pid: int, port: int) -> int:
    """Established connections to `port` that process `pid` holds."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":
            inodes.add(fields[9])
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            held += str(fd.readlink())[len("socket:[") : -1] in inodes
        except FileNotFoundError:
            continue
    return held


def _run(proc: subprocess.Popen[bytes], port: int, paths: list[str], clients: int) -> str:
    wrk = wrk_binary()
    if wrk is None:
        raise SystemExit("the A/B needs wrk")
    seconds = SECONDS if clients > 1 else SECONDS / 3
    run_wrk(wrk, "127.0.0.1", port, paths, clients=clients, seconds=2)  # warm-up
    bench_api._drain(port)
    split: list[int] = []
    sampler = threading.Timer(seconds / 2, lambda: split.extend(_held(w, port) for w in _workers(proc.pid)))
    server, kids = bench_api.server_cpu_seconds(proc.pid), _children_cpu()
    busy, wall = _busy_seconds(), time.time()
    sampler.start()
    res: LoadResult = run_wrk(wrk, "127.0.0.1", port, paths, clients=clients, seconds=seconds)
    sampler.join()
    server = bench_api.server_cpu_seconds(proc.pid) - server
    others = (_busy_seconds() - busy - server - (_children_cpu() - kids)) / (time.time() - wall)
    load, cpu_ms = os.getloadavg()[0], server / max(res.requests, 1) * 1000
    return (f"p50 {res.p50:6.1f} ms  p95 {res.p95:6.1f} ms  {res.rate:7.0f} req/s  server CPU {cpu_ms:.2f} "
            f"ms/request  connections {sorted(split, reverse=True)}  other jobs {max(others, 0):.2f} cores  "
            f"(load {load:.2f})")  # fmt: skip


def main(argv: list[str]) -> None:
    (label_a, tree_a, label_b, tree_b, rounds), kinds = argv[:5], argv[5:]
    store = Path(os.environ["THIDUA_BENCH_DB"]).resolve()
    scenarios = bench_api._scenarios()
    with tempfile.TemporaryDirectory(prefix="thidua-bench-ab-") as tmp:
        data_dir = Path(tmp)
        (data_dir / "thidua.sqlite3").symlink_to(store)
        index_dir(data_dir / "thidua.sqlite3").symlink_to(index_dir(store))
        servers = {}
        for label, tree in ((label_a, tree_a), (label_b, tree_b)):
            port = bench_api._free_port()
            servers[label] = (_serve(str(Path(tree).resolve()), data_dir, port), port)
        try:
            for n in range(int(rounds)):
                for kind in kinds:
                    name, _, clients = kind.partition(":")
                    for label in (label_a, label_b) if n % 2 == 0 else (label_b, label_a):
                        proc, port = servers[label]
                        figures = _run(proc, port, scenarios[name][0], int(clients or bench_api.CLIENTS))
                        print(f"{n + 1} {kind:<10} {label:<10} {figures}", flush=True)
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1:])
