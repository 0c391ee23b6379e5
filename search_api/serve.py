"""`thidua serve --workers N`: uvicorn's worker processes sharing one listening socket, with the HTTP
limits of search_api.http_limits; exit status 3 when the app cannot start."""

from __future__ import annotations

import logging

import uvicorn
from uvicorn.supervisors import Multiprocess

from search_api.http_limits import LimitedHttpToolsProtocol

log = logging.getLogger("thidua.api")
APP = "search_api.main:create_app"
# uvicorn's exit status when the app's start-up fails.
STARTUP_FAILURE = 3


def run(host: str, port: int, *, workers: int, log_level: str = "info") -> None:
    """Serve the app from `workers` processes on host:port until SIGINT or SIGTERM (then each finishes
    the requests it has and stops). A worker that dies is replaced; one whose app cannot start stops them
    all, with exit status 3 (uvicorn's supervisor stops, but would exit 0)."""
    config = uvicorn.Config(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=log_level == "debug",
        http=LimitedHttpToolsProtocol,  # 414/431 for oversized requests, before the app
    )
    supervisor = Multiprocess(config, sockets=[config.bind_socket()])
    supervisor.run()
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        log.error("a server process could not start the app (see above); stopping")
        raise SystemExit(STARTUP_FAILURE)
