"""What crawler processes sharing a frontier or an archive check and prepare before they start."""

from __future__ import annotations

import fcntl
from pathlib import Path

import redis

from corpus.store import CorpusStore
from crawler.runner import CrawlError
from crawler.state import CrawlState


def check_redis(what: str, url: str) -> None:
    """CrawlError with what to do when the Redis at `url` does not answer."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    except ValueError as exc:
        raise CrawlError(f"the {what} {url!r} is not a Redis URL ({exc}); use redis://HOST:PORT/DB") from None
    try:
        client.ping()
    except redis.RedisError as exc:
        raise CrawlError(f"the {what} at {url} does not answer ({exc}); start Redis or fix the URL") from None
    finally:
        client.close()


def prepare_archive(db_path: Path) -> None:
    """Create the archive's tables (and switch it to WAL) once, under a lock, so that crawlers starting
    together on one host do not race on the schema; their writes then wait on SQLite's busy timeout."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with db_path.with_name(db_path.name + ".init.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        CorpusStore(db_path).close()
        CrawlState(db_path).close()
