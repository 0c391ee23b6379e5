"""`thidua serve --workers N`: N uvicorn processes on one address (each on a socket of its own with
`--reuse-port`), a dead one replaced, all stopped by SIGTERM; exit status 3 when the app or the address
cannot be had."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from search_api.serve import STARTUP_FAILURE
from tests.conftest import VENV_BIN
from tests.search_api.conftest import _wait_http


def _workers(pid: int) -> list[int]:
    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def _established(port: int) -> set[str]:
    """Socket inodes of established TCP connections to `port` (server side)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":
            inodes.add(fields[9])
    return inodes


def _connections(pid: int, port: int) -> int:
    """How many established connections to `port` the process holds."""
    inodes = _established(port)
    links = (_link(fd) for fd in Path(f"/proc/{pid}/fd").iterdir())
    return sum(link[len("socket:[") : -1] in inodes for link in links if link.startswith("socket:["))


def _link(fd: Path) -> str:
    """What a descriptor points to; "" when the process closed it while we looked (a worker opens and
    closes its index files as it serves)."""
    try:
        return str(fd.readlink())
    except FileNotFoundError:
        return ""


@contextmanager
def _server(tmp_path: Path, port: int, workers: int, *options: str) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "THIDUA_LOG_LEVEL": "WARNING"}
    env.pop("THIDUA_ES_URL", None)
    cmd = [str(VENV_BIN / "thidua"), "serve", "--workers", str(workers), "--port", str(port),
           "--data-dir", str(tmp_path / "var"), *options]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        assert _wait_http(f"http://127.0.0.1:{port}/health", 30), "the server did not start"
        yield proc
    finally:
        if proc.poll() is None:  # stopped as a user stops it, so that it stops its workers
            proc.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=20)
        with suppress(ProcessLookupError):  # and nothing of its session outlives the test
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _wait_listening(port: int, count: int) -> None:
    deadline = time.monotonic() + 30
    while _listening(port) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def _listening(port: int) -> int:
    """How many sockets listen on `port`."""
    rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    return sum(1 for row in rows if int(row[1].split(":")[1], 16) == port and row[3] == "0A")


def test_workers_serve_on_one_address_and_stop_together(tmp_path: Path, free_port: Callable[[], int]) -> None:
    port = free_port()
    with _server(tmp_path, port, 2, "--reuse-port") as proc:
        workers = _workers(proc.pid)
        assert len(workers) == 2
        _wait_listening(port, 2)  # the first worker answers /health before the second listens
        assert _listening(port) == 2, "each worker listens on a socket of its own"
        clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) for _ in range(40)]
        try:
            for client in clients:  # keep-alive connections, each answered twice, all by the workers
                assert client.get("/api/v1/facts?limit=1").json()["total"] == 0
                assert client.get("/health").status_code == 200
            held = [_connections(w, port) for w in workers]
            # the kernel spreads them by a hash of their addresses: all 40 on one worker has odds of 2**-39
            assert sum(held) == 40 and min(held) > 0, held
        finally:
            for client in clients:
                client.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert not any(Path(f"/proc/{w}").exists() for w in workers), "the workers stopped with the parent"


def test_a_dead_worker_is_replaced_and_the_others_keep_serving(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    with _server(tmp_path, port, workers=2) as proc:
        first, second = _workers(proc.pid)
        os.kill(first, signal.SIGKILL)  # on the shared socket, what it had queued goes to the other
        for _ in range(6):  # new connections each time: every one is answered
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                assert client.get("/api/v1/facts?limit=1").status_code == 200
        deadline = time.monotonic() + 30
        while (len(_workers(proc.pid)) < 2 or first in _workers(proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert second in _workers(proc.pid) and len(_workers(proc.pid)) == 2, "a new worker took its place"


def test_an_app_that_cannot_start_stops_the_server(tmp_path: Path, free_port: Callable[[], int]) -> None:
    (tmp_path / "var" / "thidua.sqlite3").mkdir(parents=True)  # a directory where the store should be
    env = {**os.environ, "THIDUA_LOG_LEVEL": "WARNING"}
    env.pop("THIDUA_ES_URL", None)
    cmd = [str(VENV_BIN / "thidua"), "serve", "--workers", "2", "--port", str(free_port()),
           "--data-dir", str(tmp_path / "var")]  # fmt: skip
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == STARTUP_FAILURE
    assert "could not start the app" in proc.stderr


def test_an_address_another_program_holds_stops_the_server(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        env = {**os.environ, "THIDUA_LOG_LEVEL": "WARNING"}
        env.pop("THIDUA_ES_URL", None)
        cmd = [str(VENV_BIN / "thidua"), "serve", "--workers", "2", "--port", str(port),
               "--data-dir", str(tmp_path / "var"), "--reuse-port"]  # fmt: skip
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == STARTUP_FAILURE
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr
