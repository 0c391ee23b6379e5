"""A bounded response cache for the read endpoints: keyed by the normalised query and the index generation."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from cachetools import LRUCache


def utf8_size(body: str) -> int:
    """A body's size as it goes over the wire: its UTF-8 bytes, not its characters."""
    return len(body.encode("utf-8"))


class ResponseCache:
    """Serialised responses in a `cachetools.LRUCache` weighed in UTF-8 bytes: the least recently used
    leave first once `max_bytes` is exceeded, and a body larger than the bound is never kept.

    Every entry belongs to one index generation: a sync, a deletion or a rebuild starts a new one and
    empties the cache. `max_bytes=0` or an unknown generation (backends without one) disables it."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: LRUCache[Hashable, str] = LRUCache(maxsize=max(max_bytes, 1), getsizeof=utf8_size)
        self._generation: str | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def size(self) -> int:
        """The UTF-8 bytes of the bodies kept."""
        return int(self._items.currsize)

    def get(self, key: Hashable, current: Callable[[], str | None], compute: Callable[[], str]) -> str:
        """The cached body for `key` in the `current()` generation, else `compute()` (kept if it fits)."""
        generation = current() if self.max_bytes else None
        if generation is None:
            return compute()
        with self._lock:
            if generation != self._generation:
                self._items.clear()
                self._generation = generation
            body = self._items.get(key)
            if body is not None:
                self.hits += 1
                return body
            self.misses += 1
        body = compute()
        with self._lock:
            if (
                generation == self._generation
                and key not in self._items
                and utf8_size(body) <= self.max_bytes
            ):
                self._items[key] = body
        return body
