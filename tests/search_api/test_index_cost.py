"""Incremental indexing grows linearly with a statement's size (issue 15, item 2): the work SQLite does
to refresh a group's lead and source count, counted in virtual-machine steps on a real file."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

from benchmarks.bench_index import grown_index
from search_api.stores.sqlite_timeline import refresh_leads

STEP = 1000  # the progress handler runs every STEP virtual-machine instructions


def _store(root: Path, group: int, added: int) -> Path:
    """A real index where one statement has `group` facts, then `added` more articles synced in."""
    return grown_index(root, group, added)[0]


def _state(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    return conn.execute("SELECT id, lead, group_sources FROM search_facts ORDER BY id").fetchall()


def _refresh_steps(db: Path) -> int:
    """VM steps of refreshing every group incrementally; the result must equal a full refresh's."""
    conn = sqlite3.connect(db)
    try:
        synced = _state(conn)
        keys = {row[0] for row in conn.execute("SELECT DISTINCT group_key FROM search_facts")}
        conn.execute("UPDATE search_facts SET lead = 0, group_sources = 0")
        steps = [0]

        def tick() -> int:
            steps[0] += 1
            return 0

        conn.set_progress_handler(tick, STEP)
        refresh_leads(conn, keys)
        conn.set_progress_handler(None, STEP)
        assert _state(conn) == synced, "the incremental refresh differs from what the sync left"
        refresh_leads(conn, None)
        assert _state(conn) == synced, "the incremental refresh differs from a full one"
        conn.rollback()
        return steps[0] * STEP
    finally:
        conn.close()


def test_refreshing_a_statement_costs_linear_work_in_its_size(tmp_path: Path) -> None:
    sizes = (400, 800, 1600)
    steps = {n: _refresh_steps(_store(tmp_path, n, 50)) for n in sizes}
    for small, big in itertools.pairwise(sizes):
        # linear: twice the facts, about twice the work; the correlated subqueries took 4×
        assert steps[big] / steps[small] < 2.3, steps


def test_a_sync_marks_one_lead_per_statement_with_its_source_count(tmp_path: Path) -> None:
    db = _store(tmp_path, 30, 5)
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT group_key, sum(lead), min(group_sources), max(group_sources), count(DISTINCT source_id) "
            "FROM search_facts GROUP BY group_key"
        ).fetchall()
    assert len(rows) == 2
    assert all(leads == 1 and low == high == sources == 35 for _, leads, low, high, sources in rows)
