"""Pure view helpers for the web pages: article highlighting, fact labels, links and timelines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from corpus import textkeys

# Which of a fact's fields name the thing the article page marks inside the evidence sentence.
MARKED_FIELDS: Mapping[str, tuple[str, ...]] = {
    "cluster": ("name",),
    "member": ("member",),
    "chair": ("unit",),
    "award": ("award", "recipient"),  # the award first: the recipient is marked nearest to it
    "award_count": ("award",),
    "slogan": ("text",),
    "event": ("place",),
    "person": ("name",),
}
FACT_TYPE_ORDER: tuple[str, ...] = tuple(MARKED_FIELDS)


@dataclass
class Entity:
    """A marked stretch of text with the fact types (and fact ids) that point at it."""

    text: str
    types: list[str] = field(default_factory=list)
    fact_ids: list[str] = field(default_factory=list)


@dataclass
class Sentence:
    """An evidence sentence: its pieces (plain strings or entities) and the facts read from it."""

    pieces: list[str | Entity]
    fact_ids: list[str]
    types: list[str]


Block = str | Sentence


def _get(fact: Any, name: str, default: Any = None) -> Any:
    return fact.get(name, default) if isinstance(fact, Mapping) else getattr(fact, name, default)


def fact_span(text: str, fact: Any) -> tuple[int, int] | None:
    """The evidence sentence's span in `text`: the stored offsets, or the sentence found by search."""
    ev = _get(fact, "evidence")
    start, end, sentence = _get(ev, "start", 0), _get(ev, "end", 0), _get(ev, "sentence", "") or ""
    if 0 <= start < end <= len(text) and (not sentence or text[start:end] == sentence):
        return start, end
    found = text.find(sentence) if sentence else -1
    return (found, found + len(sentence)) if found >= 0 else None


def _merge_spans(spans: list[tuple[int, int, Any]]) -> list[tuple[int, int, list[Any]]]:
    merged: list[tuple[int, int, list[Any]]] = []
    for start, end, fact in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), [*last[2], fact])
        else:
            merged.append((start, end, [fact]))
    return merged


def _occurrences(haystack: str, needle: str) -> list[int]:
    hits: list[int] = []
    at = haystack.find(needle)
    while at >= 0:
        hits.append(at)
        at = haystack.find(needle, at + 1)
    return hits


def _entity_spans(sentence: str, facts: list[Any]) -> list[tuple[int, int, str, str]]:
    """Non-overlapping (start, end, type, fact_id) marks of each fact's values inside the sentence."""
    folded = textkeys.lower(sentence)
    exact = len(folded) != len(sentence)  # folding changed offsets: match case-sensitively instead
    found: list[tuple[int, int, str, str]] = []
    for fact in facts:
        ftype = _get(fact, "type")
        values = _get(fact, "fields") or fact
        anchors: list[int] = []  # where this fact's earlier values were marked
        for name in MARKED_FIELDS.get(ftype, ()):
            value = _get(values, name)
            if not isinstance(value, str) or not value.strip():
                continue
            needle = value if exact else textkeys.lower(value)
            hits = _occurrences(sentence if exact else folded, needle)
            if hits:
                at = min(hits, key=lambda h: min((abs(h - a) for a in anchors), default=h))
                anchors.append(at)
                found.append((at, at + len(needle), ftype, str(_get(fact, "id"))))
    kept: list[tuple[int, int, str, str]] = []
    for span in sorted(found, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not kept or span[0] >= kept[-1][1] or span[:2] == kept[-1][:2]:
            kept.append(span)
    return kept


def _sentence_pieces(sentence: str, facts: list[Any]) -> list[str | Entity]:
    pieces: list[str | Entity] = []
    cursor = 0
    for start, end, ftype, fid in _entity_spans(sentence, facts):
        last = pieces[-1] if pieces else None
        if isinstance(last, Entity) and start < cursor:
            if ftype not in last.types:
                last.types = sorted([*last.types, ftype], key=_type_rank)
            last.fact_ids.append(fid)
            continue
        if start > cursor:
            pieces.append(sentence[cursor:start])
        pieces.append(Entity(sentence[start:end], [ftype], [fid]))
        cursor = end
    if cursor < len(sentence):
        pieces.append(sentence[cursor:])
    return pieces


def highlight_article(text: str, facts: Iterable[Any]) -> list[Block]:
    """Split `text` into plain strings and evidence sentences whose fact values are marked."""
    spans = [(span[0], span[1], f) for f in facts if (span := fact_span(text, f)) is not None]
    blocks: list[Block] = []
    cursor = 0
    for start, end, group in _merge_spans(spans):
        if start > cursor:
            blocks.append(text[cursor:start])
        types = sorted({_get(f, "type") for f in group}, key=_type_rank)
        ids = list(dict.fromkeys(str(_get(f, "id")) for f in group))
        blocks.append(Sentence(_sentence_pieces(text[start:end], group), ids, types))
        cursor = end
    if cursor < len(text):
        blocks.append(text[cursor:])
    return blocks


def _type_rank(ftype: str) -> int:
    return FACT_TYPE_ORDER.index(ftype) if ftype in FACT_TYPE_ORDER else len(FACT_TYPE_ORDER)


def reading_order(facts: Iterable[Any]) -> list[Any]:
    """Facts in the order their sentences appear in the article, then by type."""
    return sorted(facts, key=lambda f: (_get(_get(f, "evidence"), "start", 0), _type_rank(_get(f, "type"))))


def types_present(facts: Iterable[Any]) -> list[str]:
    """The fact types among `facts`, in the legend's order."""
    return sorted({_get(f, "type") for f in facts}, key=_type_rank)


def describe_fact(fact: Any, t: Callable[..., str]) -> str:
    """A one-line, human reading of a fact in the UI language."""
    v = _get(fact, "fields") or fact
    ftype = _get(fact, "type")
    year = _get(v, "year")
    suffix = f" ({year})" if year else ""
    if ftype == "chair":
        return f"{_get(v, 'unit')} — {t('role_' + str(_get(v, 'role')))}{suffix}"
    if ftype == "member":
        return f"{_get(v, 'member')} ∈ {_get(v, 'cluster') or '?'}{suffix}"
    if ftype == "award":
        status = _get(v, "status")
        tail = f", {t('status_' + status)}" if status else ""
        return f"{_get(v, 'recipient')}: {_get(v, 'award')}{suffix}{tail}"
    if ftype == "award_count":
        what = t("award_count_of", count=_get(v, "count"), award=_get(v, "award"))
        return f"{_get(v, 'scope') or '?'}: {what}{suffix}"
    if ftype == "slogan":
        return f"{t('kind_' + str(_get(v, 'kind')))}: “{_get(v, 'text')}”{suffix}"
    if ftype == "event":
        where = f", {_get(v, 'place')}" if _get(v, "place") else ""
        return f"{t('event_' + str(_get(v, 'kind')))} {_get(v, 'date') or ''}{where}".strip()
    if ftype == "person":
        return ", ".join(str(x) for x in (_get(v, "name"), _get(v, "title"), _get(v, "unit")) if x)
    if ftype == "cluster":
        province = _get(v, "province")
        return f"{_get(v, 'name')}" + (f" ({province})" if province else "")
    return str(ftype)


def evidence_href(article_id: str | None, fact_id: str | None) -> str | None:
    """The article page anchored at the fact's sentence."""
    if not article_id:
        return None
    return f"/articles/{article_id}" + (f"#f-{fact_id}" if fact_id else "")


def with_query(path: str, params: Mapping[str, Any], **overrides: Any) -> str:
    """`path?…` with `params` updated by `overrides`; empty values are left out."""
    merged = {**params, **overrides}
    pairs = [(k, v) for k, v in merged.items() if v not in (None, "", [])]
    flat = [(k, x) for k, v in pairs for x in (v if isinstance(v, list) else [v])]
    return f"{path}?{urlencode(flat)}" if flat else path


def timeline_years(items: Iterable[Any], date_of: Callable[[Any], str | None]) -> list[tuple[str, list[Any]]]:
    """Group dated items by year (undated last), oldest first, for the visual timeline."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        date = date_of(item) or ""
        groups.setdefault(date[:4], []).append(item)
    for members in groups.values():
        members.sort(key=lambda it: date_of(it) or "")
    return sorted(groups.items(), key=lambda kv: (kv[0] == "", kv[0]))


@dataclass
class RoleRow:
    """One row of a cluster's chair table: the year and the statement groups per role."""

    year: int | None
    roles: dict[str, list[Any]] = field(default_factory=dict)


def role_rows(role_years: Iterable[Any]) -> list[RoleRow]:
    """RoleYear records folded into one row per year (oldest first, undated last)."""
    rows: dict[int | None, RoleRow] = {}
    for ry in role_years:
        row = rows.setdefault(_get(ry, "year"), RoleRow(_get(ry, "year")))
        row.roles.setdefault(str(_get(ry, "role")), []).extend(_get(ry, "holders") or [])
    return sorted(rows.values(), key=lambda r: (r.year is None, r.year or 0))


def by_year(groups: Iterable[Any]) -> list[tuple[int | None, list[Any]]]:
    """Fact groups bucketed by their fact's year (newest first, undated last)."""
    buckets: dict[int | None, list[Any]] = {}
    for group in groups:
        fact = _get(group, "fact")
        buckets.setdefault(_get(fact, "year"), []).append(group)
    return sorted(buckets.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0)))


@dataclass
class TimelineEntry:
    """One statement placed on a timeline: its date (as precise as known) and its fact."""

    date: str
    fact: Any
    source_count: int = 1


def group_timeline(groups: Iterable[Any]) -> list[TimelineEntry]:
    """Fact groups as timeline entries (each group once), in date order; undated groups are left out."""
    seen: set[str] = set()
    entries: list[TimelineEntry] = []
    for group in groups:
        fact = _get(group, "fact")
        date = _get(fact, "date") or (str(_get(fact, "year")) if _get(fact, "year") else "")
        key = str(_get(group, "group_key"))
        if date and key not in seen:
            seen.add(key)
            entries.append(TimelineEntry(date, fact, int(_get(group, "source_count", 1) or 1)))
    return sorted(entries, key=lambda e: e.date)
