"""The embedded backend's timelines: each statement's lead fact, marked at write time, and pages of
statements read as indexed range scans over the leads."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from search_api.query import TOTAL_CAP, FactFilter, sql_fact_source, sql_fact_where
from search_api.stores.rows import FactJson, Statement, TimelineRow
from search_api.stores.sqlite_entities import IN_JSON, json_list


def refresh_leads(conn: sqlite3.Connection, group_keys: set[str] | None) -> None:
    """Mark the lead of these groups (all when None) — the most confident fact, then the first by id —
    and give their facts the group's number of source articles (a timeline item's `source_count`)."""
    if group_keys is None:
        conn.execute("UPDATE search_facts SET lead = 0 WHERE lead != 0")
        conn.execute(
            "UPDATE search_facts SET lead = 1 WHERE rowid IN (SELECT rowid FROM (SELECT rowid, row_number() "
            "OVER (PARTITION BY group_key ORDER BY confidence DESC, id) AS n FROM search_facts) WHERE n = 1)"
        )
        conn.execute(
            "UPDATE search_facts SET group_sources = c.n FROM (SELECT group_key, count(DISTINCT source_id) "
            "AS n FROM search_facts GROUP BY group_key) AS c "
            "WHERE c.group_key = search_facts.group_key AND search_facts.group_sources != c.n"
        )
        return
    # Set-based, like the rebuild's: each touched group is ranked and counted once (a window and a
    # grouped count over the group index), so the cost grows with the groups' sizes, not their squares;
    # only the facts whose lead or count changed are written.
    conn.execute(
        "WITH touched(group_key) AS (SELECT value FROM json_each(?)), "
        "ranked AS (SELECT rowid AS rid, group_key, row_number() OVER "
        "(PARTITION BY group_key ORDER BY confidence DESC, id) = 1 AS first FROM search_facts "
        "WHERE group_key IN touched), "
        "counted AS (SELECT group_key, count(DISTINCT source_id) AS n FROM search_facts "
        "WHERE group_key IN touched GROUP BY group_key) "
        "UPDATE search_facts SET lead = r.first, group_sources = c.n FROM ranked AS r "
        "JOIN counted AS c ON c.group_key = r.group_key WHERE search_facts.rowid = r.rid "
        "AND (search_facts.lead != r.first OR search_facts.group_sources != c.n)",
        (json_list(sorted(group_keys)),),
    )


def timeline_count(conn: sqlite3.Connection, flt: FactFilter) -> int | None:
    """The number of dated statements of the one unit or cluster (or unit name) the filter asks for,
    kept per entity; None when the filter asks for more than that or an entity is unknown."""
    bare = replace(flt, cluster_ids=(), unit_id=None, unit_key=None, limit=0, offset=0)
    subjects = [s for s in (flt.cluster_ids, flt.unit_id, flt.unit_key) if s]
    if bare != FactFilter(dated_only=True, limit=0) or len(subjects) != 1:
        return None
    if flt.unit_key is not None:
        row = conn.execute(
            "SELECT sum(dated_items) FROM search_entities WHERE kind = 'unit' AND key = ?", (flt.unit_key,)
        ).fetchone()
        return int(row[0] or 0)
    kind, ids = ("cluster", sorted(set(flt.cluster_ids))) if flt.cluster_ids else ("unit", [str(flt.unit_id)])
    found, dated = conn.execute(
        "SELECT count(*), sum(dated_items) FROM search_entities "
        f"WHERE kind = ? AND id IN ({', '.join('?' * len(ids))})",
        (kind, *ids),
    ).fetchone()
    return int(dated or 0) if found == len(ids) else None


def timeline_page(conn: sqlite3.Connection, flt: FactFilter) -> tuple[list[TimelineRow], int]:
    """A page of dated statements by their lead facts, each with its number of source articles (kept on
    the facts at write time), and the number of statements (up to TOTAL_CAP + 1).

    A lead is its group's most confident fact, so with `min_confidence` a statement has a fact at or
    above it exactly when its lead has; its sources are then counted among those facts, per page."""
    flt = replace(flt, dated_only=True)
    where, args = sql_fact_where(flt)
    where += " AND lead = 1"
    rows = conn.execute(
        "SELECT api_json, group_key, source_id, confidence, date, label, group_sources "
        f"FROM {sql_fact_source(flt)}{where} ORDER BY date, id LIMIT ? OFFSET ?",
        [*args, flt.limit, flt.offset],
    ).fetchall()
    counts = {r[1]: int(r[6]) for r in rows}
    if flt.min_confidence is not None and rows:
        counts = _sources_at_least(conn, sorted(counts), flt.min_confidence)
    leads = [TimelineRow(FactJson(*r[:6]), counts.get(r[1], 1)) for r in rows]
    if len(leads) < flt.limit and (leads or not flt.offset):
        count: int | None = flt.offset + len(leads)
    else:
        count = timeline_count(conn, flt)
    if count is None:
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {sql_fact_source(flt)}{where} LIMIT ?)"
        count = int(conn.execute(sql, [*args, TOTAL_CAP + 1]).fetchone()[0])
    return leads, count


def _sources_at_least(conn: sqlite3.Connection, group_keys: list[str], floor: float) -> dict[str, int]:
    """The number of source articles of each group among its facts of confidence `floor` or more."""
    rows = conn.execute(
        "SELECT group_key, count(DISTINCT source_id) FROM search_facts "
        f"WHERE group_key {IN_JSON} AND confidence >= ? GROUP BY group_key",
        (json_list(group_keys), floor),
    )
    return {key: int(n) for key, n in rows}


def statements(conn: sqlite3.Connection, flt: FactFilter) -> list[Statement]:
    """The statements of the matching facts, aggregated by one grouped query (no fact parsed): each
    group's lead (its most confident fact, then the first by id, as `refresh_leads` ranks them; SQLite
    takes the bare columns from the row of the one `min`), its fact ids and its distinct sources."""
    where, args = sql_fact_where(replace(flt, limit=TOTAL_CAP, offset=0))
    rows = conn.execute(
        "SELECT group_key, type, unit_id, cluster_id, year, role, date, id, article_id, confidence, "
        "min(printf('%.17f', 1.0 - confidence) || id), "
        f"group_concat(id, ' '), group_concat(DISTINCT source_id) FROM {sql_fact_source(flt)}{where} "
        "GROUP BY group_key ORDER BY group_key",
        args,
    ).fetchall()
    return [
        Statement(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            float(r[9]),
            tuple(sorted(r[11].split(" "))),
            tuple(sorted(r[12].split(","))),
        )
        for r in rows
    ]
