"""The report's own subject and the bare words that stand for it: a report about one unit (an
anniversary, a congress, an award ceremony) names it in its title or lead, then calls it by its kind
alone ("Năm 2018, trường được UBND tỉnh tặng Cờ thi đua"; "trao Huân chương … cho công ty")."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from extract.lexicon import compiled, grammar, load
from extract.units import Unit, is_org, unit_after

if TYPE_CHECKING:
    from extract.context import Context

_LEAD_LINES = 6  # the masthead, the title (often twice) and the lead: where a report names its subject
_PREDICATE_WORDS = 3  # words after the unit that say something of it (a masthead says nothing)


@lru_cache(maxsize=1)
def _anaphor() -> re.Pattern[str]:
    """A clause whose subject is one bare anaphor, a year and adverbs allowed before and after it."""
    words = str(load("units")["anaphors"])
    return compiled(
        rf"(?:^|[,;:]\s*|\s(?:và|rồi)\s+)(?:(?:năm|trong năm)\s+(?:19|20)\d{{2}}\s*,?\s*)?(?P<a>{words})"
        r"(?:\s+(?:cũng|đã|đều|còn|vinh dự|tiếp tục|luôn))*\s*$"
    )


def subject_of(ctx: Context) -> Unit | None:
    """The unit the report is about: an organisation or a body of a locality opening its title or its
    lead; None when neither opens with one."""
    if ctx.subject is None:
        found = None
        for s in ctx.sentences[:_LEAD_LINES]:
            opening = grammar("anaphora.opening").match(s.text)
            text = s.text[opening.end() :] if opening else s.text
            congress = opening is not None and opening.group("congress") is not None
            if text.isupper() or grammar("units.site-masthead").match(text):
                continue  # a site's masthead ("BÁO HÀ TĨNH", "Cổng Thông tin điện tử …"), no subject
            if not is_org(text) and not congress:
                continue
            unit = unit_after(text, ctx.province)
            told = unit is not None and len(text.split()) - len(unit.name.split()) >= _PREDICATE_WORDS
            clean = unit is not None and not grammar("facts.clause-in-name").search(unit.name)
            clean = clean and unit is not None and not grammar("anaphora.term").search(unit.name)
            # "Đại hội Đảng bộ xã X …": the commune the congress is of
            local = congress and unit is not None and unit.kind is not None
            if unit is not None and told and clean and (is_org(unit.name) or unit.body or local):
                found = unit  # a unit with something said of it: the report's subject
                break
        ctx.subject = (found,)
    return ctx.subject[0]


def standing_for(ctx: Context, clause: str) -> Unit | None:
    """The report's subject when `clause` ends with a bare word standing for it ("…, năm 2016 công
    ty", "trường"), its name, kind or body holding that word; else None."""
    m = _anaphor().search(clause)
    unit = subject_of(ctx) if m else None
    if m is None or unit is None:
        return None
    word = m.group("a").casefold()
    held = " ".join(x for x in (unit.name, unit.kind or "", unit.body or "") if x).casefold()
    return unit if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", held) else None
