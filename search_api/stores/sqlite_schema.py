"""The embedded backend's tables in the corpus's SQLite file: layout, version, connections."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

SCHEMA_VERSION = 13
TABLES = (
    "search_text",
    "search_docs",
    "search_facts",
    "search_retracted",
    "search_entities",
    "search_entity_items",
    "search_entity_lists",
    "search_entity_stale",
)
# The columns of the live facts and of the retracted ones (kept apart, so that the live table's
# indexes and plans know nothing of corrections). Corrections (`search_corrections`) are no index
# data: no rebuild or schema change drops them, and every write applies them again.
FACT_TABLE = """
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    type TEXT NOT NULL,
    unit_id TEXT,
    unit_key TEXT,
    unit TEXT,
    cluster_id TEXT,
    cluster TEXT,
    province TEXT,
    province_key TEXT,
    year INTEGER,
    date TEXT,
    status TEXT,
    role TEXT,
    award_key TEXT,
    group_key TEXT NOT NULL,
    slot_key TEXT,
    data TEXT NOT NULL,
    api_json TEXT NOT NULL,
    source_id TEXT NOT NULL,
    confidence REAL NOT NULL,
    label TEXT NOT NULL,
    lead INTEGER NOT NULL DEFAULT 0,
    group_sources INTEGER NOT NULL DEFAULT 1,
    correction_status TEXT NOT NULL DEFAULT 'extracted',
    history TEXT
"""
SCHEMA = """
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    published TEXT,
    site TEXT,
    source TEXT,
    province TEXT,
    province_key TEXT,
    has_raw INTEGER NOT NULL DEFAULT 0,
    fingerprint TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS search_docs_published ON search_docs(published);
CREATE INDEX IF NOT EXISTS search_docs_province ON search_docs(province_key, published);
CREATE INDEX IF NOT EXISTS search_docs_site ON search_docs(site, published);
-- The articles' text as written and folded (for highlights), by search_docs.rowid; stores/text_index.py
-- indexes it for full-text search.
CREATE TABLE IF NOT EXISTS search_text (
    rowid INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    body_f TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS search_facts ({FACT_TABLE});
CREATE TABLE IF NOT EXISTS search_retracted ({FACT_TABLE});
CREATE INDEX IF NOT EXISTS search_retracted_article ON search_retracted(article_id);
CREATE TABLE IF NOT EXISTS search_corrections (
    fact_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (fact_id, seq)
);
CREATE TABLE IF NOT EXISTS search_entities (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    name_f TEXT NOT NULL,
    province TEXT,
    province_key TEXT,
    names TEXT NOT NULL,
    fact_count INTEGER NOT NULL,
    dated_items INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS search_entities_key ON search_entities(kind, key);
-- Each entity's page lists (members, chairs, awards, …: `entity_lists`), built from its live facts at
-- write time: an item per row in list order (its sort key `k1`…`k4`, padded with ''; `shown` the fact ids
-- a page shows and `years` a member's or cluster's years, separated by spaces), and per list its number
-- of items and chart counts (JSON), so that a page of a list is one range read of the primary key.
CREATE TABLE IF NOT EXISTS search_entity_items (
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    list TEXT NOT NULL,
    k1 NOT NULL,
    k2 NOT NULL,
    k3 NOT NULL,
    k4 NOT NULL,
    group_key TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    lead_article TEXT,
    shown TEXT NOT NULL,
    source_count INTEGER NOT NULL,
    years TEXT NOT NULL,
    PRIMARY KEY (kind, entity_id, list, k1, k2, k3, k4)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search_entity_lists (
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    list TEXT NOT NULL,
    total INTEGER NOT NULL,
    most_read INTEGER NOT NULL,
    cells TEXT NOT NULL,
    PRIMARY KEY (kind, entity_id, list)
) WITHOUT ROWID;
-- The entities whose kept lists a write or deletion made stale: marked in its transaction, built again
-- once by `settle` (which clears the marks); a page of a marked entity is built per request meanwhile.
CREATE TABLE IF NOT EXISTS search_entity_stale (
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (kind, entity_id)
) WITHOUT ROWID;
""".replace("{FACT_TABLE}", FACT_TABLE)
# Computed at index time so the hot endpoints emit a fact without parsing or validating it.
READY_COLUMNS = ("api_json", "source_id", "confidence", "label")
# Fact indexes, dropped during a rebuild and created again after the bulk insert. A timeline's subject
# indexes end in `lead` (1 on the fact that stands for its group), so a page of statements and their
# count are read off the index without visiting the facts that are not leads.
FACT_INDEXES = {
    "search_facts_article": "article_id",
    "search_facts_type": "type, date, id",
    "search_facts_type_year": "type, year, date, id",
    "search_facts_unit": "unit_id, date, id, lead",
    "search_facts_unit_type_year": "unit_id, type, year, date, id",
    "search_facts_unit_key": "unit_key, date, id, lead",
    "search_facts_unit_key_type_year": "unit_key, type, year, date, id",
    "search_facts_cluster": "cluster_id, date, id, lead",
    "search_facts_province": "province_key, date, id, lead",
    "search_facts_group": "group_key, confidence, id",
    # A cluster's or a unit's statements (sqlite_timeline.statements) read from the index alone, in
    # group order: the grouped query neither touches the wide rows nor scans other entities' facts.
    "search_facts_cluster_statements": (
        "cluster_id, group_key, confidence, id, type, unit_id, year, role, date, article_id, source_id"
    ),
    "search_facts_unit_statements": (
        "unit_id, group_key, confidence, id, type, cluster_id, year, role, date, article_id, source_id"
    ),
    "search_facts_slot": "slot_key",
}


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    _wal(conn)
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA mmap_size=268435456")
    conn.execute("PRAGMA cache_size=-16384")
    if readonly:
        conn.execute("PRAGMA query_only=ON")
    return conn


def _wal(conn: sqlite3.Connection, wait: float = 10.0) -> None:
    """Switch to WAL, waiting while another process holds the lock (e.g. recovering the log of a
    process that crashed): SQLite answers this pragma "locked" without waiting for its timeout."""
    deadline = time.monotonic() + wait
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def create_indexes(conn: sqlite3.Connection) -> None:
    """Create the fact indexes that are missing."""
    for name, columns in FACT_INDEXES.items():
        conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON search_facts({columns})")


def migrate(conn: sqlite3.Connection) -> None:
    """Create the tables; drop and recreate them when an older layout is found (a sync refills them)."""
    with conn:
        conn.execute("CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = conn.execute("SELECT value FROM search_meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != str(SCHEMA_VERSION):
            for table in (*TABLES, "search_fts"):  # search_fts: the articles' FTS5 table up to schema 11
                conn.execute(f"DROP TABLE IF EXISTS {table}")
            # A new generation, and no full-text index (text_index.py) agrees with the emptied tables.
            conn.execute("DELETE FROM search_meta WHERE key = 'text_index'")
            conn.execute(
                "INSERT INTO search_meta (key, value) VALUES ('generation', '1') "
                "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
    conn.executescript(SCHEMA)
    create_indexes(conn)
    with conn:
        conn.execute(
            "INSERT OR REPLACE INTO search_meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
        )
