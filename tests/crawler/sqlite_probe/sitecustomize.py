"""Loaded at start-up by the Python processes of a crawl that a test puts this directory on PYTHONPATH
for: every SQLite connection the process opens, and every close, is appended to THIDUA_SQLITE_PROBE."""

from __future__ import annotations

import itertools
import os
import sqlite3
from pathlib import Path
from typing import Any

_LOG = os.environ.get("THIDUA_SQLITE_PROBE")
_numbers = itertools.count(1)


def _note(event: str, number: int, detail: str = "") -> None:
    """One line per event, written at once: a crawl killed with SIGKILL loses none of them."""
    assert _LOG is not None
    with Path(_LOG).open("a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {event} {number} {detail}\n")


class _ProbedConnection(sqlite3.Connection):
    number = 0

    def close(self) -> None:
        _note("close", self.number)
        super().close()


def _connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
    kwargs.setdefault("factory", _ProbedConnection)
    conn = _real_connect(database, *args, **kwargs)
    if isinstance(conn, _ProbedConnection):
        conn.number = next(_numbers)
        _note("open", conn.number, str(database))
    return conn


if _LOG:
    _real_connect = sqlite3.connect
    sqlite3.connect = _connect
