"""Several server processes behind one acceptor that hands each new connection to the process with the
fewest open ones, so a few long-lived connections (a proxy's keep-alive pool, a load test) spread evenly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import selectors
import signal
import socket
import sys
from collections.abc import Callable, MutableSequence
from types import FrameType
from typing import Any

import uvicorn

from search_api.http_limits import LimitedHttpToolsProtocol

log = logging.getLogger("thidua.api")
APP = "search_api.main:create_app"
# uvicorn's exit status when the app's start-up fails.
STARTUP_FAILURE = 3
ProtocolFactory = Callable[[], asyncio.Protocol]


def run(host: str, port: int, *, workers: int, log_level: str = "info") -> None:
    """Serve the app from `workers` processes on host:port until SIGINT or SIGTERM (then stop them all).

    Kernel balancing (a shared socket, or SO_REUSEPORT's hash) may put 50 keep-alive connections
    33/17 on two processes, and the busier one's clients then wait twice as long; here the parent
    accepts and passes each connection (its file descriptor) to the least busy worker. A worker that
    dies is replaced; one whose app fails to start stops the server (exit status 3)."""
    healthy = True
    listener = socket.create_server((host, port), family=_family(host), backlog=2048)
    pool = Pool(workers, log_level)
    stopping: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(listener, selectors.EVENT_READ)
            while not stopping and (healthy := pool.check()):
                if selector.select(timeout=0.5):
                    with contextlib.suppress(BlockingIOError, InterruptedError, ConnectionAbortedError):
                        conn, _ = listener.accept()
                        with conn:
                            pool.dispatch(conn)
    finally:
        listener.close()
        pool.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not stopping and not healthy:
        raise SystemExit(STARTUP_FAILURE)


class Pool:
    """The worker processes, each with its channel for connections, replaced when one dies."""

    def __init__(self, workers: int, log_level: str) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.log_level = log_level
        self.closed: MutableSequence[int] = self.context.RawArray("q", workers)  # connections each closed
        self.procs: list[Any] = [None] * workers
        self.dispatch = Dispatcher([self._start(n) for n in range(workers)], self.closed)

    def _start(self, n: int) -> socket.socket:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.closed[n] = 0
        self.procs[n] = self.context.Process(target=_worker, args=(child, self.closed, n, self.log_level))
        self.procs[n].start()
        child.close()
        return parent

    def check(self) -> bool:
        """Replace dead workers; False when a worker's app failed to start (nothing would serve)."""
        for n, proc in enumerate(self.procs):
            if proc.is_alive():
                continue
            if proc.exitcode == STARTUP_FAILURE:
                log.error("a server process could not start the app (see above); stopping")
                return False
            log.warning("server process %s ended (exit code %s); starting another", proc.pid, proc.exitcode)
            self.dispatch.replace(n, self._start(n))
        return True

    def stop(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self.procs:
            proc.join()


class Dispatcher:
    """Hands connections to workers: the one with the fewest open connections, ties in turn."""

    def __init__(self, channels: list[socket.socket], closed: MutableSequence[int]) -> None:
        self.channels = channels
        self.closed = closed
        self.sent = [0] * len(channels)
        self.alive = [True] * len(channels)
        self.turn = 0

    def __call__(self, conn: socket.socket) -> bool:
        """Pass `conn` on (the caller closes its own copy); False when no worker takes it."""
        if conn.family in (socket.AF_INET, socket.AF_INET6):  # small responses go out at once
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while any(self.alive):
            n = self._pick()
            try:
                socket.send_fds(self.channels[n], [b"c"], [conn.fileno()])
            except OSError:  # the worker is gone: the next one takes the connection
                self.alive[n] = False
                continue
            self.sent[n] += 1
            return True
        return False

    def replace(self, n: int, channel: socket.socket) -> None:
        """A new worker in slot `n`: no connections yet."""
        self.channels[n].close()
        self.channels[n] = channel
        self.sent[n] = 0
        self.alive[n] = True

    def _pick(self) -> int:
        count = len(self.channels)
        order = [(self.turn + k) % count for k in range(count)]
        open_now = {n: self.sent[n] - self.closed[n] for n in order if self.alive[n]}
        chosen = min(open_now, key=lambda n: (open_now[n], order.index(n)))
        self.turn = (chosen + 1) % count
        return chosen


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _worker(channel: socket.socket, closed: MutableSequence[int], index: int, log_level: str) -> None:
    config = uvicorn.Config(
        APP, factory=True, log_level=log_level, access_log=log_level == "debug", http=LimitedHttpToolsProtocol
    )
    HandedServer(config, channel, lambda: _count_close(closed, index)).run()


def _count_close(closed: MutableSequence[int], index: int) -> None:
    closed[index] += 1  # this worker is the only writer of its slot


class HandedServer(uvicorn.Server):
    """A uvicorn server without a listening socket: it serves the connections its parent hands over."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket, on_close: Callable[[], None]) -> None:
        super().__init__(config)
        self.channel = channel
        self.on_close = on_close

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await self.lifespan.startup()
        if self.lifespan.should_exit:
            sys.exit(STARTUP_FAILURE)
        protocol = _closing(self.config.http_protocol_class, self.on_close)

        def create_protocol(_loop: asyncio.AbstractEventLoop | None = None) -> asyncio.Protocol:
            return protocol(  # type: ignore[no-any-return]
                config=self.config, server_state=self.server_state, app_state=self.lifespan.state, _loop=_loop
            )

        self.servers = []
        self.channel.setblocking(False)
        loop = asyncio.get_running_loop()
        loop.add_reader(self.channel.fileno(), self._receive, loop, create_protocol)
        self.started = True

    def _receive(self, loop: asyncio.AbstractEventLoop, create_protocol: ProtocolFactory) -> None:
        try:
            data, fds, _, _ = socket.recv_fds(self.channel, 1, 8)
        except (BlockingIOError, InterruptedError):
            return
        if not data:  # the parent is gone: finish the open connections and stop
            loop.remove_reader(self.channel.fileno())
            self.should_exit = True
            return
        for fd in fds:
            loop.create_task(self._serve_one(loop, create_protocol, socket.socket(fileno=fd)))

    async def _serve_one(
        self, loop: asyncio.AbstractEventLoop, create_protocol: ProtocolFactory, conn: socket.socket
    ) -> None:
        conn.setblocking(False)
        try:
            await loop.connect_accepted_socket(create_protocol, conn)
        except OSError:  # the client left before it was served
            conn.close()
            self.on_close()


def _closing(protocol_class: Any, on_close: Callable[[], None]) -> Any:
    """`protocol_class` reporting each connection's end (the parent counts open connections)."""

    class Closing(protocol_class):  # type: ignore[misc]
        def connection_lost(self, exc: Exception | None) -> None:
            super().connection_lost(exc)
            on_close()

    return Closing
