"""Pre-serialised JSON for the hot endpoints: pages assembled from per-fact JSON, no model validation."""

from __future__ import annotations

import json
from collections.abc import Iterable

from fastapi.responses import Response

from search_api.stores.rows import TimelineRow


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def page(items: Iterable[str], total: int, exact: bool, limit: int, offset: int) -> str:
    """A `Page` object around items that are already JSON."""
    flag = "true" if exact else "false"
    return f'{{"items":[{",".join(items)}],"total":{total},"exact":{flag},"limit":{limit},"offset":{offset}}}'


def timeline_items(rows: list[TimelineRow]) -> list[str]:
    """`TimelineItem`s: each statement once (its lead fact) with its number of sources."""
    return [
        f'{{"date":{_text(row.fact.date or "")},"label":{_text(row.fact.label)},'
        f'"fact":{row.fact.json},"source_count":{row.source_count}}}'
        for row in rows
    ]


def json_response(body: str) -> Response:
    """A JSON response with a body that is already serialised."""
    return Response(body.encode("utf-8"), media_type="application/json")
