"""A threaded local web server for saved pages, with ETag/Last-Modified and 304s; serves the sample site."""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

SAMPLE_ROOT = Path(__file__).parent
LAST_MODIFIED = formatdate(1704067200, usegmt=True)  # fixed: the files do not change between runs
# Our own server on 127.0.0.1: no reason to throttle.
SAMPLE_OVERRIDES = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8}

Resolver = Callable[[str], bytes | None]


def file_key(path_and_query: str) -> str:
    """The file a URL path (and query) is stored under: `/a/` is `a/index.html`, `?q` becomes `@q`."""
    parts = urlsplit(path_and_query)
    path = unquote(parts.path).lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return path + (f"@{parts.query}" if parts.query else "")


def directory_resolver(root: Path) -> Resolver:
    """Pages from files under `root` (see `file_key`); nothing outside it."""
    base = root.resolve()

    def resolve(path_and_query: str) -> bytes | None:
        target = (base / file_key(path_and_query)).resolve()
        if base not in target.parents or not target.is_file():
            return None
        return target.read_bytes()

    return resolve


def mapping_resolver(pages: Mapping[str, bytes]) -> Resolver:
    """Pages from memory, keyed by path (and query)."""
    return pages.get


def _content_type(path: str) -> str:
    if path.endswith(".txt"):
        return "text/plain; charset=utf-8"
    if path.endswith(".xml"):
        return "application/xml"
    return "text/html; charset=utf-8"


class SiteHandler(BaseHTTPRequestHandler):
    """GET/HEAD of resolved pages; conditional requests answered with 304."""

    resolver: Resolver
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the crawler logs what it fetched."""

    def send_page(
        self, status: int, body: bytes, content_type: str, extra: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_modified(self, etag: str) -> bool:
        if (match := self.headers.get("If-None-Match")) is not None:
            return etag in [m.strip() for m in match.split(",")]
        if since := self.headers.get("If-Modified-Since"):
            try:
                return parsedate_to_datetime(since) >= parsedate_to_datetime(LAST_MODIFIED)
            except (TypeError, ValueError):
                return False
        return False

    def do_GET(self) -> None:
        body = type(self).resolver(self.path)
        if body is None:
            self.send_page(
                404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html; charset=utf-8"
            )
            return
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if self._not_modified(etag):
            self.send_response(304)
            for key, value in validators.items():
                self.send_header(key, value)
            self.end_headers()
            return
        self.send_page(200, body, _content_type(urlsplit(self.path).path), validators)

    do_HEAD = do_GET  # noqa: N815


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up early (a crawler's timeout) are normal here, not tracebacks."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


@contextmanager
def serve(resolver: Resolver, handler: type[SiteHandler] = SiteHandler) -> Iterator[str]:
    """Serve pages on 127.0.0.1 at a free port in a background thread; yields the base URL."""
    cls = type("BoundHandler", (handler,), {"resolver": staticmethod(resolver)})
    server = _Server(("127.0.0.1", 0), cls)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def sample_sites() -> dict[str, list[str]]:
    """The sample site's sites and the start paths of each (from `sites.json`)."""
    manifest = json.loads((SAMPLE_ROOT / "sites.json").read_text(encoding="utf-8"))
    return {name: list(spec["start"]) for name, spec in manifest.items()}


@contextmanager
def serve_sample_sites() -> Iterator[dict[str, list[str]]]:
    """Serve each sample site on its own port; yields {site profile: [start URLs]}."""
    with ExitStack() as stack:
        sites = sample_sites()
        bases = {name: stack.enter_context(serve(directory_resolver(SAMPLE_ROOT / name))) for name in sites}
        yield {name: [bases[name] + path for path in paths] for name, paths in sites.items()}
