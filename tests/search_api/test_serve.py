"""`thidua serve --workers N`: N processes on one address, each answering, all stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import VENV_BIN
from tests.search_api.conftest import _wait_http


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _workers(pid: int) -> tuple[list[int], set[int]]:
    """The server's worker processes and those of them holding a socket."""
    workers = [c for c in _children(pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
    listening = {w for w in workers if any("socket:" in os.readlink(f"/proc/{w}/fd/{fd}")
                                           for fd in os.listdir(f"/proc/{w}/fd"))}  # fmt: skip
    return workers, listening


def test_workers_share_the_port_and_stop_together(tmp_path: Path, free_port: Callable[[], int]) -> None:
    port = free_port()
    env = {**os.environ, "THIDUA_LOG_LEVEL": "WARNING"}
    env.pop("THIDUA_ES_URL", None)
    cmd = [str(VENV_BIN / "thidua"), "serve", "--workers", "2", "--port", str(port),
           "--data-dir", str(tmp_path / "var")]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    try:
        assert _wait_http(f"http://127.0.0.1:{port}/health", 30), "the server did not start"
        deadline = time.monotonic() + 20  # /health answers as soon as the first worker is up
        workers, listening = _workers(proc.pid)
        while (len(workers) != 2 or listening != set(workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
            workers, listening = _workers(proc.pid)
        assert len(workers) == 2
        assert listening == set(workers), "every worker holds its own socket"
        for _ in range(20):  # new connections each time: every one is answered
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                assert client.get("/api/v1/facts?limit=1").json()["total"] == 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) is not None
        assert not any(Path(f"/proc/{w}").exists() for w in workers), "the workers stopped with the parent"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
