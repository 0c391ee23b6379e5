"""Warm the embedded store before the first requests: `thidua serve` reads the SQLite database and its
full-text index once, in a background thread, so that the operating system holds their pages in memory.

A server started on a store the page cache has forgotten (a reboot, hours of other work) served the
facts of its first minute at a p95 of 24–149 ms against 11 ms warm (docs/API.md, Performance): every
request that touches a page not yet read waits on the disk. Reading the files through once costs about
5 s for the bench's 3.2 GiB store, off the request path. Stores larger than half the memory the system
has available are not read (they would evict each other's pages), nor is anything when the backend is
Elasticsearch."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("thidua.api")
_CHUNK = 1 << 20
_MEMINFO = Path("/proc/meminfo")


def files_of(db_path: Path, index_dir: Path) -> list[Path]:
    """The files a search reads: the database (and its write-ahead log) and the index's segments."""
    found = [p for p in (db_path, db_path.with_name(db_path.name + "-wal")) if p.is_file()]
    if index_dir.is_dir():
        found += sorted(p for p in index_dir.iterdir() if p.is_file())
    return found


def available_memory() -> int | None:
    """Bytes of memory the system has available (Linux's MemAvailable), None where it cannot tell."""
    try:
        for line in _MEMINFO.read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def read_through(paths: Iterable[Path]) -> int:
    """Read each file once, in chunks, into one reused buffer; the bytes read. A file that vanishes or
    cannot be read is skipped: warming is a courtesy, never a reason for the server not to start."""
    buffer = bytearray(_CHUNK)
    total = 0
    for path in paths:
        try:
            with path.open("rb", buffering=0) as handle:
                while count := handle.readinto(buffer):
                    total += count
        except OSError as exc:
            log.debug("not warming %s: %s", path, exc)
    return total


def warm_in_background(paths: list[Path], budget: int | None) -> threading.Thread | None:
    """Start a daemon thread reading `paths` through, unless their size exceeds `budget` bytes (None:
    unknown, then nothing is read either); the thread, or None when nothing is to be read."""
    size = sum(p.stat().st_size for p in paths if p.is_file())
    if not size:
        return None
    if budget is None:
        log.info("not warming the store: the memory available is unknown here")
        return None
    if size > budget:
        log.info(
            "not warming the store: %d MiB, more than the %d MiB of memory to spare", size >> 20, budget >> 20
        )
        return None

    def run() -> None:
        started = time.perf_counter()
        read = read_through(paths)
        log.info("warmed the store: %.1f MiB read in %.1f s", read / 2**20, time.perf_counter() - started)

    thread = threading.Thread(target=run, name="thidua-warm", daemon=True)
    thread.start()
    return thread
