"""Conversions shared by the backends: stored rows to API facts and their JSON, entities from tallies."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from search_api.schemas import EntityOut, EvidenceOut, FactOut

FACT_COLUMNS = (
    "id",
    "article_id",
    "type",
    "unit_id",
    "unit_key",
    "unit",
    "cluster_id",
    "cluster",
    "province",
    "province_key",
    "year",
    "date",
    "status",
    "role",
    "award_key",
    "group_key",
    "slot_key",
    "data",
    "correction_status",
    "history",
)


def fact_confidence(fact: Mapping[str, Any]) -> float:
    """A fact's confidence as the API serves it (0.9 when the fact JSON has none)."""
    return float(fact.get("confidence", 0.9) or 0.0)


def fact_out(row: Mapping[str, Any]) -> FactOut:
    """An API fact from a stored row (columns of FACT_COLUMNS, `data` being the fact JSON)."""
    data = row["data"]
    fact: dict[str, Any] = json.loads(data) if isinstance(data, str) else dict(data)
    evidence = fact.pop("evidence", None) or {"sentence": "", "start": 0, "end": 0}
    fact.pop("id", None)
    confidence = fact_confidence(fact)
    fact.pop("confidence", None)
    evidence.setdefault("article_id", row["article_id"])
    top = {k: v for k, v in fact.items() if k not in FactOut.model_fields}
    return FactOut(
        **top,
        id=row["id"],
        type=row["type"],
        fields=fact,
        evidence=EvidenceOut.model_validate(evidence),
        confidence=confidence,
        unit_id=row["unit_id"],
        unit_key=row["unit_key"] if "unit_key" in row.keys() else None,  # noqa: SIM118 - sqlite3.Row: `in` tests values
        cluster_id=row["cluster_id"],
        province=row["province"],
        year=row["year"],
        date=row["date"],
        group_key=row["group_key"],
        **_correction(row),
    )


def _correction(row: Mapping[str, Any]) -> dict[str, Any]:
    """The correction status and history of a stored row (absent from rows indexed before them)."""
    keys = row.keys()
    status = row["correction_status"] if "correction_status" in keys else None
    if not status or status == "extracted":
        return {}
    history = row["history"] if "history" in keys else None
    return {"correction_status": status, "history": json.loads(history) if history else []}


def entity_from_tally(
    kind: str, entity_id: str, tally: Iterable[tuple[str | None, str | None, int]]
) -> EntityOut | None:
    """An entity record from (name as written, province, count) tallies of its facts."""
    names: Counter[str] = Counter()
    provinces: Counter[str] = Counter()
    for name, province, count in tally:
        if name:
            names[name] += count
        if province:
            provinces[province] += count
    total = sum(names.values())
    if not total:
        return None
    return EntityOut(
        id=entity_id,
        kind="cluster" if kind == "cluster" else "unit",
        name=names.most_common(1)[0][0],
        province=provinces.most_common(1)[0][0] if provinces else None,
        names=sorted(names),
        fact_count=total,
    )


def label(fact: FactOut) -> str:
    """A one-line description of a fact for timelines and exports."""
    f = fact.fields
    parts = {
        "chair": f"{f.get('unit')}: {f.get('role')} of {f.get('cluster')}",
        "member": f"{f.get('member')} in {f.get('cluster')}",
        "award": f"{f.get('recipient')}: {f.get('award')} ({f.get('status') or 'stated'})",
        "award_count": f"{f.get('scope')}: {f.get('count')} × {f.get('award')}",
        "slogan": f"{f.get('kind')}: “{f.get('text')}”",
        "event": f"{f.get('kind')} of {f.get('cluster') or 'a cluster'} at {f.get('place') or '?'}",
        "person": f"{f.get('name')}, {f.get('title') or ''} {f.get('unit') or ''}".strip(),
        "cluster": f"{f.get('name')} ({f.get('province') or fact.province or '?'})",
    }
    return parts.get(fact.type, fact.type)


class FactJson(NamedTuple):
    """A fact ready to emit: its API JSON, and what timelines group, count and label it by."""

    json: str
    group_key: str
    source_id: str
    confidence: float
    date: str | None
    label: str


class TimelineRow(NamedTuple):
    """A timeline item: the fact standing for a statement and the number of articles stating it."""

    fact: FactJson
    source_count: int


def fact_json(fact: FactOut) -> FactJson:
    """The serialised API fact with its grouping fields (computed once, at index time for SQLite)."""
    source = fact.evidence.article_id or fact.id
    return FactJson(fact.model_dump_json(), fact.group_key, source, fact.confidence, fact.date, label(fact))


class Statement(NamedTuple):
    """A statement (the facts of one group) aggregated in the store: what a paged entity list sorts,
    counts and pages by, without reading its facts. `lead_id` is its most confident fact (then the first
    by id), `fact_ids` every matching fact's id (sorted), `articles` its distinct source articles."""

    group_key: str
    type: str
    unit_id: str | None
    cluster_id: str | None
    year: int | None
    role: str | None
    date: str | None
    lead_id: str
    lead_article: str | None
    confidence: float
    fact_ids: tuple[str, ...]
    articles: tuple[str, ...]


def statements_of(docs: Iterable[Mapping[str, Any]]) -> list[Statement]:
    """Stored facts (their columns, the confidence as `confidence` or in `data`) aggregated into
    statements, in group-key order."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for doc in docs:
        groups.setdefault(str(doc["group_key"]), []).append(doc)
    out = []
    for key in sorted(groups):
        facts = groups[key]
        conf = [
            float(d["confidence"]) if "confidence" in d else fact_confidence(d.get("data") or {})
            for d in facts
        ]
        best = min(range(len(facts)), key=lambda n: (-conf[n], str(facts[n]["id"])))
        lead = facts[best]
        out.append(Statement(
            key, str(lead["type"]), lead.get("unit_id"), lead.get("cluster_id"), lead.get("year"),
            lead.get("role"), lead.get("date"), str(lead["id"]), lead.get("article_id"), conf[best],
            tuple(sorted(str(d["id"]) for d in facts)), tuple(sorted({_source(d) for d in facts})),
        ))  # fmt: skip
    return out


def _source(doc: Mapping[str, Any]) -> str:
    """A stored fact's source: its article, else the fact itself (as SQLite's `source_id`)."""
    return str(doc.get("article_id") or doc["id"])


class Item(NamedTuple):
    """An item of a cluster's or unit's paged list as a page shows it: its sort key in the list, its
    (first) statement's group and lead fact, the facts the page shows (the lead and the first sources),
    its number of source articles and, for a member or a cluster, the years of its statements."""

    key: tuple[Any, ...]
    group_key: str
    lead_id: str
    lead_article: str | None
    shown: tuple[str, ...]
    source_count: int
    years: tuple[int, ...]


class ChartCount(NamedTuple):
    """The statements of one list in one year and lane of an entity's chart: how many, and the lead
    facts of the first few (in list order)."""

    year: int
    lane: str
    total: int
    lead_ids: tuple[str, ...]


class KeptLists(NamedTuple):
    """What a backend keeps of an entity's lists at write time (no confidence floor): each list's number
    of items and chart counts, and the most facts one of the reads that built them returned (a page
    says whether that was under its cap)."""

    most_read: int
    totals: dict[str, int]
    cells: dict[str, list[ChartCount]]
