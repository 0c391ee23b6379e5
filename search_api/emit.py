"""Pre-serialised JSON for the hot endpoints: pages assembled from per-fact JSON, no model validation."""

from __future__ import annotations

import json
from collections.abc import Iterable

from fastapi.responses import Response

from search_api.stores.rows import FactJson


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def page(items: Iterable[str], total: int, exact: bool, limit: int, offset: int) -> str:
    """A `Page` object around items that are already JSON."""
    flag = "true" if exact else "false"
    return f'{{"items":[{",".join(items)}],"total":{total},"exact":{flag},"limit":{limit},"offset":{offset}}}'


def timeline_items(facts: list[FactJson]) -> list[str]:
    """`TimelineItem`s: facts stating the same thing once (the most confident), sources counted by article."""
    groups: dict[str, list[FactJson]] = {}
    for fact in facts:
        groups.setdefault(fact.group_key, []).append(fact)
    items = []
    for members in groups.values():
        best = max(members, key=lambda f: f.confidence)
        count = len({f.source_id for f in members})
        items.append(
            f'{{"date":{_text(best.date or "")},"label":{_text(best.label)},'
            f'"fact":{best.json},"source_count":{count}}}'
        )
    return items


def json_response(body: str) -> Response:
    """A JSON response with a body that is already serialised."""
    return Response(body.encode("utf-8"), media_type="application/json")
