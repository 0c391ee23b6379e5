"""Downloader middlewares: conditional requests from the seen-URL state (the crawl's ArchiveConnections),
retries with backoff (and the server's Retry-After), redirects that loop or leave the site refused and
reported, robots.txt Crawl-delay."""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from crawler.extensions import ArchiveConnections

log = logging.getLogger(__name__)


class ConditionalRequestMiddleware:
    """Sends If-None-Match/If-Modified-Since for stored articles and remembers every final response."""

    def __init__(self, crawler: Crawler, connections: ArchiveConnections) -> None:
        self.crawler = crawler
        self.connections = connections

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler, ArchiveConnections.of(crawler))

    def process_request(self, request: Request) -> None:
        if request.meta.get("kind") != "article":
            return
        record = self.connections.state.get(request.url)
        if record is None or record.article_id is None:
            return
        if record.etag:
            request.headers.setdefault(b"If-None-Match", record.etag.encode("latin-1"))
        if record.last_modified:
            request.headers.setdefault(b"If-Modified-Since", record.last_modified.encode("latin-1"))
        if record.etag or record.last_modified:
            self.crawler.stats.inc_value("thidua/conditional_requests")

    def process_response(self, request: Request, response: Response) -> Response:
        kind = request.meta.get("kind")
        if kind is None:
            return response
        self.crawler.stats.inc_value("thidua/pages_fetched")
        state = self.connections.state
        if response.status == 304:
            state.record(request.url, kind=kind, status=304)
        elif kind != "article" or response.status >= 300:
            # articles are recorded by the store pipeline, once they are safely stored
            state.record(request.url, kind=kind, status=response.status)
        return response


def retry_after(value: bytes | None, now: float) -> float | None:
    """Seconds a Retry-After header asks to wait (delta-seconds or an HTTP date), None when absent or
    unreadable."""
    text = (value or b"").decode("latin-1").strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - now)
    except (TypeError, ValueError, IndexError):
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, 429, timeouts, lost connections) with an exponential pause before each
    retry, or the longer pause the server's Retry-After asks for; asked for more than RETRY_BACKOFF_MAX,
    the request is given up (and reported) rather than retried early."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if response.status in self.retry_http_codes:
            wait = retry_after(response.headers.get("Retry-After"), time.time())
            if wait is not None:
                request.meta["retry_after"] = wait
        return super().process_response(request, response)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        wait = request.meta.pop("retry_after", None)
        if wait is not None and wait > self.cap:
            self.crawler.stats.inc_value("thidua/retry_after_too_long")
            log.warning(
                "giving up %s: the server asks to wait %.0f s (more than %.0f s)", request.url, wait, self.cap
            )
            return None
        retry = super()._retry(request, reason)
        if retry is not None:
            tries = int(retry.meta.get("retry_times", 1))
            retry.meta["backoff_delay"] = max(wait or 0.0, min(self.cap, self.base * 2 ** (tries - 1)))
            if wait is not None:
                self.crawler.stats.inc_value("thidua/retry_after_honoured")
        return retry

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("backoff_delay", 0)
        if delay > 0:
            from twisted.internet import reactor  # the reactor Scrapy installed, never a default one

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))


class ReportingRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, except that a redirect back to an address of the same chain (a loop) or to
    another site is not followed: each is logged and counted, and the request fails (its errback runs),
    instead of vanishing in the duplicate or off-site filters."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        stats = self.crawler.stats
        assert stats is not None
        if redirected.url in chain:
            stats.inc_value("thidua/redirect_loops")
            log.warning("redirect loop: %s -> %s", " -> ".join(chain), redirected.url)
            raise IgnoreRequest("redirect loop")
        if not _on_site(redirected.url, getattr(self.crawler.spider, "allowed_domains", None) or []):
            stats.inc_value("thidua/redirect_offsite")
            log.warning("off-site redirect not followed: %s -> %s", request.url, redirected.url)
            raise IgnoreRequest("redirect to another site")
        try:
            return super()._redirect(redirected, request, reason)
        except IgnoreRequest:
            stats.inc_value("thidua/redirect_loops")
            log.warning("too many redirects: %s", " -> ".join([*chain, redirected.url]))
            raise


def _on_site(url: str, domains: list[str]) -> bool:
    """Whether `url`'s host is one of the domains or under one (any host when there are none)."""
    host = urlsplit(url).hostname or ""
    return not domains or any(host == d or host.endswith("." + d) for d in domains)


class CrawlDelayMiddleware:
    """Honours robots.txt `Crawl-delay`: once a host's robots.txt (fetched by Scrapy's RobotsTxtMiddleware
    through this chain) asks for one, every request to that host waits at least that long, and AutoThrottle
    is told not to shorten it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.user_agent = crawler.settings.get("USER_AGENT") or ""
        self.delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        parts = urlsplit(request.url)
        if parts.path == "/robots.txt" and response.status == 200:
            from protego import Protego

            robots = Protego.parse(response.body.decode("utf-8", "replace"))
            delay = robots.crawl_delay(self.user_agent)
            if delay:
                self.delays[parts.netloc] = float(delay)
                self.crawler.stats.set_value(f"thidua/crawl_delay/{parts.hostname}", float(delay))
                log.info("%s asks for a crawl delay of %s s", parts.netloc, delay)
        return response

    def process_request(self, request: Request) -> None:
        delay = self.delays.get(urlsplit(request.url).netloc)
        if not delay or self.crawler.engine is None:
            return
        request.meta["autothrottle_dont_adjust_delay"] = True
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None and slot.delay < delay:
            slot.delay = delay
