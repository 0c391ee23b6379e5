"""`thidua serve --workers N`: N processes on one address, each answering, all stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import VENV_BIN
from tests.search_api.conftest import _wait_http


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_workers_share_the_port_and_stop_together(tmp_path: Path, free_port: Callable[[], int]) -> None:
    port = free_port()
    env = {**os.environ, "THIDUA_LOG_LEVEL": "WARNING"}
    env.pop("THIDUA_ES_URL", None)
    cmd = [str(VENV_BIN / "thidua"), "serve", "--workers", "2", "--port", str(port),
           "--data-dir", str(tmp_path / "var")]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    try:
        assert _wait_http(f"http://127.0.0.1:{port}/health", 30), "the server did not start"
        workers = [c for c in _children(proc.pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
        assert len(workers) == 2
        listening = {w for w in workers if any("socket:" in os.readlink(f"/proc/{w}/fd/{fd}")
                                               for fd in os.listdir(f"/proc/{w}/fd"))}  # fmt: skip
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
