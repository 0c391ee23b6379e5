"""The article record: what the archive keeps of one fetched news page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def article_id_for(canonical_url: str) -> str:
    """Stable article id: a hash of the canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """Exact-content hash of the normalised text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class Article:
    """One archived article with its provenance."""

    url: str
    title: str
    text: str
    canonical_url: str = ""
    final_url: str | None = None
    published: str | None = None
    source: str | None = None
    site: str | None = None
    province: str | None = None
    author: str | None = None
    raw_html: str | None = None
    fetched_at: str | None = None
    warc_file: str | None = None
    warc_record_id: str | None = None
    relevant: bool = True
    alternate_urls: list[str] = field(default_factory=list)
    id: str = ""
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.canonical_url:
            self.canonical_url = self.url
        if not self.id:
            self.id = article_id_for(self.canonical_url)
        if not self.content_hash:
            self.content_hash = content_hash(self.text)
