"""A unit's record of awards told year by year in one sentence ("Bệnh viện A: năm 2019 được Bộ Y tế
tặng Cờ thi đua; năm 2020 và 2021 liên tiếp nhận Cờ thi đua của UBND tỉnh"): where each clause opens
with its own year(s) and a conferral, each clause's award went to the record's unit in each of its
years, not in the one year nearest to it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extract import anaphora
from extract.award_recipients import opening_subject
from extract.lexicon import grammar
from extract.units import Unit, is_org, mask, parse, unit_before

if TYPE_CHECKING:
    from extract.context import Context

_MIN_CLAUSES = 2  # one dated conferral is an ordinary award sentence
_YEAR_WORD = re.compile(r"(?:năm|giai đoạn)\s+(?:học\s+)?(?:19|20)\d{2}", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    """One clause of a record: where it runs in the sentence, its years and its unit."""

    start: int
    end: int
    years: tuple[int, ...]
    holder: Unit


def entries(ctx: Context, text: str) -> list[Entry]:
    """The record's clauses, or none when the sentence is no year-by-year record. A clause's unit is
    the one named between its years and its verb, or before its years after the clause's mark ("; riêng
    B năm 2014 được …"), else the unit before ("năm 2014 huyện nhận …": a bare kind stands for it)."""
    if len(_YEAR_WORD.findall(text)) < _MIN_CLAUSES:
        return []  # a cheap look first: two years written after "năm" at least
    found = list(grammar("awards.record-clause").finditer(text))
    if len(found) < _MIN_CLAUSES:
        return []
    out: list[Entry] = []
    holder: Unit | None = None
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(text)
        if n == 0:
            holder = _opening_holder(ctx, text[: m.start()])
        else:
            mark = max(text.rfind(c, found[n - 1].end(), m.start()) for c in ",;:")
            prefix = _opening_holder(ctx, text[mark + 1 : m.start()]) if mark >= 0 else None
            holder = prefix or holder
        own = m.group("subject").strip(" ,")
        if own and not _same_unit_word(own, holder):
            named = parse(own, ctx.province) or anaphora.standing_for(ctx, own)
            if named is None:
                return []  # a clause of something else: no record
            holder = named
        if holder is None:
            return []
        years = tuple(int(y) for y in re.findall(r"(?:19|20)\d{2}", m.group("years") or ""))
        out.append(Entry(m.start(), end, years, holder))
    return out


def _opening_holder(ctx: Context, before: str) -> Unit | None:
    """The unit a clause opens with, before its years ("Bệnh viện Nhi:", "Là đơn vị dẫn đầu nhiều năm,
    Công ty X", "Trường A, đơn vị Cụm trưởng năm 2018, nhiều năm liền là …:", "riêng B")."""
    text = grammar("awards.record-opening").sub("", mask(before).strip(" ,:;–-"))
    for piece in dict.fromkeys((text.split(",", 1)[0], text)):
        if not piece:
            continue
        subject = parse(grammar("awards.subject-predicate").split(piece, maxsplit=1)[0], ctx.province)
        found = [subject] if subject else opening_subject(ctx, piece)
        unit = found[0] if found else unit_before(piece, ctx.province)
        if unit is not None and (unit.known or unit.kind or is_org(unit.name)):
            return unit
    return None


def _same_unit_word(word: str, holder: Unit | None) -> bool:
    """A bare kind standing for the record's unit ("năm 2014 huyện nhận …", "Công ty tiếp tục …")."""
    return holder is not None and grammar("awards.record-same-unit").fullmatch(word) is not None
