"""Article fields from a page: the profile's selectors first, then JSON-LD, OpenGraph and trafilatura."""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from parsel import Selector

from crawler.dates import parse_date
from crawler.sites import SiteProfile

_BLOCKS = "p, h2, h3, h4, h5, li, blockquote, figcaption, td, div:not(:has(p, div, li, table, h2, h3))"
_META_DATE = [
    'meta[property="article:published_time"]::attr(content)',
    'meta[itemprop="datePublished"]::attr(content)',
    'meta[name="pubdate"]::attr(content)',
    'meta[name="publishdate"]::attr(content)',
    'meta[property="og:published_time"]::attr(content)',
    "time[datetime]::attr(datetime)",
]
_META_TITLE = ['meta[property="og:title"]::attr(content)', 'meta[name="twitter:title"]::attr(content)']
_META_AUTHOR = ['meta[property="article:author"]::attr(content)', 'meta[name="author"]::attr(content)']
_NEWS_TYPES = {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle"}


@dataclass
class PageFields:
    """What one article page says about itself."""

    title: str | None
    published: str | None
    author: str | None
    body: str
    canonical_url: str | None


def _clean(text: str | None) -> str | None:
    text = text or ""
    for _ in range(3):  # metadata is often escaped twice (`&amp;#7871;`)
        if "&" not in text:
            break
        text = htmllib.unescape(text)
    text = " ".join(text.split())
    return text or None


def _first(sel: Selector, queries: list[str]) -> str | None:
    for q in queries:
        for value in sel.css(q).getall() if "::" in q else [_element_text(e) for e in sel.css(q)]:
            if cleaned := _clean(value):
                return cleaned
    return None


def _element_text(el: Selector) -> str:
    return " ".join(el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall())


def _block_text(el: Selector, drop: list[str]) -> str:
    """Paragraph-separated visible text of an element, leaving out `drop` selectors."""
    html = el.get()
    scrubbed = Selector(text=html)
    for q in drop:
        for node in scrubbed.css(q):
            node.drop()
    root = scrubbed.css("body > *")
    if not root:
        return ""
    blocks = root.css(_BLOCKS)
    if not blocks:
        return _clean(_element_text(root[0])) or ""
    lines: list[str] = []
    for block in blocks:
        if block.xpath("ancestor::p | ancestor::li | ancestor::blockquote | ancestor::td"):
            continue
        if line := _clean(_element_text(block)):
            lines.append(line)
    return "\n".join(lines)


def _selector_body(sel: Selector, profile: SiteProfile) -> str | None:
    for q in profile.selectors.body:
        parts = [_block_text(el, profile.selectors.drop) for el in sel.css(q)]
        text = "\n".join(p for p in parts if p)
        if text.strip():
            return text
    return None


def _json_ld_objects(sel: Selector) -> Iterator[dict[str, Any]]:
    for raw in sel.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(raw.strip().rstrip(";"), strict=False)
        except json.JSONDecodeError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
                yield item
            elif isinstance(item, list):
                stack.extend(item)


def json_ld_article(sel: Selector) -> dict[str, Any]:
    """The page's JSON-LD NewsArticle (or Article) object, or an empty dict."""
    for obj in _json_ld_objects(sel):
        kinds = obj.get("@type")
        kinds = set(kinds) if isinstance(kinds, list) else {kinds}
        if kinds & _NEWS_TYPES:
            return obj
    return {}


def _ld_author(article: dict[str, Any]) -> str | None:
    author = article.get("author")
    authors = author if isinstance(author, list) else [author]
    names = [a.get("name") if isinstance(a, dict) else a for a in authors]
    return _clean(", ".join(n for n in names if isinstance(n, str) and n.strip()))


def _ld_url(article: dict[str, Any]) -> str | None:
    """The JSON-LD article's own address: `url`, else `mainEntityOfPage` (a URL or a WebPage's `@id`)."""
    for value in (article.get("url"), article.get("mainEntityOfPage")):
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.strip().startswith(("http://", "https://", "/")):
            return _clean(value)
    return None


def canonical_link(sel: Selector, article: dict[str, Any] | None = None) -> str | None:
    """The page's own address: rel=canonical, else og:url, else the JSON-LD article's url."""
    return (
        _clean(sel.css('link[rel~="canonical"]::attr(href)').get())
        or _clean(sel.css('meta[property="og:url"]::attr(content)').get())
        or _ld_url(article if article is not None else json_ld_article(sel))
    )


def _visible_date(sel: Selector, tz: str) -> str | None:
    text = " ".join(sel.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall())
    return parse_date(text[:20000], tz)


def _is_person(author: str | None, urls: list[str]) -> bool:
    """False for URLs and for the site's own name given as the author (`VnExpress`, `NLD.COM.VN`)."""
    if not author or re.match(r"^(?:https?://|www\.)", author):
        return False
    letters = re.sub(r"\W", "", author).casefold()
    hosts = [re.sub(r"\W", "", urlsplit(u).hostname or "").casefold() for u in urls]
    return bool(letters) and not any(letters in host for host in hosts)


def _person(author: str | None, urls: list[str]) -> str | None:
    return author if _is_person(author, urls) else None


def _trafilatura(html: str, url: str) -> dict[str, Any]:
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    if doc is None:
        return {}
    return dict(doc.as_dict() if hasattr(doc, "as_dict") else doc)


def _hinted_body(sel: Selector, profile: SiteProfile, url: str) -> str | None:
    """Main text of the first common article container present, cleaned by trafilatura."""
    for q in profile.body_hints:
        if found := sel.css(q):
            text = _trafilatura(f"<html><body>{found[0].get()}</body></html>", url).get("text")
            if text and text.strip():
                return str(text)
    return None


def extract_page(html: str, url: str, profile: SiteProfile) -> PageFields:
    """Title, ISO date, author, body text and canonical URL of an article page."""
    sel = Selector(text=html)
    s = profile.selectors
    ld = json_ld_article(sel)
    title = _first(sel, s.title) or _clean(ld.get("headline")) or _first(sel, _META_TITLE)
    published = parse_date(_first(sel, s.published), profile.timezone)
    published = published or parse_date(_first(sel, _META_DATE[:1]), profile.timezone)
    published = published or parse_date(_clean(str(ld.get("datePublished") or "")), profile.timezone)
    published = published or parse_date(_first(sel, _META_DATE[1:]), profile.timezone)
    canonical = canonical_link(sel, ld)
    urls = [url, canonical] if canonical else [url]
    author = (
        _first(sel, s.author) or _person(_ld_author(ld), urls) or _person(_first(sel, _META_AUTHOR), urls)
    )
    body = _selector_body(sel, profile) if s.body else None
    body = body or _hinted_body(sel, profile, url)
    if body is None or not published or not title:
        meta = _trafilatura(html, url)
        body = body or meta.get("text") or ""
        title = title or _clean(meta.get("title"))
        author = author or _person(_clean(meta.get("author")), urls)
        published = published or _visible_date(sel, profile.timezone)
    return PageFields(title, published, author, body, canonical)
