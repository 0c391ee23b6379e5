"""Progress for long work: a bar on a terminal, periodic log lines elsewhere."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
log = logging.getLogger("thidua.progress")


def track(items: Iterable[T], *, desc: str, total: int | None = None, every: float = 5.0) -> Iterator[T]:
    """Yield `items`, showing a tqdm bar on a TTY or logging `desc: n/total` every `every` seconds."""
    if sys.stderr.isatty():
        yield from tqdm(items, desc=desc, total=total, unit="item", leave=False, file=sys.stderr)
        return
    done, last = 0, time.monotonic()
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= every:
            log.info("%s: %d%s", desc, done, f"/{total}" if total else "")
            last = now
    log.info("%s: %d done", desc, done)
