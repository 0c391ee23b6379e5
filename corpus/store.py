"""The article archive: a SQLite file holding articles and the facts extracted from them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, Literal

from corpus.models import Article

UpsertResult = Literal["created", "updated", "unchanged"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL UNIQUE,
    final_url TEXT,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,
    source TEXT,
    site TEXT,
    province TEXT,
    author TEXT,
    raw_html TEXT,
    fetched_at TEXT,
    warc_file TEXT,
    warc_record_id TEXT,
    relevant INTEGER NOT NULL DEFAULT 1,
    alternate_urls TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    extracted_hash TEXT
);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE TABLE IF NOT EXISTS facts (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_article ON facts(article_id);
CREATE INDEX IF NOT EXISTS facts_type ON facts(type);
"""

_ARTICLE_COLUMNS = [f.name for f in fields(Article)]


def connect(path: Path) -> sqlite3.Connection:
    """Open (and create) the database file with the settings every caller needs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _row_to_article(row: sqlite3.Row) -> Article:
    data = {k: row[k] for k in _ARTICLE_COLUMNS}
    data["relevant"] = bool(data["relevant"])
    data["alternate_urls"] = json.loads(data["alternate_urls"] or "[]")
    return Article(**data)


class CorpusStore:
    """Articles and their facts in one SQLite file; every write is idempotent."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path)
        self.conn.executescript(_SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> CorpusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles -------------------------------------------------------------------
    def upsert_article(self, article: Article) -> UpsertResult:
        """Insert the article, or update it when its content changed; keyed by canonical URL."""
        row = self.conn.execute(
            "SELECT content_hash, title, published FROM articles WHERE id = ?", (article.id,)
        ).fetchone()
        values: dict[str, Any] = asdict(article)
        values["relevant"] = int(article.relevant)
        values["alternate_urls"] = json.dumps(sorted(set(article.alternate_urls)), ensure_ascii=False)
        if row is not None and (row["content_hash"], row["title"], row["published"]) == (
            article.content_hash,
            article.title,
            article.published,
        ):
            return "unchanged"
        cols = ", ".join(_ARTICLE_COLUMNS)
        marks = ", ".join(f":{c}" for c in _ARTICLE_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in _ARTICLE_COLUMNS if c != "id")
        with self.conn:
            self.conn.execute(
                f"INSERT INTO articles ({cols}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
                values,
            )
        return "created" if row is None else "updated"

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _row_to_article(row) if row else None

    def find_by_content_hash(self, digest: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE content_hash = ? LIMIT 1", (digest,)).fetchone()
        return _row_to_article(row) if row else None

    def add_alternate_url(self, article_id: str, url: str) -> None:
        """Record another URL under which the same article was found."""
        article = self.get_article(article_id)
        if article is None or url in article.alternate_urls or url == article.canonical_url:
            return
        urls = sorted(set(article.alternate_urls) | {url})
        with self.conn:
            self.conn.execute(
                "UPDATE articles SET alternate_urls = ? WHERE id = ?",
                (json.dumps(urls, ensure_ascii=False), article_id),
            )

    def iter_articles(self, *, relevant_only: bool = False, pending_only: bool = False) -> Iterator[Article]:
        """All articles; `pending_only` keeps those whose current text was not yet extracted."""
        where = []
        if relevant_only:
            where.append("relevant = 1")
        if pending_only:
            where.append("(extracted_hash IS NULL OR extracted_hash != content_hash)")
        sql = "SELECT * FROM articles" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        for row in self.conn.execute(sql).fetchall():
            yield _row_to_article(row)

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # -- facts ----------------------------------------------------------------------
    def replace_facts(self, article: Article, facts: Iterable[dict[str, Any]]) -> int:
        """Replace the article's facts with `facts` (dicts with an `id`); returns how many."""
        rows = [(f["id"], article.id, f["type"], json.dumps(f, ensure_ascii=False)) for f in facts]
        with self.conn:
            self.conn.execute("DELETE FROM facts WHERE article_id = ?", (article.id,))
            self.conn.executemany(
                "INSERT OR REPLACE INTO facts (id, article_id, type, data) VALUES (?, ?, ?, ?)", rows
            )
            self.conn.execute("UPDATE articles SET extracted_hash = content_hash WHERE id = ?", (article.id,))
        return len(rows)

    def iter_facts(self, article_id: str | None = None) -> Iterator[dict[str, Any]]:
        sql, args = "SELECT data FROM facts", tuple[str, ...]()
        if article_id is not None:
            sql, args = sql + " WHERE article_id = ?", (article_id,)
        for row in self.conn.execute(sql + " ORDER BY id", args):
            yield json.loads(row["data"])

    def count_facts_by_type(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT type, COUNT(*) FROM facts GROUP BY type ORDER BY type")
        return {r[0]: int(r[1]) for r in rows}
