"""Names that must agree between crawler processes (the round's key) or never collide (crawler ids)."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import socket

PREFIX = "thidua:frontier"


def crawl_key(spider: str, urls: list[str]) -> str:
    """The crawl's name: its spider, and a hash of its start URLs when it was given some."""
    return spider + ("-" + hashlib.sha1("\n".join(urls).encode()).hexdigest()[:10] if urls else "")


def round_key(key: str) -> str:
    """The Redis key prefix shared by every crawler of the crawl `key`."""
    return f"{PREFIX}:{key}"


def new_crawler_id() -> str:
    """Host, process and a random part: unique across hosts and restarts, readable in logs and file names."""
    host = re.sub(r"[^A-Za-z0-9.-]+", "-", socket.gethostname())[:40] or "host"
    return f"{host}-{os.getpid()}-{secrets.token_hex(3)}"
