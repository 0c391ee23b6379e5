"""The profile-driven spider: every fetched page says itself whether it is an article (stored) or a listing
(its article links and next pages followed); sitemaps, feeds and a site's search lead to more pages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response
from twisted.python.failure import Failure

from corpus.dedupe import same_site
from crawler import discovery
from crawler.charset import Decoded, LegacyEncodingError, binary_kind, decode_html
from crawler.extraction import extract_page
from crawler.items import ArticleItem
from crawler.links import Link, feed_links, looks_like_item, page_links
from crawler.loaders import ArticleLoader
from crawler.pagekind import classify
from crawler.sites import GENERIC, SiteProfile, load_site
from crawler.state import utc_now
from crawler.targeting import score, search_urls

ARTICLE_PRIORITY = 10  # finish articles before walking further listing pages; likelier ones first
TARGET_SCORE = 2  # a targeted crawl fetches links whose title or URL scores this much (crawler/targeting)


def _split(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    return [v for v in (value.split(",") if isinstance(value, str) else value) if v]


def _flag(value: Any) -> bool | None:
    """A spider argument or setting as a boolean (`-a targeted=1`, `-s THIDUA_TARGETED=false`)."""
    if value is None or value == "":
        return None
    return str(value).strip().lower() not in ("0", "false", "no", "off")


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    return [
        (key.decode("latin-1"), value.decode("latin-1"))
        for key, values in headers.items()
        for value in values
    ]


class ProfileSpider(scrapy.Spider):
    """Crawls one site profile; `-a start_urls=…` re-targets it (a local mirror, one section), `-a
    targeted=1` fetches only what looks like thi đua, `-a discover=1` reads robots.txt sitemaps and feeds."""

    name = ""  # abstract: the per-profile subclasses in spiders/sites.py carry the names
    profile_name = GENERIC

    def __init__(
        self,
        *args: Any,
        site: str | None = None,
        start_urls: str | list[str] | None = None,
        max_pages: int | str | None = None,
        targeted: str | bool | None = None,
        discover: str | bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_pages = int(max_pages) if max_pages else None
        self.scheduled = 0
        profile = load_site(site or self.profile_name)
        self.site_domains = list(profile.allowed_domains)  # the site's own, kept when a mirror is crawled
        override = _split(start_urls)
        self.profile: SiteProfile = profile.with_start_urls(override) if override else profile
        self.allowed_domains = list(self.profile.allowed_domains)
        self.source = self.profile.source or (
            urlsplit(self.profile.start_urls[0]).hostname if override else None
        )
        self._targeted, self._discover = _flag(targeted), _flag(discover)

    def _option(self, given: bool | None, setting: str, default: bool) -> bool:
        """A spider argument, else the THIDUA_* setting, else the profile's value."""
        if given is not None:
            return given
        configured = _flag(self.settings.get(setting)) if hasattr(self, "crawler") else None
        return default if configured is None else configured

    @property
    def targeted(self) -> bool:
        return self._option(self._targeted, "THIDUA_TARGETED", self.profile.targeted)

    @property
    def discover(self) -> bool:
        return self._option(self._discover, "THIDUA_DISCOVER", self.profile.discover)

    @property
    def search_url(self) -> str | None:
        """The site's search page template: the THIDUA_SEARCH_URL setting, else the profile's."""
        configured = self.settings.get("THIDUA_SEARCH_URL") if hasattr(self, "crawler") else None
        return configured or self.profile.search_url

    async def start(self) -> AsyncIterator[Any]:
        for request in self._start_requests():
            if request is not None:
                yield request

    def _start_requests(self) -> Iterator[scrapy.Request | None]:
        starts = self.profile.start_urls
        for url in starts:
            if self.profile.is_article_url(url):
                yield self.article_request(url)
            else:
                yield self.listing_request(url, dont_filter=True)  # listings change: always fetched
        if not starts:
            return
        if self.targeted and self.search_url:
            for url in search_urls(self.search_url, starts[0]):
                yield self.listing_request(url, dont_filter=True)
        for url in self.profile.sitemaps:
            yield self._xml_request(urljoin(starts[0], url), self.parse_sitemap, "sitemap")
        for url in self.profile.feeds:
            yield self._xml_request(urljoin(starts[0], url), self.parse_feed, "feed")
        if self.discover:
            for base in dict.fromkeys(urljoin(u, "/") for u in starts):
                yield self._xml_request(base + "robots.txt", self.parse_robots, "robots")

    def _budgeted(self, request: scrapy.Request) -> scrapy.Request | None:
        """The request, unless `max_pages` requests were already issued."""
        if self.max_pages is not None and self.scheduled >= self.max_pages:
            return None
        self.scheduled += 1
        return request

    def _xml_request(self, url: str, callback: Any, kind: str) -> scrapy.Request | None:
        meta: dict[str, Any] = {"kind": kind}
        if kind == "robots":
            meta["handle_httpstatus_list"] = [404, 410]  # a site without robots.txt is no failure
        return self._budgeted(scrapy.Request(url, callback, errback=self.on_error, meta=meta))

    def article_request(self, url: str, *, relevance: int = 0, detours: int = 1) -> scrapy.Request | None:
        """A page that is probably an article (its URL or link says so); its markup decides."""
        return self._budgeted(
            scrapy.Request(
                url,
                self.parse_page,
                errback=self.on_error,
                priority=ARTICLE_PRIORITY + relevance,
                meta={"kind": "article", "handle_httpstatus_list": [304], "detours": detours},
            )
        )

    def listing_request(
        self, url: str, *, dont_filter: bool = False, relevance: int = 0, detours: int = 0
    ) -> scrapy.Request | None:
        """A page that is probably a listing (a start page, a next page, a search result page)."""
        return self._budgeted(
            scrapy.Request(
                url,
                self.parse_page,
                errback=self.on_error,
                dont_filter=dont_filter,
                priority=relevance,
                meta={"kind": "listing", "detours": detours},
            )
        )

    def _allowed(self, url: str) -> bool:
        """On one of the site's own hosts (`www.` aside); a subdomain is another site (a board, a town)."""
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        return not self.allowed_domains or any(host == d.removeprefix("www.") for d in self.allowed_domains)

    def parse_page(self, response: Response) -> Iterator[ArticleItem | scrapy.Request]:
        """An article page becomes an item; any other page is a listing whose links are followed."""
        if response.status == 304:
            self.crawler.stats.inc_value("thidua/not_modified")
            return
        expected_article = response.meta.get("kind") == "article"
        decoded, problem = self._decode(response)
        if decoded is None:
            if expected_article:
                yield self._item(response, {"problem": problem})
            else:
                self.logger.warning("listing page not readable: %s (%s)", response.url, problem)
            return
        sel = Selector(text=decoded.text)
        verdict = classify(
            sel, url_hint=self.profile.is_article_url(response.url), timezone=self.profile.timezone
        )
        self.logger.debug("%s: %s", response.url, verdict.reason)
        if verdict.is_article:
            self.crawler.stats.inc_value("thidua/pages_article")
            yield self._item(response, self._page_values(response, decoded))
            return
        self.crawler.stats.inc_value("thidua/pages_listing")
        if int(response.meta.get("detours", 0)) <= self.profile.max_detours:  # listings reached off-list
            yield from self._follow(response, sel)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Article links and further listing pages (pagination, search results) of a listing page."""
        decoded, problem = self._decode(response)
        if decoded is None:
            self.logger.warning("listing page not readable: %s (%s)", response.url, problem)
            return
        yield from self._follow(response, Selector(text=decoded.text))

    def _decode(self, response: Response) -> tuple[Decoded | None, str]:
        if kind := binary_kind(response.body, _content_type(response)):
            self.crawler.stats.inc_value("thidua/not_html")
            return None, f"not a web page: {kind}"  # a PDF or an image is no legacy-encoded text
        try:
            return decode_html(response.body, _content_type(response)), ""
        except LegacyEncodingError as exc:
            return None, f"legacy-encoding: {exc}"

    def _follow(self, response: Response, sel: Selector) -> Iterator[scrapy.Request]:
        detours = int(response.request.meta.get("detours", 0)) if response.request else 0
        for link in page_links(sel, response.url):
            if (
                self._allowed(link.url)
                and not self.profile.is_excluded(link.url)
                and (request := self._link_request(link, detours)) is not None
            ):
                yield request
        if self.discover:
            for url in feed_links(sel, response.url):
                if self._allowed(url) and (request := self._xml_request(url, self.parse_feed, "feed")):
                    yield request

    def _link_request(self, link: Link, detours: int) -> scrapy.Request | None:
        relevance = score(link.text, link.url)
        listing_hint = self.profile.is_listing_url(link.url)
        if self.profile.is_article_url(link.url) or (link.kind == "item" and not listing_hint):
            if self.targeted and relevance < TARGET_SCORE:
                self.crawler.stats.inc_value("thidua/skipped_untargeted")
                return None
            return self.article_request(link.url, relevance=relevance, detours=detours + 1)
        if link.kind == "next" or listing_hint:
            return self.listing_request(link.url, detours=detours)
        if self.targeted and relevance >= TARGET_SCORE:  # a section about thi đua: a listing worth reading
            return self.listing_request(link.url, relevance=relevance, detours=detours + 1)
        return None

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """The sitemaps a robots.txt names."""
        if response.status != 200:
            return
        for url in discovery.robots_sitemaps(response.body, response.url):
            if self._allowed(url) and (request := self._xml_request(url, self.parse_sitemap, "sitemap")):
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Article URLs of a sitemap (news sitemaps give their titles), and the sitemaps of an index."""
        kind, entries = discovery.sitemap(response.body)
        for entry in entries:
            entry = replace(entry, url=urljoin(response.url, entry.url))  # some sitemaps give paths
            if kind == "sitemapindex":
                request = self._xml_request(entry.url, self.parse_sitemap, "sitemap")
            else:
                request = self._entry_request(entry, listed_as_item=bool(entry.title))
            if request is not None:
                yield request

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """The items of an RSS or Atom feed: each is an article."""
        for entry in discovery.feed(response.body, response.url):
            if (request := self._entry_request(entry, listed_as_item=True)) is not None:
                yield request

    def _entry_request(self, entry: discovery.Entry, *, listed_as_item: bool) -> scrapy.Request | None:
        url = entry.url
        if not self._allowed(url) or self.profile.is_excluded(url):
            return None
        if not (listed_as_item or self.profile.is_article_url(url) or looks_like_item(url)):
            return None
        relevance = score(entry.title, url)
        if self.targeted and relevance < TARGET_SCORE:
            self.crawler.stats.inc_value("thidua/skipped_untargeted")
            return None
        return self.article_request(url, relevance=relevance)

    def _item(self, response: Response, values: dict[str, Any]) -> ArticleItem:
        loader = ArticleLoader()
        for key, value in {**values, **self._response_values(response)}.items():
            loader.add_value(key, value)
        item: ArticleItem = loader.load_item()
        return item

    def _page_values(self, response: Response, decoded: Decoded) -> dict[str, Any]:
        """What the page says: decoded HTML and extracted fields."""
        fields = extract_page(decoded.text, response.url, self.profile)
        return {
            "title": fields.title,
            "published": fields.published,
            "author": fields.author,
            "body": fields.body,
            "declared_canonical": self._own_canonical(fields.canonical_url, response.url),
            "raw_html": decoded.text,
            "encoding": decoded.encoding,
            "legacy_encoding": decoded.legacy,
        }

    def _own_canonical(self, declared: str | None, url: str) -> str | None:
        """The page's canonical address (rel=canonical, og:url, JSON-LD url) when it is an address of this
        site; another site's is ignored (the page is kept under its own URL) and counted: a page never
        replaces another site's article."""
        if not declared or same_site(url, declared, self.site_domains):
            return declared
        self.crawler.stats.inc_value("thidua/canonical_offsite")
        self.logger.warning("ignored the canonical URL %s of %s: another site's address", declared, url)
        return None

    def _response_values(self, response: Response) -> dict[str, Any]:
        """Provenance: where the page came from, when, and the raw exchange for the WARC."""
        request = response.request
        return {
            "url": request.meta.get("redirect_urls", [response.url])[0] if request else response.url,
            "final_url": response.url,
            "source": self.source,
            "site": self.profile.name,
            "province": self.profile.province,
            "fetched_at": utc_now(),
            "status": response.status,
            "reason": _reason(response.status),
            "headers": _header_pairs(response.headers),
            "request_headers": _header_pairs(request.headers) if request else [],
            "raw_body": response.body,
            "etag": (response.headers.get("ETag") or b"").decode("latin-1"),
            "last_modified": (response.headers.get("Last-Modified") or b"").decode("latin-1"),
        }

    def on_error(self, failure: Failure) -> None:
        """A request that failed for good (after retries): count it and log one line, no traceback."""
        self.crawler.stats.inc_value("thidua/errors")
        request = getattr(failure, "request", None)
        response = getattr(failure.value, "response", None)
        what = (
            f"HTTP {response.status}"
            if response is not None
            else failure.getErrorMessage() or getattr(failure.type, "__name__", "error")
        )
        self.logger.warning("failed: %s (%s)", request.url if request else "?", what)


def _content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
