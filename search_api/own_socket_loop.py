"""The event loop of a worker under `thidua serve --reuse-port` (Linux): uvloop, serving the address the
supervisor reserved (search_api.serve.reserved) on a listening socket of its own. Named by uvicorn's
`loop` setting and imported only in the workers, so serve.py needs no uvloop (none on Windows)."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import uvloop

from search_api.serve import STARTUP_FAILURE

log = logging.getLogger("thidua.api")


class OwnSocketLoop(uvloop.Loop):
    """uvicorn's event loop in a worker (uvloop), serving the reserved address on a listening socket of its
    own (SO_REUSEPORT) instead of the supervisor's socket it is handed."""

    async def create_server(self, protocol_factory: Any, *args: Any, **kwargs: Any) -> asyncio.AbstractServer:  # type: ignore[override]
        shared: socket.socket | None = kwargs.pop("sock", None)
        if shared is None or shared.family not in (socket.AF_INET, socket.AF_INET6):
            return await super().create_server(protocol_factory, *args, sock=shared, **kwargs)
        host, port = shared.getsockname()[:2]
        shared.close()  # this process's copy of the reservation
        try:
            return await super().create_server(protocol_factory, host, port, reuse_port=True, **kwargs)
        except OSError as exc:
            log.error("a worker cannot listen on %s:%s: %s", host, port, exc)
            raise SystemExit(STARTUP_FAILURE) from exc
