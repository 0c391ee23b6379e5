"""The paged lists of a cluster's or a unit's page, built from statements the store aggregated: sorted,
counted and paged by a cursor without reading their facts; only a page's facts are read."""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from search_api import groups
from search_api.charts import LANE_OF, LANES, Cell
from search_api.groups import source
from search_api.query import FactFilter
from search_api.schemas import ClusterRef, FactGroup, FactOut, ListInfo, MemberOut, RoleYear
from search_api.stores.base import SearchBackend
from search_api.stores.rows import Statement

LIST_LIMIT = 20  # items per list on a page, unless `limit` says otherwise
MAX_LIST_LIMIT = 200
SOURCES_SHOWN = 5  # sources listed per statement (`source_count` counts all of them)
CHART_NAMES = 6  # facts a chart mark names
CLUSTER_LISTS = ("members", "chairs", "awards", "slogans", "events")
UNIT_LISTS = ("clusters", "roles", "awards")
Key = tuple[Any, ...]


class CursorError(ValueError):
    """A cursor this server did not give out."""


@dataclass
class Entry:
    """An item of a list: its sort key and its statements (a member's several, else one)."""

    key: Key
    statements: list[Statement]


@dataclass
class Lists:
    """Every list of an entity's page, sorted, and whether every fact was read."""

    entries: dict[str, list[Entry]]
    complete: bool = True
    facts: dict[str, FactOut] = field(default_factory=dict)


def encode_cursor(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key), ensure_ascii=False).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Key:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise CursorError("not a cursor of this list") from exc
    if not isinstance(key, list) or not all(isinstance(k, str | int) for k in key):
        raise CursorError("not a cursor of this list")
    return tuple(key)


def page_of(entries: list[Entry], limit: int, cursor: str | None) -> tuple[list[Entry], ListInfo]:
    """The entries after the cursor (from the first without one), and the list's total and next cursor."""
    start = 0
    if cursor:
        after = decode_cursor(cursor)
        try:
            start = bisect_right([e.key for e in entries], after)
        except TypeError as exc:  # a key of another list's shape
            raise CursorError("not a cursor of this list") from exc
    page = entries[start : start + limit]
    more = start + limit < len(entries)
    return page, ListInfo(
        total=len(entries), limit=limit, next_cursor=encode_cursor(page[-1].key) if more else None
    )


def _merge(statements: Iterable[Statement]) -> list[Statement]:
    """Statements of the same group read in several chunks, joined."""
    joined: dict[str, Statement] = {}
    for s in statements:
        old = joined.get(s.group_key)
        if old is not None:
            lead = s if (-s.confidence, s.lead_id) < (-old.confidence, old.lead_id) else old
            s = lead._replace(
                fact_ids=tuple(sorted({*old.fact_ids, *s.fact_ids})),
                articles=tuple(sorted({*old.articles, *s.articles})),
            )
        joined[s.group_key] = s
    return list(joined.values())


def _sorted(statements: Iterable[Statement], key: Callable[[Statement], Key]) -> list[Entry]:
    return sorted((Entry((*key(s), s.group_key), [s]) for s in statements), key=lambda e: e.key)


def _by_year(s: Statement) -> Key:
    return (s.year or 0,)


def _by_slot(s: Statement) -> Key:
    return (s.year or 0, s.role or "", s.cluster_id or "")


def _by_date(s: Statement) -> Key:
    return (s.date or "",)


def _grouped(statements: Iterable[Statement], attr: str) -> list[Entry]:
    """Statements grouped by a unit or cluster id: one entry each, in id order."""
    by: dict[str, list[Statement]] = defaultdict(list)
    for s in statements:
        value = getattr(s, attr)
        if value:
            by[value].append(s)
    return [Entry((k,), by[k]) for k in sorted(by)]


def _read_all(backend: SearchBackend, flt: FactFilter) -> tuple[list[Statement], bool]:
    found = backend.find_statements(flt)
    return found, sum(len(s.fact_ids) for s in found) <= groups.DETAIL_CAP


def cluster_lists(
    backend: SearchBackend, cid: str, floor: float | None, names: Iterable[str] = CLUSTER_LISTS
) -> Lists:
    """A cluster's members, chairs, events, and the awards, themes and movements its articles state
    (awards to its members only, when it has any); those two read only when `names` asks for them."""
    own, complete = _read_all(backend, FactFilter(cluster_ids=(cid,), min_confidence=floor))
    articles = sorted({a for s in own for a in s.articles}) if {"awards", "slogans"} & set(names) else []
    flt = FactFilter(types=("award", "award_count", "slogan"), min_confidence=floor)
    context: list[Statement] = []
    for start in range(0, len(articles), 500):
        chunk, whole = _read_all(backend, replace(flt, article_ids=tuple(articles[start : start + 500])))
        context.extend(chunk)
        complete = complete and whole
    context = _merge(context)
    members = _grouped((s for s in own if s.type == "member"), "unit_id")
    ids = {e.key[0] for e in members}
    awards = [s for s in context if s.type != "slogan" and (not ids or s.unit_id in ids)]
    entries = {
        "members": members,
        "chairs": _sorted((s for s in own if s.type == "chair"), _by_slot),
        "awards": _sorted(awards, _by_year),
        "slogans": _sorted((s for s in context if s.type == "slogan"), _by_year),
        "events": _sorted((s for s in own if s.type == "event"), _by_date),
    }
    return Lists(entries, complete)


def unit_lists(
    backend: SearchBackend, uid: str, floor: float | None, names: Iterable[str] = UNIT_LISTS
) -> Lists:
    """A unit's clusters (from its memberships and roles), years as chair or vice-chair, awards: one
    query serves them all (`names`, the lists wanted, only keeps `cluster_lists`'s signature)."""
    own, complete = _read_all(backend, FactFilter(unit_id=uid, min_confidence=floor))
    entries = {
        "clusters": _grouped((s for s in own if s.type in ("member", "chair")), "cluster_id"),
        "roles": _sorted((s for s in own if s.type == "chair"), _by_slot),
        "awards": _sorted((s for s in own if s.type in ("award", "award_count")), _by_year),
    }
    return Lists(entries, complete)


def _wanted(entries: Iterable[Entry], name: str) -> list[str]:
    """The facts a page of a list shows: each statement's lead and first sources (a member's or a
    cluster's first statement's lead)."""
    if name in ("members", "clusters"):
        return [e.statements[0].lead_id for e in entries]
    return [i for e in entries for s in e.statements for i in (s.lead_id, *s.fact_ids[:SOURCES_SHOWN])]


def read_facts(backend: SearchBackend, lists: Lists, ids: Iterable[str]) -> None:
    """Read the facts with these ids (once each) into `lists.facts`."""
    missing = list(dict.fromkeys(i for i in ids if i not in lists.facts))
    for fact in backend.get_facts(missing):
        lists.facts[fact.id] = fact


def show(backend: SearchBackend, lists: Lists, pages: dict[str, list[Entry]]) -> dict[str, list[Any]]:
    """The pages' items as the API serves them, reading only their facts."""
    read_facts(backend, lists, (i for name, page in pages.items() for i in _wanted(page, name)))
    return {name: _items(lists.facts, name, page) for name, page in pages.items()}


def _items(facts: dict[str, FactOut], name: str, page: list[Entry]) -> list[Any]:
    if name == "members":
        return [_member(facts, e) for e in page]
    if name == "clusters":
        return [_cluster_ref(facts, e) for e in page]
    groups = [_group(facts, e.statements[0]) for e in page]
    return _role_years(groups) if name in ("chairs", "roles") else groups


def _group(facts: dict[str, FactOut], s: Statement) -> FactGroup:
    shown = [facts[i] for i in dict.fromkeys((s.lead_id, *s.fact_ids[:SOURCES_SHOWN])) if i in facts]
    return FactGroup(
        group_key=s.group_key,
        fact=facts[s.lead_id],
        source_count=len(s.articles),
        sources=[source(f) for f in shown[:SOURCES_SHOWN]],
    )


def _member(facts: dict[str, FactOut], e: Entry) -> MemberOut:
    first = e.statements[0]
    lead = facts.get(first.lead_id)
    return MemberOut(
        unit_id=str(e.key[0]),
        unit=str(lead.fields.get("member")) if lead else str(e.key[0]),
        years=sorted({s.year for s in e.statements if s.year}),
        source_count=len({a for s in e.statements for a in s.articles}),
        fact_id=first.lead_id,
        article_id=first.lead_article,
    )


def _cluster_ref(facts: dict[str, FactOut], e: Entry) -> ClusterRef:
    lead = facts.get(e.statements[0].lead_id)
    return ClusterRef(
        id=str(e.key[0]),
        name=str(lead.fields.get("cluster")) if lead else str(e.key[0]),
        province=lead.province if lead else None,
        years=sorted({s.year for s in e.statements if s.year}),
    )


def _role_years(groups: list[FactGroup]) -> list[RoleYear]:
    """A page of chair statements as rows of (year, role, cluster), in their order."""
    rows: list[RoleYear] = []
    for g in groups:
        f = g.fact
        slot = (f.year, str(f.fields.get("role")), f.cluster_id)
        if rows and (rows[-1].year, rows[-1].role, rows[-1].cluster_id) == slot:
            rows[-1].holders.append(g)
        else:
            rows.append(RoleYear(year=f.year, role=slot[1], cluster_id=f.cluster_id,
                                 cluster=f.fields.get("cluster"), holders=[g]))  # fmt: skip
    return rows


def chart_cells(backend: SearchBackend, lists: Lists, names: Iterable[str]) -> list[Cell]:
    """The timeline chart of every statement of these lists (not only a page's): a cell per year and
    lane with its number of statements, naming (and reading) its first few only."""
    cells: dict[tuple[int, str], list[Statement]] = defaultdict(list)
    for name in names:
        for e in lists.entries[name]:
            s = e.statements[0]
            year, lane = _year(s), LANE_OF.get(s.type)
            if year is not None and lane is not None:
                cells[(year, lane)].append(s)
    order = {lane: n for n, lane in enumerate(LANES)}
    keys = sorted(cells, key=lambda key: (key[0], order[key[1]]))
    read_facts(backend, lists, (s.lead_id for k in keys for s in cells[k][:CHART_NAMES]))
    return [
        Cell(
            year,
            lane,
            tuple(lists.facts[s.lead_id] for s in cells[(year, lane)][:CHART_NAMES]),
            len(cells[(year, lane)]),
        )
        for year, lane in keys
    ]


def _year(s: Statement) -> int | None:
    text = str(s.date or s.year or "")
    return int(text[:4]) if text[:4].isascii() and text[:4].isdigit() else None
