"""Closed-loop HTTP/1.1 load from `wrk` cycling through paths, or an asyncio fallback: percentiles, req/s."""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

WRK_SCRIPT = Path(__file__).with_name("wrk_paths.lua")


@dataclass(frozen=True)
class LoadResult:
    """Latencies (ms) and throughput of one load run."""

    requests: int
    errors: int
    seconds: float
    p50: float
    p95: float
    p99: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    writer.write(f"GET {quote(path, safe='/?=&%-_.~')} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    await reader.readexactly(length)
    return int(status_line.split()[1])


async def _client(host: str, port: int, paths: Callable[[random.Random], str], until: float,
                  seed: int, latencies: list[float], errors: list[int]) -> None:  # fmt: skip
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            status = await _get(reader, writer, f"{host}:{port}", paths(rng))
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


def run_load(
    host: str, port: int, paths: Callable[[random.Random], str], *, clients: int, seconds: float
) -> LoadResult:
    """`clients` concurrent keep-alive connections issuing GET paths(rng) for `seconds`."""
    latencies: list[float] = []
    errors: list[int] = []

    async def main() -> float:
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(
            *(_client(host, port, paths, until, n, latencies, errors) for n in range(clients))
        )
        return time.perf_counter() - started

    elapsed = asyncio.run(main())
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return LoadResult(len(latencies), len(errors), elapsed, cuts[49], cuts[94], cuts[98])


@lru_cache(maxsize=1)
def wrk_binary() -> str | None:
    """The `wrk` executable, installed from Debian when missing and possible (None otherwise)."""
    if not shutil.which("wrk") and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, check=False)
    return shutil.which("wrk")


def run_wrk(wrk: str, host: str, port: int, paths: list[str], *, clients: int, seconds: float) -> LoadResult:
    """`clients` keep-alive connections from one wrk thread cycling through `paths` for `seconds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as listing:
        listing.write("".join(quote(p, safe="/?=&%-_.~") + "\n" for p in paths))
        listing.flush()
        # A long timeout: wrk leaves timed-out requests out of its latencies, which would flatter them.
        cmd = [wrk, "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "60s",
               "-s", str(WRK_SCRIPT), f"http://{host}:{port}", "--", listing.name]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    return LoadResult(
        requests=figures["requests"],
        errors=figures["errors"] + figures["non_2xx"],
        seconds=figures["duration_us"] / 1e6,
        p50=figures["p50"] / 1000,
        p95=figures["p95"] / 1000,
        p99=figures["p99"] / 1000,
    )
