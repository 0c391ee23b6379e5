"""Agencies of a one-province bloc keep the names they are written with.

ANNOTATION.md writes a body of a locality as the locality ("Công an tỉnh Hà Nam" -> Hà Nam) when
the cluster is made of such bodies, as in a cluster of several provinces' police. In a bloc of one
province's own agencies ("Khối thi đua các tổ chức chính trị - xã hội tỉnh Quảng Trị") every member
is of that province, so a member written "Hội Chữ thập đỏ tỉnh Quảng Trị" keeps that name.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from extract.lexicon import compiled, entries
from extract.models import UNIT_FIELDS

if TYPE_CHECKING:
    from extract.context import Context

# Bodies that govern their locality stand for it in any article ("UBND tỉnh X" is X).
_GOVERNING = frozenset({"UBND", "HĐND", "cấp ủy"})


@cache
def _written(body: str, name: str) -> re.Pattern[str] | None:
    items = [e for e in entries("units", "bodies") if e["name"] == body]
    if not items:
        return None
    kinds = r"(?:\s+(?:tỉnh|thành phố|tp\.?))?\s+"  # "Công an tỉnh X", "Tỉnh đoàn X"
    return compiled(rf"(?<![\w])(?:{items[0]['pattern']}){kinds}{re.escape(name)}(?![\w])")


@cache
def _of_many_localities(body: str) -> re.Pattern[str] | None:
    """ "Công an các thành phố", "các Hội Nhà báo", "5 LĐLĐ tỉnh": the body named in the plural (a
    table's row number on the line before a name counts nothing)."""
    items = [e for e in entries("units", "bodies") if e["name"] == body]
    if not items:
        return None
    body_words = items[0]["pattern"]
    return compiled(
        rf"(?<![\w])(?:(?:(?:các|những)\s+|\d{{1,2}}[^\S\n]+)(?:{body_words})"
        rf"|(?:{body_words})\s+(?:các|những)\s+(?:tỉnh|thành phố|huyện|quận|thị xã))(?![\w])"
    )


def keep_home_agencies(ctx: Context, facts: list[Any]) -> list[Any]:
    """Give the province's own bodies back their written names in an article about one province's bloc."""
    if ctx.province is None or not ctx.clusters:
        return facts
    taken: dict[tuple[str, str, str], int] = {}
    # a body written with several localities is a cluster of that body ("Thành Đoàn A, Thị Đoàn B")
    places: dict[str, set[str]] = {}
    for fact in facts:
        field, body = UNIT_FIELDS.get(fact.type), getattr(fact, "body", None)
        if field is not None and body is not None:
            places.setdefault(body, set()).add(str(getattr(fact, field)))
    many = {body for body, named in places.items() if len(named) > 1}
    return [
        fact if getattr(fact, "body", None) in many else _as_written(fact, ctx.province, ctx.text, taken)
        for fact in facts
    ]


def _as_written(fact: Any, province: str, text: str, taken: dict[tuple[str, str, str], int]) -> Any:
    """The fact with its written name; the k-th fact of one sentence, type and body takes the k-th
    name written ("Bằng khen cho Hội Luật gia tỉnh X và Hội Đông y tỉnh X": two names, not one twice)."""
    field = UNIT_FIELDS.get(fact.type)
    body = getattr(fact, "body", None)
    if field is None or body is None or body in _GOVERNING or getattr(fact, field) != province:
        return fact
    plural = _of_many_localities(body)
    if plural is not None and plural.search(text):  # a cluster of that body across localities
        return fact
    if getattr(fact, "unit_kind", None) not in {"tỉnh", "thành phố"}:
        return fact
    pattern = _written(body, province)
    written = [m.group(0) for m in pattern.finditer(fact.evidence.sentence)] if pattern else []
    if not written:
        return fact
    key = (fact.type, body, fact.evidence.sentence)
    nth = taken.get(key, 0)
    taken[key] = nth + 1
    data = fact.model_dump(exclude={"body", "unit_kind", "unit_today"})
    data[field] = written[min(nth, len(written) - 1)]
    return type(fact).model_validate(data)
