"""The embedded backend: article, fact and entity tables in the corpus's own SQLite file, and the
articles' full-text index (tantivy) beside it."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import astuple
from pathlib import Path
from typing import Any

from corpus.textkeys import fold
from search_api.corrections import CorrectionIn, apply, apply_stored, new_entry
from search_api.highlight import highlight
from search_api.query import (
    TOTAL_CAP,
    ArticleSearch,
    EntityFilter,
    FactFilter,
    sql_article_where,
    sql_fact_order,
    sql_fact_source,
    sql_fact_where,
    tokens,
)
from search_api.schemas import ArticleHit, EntityOut, FactOut, HistoryEntry
from search_api.stores.base import ArticleDoc, Batch, EntityKind, FactDoc
from search_api.stores.rows import (
    FACT_COLUMNS,
    FactJson,
    Item,
    KeptLists,
    Statement,
    TimelineRow,
    fact_json,
    fact_out,
)
from search_api.stores.sqlite_entities import IN_JSON, entity_out, json_list, refresh
from search_api.stores.sqlite_pages import kept_items, kept_lists, mark_stale, refresh_pages, stale_entities
from search_api.stores.sqlite_schema import (
    FACT_INDEXES,
    READY_COLUMNS,
    TABLES,
    connect,
    create_indexes,
    migrate,
)
from search_api.stores.sqlite_timeline import refresh_leads, statements, timeline_page
from search_api.stores.text_index import TextDoc, TextIndex, TextWriter

log = logging.getLogger(__name__)
# How long opening a store waits for another process building the full-text index (ms).
INDEX_WAIT_MS = 30 * 60_000
# Matches beyond the page that the exact-spelling order picks from.
RERANK_POOL = 40
# Full-text totals are counted exactly up to this many (then `exact` is false).
SEARCH_TOTAL_CAP = 1000


class TextIndexError(RuntimeError):
    """The full-text index is missing or out of date and cannot be built where the store was opened."""


class SqliteBackend:
    """Articles, facts and entities in plain tables; the articles' full-text index in tantivy beside the
    file (`text_index.py`), written in the same transactions."""

    name = "sqlite"

    def __init__(self, path: Path) -> None:
        """Open (and create or migrate) the store; build its full-text index when it is missing or
        disagrees with the tables (`TextIndexError` when it cannot be written here)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._writer = connect(path, readonly=False)
        migrate(self._writer)
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._text = TextIndex(path)
        if not self._text_agrees():
            with self._transaction(wait=INDEX_WAIT_MS):
                pass  # _transaction builds the index under the write lock, unless another process did

    # -- connections ------------------------------------------------------------------
    def _read(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, readonly=True)
            self._local.conn = conn
            with self._write_lock:
                self._readers.append(conn)
        return conn

    def close(self) -> None:
        """Close the writer and every per-thread reader."""
        with self._write_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        self._writer.execute("PRAGMA optimize")
        self._writer.close()

    @contextmanager
    def _transaction(self, *, clear: bool = False, wait: int | None = None) -> Iterator[TextWriter]:
        """One write of the tables and the full-text index (`clear`: the index emptied first). The index
        commits last, just before the tables, which record its stamp and a new generation: readers
        reopen it on that generation, and an index left behind by a crash between the two commits is
        rebuilt from the tables by the next transaction (or open). `wait`: ms to wait for the lock."""
        with self._write_lock, self._writer:
            busy = int(self._writer.execute("PRAGMA busy_timeout").fetchone()[0])
            self._writer.execute(f"PRAGMA busy_timeout = {max(busy, wait or 0)}")
            try:
                self._writer.execute("BEGIN IMMEDIATE")  # the lock every process's writers take first
            finally:
                self._writer.execute(f"PRAGMA busy_timeout = {busy}")
            text = self._text_writer(clear)
            try:
                yield text
            except BaseException:
                text.rollback()
                raise
            self._next_generation()
            self._set_meta("text_index", text.commit())

    def _text_writer(self, clear: bool) -> TextWriter:
        """A writer of the full-text index, built afresh from the tables first if it disagrees with them."""
        try:
            if self._text_agrees():
                return self._text.writer(clear=clear)
            if clear:
                return self._text.fresh()
            log.info("building the full-text index %s from %s", self._text.path, self.path)
            self._set_meta("text_index", self._text.create(self._text_docs()))
            return self._text.writer()
        except (OSError, ValueError) as exc:  # tantivy reports its I/O and lock errors as ValueError
            raise TextIndexError(
                f"the full-text index {self._text.path} is missing or out of date and cannot be written "
                f"here ({exc}); run `thidua index` where the data directory is writable"
            ) from exc

    def _text_agrees(self) -> bool:
        """Whether the full-text index exists and holds what the tables hold (its last commit's stamp)."""
        stamp = self._text.stamp()
        return stamp is not None and stamp == self._meta("text_index")

    def _text_docs(self) -> Iterator[TextDoc]:
        rows = self._writer.execute(
            "SELECT d.rowid, d.title, t.body, t.body_f, d.published, d.site, d.province_key "
            "FROM search_docs d JOIN search_text t ON t.rowid = d.rowid"
        )
        return (TextDoc(*row) for row in rows)

    def _meta(self, key: str) -> str | None:
        row = self._writer.execute("SELECT value FROM search_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self._writer.execute("INSERT OR REPLACE INTO search_meta (key, value) VALUES (?, ?)", (key, value))

    # -- articles -----------------------------------------------------------------------
    def search_articles(self, query: ArticleSearch) -> tuple[list[ArticleHit], int, bool]:
        """Folded words ranked by bm25 (tantivy), exact spellings first; newest first without a query."""
        conn = self._read()
        words = tokens(query.q)
        if not words:
            return self._newest(conn, query)
        pool = query.offset + query.limit + RERANK_POOL
        ranked = self._text.search(self.generation() or "0", query, words, pool)
        rows = conn.execute(
            "SELECT d.rowid, d.id, d.title, d.url, d.published, d.site, d.province, t.body, t.body_f "
            "FROM search_docs d JOIN search_text t ON t.rowid = d.rowid "
            "WHERE d.rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(ranked.rowids),),
        ).fetchall()
        by_rowid = {r["rowid"]: r for r in rows}
        pairs = zip(ranked.rowids, ranked.scores, strict=True)
        hits = [_hit(by_rowid[i], s, words) for i, s in pairs if i in by_rowid]
        return hits, min(ranked.count, SEARCH_TOTAL_CAP), ranked.count <= SEARCH_TOTAL_CAP

    def _newest(self, conn: sqlite3.Connection, query: ArticleSearch) -> tuple[list[ArticleHit], int, bool]:
        """The filtered articles, newest first, without highlights; the total capped at TOTAL_CAP."""
        where, args = sql_article_where(query)
        base = "FROM search_docs d" + ((" WHERE " + " AND ".join(where)) if where else "")
        rows = conn.execute(
            f"SELECT d.*, NULL AS body, NULL AS body_f {base} "
            "ORDER BY d.published DESC, d.id LIMIT ? OFFSET ?",
            [*args, query.limit, query.offset],
        ).fetchall()
        total = conn.execute(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT ?)", [*args, TOTAL_CAP + 1])
        count = int(total.fetchone()[0])
        return [_hit(r, 0.0, []) for r in rows], min(count, TOTAL_CAP), count <= TOTAL_CAP

    def get_article(self, article_id: str) -> ArticleDoc | None:
        """An indexed article with its text."""
        row = (
            self._read()
            .execute(
                "SELECT d.*, t.body AS body FROM search_docs d JOIN search_text t ON t.rowid = d.rowid "
                "WHERE d.id = ?",
                (article_id,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return ArticleDoc(
            id=row["id"],
            title=row["title"],
            text=row["body"],
            url=row["url"],
            canonical_url=row["canonical_url"],
            published=row["published"],
            site=row["site"],
            source=row["source"],
            province=row["province"],
            province_key=row["province_key"],
            has_raw=bool(row["has_raw"]),
            fingerprint=row["fingerprint"],
        )

    def raw_html(self, article_id: str) -> str | None:
        """The raw HTML the corpus archived for the article (corpus table `articles`)."""
        try:
            row = self._read().execute("SELECT raw_html FROM articles WHERE id = ?", (article_id,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return row["raw_html"] if row and row["raw_html"] else None

    # -- facts ---------------------------------------------------------------------------
    def find_facts(self, flt: FactFilter) -> tuple[list[FactOut], int, bool]:
        """Facts matching the filter, ordered by date then id, with a total capped at TOTAL_CAP."""
        where, args = sql_fact_where(flt)
        conn = self._read()
        cols = ", ".join(FACT_COLUMNS)
        rows = conn.execute(
            f"SELECT {cols} FROM {sql_fact_source(flt)}{where}{sql_fact_order(flt)} LIMIT ? OFFSET ?",
            [*args, flt.limit, flt.offset],
        ).fetchall()
        count = self._count_facts(conn, where, args, flt, len(rows))
        return [fact_out(r) for r in rows], min(count, TOTAL_CAP), count <= TOTAL_CAP

    def find_fact_json(self, flt: FactFilter) -> tuple[list[FactJson], int, bool]:
        """`find_facts` with each fact as the JSON computed at index time (nothing parsed or validated)."""
        where, args = sql_fact_where(flt)
        conn = self._read()
        rows = conn.execute(
            "SELECT api_json, group_key, source_id, confidence, date, label "
            f"FROM {sql_fact_source(flt)}{where}{sql_fact_order(flt)} LIMIT ? OFFSET ?",
            [*args, flt.limit, flt.offset],
        ).fetchall()
        count = self._count_facts(conn, where, args, flt, len(rows))
        return [FactJson(*r) for r in rows], min(count, TOTAL_CAP), count <= TOTAL_CAP

    def find_timeline(self, flt: FactFilter) -> tuple[list[TimelineRow], int, bool]:
        """Dated statements by their lead facts (an indexed range scan), then the page's source counts."""
        rows, count = timeline_page(self._read(), flt)
        return rows, min(count, TOTAL_CAP), count <= TOTAL_CAP

    def find_statements(self, flt: FactFilter) -> list[Statement]:
        """The matching facts' statements, aggregated in SQL (see `sqlite_timeline.statements`)."""
        return statements(self._read(), flt)

    def kept_lists(self, kind: EntityKind, entity_id: str) -> KeptLists | None:
        """An entity's page lists as kept at write time (see `sqlite_pages`)."""
        return kept_lists(self._read(), kind, entity_id)

    def kept_items(
        self, kind: EntityKind, entity_id: str, name: str, after: tuple[Any, ...] | None, limit: int
    ) -> list[Item]:
        """A page of a kept list: one range read of its primary key."""
        return kept_items(self._read(), kind, entity_id, name, after, limit)

    def _count_facts(
        self, conn: sqlite3.Connection, where: str, args: list[Any], flt: FactFilter, page: int
    ) -> int:
        """Matches up to TOTAL_CAP + 1; a partial page that is not past the end already tells. A keyset
        page (`flt.after`, the exports' cursor) is not counted: its readers go on until a short page."""
        if (page < flt.limit and (page or not flt.offset)) or flt.after is not None:
            return flt.offset + page
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {sql_fact_source(flt)}{where} LIMIT ?)"
        return int(conn.execute(sql, [*args, TOTAL_CAP + 1]).fetchone()[0])

    def get_facts(self, fact_ids: list[str]) -> list[FactOut]:
        """The facts with these ids (retracted ones too), in the order asked."""
        if not fact_ids:
            return []
        cols = ", ".join(FACT_COLUMNS)
        rows = self._read().execute(
            f"SELECT {cols} FROM search_facts WHERE id {IN_JSON} "
            f"UNION ALL SELECT {cols} FROM search_retracted WHERE id {IN_JSON}",
            (json_list(fact_ids), json_list(fact_ids)),
        )
        found = {r["id"]: fact_out(r) for r in rows}
        return [found[i] for i in fact_ids if i in found]

    # -- corrections ---------------------------------------------------------------------
    def add_correction(self, fact_id: str, request: CorrectionIn) -> FactOut | None:
        """Apply a maintainer's correction to the fact and keep it (None: no such fact); raises
        `CorrectionError` (or ValueError: the amended fact is invalid) leaving everything as it was."""
        with self._write_lock, self._writer:
            doc = self._stored_fact(fact_id)
            article = self.get_article(doc.article_id) if doc else None
            if doc is None or article is None:
                return None
            entry = new_entry(doc, request)
            new = apply(doc, [entry], article)
            self._writer.execute(
                "INSERT INTO search_corrections (fact_id, seq, entry) VALUES (?, "
                "(SELECT count(*) FROM search_corrections WHERE fact_id = ?), ?)",
                (fact_id, fact_id, entry.model_dump_json()),
            )
            for table in ("search_facts", "search_retracted"):
                self._writer.execute(f"DELETE FROM {table} WHERE id = ?", (fact_id,))
            self._insert_facts([new])
            refresh_leads(self._writer, {doc.group_key, new.group_key})
            touched = _merge(_doc_entities([doc]), _doc_entities([new]))
            # a cluster's page lists the awards and themes of its articles: every cluster of this one
            touched["cluster"] |= self._touched([doc.article_id])[0]["cluster"]
            self._refresh(touched)
            self._next_generation()
        return fact_out(vars(new))

    def _stored_fact(self, fact_id: str) -> FactDoc | None:
        cols = ", ".join(FACT_COLUMNS)
        for table in ("search_facts", "search_retracted"):
            row = self._writer.execute(f"SELECT {cols} FROM {table} WHERE id = ?", (fact_id,)).fetchone()
            if row is not None:
                return FactDoc(**dict(row))
        return None

    def _stored_corrections(self, fact_ids: list[str]) -> dict[str, list[HistoryEntry]]:
        """The corrections kept for these facts, oldest first."""
        rows = self._writer.execute(
            f"SELECT fact_id, entry FROM search_corrections WHERE fact_id {IN_JSON} ORDER BY fact_id, seq",
            (json_list(fact_ids),),
        )
        stored: dict[str, list[HistoryEntry]] = {}
        for fact_id, entry in rows:
            stored.setdefault(fact_id, []).append(HistoryEntry.model_validate_json(entry))
        return stored

    # -- entities ------------------------------------------------------------------------
    def list_entities(self, flt: EntityFilter) -> tuple[list[EntityOut], int]:
        """Clusters or units by name; `q` matches folded name substrings."""
        where: list[str] = ["kind = ?"]
        args: list[Any] = [flt.kind]
        if flt.q:
            where.append("instr(name_f, ?) > 0")
            args.append(fold(flt.q))
        if flt.key:
            where.append("key = ?")
            args.append(flt.key)
        if flt.province_key:
            where.append("province_key = ?")
            args.append(flt.province_key)
        if flt.ids:
            where.append(f"id IN ({', '.join('?' * len(flt.ids))})")
            args.extend(flt.ids)
        sql_where = " WHERE " + " AND ".join(where)
        conn = self._read()
        rows = conn.execute(
            f"SELECT * FROM search_entities{sql_where} ORDER BY name_f, id LIMIT ? OFFSET ?",
            [*args, flt.limit, flt.offset],
        ).fetchall()
        total = int(conn.execute(f"SELECT count(*) FROM search_entities{sql_where}", args).fetchone()[0])
        return [entity_out(r) for r in rows], total

    def get_entity(self, kind: EntityKind, entity_id: str) -> EntityOut | None:
        """One cluster or unit by id."""
        row = (
            self._read()
            .execute("SELECT * FROM search_entities WHERE kind = ? AND id = ?", (kind, entity_id))
            .fetchone()
        )
        return entity_out(row) if row else None

    def refresh_entities(self, kind: EntityKind, entity_ids: set[str] | None) -> None:
        """Recompute entity records from the facts; ids left without facts are removed."""
        with self._write_lock, self._writer:
            refresh(self._writer, kind, entity_ids)
            refresh_pages(self._writer, kind, entity_ids)

    def _refresh(self, touched: dict[EntityKind, set[str]] | None) -> None:
        """Recompute the records and page lists of these entities (all when None) from the facts. The
        clusters an article's facts name are all the clusters whose pages list its awards and themes."""
        kinds: tuple[EntityKind, ...] = ("unit", "cluster")
        for kind in kinds:
            ids = None if touched is None else touched.get(kind, set())
            refresh(self._writer, kind, ids)
            refresh_pages(self._writer, kind, ids)

    def _mark(self, touched: dict[EntityKind, set[str]]) -> None:
        """Recompute the records of these entities and mark their page lists stale, for `settle` to build
        again once however many writes touch them (pages of marked entities are built per request)."""
        for kind, ids in touched.items():
            refresh(self._writer, kind, ids)
        mark_stale(self._writer, touched)

    def settle(self) -> None:
        """Build again the page lists of the entities writes and deletions marked stale, once, and clear
        the marks: one transaction with a new generation (none when nothing is marked)."""
        if self._read().execute("SELECT 1 FROM search_entity_stale LIMIT 1").fetchone() is None:
            return
        with self._transaction():
            for kind, ids in stale_entities(self._writer).items():
                refresh_pages(self._writer, kind, ids)

    # -- indexing ------------------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        """Indexed articles and facts."""
        conn = self._read()
        articles = int(conn.execute("SELECT count(*) FROM search_docs").fetchone()[0])
        facts = int(conn.execute("SELECT count(*) FROM search_facts").fetchone()[0])
        return articles, facts

    def generation(self) -> str | None:
        """The index generation: changes whenever a sync, deletion or rebuild commits."""
        row = self._read().execute("SELECT value FROM search_meta WHERE key = 'generation'").fetchone()
        return row[0] if row else "0"

    def _next_generation(self) -> None:
        self._writer.execute(
            "INSERT INTO search_meta (key, value) VALUES ('generation', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def fingerprints(self) -> dict[str, str]:
        """Article id -> fingerprint of the indexed version."""
        rows = self._writer.execute("SELECT id, fingerprint FROM search_docs")
        return {r[0]: r[1] for r in rows}

    def write(self, batch: Batch) -> None:
        """Upsert articles, replace their facts, refresh the records of the entities they touch and mark
        their page lists stale (`settle` builds them), in one transaction."""
        with self._transaction() as text:
            touched, groups = self._touched([a.id for a in batch.articles])
            self._delete_rows([a.id for a in batch.articles], text=None)
            facts = self._insert(batch, text)
            refresh_leads(self._writer, groups | {f.group_key for f in facts})
            self._mark(_merge(touched, _doc_entities(facts)))

    def delete(self, article_ids: Iterable[str]) -> int:
        """Remove articles with their facts, refresh the entities they touched and mark their page lists
        stale (`settle` builds them)."""
        ids = list(article_ids)
        with self._transaction() as text:
            touched, groups = self._touched(ids)
            removed = self._delete_rows(ids, text=text)
            refresh_leads(self._writer, groups)
            self._mark(touched)
        return removed

    def rebuild(self, batches: Iterator[Batch]) -> None:
        """Replace everything in one transaction: readers see the old index until it commits."""
        with self._transaction(clear=True) as text:
            for table in TABLES:
                self._writer.execute(f"DELETE FROM {table}")
            for name in FACT_INDEXES:
                self._writer.execute(f"DROP INDEX IF EXISTS {name}")
            for batch in batches:
                self._insert(batch, text)
            create_indexes(self._writer)
            refresh_leads(self._writer, None)
            self._refresh(None)
        self._writer.execute("PRAGMA analysis_limit=1000")
        self._writer.execute("ANALYZE")

    def _touched(self, article_ids: list[str]) -> tuple[dict[EntityKind, set[str]], set[str]]:
        """The entities and the groups the articles' indexed facts belong to."""
        rows = self._writer.execute(
            f"SELECT unit_id, cluster_id, group_key FROM search_facts WHERE article_id {IN_JSON}",
            (json_list(article_ids),),
        )
        touched: dict[EntityKind, set[str]] = {"unit": set(), "cluster": set()}
        groups: set[str] = set()
        for unit, cluster, group in rows:
            groups.add(group)
            if unit:
                touched["unit"].add(unit)
            if cluster:
                touched["cluster"].add(cluster)
        return touched, groups

    def _delete_rows(self, article_ids: list[str], *, text: TextWriter | None) -> int:
        """Drop the articles' facts; with `text`, the articles too (from the full-text index as well)."""
        ids = json_list(article_ids)
        for table in ("search_facts", "search_retracted"):
            self._writer.execute(f"DELETE FROM {table} WHERE article_id {IN_JSON}", (ids,))
        if text is None:
            return 0
        rowids = [
            r[0] for r in self._writer.execute(f"SELECT rowid FROM search_docs WHERE id {IN_JSON}", (ids,))
        ]
        for rowid in rowids:
            text.delete(rowid)
        self._writer.execute("DELETE FROM search_text WHERE rowid IN (SELECT value FROM json_each(?))",
                             (json.dumps(rowids),))  # fmt: skip
        self._writer.execute("DELETE FROM search_docs WHERE rowid IN (SELECT value FROM json_each(?))",
                             (json.dumps(rowids),))  # fmt: skip
        return len(rowids)

    def _insert(self, batch: Batch, text: TextWriter) -> list[FactDoc]:
        """Write the batch with the corrections kept for its facts applied again; the live facts."""
        for doc in batch.articles:
            self._upsert_doc(doc, text)
        stored = self._stored_corrections([f.id for f in batch.facts])
        return self._insert_facts(apply_stored(batch.facts, stored, batch.articles))

    def _insert_facts(self, facts: list[FactDoc]) -> list[FactDoc]:
        """Live facts into `search_facts`, retracted ones into `search_retracted` (each its own
        timeline item there: `lead` 1); returns the live ones."""
        live = [f for f in facts if f.correction_status != "retracted"]
        retracted = [f for f in facts if f.correction_status == "retracted"]
        columns = (*FACT_COLUMNS, *READY_COLUMNS, "lead")
        marks = ", ".join("?" * len(columns))
        for table, rows, lead in (("search_facts", live, 0), ("search_retracted", retracted, 1)):
            self._writer.executemany(
                f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [(*astuple(f), *_ready(f), lead) for f in rows],
            )
        return live

    def _upsert_doc(self, doc: ArticleDoc, text: TextWriter) -> None:
        row = self._writer.execute("SELECT rowid FROM search_docs WHERE id = ?", (doc.id,)).fetchone()
        values: dict[str, Any] = {k: v for k, v in doc.__dict__.items() if k not in ("text", "raw_html")}
        values["has_raw"] = int(doc.has_raw)
        cols = list(values)
        if row is None:
            cur = self._writer.execute(
                f"INSERT INTO search_docs ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})",
                values,
            )
            rowid = int(cur.lastrowid or 0)
        else:
            rowid = row[0]
            sets = ", ".join(f"{c} = :{c}" for c in cols if c != "id")
            self._writer.execute(f"UPDATE search_docs SET {sets} WHERE id = :id", values)
        folded = fold(doc.text)
        self._writer.execute(
            "INSERT OR REPLACE INTO search_text (rowid, body, body_f) VALUES (?, ?, ?)",
            (rowid, doc.text, folded),
        )
        indexed = TextDoc(rowid, doc.title, doc.text, folded, doc.published, doc.site, doc.province_key)
        text.add(indexed, replace=row is not None)


def _hit(r: Mapping[str, Any], score: float, words: list[str]) -> ArticleHit:
    return ArticleHit(
        id=r["id"],
        title=r["title"],
        url=r["url"],
        published=r["published"],
        site=r["site"],
        province=r["province"],
        score=score,
        highlights=highlight(r["body"], words, folded=r["body_f"]) if r["body"] else [],
    )


def _ready(fact: FactDoc) -> tuple[str, str, float, str]:
    ready = fact_json(fact_out(vars(fact)))
    return ready.json, ready.source_id, ready.confidence, ready.label


def _doc_entities(facts: list[FactDoc]) -> dict[EntityKind, set[str]]:
    return {
        "unit": {f.unit_id for f in facts if f.unit_id},
        "cluster": {f.cluster_id for f in facts if f.cluster_id},
    }


def _merge(a: dict[EntityKind, set[str]], b: dict[EntityKind, set[str]]) -> dict[EntityKind, set[str]]:
    return {k: a.get(k, set()) | b.get(k, set()) for k in ("unit", "cluster")}
