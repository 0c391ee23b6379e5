"""A cluster's ranking of its units ("X xếp thứ nhất", "xếp hạng Nhì", "hạng Ba thuộc về 2 tỉnh: A
và B") as award facts: ANNOTATION.md counts rankings as awards, each as written."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from extract import anaphora
from extract import award_recipients as recipients
from extract.awards import award_entry, counted, proposed_for
from extract.dates import one_year
from extract.facts import fold, make, per_sentence
from extract.lexicon import grammar
from extract.models import AwardFact
from extract.registry import rule
from extract.units import Unit, parse, unmask

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_RULE = "awards.ranking.v1"
_CONFIDENCE = 0.75
_APPOSED = grammar("rankings.apposed")
_VERB = grammar("rankings.predicate-start")
_GIVING = re.compile(r"(?<![\w])(?:tặng|trao|cho)(?![\w])", re.IGNORECASE)
_PERIOD = grammar("dates.period")
_ITEM_MARK = re.compile(r"^\s*(?:[-–+•*]|\d{1,2}[.)])\s*")


def _award(m: re.Match[str]) -> str:
    """ "xếp thứ nhất" -> "Thứ nhất"; "hạng Nhì" -> "Hạng Nhì" (the rank as written, capitalised)."""
    text = " ".join(m.group("award").split())
    return text[0].upper() + text[1:]


def _units(ctx: Context, text: str) -> list[Unit]:
    """Every unit of a short list ("A và B", "A, B"); none unless every piece names a unit. "và" inside
    an agency's name ("Phòng Văn hóa và Thông tin") does not split it."""
    pieces = [p for p in recipients.pieces(text.strip(" .…:;")) if p.strip()]
    if any(_GIVING.search(p) for p in pieces):
        return []  # "UBND tỉnh tặng Cờ thi đua cho đơn vị xếp Nhất cụm": a rule of who gets what, no unit
    units = [parse(unmask(p), ctx.province) for p in pieces]
    named = [u for u in units if u is not None and (u.known or u.kind or u.body or len(u.name.split()) >= 3)]
    return named if pieces and len(named) == len(pieces) else []


def _subject(ctx: Context, s: Sentence, since: int, at: int) -> list[Unit]:
    """The units ranked by "xếp …" at `at`: the clause before it (since the ranking before it, `since`:
    "A xếp hạng 1, B đứng thứ 2 và C xếp hạng 3"), without a passive agent."""
    pieces = re.split(r"[;…]|,(?!\d)|\.\s|:", s.text[since:at])  # "97,5 điểm": a decimal comma splits nothing
    clause = pieces[-1]
    if len(pieces) > 1 and grammar("rankings.score-between").fullmatch(clause):
        clause = pieces[-2]  # "A, đạt 981/1.000 điểm xếp vị trí thứ 2": the score stands between
    bare = re.sub(r"(?<![\w])(?:(?:được|đã được)\s+)?xếp(?:\s+hạng)?\s*$", "", clause).strip(" ,–-")
    scored = grammar("rankings.score-tail").search(bare)
    if scored is not None and not bare[: scored.start()].strip() and len(pieces) > 1:
        clause = pieces[-2]  # "A: 96,5 điểm - xếp Nhất cụm": the label before the score is ranked
    elif not bare and len(pieces) > 1 and (scored := grammar("rankings.score-tail").search(pieces[-2])):
        clause = pieces[-2][: scored.start()]  # "A đạt 96,5 điểm, xếp Nhì cụm": the unit the score follows
    clause = _ITEM_MARK.sub("", clause)  # "– A (khối trưởng) xếp vị trí thứ I": a list's item
    if not clause.strip() and len(pieces) > 1 and s.text[since:at].rstrip().endswith(":"):
        clause = _ITEM_MARK.sub("", pieces[-2])  # "- Chi cục Thuế huyện A: Nhất cụm": the label is ranked
    if _APPOSED.fullmatch(clause):  # "X được … ghi nhận làm tốt nhiệm vụ, là đơn vị xếp thứ ba"
        return next((u for p in reversed(pieces[-3:-1]) if (u := _units(ctx, _VERB.split(p, 1)[0]))), [])
    clause = re.sub(r"\s*(?<![\w])xếp(?:\s+hạng)?\s*$", " ", clause)  # the verb before "thứ nhất", "Nhất cụm"
    clause = re.sub(r"\s*\([^()]*\)", "", clause)  # "A (102 điểm) và B (101 điểm)- đồng hạng Ba"
    clause = grammar("rankings.agent").sub("", clause)
    clause = grammar("rankings.lead").sub("", clause)
    if s.bullet:  # a flattened table's row: "1 Bệnh viện A 97,5 Nhất khối"
        clause = grammar("rankings.row-cells").sub("", clause)
    itself = anaphora.standing_for(ctx, clause)
    if itself is not None:
        return [itself]  # "năm 2016 công ty xếp thứ Nhì khối": the report's own subject
    units = _units(ctx, clause)
    joined = grammar("rankings.next-clause").search(clause)
    if not units and joined:  # "kế đến là B và C đứng hạng ba": "và" joins a clause; C is ranked
        units = _units(ctx, clause[joined.end() :])
    return units


def _year(ctx: Context, s: Sentence, award: str) -> int | None:
    if _PERIOD.search(s.text):
        return None  # a rank for a period or a semester ("Kết quả bình xét học kỳ I: …"), no year's
    year = one_year(s.text) or ctx.reviewed_year or ctx.heading_year(s)
    if year is None and award.startswith("Giải"):  # a contest's prize: the contest's year
        contest = grammar("awards.contest-year").search(ctx.text)
        year = int(contest.group("y")) if contest else None
    return year


def _from_sentence(ctx: Context, s: Sentence, proposed: set[str]) -> list[AwardFact]:
    out: list[AwardFact] = []
    lead = ctx.lead_of(s) if s.bullet else None  # a list's or a table's line under "Kết quả bình xét:"
    status = (
        "proposed"
        if grammar("rankings.vote").search(f"{lead.text if lead else ''} {s.text}")
        else "conferred"
    )
    if not counted(award_entry("giai"), s.text):
        return []  # "xếp thứ nhất với 4 huy chương vàng (kéo co, …)": a games' standings, no emulation award
    if grammar("rankings.index-sentence").search(s.text):
        return []  # "A xếp thứ nhất Chỉ số cải cách hành chính (PAR INDEX)", "B xếp thứ 2/13": another index
    since = 0
    for m in _ranks(s.text, lead.text if lead else ""):
        if grammar("rankings.other-index").match(s.text, m.end()):
            continue  # a ranking on another index (PAR, "trong công tác chuyển đổi số") is no emulation award
        units = _subject(ctx, s, since, m.start())
        if grammar("rankings.voted").search(s.text, 0, m.start()):
            # "suy tôn A đứng thứ nhất" that proposes a concrete award for A: only that award
            units = [u for u in units if fold(u.name) not in proposed]
        out += [_fact(ctx, s, u, _award(m), status) for u in units]
        since = m.end()
    for pattern in ("rankings.belongs-to", "rankings.labelled"):
        for m in grammar(pattern).finditer(s.text):
            if grammar("rankings.counted-group").search(s.text, max(0, m.start() - 60), m.start()):
                continue  # "… cho 3 đơn vị xếp thứ hai và đồng hạng ba là A, B": the award's group, no ranks
            out += [_fact(ctx, s, u, _award(m), status) for u in _units(ctx, m.group("list"))]
    return out


def _ranks(text: str, lead: str = "") -> list[re.Match[str]]:
    """The ranks of a sentence, in order: "xếp thứ nhất", "đạt hạng nhì cụm" anywhere; a bare "đạt hạng
    Nhất" or "Nhất cụm" only after a vote or a scoring ("bình xét A đạt hạng Nhất, B đạt hạng Nhì";
    "Kết quả chấm điểm, A đạt Nhất cụm"), or in an item under a lead line that tells one, elsewhere it
    may be a contest's."""
    found = list(grammar("rankings.ranked").finditer(text))
    voted = grammar("rankings.voted").search(lead) or grammar("rankings.scored").search(lead)
    vote = grammar("rankings.voted").search(text) or grammar("rankings.scored").search(text)
    if vote is not None or voted is not None:
        taken = [(m.start(), m.end()) for m in found]
        found += [
            m
            for m in grammar("rankings.ranked-after-vote").finditer(text, vote.end() if vote else 0)
            if not any(a < m.end() and m.start() < b for a, b in taken)
        ]
    return sorted(found, key=lambda m: m.start())


def _fact(ctx: Context, s: Sentence, unit: Unit, award: str, status: str) -> AwardFact:
    return make(
        AwardFact,
        ctx,
        s,
        _RULE,
        _CONFIDENCE,
        recipient=unit.name,
        award=award,
        year=_year(ctx, s, award),
        status=status,
    )


@rule(_RULE)
def ranked(ctx: Context, facts: list[Any]) -> list[Any]:
    """Award facts of the sentences that rank a cluster's units; a ranking vote that proposes a
    concrete award for the same unit gives only that award (ANNOTATION.md, as for a leading vote)."""
    if not ctx.clusters:  # a ranking counts as an emulation award only in a report on a cluster
        return []
    proposed = proposed_for(facts)
    return per_sentence(ctx.gated("rankings"), lambda s: _from_sentence(ctx, s, proposed))
