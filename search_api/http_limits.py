"""Request size limits in the HTTP parser, before the app: a request target over MAX_TARGET_BYTES is
answered 414, header lines over MAX_HEADER_BYTES 431. httptools' URL parser keeps offsets in 16 bits, so
without this a URL over 64 KiB reached the app cut short (a filter could vanish from it)."""

from __future__ import annotations

import asyncio
import http
import json
import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("thidua.api")
MAX_TARGET_BYTES = 16 * 1024  # path and query string: a 10,000-character ASCII query fits
MAX_HEADER_BYTES = 32 * 1024  # every header line of a request together
LINGER_SECONDS = 2.0  # how long the rest of a refused request is read and dropped before closing
REFUSALS = {
    414: f"The request URL is longer than {MAX_TARGET_BYTES:,} bytes.",
    431: f"The request's headers are larger than {MAX_HEADER_BYTES:,} bytes.",
}


class RequestTooLargeError(Exception):
    """Raised in a parser callback to stop reading a request that is over a limit."""


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the size limits above; use it as `uvicorn.Config(http=…)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusal: int | None = None
        self.header_bytes = 0

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.header_bytes = 0

    def on_url(self, url: bytes) -> None:
        if len(self.url) + len(url) > MAX_TARGET_BYTES:
            self._refuse(414)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_bytes += len(name) + len(value) + 4  # "name: value\r\n"
        if self.header_bytes > MAX_HEADER_BYTES:
            self._refuse(431)
        super().on_header(name, value)

    def _refuse(self, status: int) -> None:
        self.refusal = status
        raise RequestTooLargeError(status)

    def data_received(self, data: bytes) -> None:
        if self.refusal is None:  # after a refusal, the rest of the request is dropped unread
            super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        """The parser reports an exception raised in a callback as an invalid request: answer the
        refusal instead, then read and drop what the client still sends (closing with unread data
        would reset the connection and lose the answer) until it closes or LINGER_SECONDS pass."""
        if self.refusal is None:
            super().send_400_response(msg)
            return
        log.warning("refused a request from %s: %s (%d)", self.client, REFUSALS[self.refusal], self.refusal)
        body = json.dumps({"detail": REFUSALS[self.refusal]}).encode()
        phrase = http.HTTPStatus(self.refusal).phrase
        head = [f"HTTP/1.1 {self.refusal} {phrase}".encode()]
        head += [name + b": " + value for name, value in self.server_state.default_headers]
        head += [b"content-type: application/json", b"content-length: %d" % len(body), b"connection: close"]
        self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        asyncio.get_running_loop().call_later(LINGER_SECONDS, self.transport.close)
