"""Worker processes for CPU-bound stages: `ordered_map` runs a function over chunks of a stream in N
processes and yields the results in input order, holding only a bounded window of chunks in memory."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
CHUNK = 8  # items per task: enough to amortise the hand-over, small enough to balance the workers
WINDOW = 4  # chunks in flight per worker


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _context() -> Any:
    """Fork where there is one: workers start at once and share what the parent loaded; spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def ordered_map(
    fn: Callable[[list[T]], list[R]],
    items: Iterable[T],
    *,
    workers: int,
    chunk: int = CHUNK,
    setup: tuple[Callable[..., None], tuple[Any, ...]] | None = None,
) -> Iterator[R]:
    """`fn` over chunks of `items`, in `workers` processes; the results in input order. `setup` is
    (function, arguments) run once in each worker first (with fork the arguments need not pickle).
    One worker (or fewer) runs everything in this process."""
    if workers <= 1:
        if setup is not None:
            setup[0](*setup[1])
        for part in _chunks(items, chunk):
            yield from fn(part)
        return
    pending: deque[Future[list[R]]] = deque()
    init, args = setup or (None, ())
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=init, initargs=args) as pool:
        for part in _chunks(items, chunk):
            pending.append(pool.submit(fn, part))
            if len(pending) >= workers * WINDOW:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
