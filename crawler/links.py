"""The links of a listing page: likely article links, next pages (rel=next, "Trang sau", numbered pagers),
the rest; and the feeds a page announces."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

import yaml
from parsel import Selector

PAGINATION = Path(__file__).parent / "data" / "pagination.yaml"
ITEM_WORDS = 4  # a link text of this many words reads like a headline, not a menu entry
_FILES = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|css|js|pdf|docx?|xlsx?|pptx?|zip|rar|7z|mp[34]|avi|flv)$", re.I
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rss", "text/xml")
_ITEM_QUERY = re.compile(r"(?:^|&)(?:[a-z_]*id|p|mabb|newsid|articleid|itemid)=\d+(?:&|$)", re.I)

LinkKind = Literal["item", "next", "other"]


@dataclass(frozen=True)
class Link:
    """One same-site link of a page: its absolute URL (no fragment), its text and what it looks like."""

    url: str
    text: str
    kind: LinkKind


@lru_cache(maxsize=1)
def next_words() -> frozenset[str]:
    """Texts of next-page links (crawler/data/pagination.yaml)."""
    return frozenset(
        str(e["text"]).casefold() for e in yaml.safe_load(PAGINATION.read_text(encoding="utf-8"))
    )


def _absolute(base: str, href: str) -> str | None:
    url = urljoin(base, href.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or _FILES.search(parts.path):
        return None
    return urlunsplit(parts._replace(fragment=""))


def looks_like_item(url: str) -> bool:
    """Whether a URL reads like one item's page (a slug with an id, a dated path, an id parameter) rather
    than a section's: used for sitemap and feed entries that come without a headline."""
    parts = urlsplit(url)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return bool(
        _ITEM_QUERY.search(parts.query)
        or re.search(r"\d{3,}", last)
        or last.count("-") >= 3
        or re.search(r"/\d{4}/\d{2}/", parts.path)
    )


def _skeleton(url: str) -> str:
    return re.sub(r"\d+", "N", url)


def page_links(sel: Selector, base: str) -> list[Link]:
    """The page's links in page order, one per URL, each as an item, a next page or other."""
    found: dict[str, tuple[str, bool]] = {}
    numbered: dict[str, list[str]] = defaultdict(list)
    rel_next = {
        u
        for h in sel.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)').getall()
        if (u := _absolute(base, h))
    }
    for anchor in sel.css("a[href]"):
        url = _absolute(base, anchor.attrib["href"])
        if url is None or url == base:
            continue
        text = " ".join(" ".join(anchor.css("::text").getall()).split()) or anchor.attrib.get("title", "")
        in_heading = bool(anchor.xpath("ancestor::h1|ancestor::h2|ancestor::h3|ancestor::h4|ancestor::h5"))
        if text.isdigit() and len(text) <= 4:
            numbered[_skeleton(url)].append(url)
        if text.casefold() in next_words():
            rel_next.add(url)
        previous_text, previous_heading = found.get(url, ("", False))
        found[url] = (max(previous_text, text, key=len), previous_heading or in_heading)
    pager = {u for urls in numbered.values() if len(set(urls)) >= 2 for u in urls}
    return [
        Link(url, text, "next" if url in rel_next or url in pager else _item_or_other(text, heading))
        for url, (text, heading) in found.items()
    ]


def _item_or_other(text: str, in_heading: bool) -> LinkKind:
    return "item" if len(text.split()) >= ITEM_WORDS or (in_heading and len(text.split()) >= 2) else "other"


def feed_links(sel: Selector, base: str) -> list[str]:
    """RSS and Atom feeds the page announces in `<link rel="alternate">`."""
    hrefs = [
        link.attrib.get("href", "")
        for link in sel.css('link[rel~="alternate"][href]')
        if link.attrib.get("type", "").split(";")[0].strip().lower() in _FEED_TYPES
    ]
    return [u for h in hrefs if (u := urljoin(base, h.strip())) and urlsplit(u).scheme in ("http", "https")]
