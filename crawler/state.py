"""Crawl state next to the articles: every fetched URL with its validators, and near-duplicate signatures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from corpus.dedupe import NEAR_DUP_THRESHOLD, band_keys, similarity
from corpus.store import connect

_MAX_CANDIDATES = 8
_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetch_state (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    article_id TEXT,
    note TEXT,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS near_dup_signatures (
    article_id TEXT PRIMARY KEY,
    signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS near_dup_bands (
    band INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (band, article_id)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class FetchRecord:
    """What the last fetch of a URL returned."""

    url: str
    kind: str  # "article", "listing", "robots", …
    status: int
    etag: str | None
    last_modified: str | None
    article_id: str | None
    note: str | None
    fetched_at: str


def utc_now() -> str:
    """The current time as ISO 8601 UTC, seconds precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class CrawlState:
    """Seen URLs with ETag/Last-Modified for conditional requests, and an LSH index of article texts."""

    def __init__(self, db_path: Path) -> None:
        self.conn = connect(db_path)
        self.conn.executescript(_SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def get(self, url: str) -> FetchRecord | None:
        row = self.conn.execute("SELECT * FROM fetch_state WHERE url = ?", (url,)).fetchone()
        return FetchRecord(**dict(row)) if row else None

    def record(
        self,
        url: str,
        *,
        kind: str,
        status: int,
        etag: str | None = None,
        last_modified: str | None = None,
        article_id: str | None = None,
        note: str | None = None,
    ) -> None:
        """Remember a fetch; validators of an earlier 200 are kept when this one was a 304."""
        with self.conn:
            self.conn.execute(
                """INSERT INTO fetch_state
                (url, kind, status, etag, last_modified, article_id, note, fetched_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, status = excluded.status,
                  etag = COALESCE(excluded.etag, fetch_state.etag),
                  last_modified = COALESCE(excluded.last_modified, fetch_state.last_modified),
                  article_id = COALESCE(excluded.article_id, fetch_state.article_id),
                  note = excluded.note, fetched_at = excluded.fetched_at""",
                (url, kind, status, etag, last_modified, article_id, note, utc_now()),
            )

    # -- near-duplicates ------------------------------------------------------------
    def find_near_duplicate(
        self, signature: np.ndarray, *, exclude: str, threshold: float = NEAR_DUP_THRESHOLD
    ) -> str | None:
        """The id of an indexed article whose text is a near-duplicate of `signature`'s, if any."""
        keys = band_keys(signature)
        marks = ",".join("?" * len(keys))
        # Near-duplicates share many bands (about 13 of 32 at similarity 0.8), so the few best candidates
        # are enough: the lookup stays cheap when many loosely similar articles share a band or two.
        rows = self.conn.execute(
            f"""SELECT b.article_id, s.signature, COUNT(*) AS shared FROM near_dup_bands b
            JOIN near_dup_signatures s ON s.article_id = b.article_id
            WHERE b.band IN ({marks}) AND b.article_id != ?
            GROUP BY b.article_id ORDER BY shared DESC, b.article_id LIMIT ?""",
            (*keys, exclude, _MAX_CANDIDATES),
        ).fetchall()
        for row in rows:
            if similarity(signature, np.frombuffer(row["signature"], dtype=np.uint64)) >= threshold:
                return str(row["article_id"])
        return None

    def index_signature(self, article_id: str, signature: np.ndarray) -> None:
        """Add (or replace) an article's signature in the near-duplicate index."""
        with self.conn:
            self.conn.execute("DELETE FROM near_dup_bands WHERE article_id = ?", (article_id,))
            self.conn.execute(
                "INSERT OR REPLACE INTO near_dup_signatures (article_id, signature) VALUES (?, ?)",
                (article_id, signature.astype(np.uint64).tobytes()),
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO near_dup_bands (band, article_id) VALUES (?, ?)",
                [(key, article_id) for key in band_keys(signature)],
            )
