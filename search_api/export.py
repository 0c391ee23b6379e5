"""Export formats for a facts query: JSON Lines, CSV and TimelineJS (pure functions over facts)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from search_api.schemas import FactOut

CSV_FIELDS = [
    "id", "type", "year", "date", "province", "unit_id", "cluster_id",
    "cluster", "name", "member", "role", "unit", "recipient", "award", "conferred_by", "status",
    "scope", "count", "recipient_kind", "text", "kind", "place", "title", "confidence",
    "sentence", "url", "published", "article_id", "start", "end",
]  # fmt: skip


def schema_fact(fact: FactOut) -> dict[str, Any]:
    """The fact as SCHEMA.md gives it, with its id."""
    return {"id": fact.id, "type": fact.type, **fact.fields, "evidence": fact.evidence.model_dump(),
            "confidence": fact.confidence}  # fmt: skip


def jsonl_lines(facts: Iterable[FactOut]) -> Iterator[str]:
    """One SCHEMA.md fact per line."""
    for fact in facts:
        yield json.dumps(schema_fact(fact), ensure_ascii=False) + "\n"


def csv_row(fact: FactOut) -> dict[str, Any]:
    """A flat row: the resolved ids, the fact's fields and its evidence."""
    row: dict[str, Any] = {k: v for k, v in fact.fields.items() if k in CSV_FIELDS}
    row.update(id=fact.id, type=fact.type, year=fact.year, date=fact.date, province=fact.province,
               unit_id=fact.unit_id, cluster_id=fact.cluster_id, confidence=fact.confidence)  # fmt: skip
    row.update({k: v for k, v in fact.evidence.model_dump().items() if k in CSV_FIELDS})
    return row


def csv_lines(facts: Iterable[FactOut]) -> Iterator[str]:
    """A header line, then one row per fact."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for fact in facts:
        writer.writerow(csv_row(fact))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def timelinejs_date(date: str) -> dict[str, str]:
    """A TimelineJS date object from an ISO date, partial allowed (`2022`, `2022-01`)."""
    parts = date.split("-")
    keys = ("year", "month", "day")
    return {k: str(int(p)) for k, p in zip(keys, parts, strict=False) if p.isdigit()}


def timelinejs(facts: Iterable[FactOut], title: str, label: Any) -> dict[str, Any]:
    """The TimelineJS JSON document: one event per dated fact, the evidence sentence as its text."""
    events = []
    for fact in facts:
        if not fact.date or not timelinejs_date(fact.date).get("year"):
            continue
        ev = fact.evidence
        source = f' <a href="{ev.url}">{ev.url}</a>' if ev.url else ""
        events.append({
            "unique_id": fact.id,
            "start_date": timelinejs_date(fact.date),
            "text": {"headline": label(fact), "text": f"“{ev.sentence}”{source}"},
            "group": fact.type,
        })  # fmt: skip
    return {"title": {"text": {"headline": title, "text": "thidua"}}, "events": events}
