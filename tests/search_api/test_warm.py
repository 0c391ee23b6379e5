"""`thidua serve` warms the embedded store: its database and full-text index are read once, in the
background, before the first requests need them; stores too large for the memory to spare are left
alone, and a file that cannot be read is skipped."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import pytest

from runtime.settings import db_file, index_dir
from search_api.warm import available_memory, files_of, read_through, warm_in_background
from tests.conftest import VENV_BIN
from tests.search_api.conftest import _wait_http


def _store(tmp_path: Path) -> Path:
    """A database of 3 MiB and a write-ahead log, and an index of two segments, on disk."""
    db = db_file(tmp_path)
    db.write_bytes(os.urandom(3 << 20))
    db.with_name(db.name + "-wal").write_bytes(b"w" * 1000)
    index_dir(db).mkdir()
    (index_dir(db) / "a.idx").write_bytes(b"a" * 5000)
    (index_dir(db) / "meta.json").write_text("{}")
    return db


def test_the_files_a_search_reads_are_the_database_its_log_and_the_index(tmp_path: Path) -> None:
    db = _store(tmp_path)
    assert files_of(db, index_dir(db)) == [
        db,
        db.with_name(db.name + "-wal"),
        index_dir(db) / "a.idx",
        index_dir(db) / "meta.json",
    ]
    assert files_of(tmp_path / "none.sqlite3", tmp_path / "none.tantivy") == []


def test_every_byte_is_read_once_and_an_unreadable_file_is_skipped(tmp_path: Path) -> None:
    db = _store(tmp_path)
    paths = [*files_of(db, index_dir(db)), tmp_path / "gone.sqlite3"]
    assert read_through(paths) == (3 << 20) + 1000 + 5000 + 2


def test_the_warm_up_runs_beside_the_server_and_says_what_it_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = _store(tmp_path)
    with caplog.at_level(logging.INFO, logger="thidua.api"):
        thread = warm_in_background(files_of(db, index_dir(db)), budget=64 << 20)
        assert thread is not None and thread.daemon
        thread.join(timeout=30)
    assert "warmed the store: 3.0 MiB read" in caplog.text


def test_a_store_larger_than_the_memory_to_spare_is_left_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = _store(tmp_path)
    with caplog.at_level(logging.INFO, logger="thidua.api"):
        assert warm_in_background(files_of(db, index_dir(db)), budget=1 << 20) is None
        assert warm_in_background(files_of(db, index_dir(db)), budget=None) is None
    assert "not warming the store: 3 MiB" in caplog.text
    assert warm_in_background([], budget=64 << 20) is None  # nothing on disk yet: nothing to do


def test_the_memory_available_is_read_from_the_system() -> None:
    memory = available_memory()
    assert memory is None or memory > 1 << 20


def test_serve_warms_the_store_it_serves(tmp_path: Path, free_port: Callable[[], int]) -> None:
    (tmp_path / "var").mkdir()
    _store(tmp_path / "var").unlink()  # an index and a log; the server creates the database itself
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "THIDUA_LOG_LEVEL": "INFO"}
    env.pop("THIDUA_ES_URL", None)
    cmd = [str(VENV_BIN / "thidua"), "serve", "--port", str(port), "--data-dir", str(tmp_path / "var")]
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        assert _wait_http(f"http://127.0.0.1:{port}/health", 30), "the server did not start"
        deadline = time.monotonic() + 20
        while "warmed the store" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "warmed the store" in log.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
