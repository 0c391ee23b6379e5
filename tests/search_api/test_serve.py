"""`thidua serve --workers N`: N processes on one address sharing connections evenly, all stopped by
SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from search_api.serve import Dispatcher
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
def _server(tmp_path: Path, port: int, workers: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "THIDUA_LOG_LEVEL": "WARNING"}
    env.pop("THIDUA_ES_URL", None)
    cmd = [str(VENV_BIN / "thidua"), "serve", "--workers", str(workers), "--port", str(port),
           "--data-dir", str(tmp_path / "var")]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    try:
        assert _wait_http(f"http://127.0.0.1:{port}/health", 30), "the server did not start"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_workers_share_connections_evenly_and_stop_together(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    with _server(tmp_path, port, workers=2) as proc:
        workers = _workers(proc.pid)
        assert len(workers) == 2
        clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) for _ in range(10)]
        try:
            for client in clients:  # ten keep-alive connections, opened one after another
                assert client.get("/api/v1/facts?limit=1").json()["total"] == 0
            assert sorted(_connections(w, port) for w in workers) == [5, 5]
            for client in clients[:4]:
                client.close()
            deadline = time.monotonic() + 10
            while sum(_connections(w, port) for w in workers) > 6 and time.monotonic() < deadline:
                time.sleep(0.05)
            fresh = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) for _ in range(4)]
            for client in fresh:  # new connections go where connections closed
                assert client.get("/health").status_code == 200
            assert sorted(_connections(w, port) for w in workers) == [5, 5]
            for client in fresh:
                client.close()
        finally:
            for client in clients:
                client.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) is not None
        assert not any(Path(f"/proc/{w}").exists() for w in workers), "the workers stopped with the parent"


def test_a_dead_worker_is_replaced_and_the_others_keep_serving(
    tmp_path: Path, free_port: Callable[[], int]
) -> None:
    port = free_port()
    with _server(tmp_path, port, workers=2) as proc:
        first, second = _workers(proc.pid)
        os.kill(first, signal.SIGKILL)
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
    assert proc.returncode != 0
    assert "could not start the app" in proc.stderr


def test_dispatcher_prefers_the_least_busy_worker_then_takes_turns() -> None:
    pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET) for _ in range(3)]
    closed = [0, 0, 0]
    dispatch = Dispatcher([a for a, _ in pairs], closed)
    try:
        conn, other = socket.socketpair()
        with conn, other:
            for _ in range(6):
                assert dispatch(conn)
            assert dispatch.sent == [2, 2, 2]
            closed[1] = 2  # worker 1 finished both of its connections
            assert dispatch(conn) and dispatch(conn) and dispatch.sent == [2, 4, 2]
            pairs[0][1].close()  # worker 0 is gone while it looks least busy: the next one takes it
            closed[0] = 2
            assert dispatch(conn)
            assert dispatch.alive == [False, True, True]
            assert dispatch.sent[0] == 2 and sum(dispatch.sent) == 9
    finally:
        for a, b in pairs:
            a.close()
            b.close()
