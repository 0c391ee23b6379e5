"""The profile-driven spider: listing pages and sitemaps lead to article pages, which become items."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from corpus.dedupe import same_site
from crawler.charset import LegacyEncodingError, binary_kind, decode_html
from crawler.extraction import extract_page
from crawler.items import ArticleItem
from crawler.loaders import ArticleLoader
from crawler.sites import GENERIC, SiteProfile, load_site
from crawler.state import utc_now

ARTICLE_PRIORITY = 10  # finish articles before walking further listing pages


def _split(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    return [v for v in (value.split(",") if isinstance(value, str) else value) if v]


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    pairs = []
    for key, values in headers.items():
        for value in values:
            pairs.append((key.decode("latin-1"), value.decode("latin-1")))
    return pairs


class ProfileSpider(scrapy.Spider):
    """Crawls one site profile; `-a start_urls=…` re-targets it (a local mirror, one section)."""

    name = ""  # abstract: the per-profile subclasses in spiders/sites.py carry the names
    profile_name = GENERIC

    def __init__(
        self,
        *args: Any,
        site: str | None = None,
        start_urls: str | list[str] | None = None,
        max_pages: int | str | None = None,
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

    async def start(self) -> AsyncIterator[Any]:
        for url in self.profile.start_urls:
            if self.profile.is_article_url(url):
                request = self.article_request(url)
            else:
                request = self.listing_request(url, dont_filter=True)  # listings change: always fetched
            if request is not None:
                yield request
        for url in self.profile.sitemaps:
            if request := self._budgeted(
                scrapy.Request(url, self.parse_sitemap, errback=self.on_error, meta={"kind": "sitemap"})
            ):
                yield request

    def _budgeted(self, request: scrapy.Request) -> scrapy.Request | None:
        """The request, unless `max_pages` requests were already issued."""
        if self.max_pages is not None and self.scheduled >= self.max_pages:
            return None
        self.scheduled += 1
        return request

    def article_request(self, url: str) -> scrapy.Request | None:
        return self._budgeted(
            scrapy.Request(
                url,
                self.parse_article,
                errback=self.on_error,
                priority=ARTICLE_PRIORITY,
                meta={"kind": "article", "handle_httpstatus_list": [304]},
            )
        )

    def listing_request(self, url: str, *, dont_filter: bool = False) -> scrapy.Request | None:
        return self._budgeted(
            scrapy.Request(
                url,
                self.parse_listing,
                errback=self.on_error,
                dont_filter=dont_filter,
                meta={"kind": "listing"},
            )
        )

    def _allowed(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return not self.allowed_domains or any(
            host == d or host.endswith("." + d) for d in self.allowed_domains
        )

    def _links(self, response: Response, html: str) -> Iterator[str]:
        for href in scrapy.Selector(text=html).css("a::attr(href)").getall():
            url = urljoin(response.url, href.strip())
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and self._allowed(url):
                yield urlunsplit(parts._replace(fragment=""))

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Article links and further listing pages (pagination, search results) of a listing page."""
        if kind := binary_kind(response.body, _content_type(response)):
            self.crawler.stats.inc_value("thidua/not_html")
            self.logger.warning("not a listing page: %s (%s)", response.url, kind)
            return
        try:
            html = decode_html(response.body, _content_type(response)).text
        except LegacyEncodingError as exc:
            self.logger.warning("listing page not readable: %s (%s)", response.url, exc)
            return
        for url in dict.fromkeys(self._links(response, html)):
            if self.profile.is_article_url(url):
                request = self.article_request(url)
            elif self.profile.is_listing_url(url):
                request = self.listing_request(url)
            else:
                continue
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Article URLs of a sitemap, and the sitemaps of a sitemap index."""
        sitemap = Sitemap(response.body)
        for entry in sitemap:
            url = entry["loc"]
            if sitemap.type == "sitemapindex":
                request = self._budgeted(
                    scrapy.Request(url, self.parse_sitemap, errback=self.on_error, meta={"kind": "sitemap"})
                )
            elif self._allowed(url) and self.profile.is_article_url(url):
                request = self.article_request(url)
            else:
                continue
            if request is not None:
                yield request

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        """One ArticleItem per article page; a 304 means the stored copy is current."""
        if response.status == 304:
            self.crawler.stats.inc_value("thidua/not_modified")
            return
        loader = ArticleLoader()
        for key, value in {**self._page_values(response), **self._response_values(response)}.items():
            loader.add_value(key, value)
        yield loader.load_item()

    def _page_values(self, response: Response) -> dict[str, Any]:
        """What the page says: decoded HTML and extracted fields, or the problem that prevents it."""
        if kind := binary_kind(response.body, _content_type(response)):
            self.crawler.stats.inc_value("thidua/not_html")
            return {"problem": f"not a web page: {kind}"}  # a PDF or an image is no legacy-encoded text
        try:
            decoded = decode_html(response.body, _content_type(response))
            fields = extract_page(decoded.text, response.url, self.profile)
        except LegacyEncodingError as exc:
            return {"problem": f"legacy-encoding: {exc}"}
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
        """The page's rel=canonical (or og:url) when it is an address of this site; another site's is
        ignored (the page is kept under its own URL) and counted: a page never replaces another site's
        article."""
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
            else failure.getErrorMessage() or failure.type.__name__
        )
        self.logger.warning("failed: %s (%s)", request.url if request else "?", what)


def _content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
