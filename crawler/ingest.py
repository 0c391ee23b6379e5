"""The ingest queue: crawlers on other hosts push articles to a Redis list, and one `thidua ingest`
process deduplicates and stores them in the archive (its only writer). An item is taken with LMOVE
into a processing list and removed from it once stored, so an ingest process killed mid-item stores
it again on restart: the upsert is idempotent, the article is there once."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import redis

from corpus.store import CorpusStore
from crawler.items import ArticleItem
from crawler.pipelines.dedupe import find_original, record_duplicate
from crawler.pipelines.store import store_item
from crawler.state import CrawlState

log = logging.getLogger("thidua.ingest")
ITEMS = "thidua:ingest:items"
PROCESSING = "thidua:ingest:processing"
_COUNTERS = {"created": "articles_new", "updated": "articles_updated", "unchanged": "articles_unchanged"}
_BYTES = {f.name for f in fields(ArticleItem) if f.type in ("bytes", "bytes | None")}


def dumps(item: ArticleItem) -> bytes:
    """An item as JSON, without its raw body (bytes fields in base64)."""
    data: dict[str, Any] = asdict(item)
    data["raw_body"] = b""
    for name in _BYTES:
        if data[name] is not None:
            data[name] = base64.b64encode(data[name]).decode("ascii")
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def loads(payload: bytes) -> ArticleItem:
    data = json.loads(payload)
    for name in _BYTES:
        if data.get(name) is not None:
            data[name] = base64.b64decode(data[name])
    data["headers"] = [tuple(h) for h in data["headers"]]
    data["request_headers"] = [tuple(h) for h in data["request_headers"]]
    return ArticleItem(**data)


class ItemQueue:
    """The Redis list between crawlers and the ingest process."""

    def __init__(self, client: redis.Redis) -> None:
        self.r = client

    @classmethod
    def connect(cls, url: str) -> ItemQueue:
        client = redis.Redis.from_url(url, socket_timeout=30, health_check_interval=30)
        client.ping()
        return cls(client)

    def push(self, item: ArticleItem) -> None:
        self.r.lpush(ITEMS, dumps(item))

    def take(self, timeout: int) -> bytes | None:
        """The oldest item, moved to the processing list; None after `timeout` seconds without one."""
        payload: Any = self.r.blmove(ITEMS, PROCESSING, timeout, "RIGHT", "LEFT")
        return bytes(payload) if payload is not None else None

    def done(self, payload: bytes) -> None:
        self.r.lrem(PROCESSING, 1, payload)  # type: ignore[arg-type]  # redis-py takes bytes too

    def recover(self) -> int:
        """Put back what a previous ingest process took and did not finish; how many items."""
        moved = 0
        while self.r.lmove(PROCESSING, ITEMS, "LEFT", "RIGHT") is not None:
            moved += 1
        return moved

    def __len__(self) -> int:
        return int(self.r.llen(ITEMS))

    def close(self) -> None:
        self.r.close()


@dataclass
class IngestReport:
    """What an ingest run stored."""

    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    duplicates: int = 0
    recovered: int = 0

    def __str__(self) -> str:
        return (
            f"ingest: {self.articles_new} new, {self.articles_updated} updated, "
            f"{self.articles_unchanged} unchanged, {self.duplicates} duplicates "
            f"({self.recovered} taken back from an interrupted run)"
        )


def ingest(
    db_path: Path,
    url: str,
    *,
    once: bool = False,
    threshold: float = 0.8,
    on_idle: Callable[[IngestReport], None] | None = None,
    wait: int = 1,
) -> IngestReport:
    """Store the queue's items into the archive at `db_path`; `once`: stop when the queue is empty,
    else run until interrupted, calling `on_idle` (extract and index) whenever the queue runs dry."""
    queue = ItemQueue.connect(url)
    report = IngestReport(recovered=queue.recover())
    store, state = CorpusStore(db_path), CrawlState(db_path)
    stored_since_idle = 0
    try:
        while True:
            payload = queue.take(wait)
            if payload is None:
                if stored_since_idle and on_idle is not None:
                    on_idle(report)
                stored_since_idle = 0
                if once:
                    return report
                continue
            _store_one(store, state, loads(payload), threshold, report)
            queue.done(payload)
            stored_since_idle += 1
    finally:
        store.close()
        state.close()
        queue.close()
        log.info("%s", report)


def _store_one(
    store: CorpusStore, state: CrawlState, item: ArticleItem, threshold: float, report: IngestReport
) -> None:
    original, kind = find_original(store, state, item, threshold)
    if original is not None:
        record_duplicate(store, state, item, original, kind)
        report.duplicates += 1
        return
    counter = _COUNTERS[store_item(store, state, item)]
    setattr(report, counter, getattr(report, counter) + 1)
