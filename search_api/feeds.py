"""Atom feeds (RFC 4287) of facts: per cluster, unit, province or fact type, with ids that stay the
same whatever host serves them (pure functions over facts)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from search_api.citations import date_parts
from search_api.schemas import FactOut

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
# Ids are name-based UUIDs under one namespace of thidua's own: a fact's entry id is the same on
# every server and every day; a feed's id is its path's.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://thidua.invalid/")
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class FeedMeta:
    """What a feed is of: its path under /feeds, title, the HTML page it follows, its language."""

    path: str
    title: str
    page: str
    lang: str


def entry_id(fact_id: str) -> str:
    """The stable Atom id of a fact's entry."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, 'fact:' + fact_id)}"


def feed_id(path: str) -> str:
    """The stable Atom id of a feed (its path, not its host)."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, 'feed:' + path)}"


def timestamp(date: str | None) -> str:
    """An RFC 3339 timestamp in UTC from an ISO timestamp or (partial) date: a day is its midnight."""
    if date and "T" in date:
        try:
            moment = datetime.fromisoformat(date)
            return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment.tzinfo else f"{date[:19]}Z"
        except ValueError:
            pass
    year, month, day = ([*date_parts(date), 1, 1][:3]) if date_parts(date) else (1970, 1, 1)
    return f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"


def updated(fact: FactOut) -> str:
    """When a fact's entry last changed: its last correction, else its article's publication."""
    return timestamp(fact.history[-1].at if fact.history else fact.evidence.published)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def atom(meta: FeedMeta, facts: list[FactOut], base_url: str, describe: Callable[[FactOut], str]) -> bytes:
    """The Atom document of these facts (already the newest, in order), as UTF-8 XML."""
    base = base_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": meta.lang})
    _sub(feed, "id", feed_id(meta.path))
    _sub(feed, "title", meta.title)
    _sub(feed, "updated", max((updated(f) for f in facts), default=timestamp(None)))
    _sub(feed, "link", rel="self", type=MEDIA_TYPE, href=base + meta.path)
    _sub(feed, "link", rel="alternate", type="text/html", href=base + meta.page)
    _sub(_sub(feed, "author"), "name", "thidua")
    _sub(feed, "generator", "thidua")
    for fact in facts:
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(fact.id))
        _sub(entry, "title", describe(fact))
        _sub(entry, "updated", updated(fact))
        _sub(entry, "published", timestamp(fact.evidence.published))
        _sub(entry, "link", rel="alternate", type="text/html", href=f"{base}/facts/{fact.id}")
        if fact.evidence.url and fact.evidence.url.startswith(("http://", "https://")):
            _sub(entry, "link", rel="related", type="text/html", href=fact.evidence.url)
        _sub(entry, "category", term=fact.type)
        _sub(entry, "summary", f"“{fact.evidence.sentence}”", type="text")
    declaration = b'<?xml version="1.0" encoding="utf-8"?>\n'
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return declaration + body
