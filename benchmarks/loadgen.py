"""A small closed-loop HTTP/1.1 load generator: N keep-alive clients, latency percentiles, req/s."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote


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
