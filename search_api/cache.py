"""A bounded response cache for the read endpoints: keyed by the normalised query and the index generation."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class ResponseCache:
    """Serialised responses, least recently used dropped first once `max_bytes` is exceeded.

    Every entry belongs to one index generation: a sync, a deletion or a rebuild starts a new one and
    empties the cache. `max_bytes=0` or an unknown generation (backends without one) disables it."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._size = 0
        self._generation: str | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, current: Callable[[], str | None], compute: Callable[[], str]) -> str:
        """The cached body for `key` in the `current()` generation, else `compute()` (kept if it fits)."""
        generation = current() if self.max_bytes else None
        if generation is None:
            return compute()
        with self._lock:
            if generation != self._generation:
                self._items.clear()
                self._size = 0
                self._generation = generation
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return body
            self.misses += 1
        body = compute()
        with self._lock:
            if generation == self._generation and key not in self._items and len(body) <= self.max_bytes:
                self._items[key] = body
                self._size += len(body)
                while self._size > self.max_bytes:
                    _, dropped = self._items.popitem(last=False)
                    self._size -= len(dropped)
        return body
