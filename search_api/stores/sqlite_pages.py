"""The embedded backend's entity pages: each cluster's and unit's lists (members, chairs, awards, …) built
at write time from its live facts, kept in list order with their totals and chart counts, so a page of a
list is one range read of a primary key instead of aggregating the entity's facts per request. A write marks
the entities it touches stale instead (`mark_stale`), and `settle` builds their lists once per sync."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from search_api.entity_lists import KEYS, BuiltLists, build_lists
from search_api.query import FactFilter
from search_api.stores.base import EntityKind
from search_api.stores.rows import ChartCount, Item, KeptLists, Statement
from search_api.stores.sqlite_entities import IN_JSON, json_list
from search_api.stores.sqlite_timeline import statements

KEY_PARTS = 4  # k1 … k4: the longest sort key (a chair's year, role, cluster, group)
PAGE_TABLES = ("search_entity_items", "search_entity_lists")
STALE_TABLE = "search_entity_stale"


def mark_stale(conn: sqlite3.Connection, touched: dict[EntityKind, set[str]]) -> None:
    """Mark these entities' kept lists stale: pages read them no more until they are built again."""
    conn.executemany(
        f"INSERT OR IGNORE INTO {STALE_TABLE} (kind, entity_id) VALUES (?, ?)",
        [(kind, i) for kind, ids in touched.items() for i in sorted(ids)],
    )


def stale_entities(conn: sqlite3.Connection) -> dict[EntityKind, set[str]]:
    """The entities marked stale, by kind."""
    stale: dict[EntityKind, set[str]] = {"unit": set(), "cluster": set()}
    for kind, entity_id in conn.execute(f"SELECT kind, entity_id FROM {STALE_TABLE}"):
        stale[kind].add(entity_id)
    return stale


def refresh_pages(conn: sqlite3.Connection, kind: EntityKind, entity_ids: set[str] | None) -> None:
    """Build again the kept lists of these entities (all when None) from the live facts, after their
    entity records were refreshed, and clear their stale marks: ids left without a record lose theirs."""
    if entity_ids is None:
        for table in (*PAGE_TABLES, STALE_TABLE):
            conn.execute(f"DELETE FROM {table} WHERE kind = ?", (kind,))
        rows = conn.execute("SELECT id FROM search_entities WHERE kind = ? ORDER BY id", (kind,))
    else:
        wanted = sorted(entity_ids)
        for table in (*PAGE_TABLES, STALE_TABLE):
            conn.executemany(
                f"DELETE FROM {table} WHERE kind = ? AND entity_id = ?", [(kind, i) for i in wanted]
            )
        rows = conn.execute(
            f"SELECT id FROM search_entities WHERE kind = ? AND id {IN_JSON} ORDER BY id",
            (kind, json_list(wanted)),
        )

    def find(flt: FactFilter) -> list[Statement]:
        return statements(conn, flt)

    for (entity_id,) in rows.fetchall():
        _keep(conn, kind, entity_id, build_lists(find, kind, entity_id, None))


def _keep(conn: sqlite3.Connection, kind: EntityKind, entity_id: str, lists: BuiltLists) -> None:
    conn.executemany(
        "INSERT INTO search_entity_items (kind, entity_id, list, k1, k2, k3, k4, group_key, lead_id, "
        "lead_article, shown, source_count, years) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                kind,
                entity_id,
                name,
                *_padded(i.key),
                i.group_key,
                i.lead_id,
                i.lead_article,
                " ".join(i.shown),
                i.source_count,
                " ".join(map(str, i.years)),
            )
            for name, items in lists.items.items()
            for i in items
        ],
    )
    conn.executemany(
        "INSERT INTO search_entity_lists (kind, entity_id, list, total, most_read, cells) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                kind,
                entity_id,
                name,
                len(items),
                lists.most_read,
                json.dumps(lists.cells[name], ensure_ascii=False),
            )
            for name, items in lists.items.items()
        ],
    )


def _padded(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return (*key, *("",) * (KEY_PARTS - len(key)))


def kept_lists(conn: sqlite3.Connection, kind: EntityKind, entity_id: str) -> KeptLists | None:
    """An entity's kept lists: totals, chart counts, the most facts a read returned (None: none kept, or
    marked stale)."""
    rows = conn.execute(
        "SELECT list, total, most_read, cells FROM search_entity_lists WHERE kind = ? AND entity_id = ? "
        f"AND NOT EXISTS (SELECT 1 FROM {STALE_TABLE} WHERE kind = ? AND entity_id = ?)",
        (kind, entity_id, kind, entity_id),
    ).fetchall()
    if not rows:
        return None
    return KeptLists(
        most_read=max(int(r[2]) for r in rows),
        totals={r[0]: int(r[1]) for r in rows},
        cells={
            r[0]: [ChartCount(y, lane, n, tuple(ids)) for y, lane, n, ids in json.loads(r[3])] for r in rows
        },
    )


def kept_items(
    conn: sqlite3.Connection,
    kind: EntityKind,
    entity_id: str,
    name: str,
    after: tuple[Any, ...] | None,
    limit: int,
) -> list[Item]:
    """Up to `limit` items of a kept list after the sort key `after` (from the first without), in order."""
    sql = (
        "SELECT k1, k2, k3, k4, group_key, lead_id, lead_article, shown, source_count, years "
        "FROM search_entity_items WHERE kind = ? AND entity_id = ? AND list = ?"
    )
    args: list[Any] = [kind, entity_id, name]
    if after is not None:
        sql += " AND (k1, k2, k3, k4) > (?, ?, ?, ?)"
        args += _padded(after)
    rows = conn.execute(sql + " ORDER BY k1, k2, k3, k4 LIMIT ?", [*args, limit]).fetchall()
    size = len(KEYS[name])
    return [
        Item(tuple(r[:size]), r[4], r[5], r[6], tuple(r[7].split()), int(r[8]), tuple(map(int, r[9].split())))
        for r in rows
    ]
