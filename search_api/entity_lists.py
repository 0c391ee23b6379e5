"""The paged lists of a cluster's or a unit's page (members, chairs, awards, …): built from statements the
store aggregated, sorted and counted without reading their facts, then paged by a cursor; only a page's
facts are read. Without a confidence floor a store that keeps the built lists at write time (SQLite:
`stores/sqlite_pages.py`) serves a page of them as kept, one indexed range read."""

from __future__ import annotations

import base64
import binascii
import json
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from search_api import groups
from search_api.charts import LANE_OF, LANES, Cell
from search_api.groups import source
from search_api.query import FactFilter
from search_api.schemas import ClusterRef, FactGroup, FactOut, ListInfo, MemberOut, RoleYear
from search_api.stores.base import EntityKind, SearchBackend
from search_api.stores.rows import ChartCount, Item, KeptLists, Statement

LIST_LIMIT = 20  # items per list on a page, unless `limit` says otherwise
MAX_LIST_LIMIT = 200
SOURCES_SHOWN = 5  # sources listed per statement (`source_count` counts all of them)
CHART_NAMES = 6  # facts a chart mark names
CLUSTER_LISTS = ("members", "chairs", "awards", "slogans", "events")
UNIT_LISTS = ("clusters", "roles", "awards")
# The parts of each list's sort key (a cursor is the key of a page's last item): a unit or cluster id;
# (year, role, cluster id, group); (year, group); (date, group).
KEYS: dict[str, tuple[type, ...]] = {
    "members": (str,),
    "clusters": (str,),
    "chairs": (int, str, str, str),
    "roles": (int, str, str, str),
    "awards": (int, str),
    "slogans": (int, str),
    "events": (str, str),
}
Key = tuple[Any, ...]
Find = Callable[[FactFilter], list[Statement]]


class CursorError(ValueError):
    """A cursor this server did not give out."""


@dataclass
class Entry:
    """An item of a list while it is built: its sort key and its statements (a member's several)."""

    key: Key
    statements: list[Statement]


class Lists(ABC):
    """An entity's lists: pages of them, each list's chart counts, the most facts one of the reads that
    built them returned, and the facts read so far for its pages."""

    def __init__(self, most_read: int, cells: dict[str, list[ChartCount]]) -> None:
        self.most_read = most_read
        self.cells = cells
        self.facts: dict[str, FactOut] = {}

    @property
    def complete(self) -> bool:
        """Whether every read was under the cap of a detail page (DETAIL_CAP facts)."""
        return self.most_read <= groups.DETAIL_CAP

    @abstractmethod
    def page(self, name: str, limit: int, cursor: str | None) -> tuple[list[Item], ListInfo]:
        """The items of list `name` after the cursor (from the first without one), its total and the
        next page's cursor. Raises CursorError for a cursor of another list or none of ours."""


class BuiltLists(Lists):
    """Lists built from the statements of an entity's facts, every item in memory."""

    def __init__(self, items: dict[str, list[Item]], cells: dict[str, list[ChartCount]], most_read: int):
        super().__init__(most_read, cells)
        self.items = items

    def page(self, name: str, limit: int, cursor: str | None) -> tuple[list[Item], ListInfo]:
        items = self.items[name]
        start = bisect_right([i.key for i in items], decode_cursor(cursor, name)) if cursor else 0
        page = items[start : start + limit]
        more = start + limit < len(items)
        return page, _info(len(items), limit, page, more)


class KeptPages(Lists):
    """Lists as a backend kept them at write time: a page is read from the backend, in order."""

    def __init__(self, backend: SearchBackend, kind: EntityKind, entity_id: str, kept: KeptLists) -> None:
        super().__init__(kept.most_read, kept.cells)
        self.backend, self.kind, self.entity_id, self.totals = backend, kind, entity_id, kept.totals

    def page(self, name: str, limit: int, cursor: str | None) -> tuple[list[Item], ListInfo]:
        after = decode_cursor(cursor, name) if cursor else None
        page = self.backend.kept_items(self.kind, self.entity_id, name, after, limit + 1)
        return page[:limit], _info(self.totals.get(name, 0), limit, page[:limit], len(page) > limit)


def _info(total: int, limit: int, page: list[Item], more: bool) -> ListInfo:
    return ListInfo(total=total, limit=limit, next_cursor=encode_cursor(page[-1].key) if more else None)


def encode_cursor(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key), ensure_ascii=False).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, name: str) -> Key:
    """The sort key a cursor of list `name` carries."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise CursorError("not a cursor of this list") from exc
    shape = KEYS[name]
    if not isinstance(key, list) or [type(k) for k in key] != list(shape):
        raise CursorError("not a cursor of this list")
    return tuple(key)


def open_lists(
    backend: SearchBackend, kind: EntityKind, entity_id: str, floor: float | None, names: Iterable[str]
) -> Lists:
    """An entity's lists: as the backend kept them when no confidence floor applies and it keeps them,
    else built from the statements of its facts (only what the lists `names` need is read)."""
    if floor is None:
        kept = backend.kept_lists(kind, entity_id)
        if kept is not None:
            return KeptPages(backend, kind, entity_id, kept)
    return build_lists(backend.find_statements, kind, entity_id, floor, names)


def build_lists(
    find: Find, kind: EntityKind, entity_id: str, floor: float | None, names: Iterable[str] | None = None
) -> BuiltLists:
    """A cluster's or unit's lists (those `names` need; all when None) from the statements `find` gives."""
    if kind == "cluster":
        wanted = CLUSTER_LISTS if names is None else names
        entries, most_read = _cluster_entries(find, entity_id, floor, wanted)
    else:
        entries, most_read = _unit_entries(find, entity_id, floor)
    items = {name: [_item(name, e) for e in found] for name, found in entries.items()}
    return BuiltLists(items, {name: _counts(found) for name, found in entries.items()}, most_read)


def _item(name: str, e: Entry) -> Item:
    first = e.statements[0]
    if name in ("members", "clusters"):
        shown: tuple[str, ...] = (first.lead_id,)
        articles = len({a for s in e.statements for a in s.articles})
        years = tuple(sorted({s.year for s in e.statements if s.year}))
    else:
        shown = tuple(dict.fromkeys((first.lead_id, *first.fact_ids[:SOURCES_SHOWN])))
        articles, years = len(first.articles), ()
    return Item(e.key, first.group_key, first.lead_id, first.lead_article, shown, articles, years)


def _counts(entries: list[Entry]) -> list[ChartCount]:
    """A list's statements per year and chart lane, naming the first few of each."""
    count: dict[tuple[int, str], int] = defaultdict(int)
    named: dict[tuple[int, str], list[str]] = defaultdict(list)
    for e in entries:
        s = e.statements[0]
        year, lane = _year(s), LANE_OF.get(s.type)
        if year is not None and lane is not None:
            count[(year, lane)] += 1
            if len(named[(year, lane)]) < CHART_NAMES:
                named[(year, lane)].append(s.lead_id)
    return [ChartCount(y, lane, count[(y, lane)], tuple(named[(y, lane)])) for y, lane in _chart_order(count)]


def _chart_order(cells: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    order = {lane: n for n, lane in enumerate(LANES)}
    return sorted(cells, key=lambda key: (key[0], order[key[1]]))


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


def _read_all(find: Find, flt: FactFilter) -> tuple[list[Statement], int]:
    """The statements of the matching facts, and how many facts that read."""
    found = find(flt)
    return found, sum(len(s.fact_ids) for s in found)


def _cluster_entries(
    find: Find, cid: str, floor: float | None, names: Iterable[str]
) -> tuple[dict[str, list[Entry]], int]:
    """A cluster's members, chairs, events, and the awards, themes and movements its articles state
    (awards to its members only, when it has any); those two read only when `names` asks for them."""
    own, most_read = _read_all(find, FactFilter(cluster_ids=(cid,), min_confidence=floor))
    articles = sorted({a for s in own for a in s.articles}) if {"awards", "slogans"} & set(names) else []
    flt = FactFilter(types=("award", "award_count", "slogan"), min_confidence=floor)
    context: list[Statement] = []
    for start in range(0, len(articles), 500):
        chunk, read = _read_all(find, replace(flt, article_ids=tuple(articles[start : start + 500])))
        context.extend(chunk)
        most_read = max(most_read, read)
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
    return entries, most_read


def _unit_entries(find: Find, uid: str, floor: float | None) -> tuple[dict[str, list[Entry]], int]:
    """A unit's clusters (from its memberships and roles), years as chair or vice-chair, awards: one
    query serves them all."""
    own, most_read = _read_all(find, FactFilter(unit_id=uid, min_confidence=floor))
    entries = {
        "clusters": _grouped((s for s in own if s.type in ("member", "chair")), "cluster_id"),
        "roles": _sorted((s for s in own if s.type == "chair"), _by_slot),
        "awards": _sorted((s for s in own if s.type in ("award", "award_count")), _by_year),
    }
    return entries, most_read


def read_facts(backend: SearchBackend, lists: Lists, ids: Iterable[str]) -> None:
    """Read the facts with these ids (once each) into `lists.facts`."""
    missing = list(dict.fromkeys(i for i in ids if i not in lists.facts))
    for fact in backend.get_facts(missing):
        lists.facts[fact.id] = fact


def show(backend: SearchBackend, lists: Lists, pages: dict[str, list[Item]]) -> dict[str, list[Any]]:
    """The pages' items as the API serves them, reading only their facts (the lead of a member's or a
    cluster's first statement; a statement's lead and first sources)."""
    read_facts(backend, lists, (i for page in pages.values() for item in page for i in item.shown))
    return {name: _items(lists.facts, name, page) for name, page in pages.items()}


def _items(facts: dict[str, FactOut], name: str, page: list[Item]) -> list[Any]:
    if name == "members":
        return [_member(facts, i) for i in page]
    if name == "clusters":
        return [_cluster_ref(facts, i) for i in page]
    groups = [_group(facts, i) for i in page]
    return _role_years(groups) if name in ("chairs", "roles") else groups


def _group(facts: dict[str, FactOut], item: Item) -> FactGroup:
    shown = [facts[i] for i in item.shown if i in facts]
    return FactGroup(
        group_key=item.group_key,
        fact=facts[item.lead_id],
        source_count=item.source_count,
        sources=[source(f) for f in shown[:SOURCES_SHOWN]],
    )


def _member(facts: dict[str, FactOut], item: Item) -> MemberOut:
    lead = facts.get(item.lead_id)
    return MemberOut(
        unit_id=str(item.key[0]),
        unit=str(lead.fields.get("member")) if lead else str(item.key[0]),
        years=list(item.years),
        source_count=item.source_count,
        fact_id=item.lead_id,
        article_id=item.lead_article,
    )


def _cluster_ref(facts: dict[str, FactOut], item: Item) -> ClusterRef:
    lead = facts.get(item.lead_id)
    return ClusterRef(
        id=str(item.key[0]),
        name=str(lead.fields.get("cluster")) if lead else str(item.key[0]),
        province=lead.province if lead else None,
        years=list(item.years),
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
    count: dict[tuple[int, str], int] = defaultdict(int)
    named: dict[tuple[int, str], list[str]] = defaultdict(list)
    for name in names:
        for c in lists.cells.get(name, []):
            count[(c.year, c.lane)] += c.total
            named[(c.year, c.lane)] = [*named[(c.year, c.lane)], *c.lead_ids][:CHART_NAMES]
    keys = _chart_order(count)
    read_facts(backend, lists, (i for k in keys for i in named[k]))
    return [
        Cell(
            year,
            lane,
            tuple(lists.facts[i] for i in named[(year, lane)] if i in lists.facts),
            count[(year, lane)],
        )
        for year, lane in keys
    ]


def _year(s: Statement) -> int | None:
    text = str(s.date or s.year or "")
    return int(text[:4]) if text[:4].isascii() and text[:4].isdigit() else None
