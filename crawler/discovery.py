"""Where a site lists its articles besides its listing pages: robots.txt sitemaps, sitemap indexes, news
sitemaps (with `lastmod` and `news:title`), RSS and Atom feeds."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urljoin

import lxml.etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots

MAX_XML_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit for one file


@dataclass(frozen=True)
class Entry:
    """One listed page: its URL and whatever the sitemap or feed says about it."""

    url: str
    title: str | None = None
    date: str | None = None  # lastmod, news:publication_date, pubDate, updated …


def robots_sitemaps(robots_txt: bytes, base: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt, as absolute URLs (Scrapy's own reader)."""
    return list(sitemap_urls_from_robots(robots_txt, base_url=base))


def _xml_root(body: bytes) -> lxml.etree._Element | None:
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_size=MAX_XML_BYTES)
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return lxml.etree.parse(BytesIO(body.strip()), parser).getroot()
    except lxml.etree.XMLSyntaxError:
        return None


def _local(el: lxml.etree._Element) -> str:
    return lxml.etree.QName(el).localname.lower() if isinstance(el.tag, str) else ""


def _child_text(el: lxml.etree._Element, *names: str) -> str | None:
    """Text of the first descendant named one of `names` (namespaces ignored: news:title is `title`)."""
    for node in el.iter():
        if _local(node) in names and node is not el and (node.text or "").strip():
            return " ".join(node.text.split())
    return None


def sitemap(body: bytes) -> tuple[str, list[Entry]]:
    """A sitemap's kind (`sitemapindex` or `urlset`, "" when unreadable) and its entries."""
    root = _xml_root(body)
    if root is None or _local(root) not in ("sitemapindex", "urlset"):
        return "", []
    entries = []
    for item in root:
        if _local(item) not in ("sitemap", "url"):
            continue
        loc = _child_text(item, "loc")
        if loc:
            title = _child_text(item, "title")
            date = _child_text(item, "publication_date") or _child_text(item, "lastmod")
            entries.append(Entry(loc, title, date))
    return _local(root), entries


def feed(body: bytes, base: str) -> list[Entry]:
    """The items of an RSS feed or the entries of an Atom feed."""
    root = _xml_root(body)
    if root is None:
        return []
    entries = []
    for item in root.iter():
        if _local(item) not in ("item", "entry"):
            continue
        link = _child_text(item, "link") or next(
            (n.get("href") for n in item if _local(n) == "link" and n.get("rel", "alternate") == "alternate"),
            None,
        )
        if link:
            date = _child_text(item, "pubdate", "published", "updated", "date")
            entries.append(Entry(urljoin(base, link.strip()), _child_text(item, "title"), date))
    return entries
