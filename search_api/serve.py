"""`thidua serve --workers N`: uvicorn's worker processes under its supervisor, with the HTTP limits of
search_api.http_limits; exit status 3 when the app cannot start.

With `--reuse-port` (Linux) each worker listens on a socket of its own, bound to the one address with
SO_REUSEPORT, so that the kernel spreads new connections over the workers by a hash of their addresses. On
one shared socket (the default) whichever worker wakes first takes a burst of connections (measured: 33 of
50 for one worker, 17 for the other, for the whole of a load), and the busier worker sets the tail
latency; but a worker that dies leaves its queued connections to the others (docs/API.md, Serving)."""

from __future__ import annotations

import logging
import socket
import sys

import uvicorn
from uvicorn.supervisors import Multiprocess

from search_api.http_limits import LimitedHttpToolsProtocol

log = logging.getLogger("thidua.api")
APP = "search_api.main:create_app"
# uvicorn's exit status when the app's start-up fails.
STARTUP_FAILURE = 3
# Sockets of their own per worker: Linux balances SO_REUSEPORT listeners (other systems do not).
OWN_SOCKETS = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def run(host: str, port: int, *, workers: int, reuse_port: bool = False, log_level: str = "info") -> None:
    """Serve the app from `workers` processes on host:port until SIGINT or SIGTERM (then each finishes
    the requests it has and stops), each on a socket of its own with `reuse_port` where the system
    balances them. A worker that dies is replaced; one whose app cannot start stops them all, with exit
    status 3 (uvicorn's supervisor stops, but would exit 0)."""
    own = reuse_port and OWN_SOCKETS and workers > 1
    config = uvicorn.Config(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=log_level == "debug",
        http=LimitedHttpToolsProtocol,  # 414/431 for oversized requests, before the app
        loop="search_api.own_socket_loop:OwnSocketLoop" if own else "auto",
    )
    supervisor = Multiprocess(config, sockets=[reserved(host, port) if own else config.bind_socket()])
    supervisor.run()
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        log.error("a server process could not start the app (see above); stopping")
        raise SystemExit(STARTUP_FAILURE)


def reserved(host: str, port: int) -> socket.socket:
    """The address the workers share, bound with SO_REUSEPORT and never listened on: it holds the port
    (a free one resolved when `port` is 0) and receives no connection itself."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        log.error("cannot listen on %s:%s: %s (choose another --port or stop what holds it)", host, port, exc)
        raise SystemExit(STARTUP_FAILURE) from exc
    sock.set_inheritable(True)
    return sock
