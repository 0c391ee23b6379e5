"""Scraped items: one fetched article page, with the raw response kept for the WARC and the store."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ArticleItem:
    """An article page as fetched and extracted; pipelines fill in text, relevance, dedupe and WARC fields."""

    url: str = ""
    final_url: str = ""
    canonical_url: str = ""
    declared_canonical: str | None = None
    title: str | None = None
    published: str | None = None
    author: str | None = None
    body: str = ""
    text: str = ""
    source: str | None = None
    site: str | None = None
    province: str | None = None
    raw_html: str = ""
    encoding: str | None = None
    legacy_encoding: str | None = None
    problem: str | None = None  # why the page cannot be stored (undecodable legacy text, no text …)
    fetched_at: str = ""
    status: int = 200
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    raw_body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    relevant: bool = True
    warc_file: str | None = None
    warc_record_id: str | None = None
    signature: bytes | None = None  # MinHash signature of `text`, for the near-duplicate index
