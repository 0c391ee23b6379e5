"""The embedded backend's entity records: resolved clusters and units tallied from their facts."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from corpus.textkeys import fold
from search_api.resolve import entity_key, province_key
from search_api.schemas import EntityOut
from search_api.stores.base import EntityKind
from search_api.stores.rows import entity_from_tally

ENTITY_COLUMNS = {"unit": ("unit_id", "unit"), "cluster": ("cluster_id", "cluster")}
IN_JSON = "IN (SELECT value FROM json_each(?))"


def refresh(conn: sqlite3.Connection, kind: EntityKind, entity_ids: set[str] | None) -> None:
    """Recompute the entity records (names, counts, dated-fact totals) of these ids, all when None."""
    id_col, name_col = ENTITY_COLUMNS[kind]
    sql = f"SELECT {id_col}, {name_col}, province, count(*) FROM search_facts WHERE {id_col} IS NOT NULL"
    if entity_ids is None:
        conn.execute("DELETE FROM search_entities WHERE kind = ?", (kind,))
        rows = conn.execute(sql + f" GROUP BY {id_col}, {name_col}, province")
    else:
        ids = sorted(entity_ids)
        conn.executemany("DELETE FROM search_entities WHERE kind = ? AND id = ?", [(kind, i) for i in ids])
        rows = conn.execute(
            sql + f" AND {id_col} {IN_JSON} GROUP BY {id_col}, {name_col}, province",
            (json_list(ids),),
        )
    tallies: dict[str, list[tuple[str | None, str | None, int]]] = defaultdict(list)
    for row in rows.fetchall():
        tallies[row[0]].append((row[1], row[2], int(row[3])))
    entities = [e for i, t in tallies.items() if (e := entity_from_tally(kind, i, t)) is not None]
    conn.executemany(
        "INSERT INTO search_entities "
        "(kind, id, key, name, name_f, province, province_key, names, fact_count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                kind,
                e.id,
                entity_key(e.id),
                e.name,
                fold(e.name),
                e.province,
                _pkey(e.province),
                json_list(e.names),
                e.fact_count,
            )
            for e in entities
        ],
    )
    dated = (
        f"SELECT count(*) FROM search_facts f WHERE f.{id_col} = e.id AND f.date IS NOT NULL AND f.lead = 1"
    )
    scope = "" if entity_ids is None else f" AND e.id {IN_JSON}"
    conn.execute(
        f"UPDATE search_entities AS e SET dated_items = ({dated}) WHERE e.kind = ?{scope}",
        [kind] if entity_ids is None else [kind, json_list(sorted(entity_ids))],
    )


def json_list(values: Iterable[str]) -> str:
    """Values as a JSON array, for `IN (SELECT value FROM json_each(?))`."""
    return json.dumps(list(values), ensure_ascii=False)


def _pkey(province: str | None) -> str | None:
    return province_key(province) if province else None


def entity_out(row: sqlite3.Row) -> EntityOut:
    """An API entity from a `search_entities` row."""
    return EntityOut(
        id=row["id"],
        kind=row["kind"],
        name=row["name"],
        province=row["province"],
        names=json.loads(row["names"]),
        fact_count=row["fact_count"],
    )
