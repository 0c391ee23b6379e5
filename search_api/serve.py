"""Several server processes, each with its own SO_REUSEPORT socket so the kernel spreads connections."""

from __future__ import annotations

import multiprocessing
import signal
import socket
from types import FrameType

import uvicorn

APP = "search_api.main:create_app"


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket that other processes may bind to the same address too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(host: str, port: int, log_level: str) -> None:
    sock = reuseport_socket(host, port)
    config = uvicorn.Config(APP, factory=True, log_level=log_level, access_log=log_level == "debug")
    uvicorn.Server(config).run(sockets=[sock])


def run(host: str, port: int, *, workers: int, log_level: str = "info") -> None:
    """Serve the app from `workers` processes on host:port until SIGINT or SIGTERM (then stop them all).

    A shared listening socket (uvicorn's own `--workers`) lets whichever process wakes first accept
    a burst of connections, so 50 clients may end up 40/10 on two processes; SO_REUSEPORT sockets are
    balanced by the kernel per connection."""
    if workers > 1 and port == 0:
        raise ValueError("several workers need a fixed port (the kernel balances one address)")
    context = multiprocessing.get_context("spawn")
    procs = [
        context.Process(target=_worker, args=(host, port, log_level), daemon=False) for _ in range(workers)
    ]
    for proc in procs:
        proc.start()

    def stop(signum: int, frame: FrameType | None) -> None:
        for proc in procs:
            if proc.is_alive() and proc.pid:
                proc.terminate()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for proc in procs:
            proc.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
