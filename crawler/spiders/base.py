"""The profile-driven spider: listing pages and sitemaps lead to article pages, which become items."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from crawler.charset import LegacyEncodingError, decode_html
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
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        profile = load_site(site or self.profile_name)
        override = _split(start_urls)
        self.profile: SiteProfile = profile.with_start_urls(override) if override else profile
        self.allowed_domains = list(self.profile.allowed_domains)
        self.source = self.profile.source or (urlsplit(self.profile.start_urls[0]).hostname if override else None)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.profile.start_urls:
            if self.profile.is_article_url(url):
                yield self.article_request(url)
            else:
                yield scrapy.Request(url, self.parse_listing, errback=self.on_error, dont_filter=True,
                                     meta={"kind": "listing"})
        for url in self.profile.sitemaps:
            yield scrapy.Request(url, self.parse_sitemap, errback=self.on_error, meta={"kind": "sitemap"})

    def article_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, self.parse_article, errback=self.on_error, priority=ARTICLE_PRIORITY,
                              meta={"kind": "article", "handle_httpstatus_list": [304]})

    def _allowed(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return not self.allowed_domains or any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def _links(self, response: Response, html: str) -> Iterator[str]:
        for href in scrapy.Selector(text=html).css("a::attr(href)").getall():
            url = urljoin(response.url, href.strip())
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and self._allowed(url):
                yield urlunsplit(parts._replace(fragment=""))

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Article links and further listing pages (pagination, search results) of a listing page."""
        if not isinstance(response, TextResponse):
            return
        html = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1")).text
        for url in dict.fromkeys(self._links(response, html)):
            if self.profile.is_article_url(url):
                yield self.article_request(url)
            elif self.profile.is_listing_url(url):
                yield scrapy.Request(url, self.parse_listing, errback=self.on_error, meta={"kind": "listing"})

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Article URLs of a sitemap, and the sitemaps of a sitemap index."""
        sitemap = Sitemap(response.body)
        for entry in sitemap:
            url = entry["loc"]
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(url, self.parse_sitemap, errback=self.on_error, meta={"kind": "sitemap"})
            elif self._allowed(url) and self.profile.is_article_url(url):
                yield self.article_request(url)

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        """One ArticleItem per article page; a 304 means the stored copy is current."""
        if response.status == 304:
            self.crawler.stats.inc_value("thidua/not_modified")
            return
        loader = ArticleLoader()
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        try:
            decoded = decode_html(response.body, content_type)
            fields = extract_page(decoded.text, response.url, self.profile)
        except LegacyEncodingError as exc:
            loader.add_value("problem", f"legacy-encoding: {exc}")
            decoded, fields = None, None
        if decoded is not None and fields is not None:
            loader.add_value("title", fields.title)
            loader.add_value("published", fields.published)
            loader.add_value("author", fields.author)
            loader.add_value("body", fields.body)
            loader.add_value("declared_canonical", fields.canonical_url)
            loader.add_value("raw_html", decoded.text)
            loader.add_value("encoding", decoded.encoding)
            loader.add_value("legacy_encoding", decoded.legacy)
        request_url = response.request.meta.get("redirect_urls", [response.url])[0] if response.request else response.url
        loader.add_value("url", request_url)
        loader.add_value("final_url", response.url)
        loader.add_value("source", self.source)
        loader.add_value("site", self.profile.name)
        loader.add_value("province", self.profile.province)
        loader.add_value("fetched_at", utc_now())
        loader.add_value("status", response.status)
        loader.add_value("reason", _reason(response.status))
        loader.add_value("headers", _header_pairs(response.headers))
        loader.add_value("request_headers", _header_pairs(response.request.headers) if response.request else [])
        loader.add_value("raw_body", response.body)
        loader.add_value("etag", (response.headers.get("ETag") or b"").decode("latin-1"))
        loader.add_value("last_modified", (response.headers.get("Last-Modified") or b"").decode("latin-1"))
        yield loader.load_item()

    def on_error(self, failure: Failure) -> None:
        """A request that failed for good (after retries): count it and log one line, no traceback."""
        self.crawler.stats.inc_value("thidua/errors")
        request = getattr(failure, "request", None)
        response = getattr(failure.value, "response", None)
        what = f"HTTP {response.status}" if response is not None else failure.getErrorMessage() or failure.type.__name__
        self.logger.warning("failed: %s (%s)", request.url if request else "?", what)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
