"""Export formats for a facts query: JSON Lines, CSV and TimelineJS (pure functions over facts)."""

from __future__ import annotations

import base64
import binascii
import csv
import html
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from search_api.schemas import FactOut

CSV_FIELDS = [
    "id", "type", "year", "date", "province", "unit_id", "cluster_id",
    "cluster", "name", "member", "role", "unit", "recipient", "award", "conferred_by", "status",
    "scope", "count", "recipient_kind", "text", "kind", "place", "title", "confidence",
    "sentence", "url", "published", "article_id", "start", "end", "correction_status",
]  # fmt: skip


def schema_fact(fact: FactOut) -> dict[str, Any]:
    """The fact as SCHEMA.md gives it, with its id, its correction status and (when corrected) history."""
    out = {"id": fact.id, "type": fact.type, **fact.fields, "evidence": fact.evidence.model_dump(),
           "confidence": fact.confidence, "correction_status": fact.correction_status}  # fmt: skip
    if fact.history:
        out["history"] = [entry.model_dump() for entry in fact.history]
    return out


def jsonl_lines(facts: Iterable[FactOut]) -> Iterator[str]:
    """One SCHEMA.md fact per line."""
    for fact in facts:
        yield json.dumps(schema_fact(fact), ensure_ascii=False) + "\n"


# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value safe to open in a spreadsheet: text that would start a formula gets a leading `'`
    (which spreadsheets show as text and do not evaluate); numbers and other values unchanged."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value


def flat_row(fact: FactOut) -> dict[str, Any]:
    """A flat row (the columns of CSV_FIELDS present): the resolved ids, the fact's fields, its evidence."""
    row: dict[str, Any] = {k: v for k, v in fact.fields.items() if k in CSV_FIELDS}
    row.update(id=fact.id, type=fact.type, year=fact.year, date=fact.date, province=fact.province,
               unit_id=fact.unit_id, cluster_id=fact.cluster_id, confidence=fact.confidence,
               correction_status=fact.correction_status)  # fmt: skip
    row.update({k: v for k, v in fact.evidence.model_dump().items() if k in CSV_FIELDS})
    return row


def csv_row(fact: FactOut) -> dict[str, Any]:
    """A flat row with formula cells neutralised."""
    return {k: csv_cell(v) for k, v in flat_row(fact).items()}


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
    return {k: str(int(p)) for k, p in zip(keys, parts, strict=False) if p.isascii() and p.isdigit()}


def _source_link(url: str | None) -> str:
    """An HTML link to a web address (escaped); nothing for other schemes (`javascript:` …)."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return ""
    return f' <a href="{html.escape(url)}">{html.escape(url)}</a>'


def timelinejs(facts: Iterable[FactOut], title: str, label: Any) -> dict[str, Any]:
    """The TimelineJS JSON document: one event per dated fact, the evidence sentence as its text.
    TimelineJS renders `headline` and `text` as HTML, so crawled text goes in escaped."""
    events = []
    for fact in facts:
        if not fact.date or not timelinejs_date(fact.date).get("year"):
            continue
        ev = fact.evidence
        events.append({
            "unique_id": fact.id,
            "start_date": timelinejs_date(fact.date),
            "text": {"headline": html.escape(label(fact)),
                     "text": f"“{html.escape(ev.sentence)}”{_source_link(ev.url)}"},
            "group": html.escape(fact.type),
        })  # fmt: skip
    return {"title": {"text": {"headline": html.escape(title), "text": "thidua"}}, "events": events}


def encode_cursor(fact: FactOut) -> str:
    """An opaque cursor: the export continues after this fact (its date and id)."""
    raw = json.dumps([fact.date, fact.id], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[str | None, str]:
    """The (date, id) a cursor stands for; ValueError when it is no cursor of `encode_cursor`."""
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not a cursor this server gave") from exc
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], str)
            and (value[0] is None or isinstance(value[0], str))):  # fmt: skip
        raise ValueError("not a cursor this server gave")
    return value[0], value[1]
