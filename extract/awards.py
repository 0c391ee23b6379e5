"""Awards to named recipients: award, conferring body, year achieved, proposed or conferred."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from extract import people
from extract.dates import nearest_year, one_year
from extract.facts import clause_at, make, per_sentence
from extract.lexicon import alternation, compiled, entries, grammar, load, words
from extract.members import belonging_units
from extract.models import AwardFact
from extract.registry import rule
from extract.units import Unit, mask, parse, unit_after, unit_before

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_TALLY = grammar("awards.tally")
_RECIPIENT_END = grammar("awards.recipient-end")
_SPLIT = grammar("awards.split")
_PERIOD = grammar("awards.period")
_BARE_RECIPIENT = grammar("awards.bare-recipient")

_VERB_BEFORE_AWARD = grammar("awards.verb-before-award")

Recipient = tuple[str, dict[str, str]]


@lru_cache(maxsize=1)
def award_pattern() -> re.Pattern[str]:
    """Any award name (longest first, whole words)."""
    return compiled(words(entries("awards", "awards")))


@lru_cache(maxsize=1)
def _bodies() -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    items = sorted(entries("bodies", "bodies"), key=lambda e: len(str(e["pattern"])), reverse=True)
    return [(compiled(rf"(?<![\w])(?:{e['pattern']})(?![\w])"), e) for e in items]


@lru_cache(maxsize=1)
def _status_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return compiled(words(entries("award_verbs", "proposed"))), compiled(
        words(entries("award_verbs", "conferred"))
    )


@lru_cache(maxsize=1)
def _recipient_verb() -> re.Pattern[str]:
    return compiled(rf"(?<![\w]){alternation(entries('award_verbs', 'recipient_verbs'))}\s+$")


@lru_cache(maxsize=1)
def _leading() -> tuple[re.Pattern[str], str]:
    data = load("award_verbs")["leading"]
    return compiled(str(data["pattern"])), str(data["award"])


def _collective(award_id: str | None) -> bool:
    return any(e["id"] == award_id and e.get("collective") for e in entries("awards", "awards"))


def _award_id(text: str) -> str | None:
    for item in entries("awards", "awards"):
        if compiled(f"^(?:{item['pattern']})$").match(text):
            return str(item["id"])
    return None


def _body_at_start(text: str) -> str | None:
    m = grammar("awards.body-intro").match(text)
    if not m:
        return None
    rest = text[m.end() :]
    for pattern, item in _bodies():
        found = pattern.match(rest)
        if found:
            return str(item["name"] or found.group(0))
    return None


def _body_in_verb(pre: str) -> str | None:
    """The body right before the award's verb: "được UBND tỉnh tặng", "đề nghị Chính phủ tặng"."""
    tail = pre[-120:]
    hits = [(m.end(), m, item) for pattern, item in _bodies() for m in pattern.finditer(tail)]
    for _, m, item in sorted(hits, key=lambda h: (h[0], len(h[1].group(0))), reverse=True):
        if _VERB_BEFORE_AWARD.match(tail[m.end() :]):
            return str(item["name"] or m.group(0))
    return None


def _body_from_lead(lead: str, award_id: str | None) -> str | None:
    found = ((m, item) for pattern, item in _bodies() for m in pattern.finditer(lead))
    hits = [(m.start(), m.end(), m.group(0), item) for m, item in found]
    hits = sorted(h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o != h for o in hits))
    for _, _, text, item in hits:
        if award_id in item.get("awards", []):
            return str(item["name"] or text)
    return str(hits[0][3]["name"] or hits[0][2]) if hits else None


def _recipients_after(ctx: Context, s: Sentence, text: str) -> list[Recipient]:
    m = grammar("awards.recipient-intro").match(text)
    if not m or re.match(r"\s*\d", text[m.end() :]):
        return []
    rest = mask(text[m.end() :])
    end = _RECIPIENT_END.search(rest, 1)
    out: list[Recipient] = []
    for piece in _SPLIT.split(rest[: end.start()] if end else rest):
        person = people.cued(ctx, s, piece)
        unit = None if person else parse(piece, ctx.province)
        if person or unit:
            out.append(_person(person) if person else _unit(unit))
    return out


def _person(name: str | None) -> Recipient:
    return str(name), {}


def _unit(unit: Unit | None) -> Recipient:
    return (unit.name, unit.extra()) if unit else ("", {})


def _subject(ctx: Context, s: Sentence, pre: str, award_id: str | None) -> list[Recipient]:
    """The recipient written before "nhận" / "được … tặng": a person (not for awards only units
    receive; an official with a title "nhận" for the unit), else a unit."""
    verb = _recipient_verb().search(pre)
    if verb is None:
        return []
    passive = "được" in verb.group(0).lower()
    person = None if _collective(award_id) else people.subject_person(ctx, s, verb.start(), passive)
    if person:
        return [_person(person)]
    subject = grammar("awards.ceremony-host").sub("", pre[: verb.start()])
    members = belonging_units(subject, ctx.province)
    if members:
        return [_unit(u) for u in members]
    unit = unit_before(subject, ctx.province)
    return [_unit(unit)] if unit else []


def _status(scope: str) -> str | None:
    proposed, conferred = _status_words()
    if proposed.search(scope):
        return "proposed"
    return "conferred" if conferred.search(scope) else None


def _year(ctx: Context, s: Sentence, lead: str, at: int, status: str | None) -> int | None:
    start, clause = clause_at(s.text, at)
    if _PERIOD.search(clause):
        return None
    achieved = grammar("awards.achievement-year").search(clause)
    if achieved:
        return int(achieved.group("y"))
    year = nearest_year(clause, at - start) or one_year(lead)
    if year is None and (
        status == "proposed"
        or grammar("awards.year-recap").search(s.text)
        or grammar("awards.occasion").search(s.text)
    ):
        year = ctx.reviewed_year
    return year or one_year(s.text)


def _voted(ctx: Context, pre: str) -> list[Recipient]:
    """Units voted for right before a proposal of the award: "bình chọn A, B đề nghị UBND tỉnh
    tặng Bằng khen" -> A, B (every piece must name a unit)."""
    m = grammar("awards.voted-list").search(pre.rsplit(";", 1)[-1])
    if m is None:
        return []
    units = [parse(piece, ctx.province) for piece in _SPLIT.split(mask(m.group("list")))]
    return [_unit(u) for u in units] if units and all(units) else []


def _award_facts(ctx: Context, s: Sentence, lead: str, leading: list[Unit]) -> list[AwardFact]:
    out = []
    for m in award_pattern().finditer(s.text):
        pre, post = s.text[: m.start()], s.text[m.end() :]
        listed = grammar("awards.counted-list").match(post)
        if _TALLY.search(pre[-60:]) or (not listed and grammar("awards.counted-recipients").match(post)):
            continue
        award_id = _award_id(m.group(0))
        body = _body_at_start(post) or _body_in_verb(pre) or _body_from_lead(lead, award_id)
        after = post
        body_m = grammar("awards.body-phrase").match(post)
        if body_m:
            after = post[body_m.end() :]
        if listed:
            after = ": " + post[listed.end() :]
        recipients = _recipients_after(ctx, s, after) or _subject(ctx, s, pre, award_id)
        if not recipients and _BARE_RECIPIENT.match(after):
            recipients = _voted(ctx, pre) or [_unit(u) for u in leading]
        status = _status(lead + " " + pre) or _status(s.text)
        year = _year(ctx, s, lead, m.start(), status)
        name = m.group(0)[0].upper() + m.group(0)[1:]
        for recipient, extra in recipients:
            out.append(
                make(
                    AwardFact,
                    ctx,
                    s,
                    "awards.named.v1",
                    0.85,
                    recipient=recipient,
                    award=name,
                    conferred_by=body,
                    year=year,
                    status=status,
                    **extra,
                )
            )
    return out


def _leading_units(ctx: Context, s: Sentence) -> tuple[re.Match[str], list[Unit]] | None:
    pattern, _ = _leading()
    m = pattern.search(s.text)
    if m is None or award_pattern().search(m.group(0)):
        return None
    who = m.group("who")
    listed = [parse(piece, ctx.province) for piece in _SPLIT.split(mask(who.strip()))]
    if len(listed) > 1 and all(listed):
        return m, [u for u in listed if u is not None]
    unit = unit_after(who, ctx.province) or unit_before(who, ctx.province)
    if unit is None:
        subject = _recipient_verb().search(s.text[: m.start()] + " nhận ")
        unit = unit_before(s.text[: m.start()], ctx.province) if subject else None
    return (m, [unit]) if unit else None


def _leading_facts(
    ctx: Context, s: Sentence, lead: str, found: tuple[re.Match[str], list[Unit]] | None
) -> list[AwardFact]:
    if found is None:
        return []
    m, units = found
    status = _status(lead + " " + s.text[: m.end()])
    return [
        make(
            AwardFact,
            ctx,
            s,
            "awards.leading.v1",
            0.8,
            recipient=unit.name,
            award=_leading()[1],
            conferred_by=None,
            year=_year(ctx, s, lead, m.start(), status),
            status=status,
            **unit.extra(),
        )
        for unit in units
    ]


def _from_sentence(ctx: Context, s: Sentence) -> list[AwardFact]:
    lead_sentence = ctx.lead_of(s)
    lead = lead_sentence.text if lead_sentence else ""
    found = _leading_units(ctx, s)
    return _award_facts(ctx, s, lead, found[1] if found else []) + _leading_facts(ctx, s, lead, found)


@rule("awards.named.v1")
def extract(ctx: Context) -> list[Any]:
    """Award facts of every sentence naming an award or a leading-unit recognition."""
    return per_sentence(ctx.gated("awards"), lambda s: _from_sentence(ctx, s))
