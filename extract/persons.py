"""Officials named with their title ("Ông Nguyễn Văn Phương - Chủ tịch UBND TP Bảo Lộc")."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from extract import gazetteer, people
from extract.facts import make, per_sentence
from extract.lexicon import CAP, alternation, compiled, entries, grammar
from extract.models import PersonFact
from extract.registry import rule
from extract.units import Unit, is_org, mention, name_of, name_start, parse

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_WORD = rf"{CAP}[\w'’]*"
_TITLE_END = grammar("persons.title-end")
_BARE_KIND = grammar("persons.bare-kind")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    surname = alternation(entries("names", "surnames"), key="text")
    honor = alternation(entries("titles", "honorifics"))
    title = alternation(entries("titles", "titles"))
    name = rf"(?P<name>{surname}(?:\s+{_WORD}){{1,4}})"
    free = rf"(?P<name>{_WORD}(?:\s+{_WORD}){{1,4}})"
    title_rest = rf"\s*(?P<title>(?i:{title})(?![\w]).*)"
    aside = r"(?:\s*\([^()]{0,30}\))?"  # a caption's "(bên phải)" between name and title
    honored = re.compile(rf"(?<![\w])(?i:{honor})\s+{free}{aside}\s*[–,-]{title_rest}")
    after = re.compile(rf"(?<![\w]){name}{aside}\s*[–-]{title_rest}")
    before = re.compile(
        rf"(?<![\w])(?P<title>(?i:{title})(?![\w])[^–\-.;:]{{0,90}}?)\s+[–-]\s+{name}(?![\w])"
    )
    direct = re.compile(
        rf"(?<![\w])(?P<title>(?i:{title})(?![\w])(?:\s+[^\s,.;:]+){{0,7}}?)\s+{name}(?![\w])"
    )
    after_free = re.compile(rf"(?:^|(?<=[,;:(]\s)){free}\s*[–-]{title_rest}")
    before_free = re.compile(
        rf"(?<![\w])(?P<title>(?i:{title})(?![\w])[^–\-.;:]{{0,90}}?)\s+[–-]\s+{free}(?![\w])"
    )
    return honored, after, before, direct, after_free, before_free


@lru_cache(maxsize=1)
def _title_start() -> re.Pattern[str]:
    return compiled(rf"^(?:{alternation(entries('titles', 'titles'))})(?![\w])")


@lru_cache(maxsize=1)
def _not_persons() -> frozenset[str]:
    return frozenset(str(e["text"]).casefold() for e in entries("names", "not_persons"))


def _clean_name(name: str) -> str | None:
    tokens = name.split()
    for i in range(1, len(tokens)):
        if _title_start().match(" ".join(tokens[i:])):
            tokens = tokens[:i]
            break
    name = " ".join(tokens)
    if len(tokens) < 2 or name.casefold() in _not_persons() or gazetteer.lookup(name) or is_org(name):
        return None
    return name


def _title_unit(ctx: Context, phrase: str) -> tuple[str, Unit | None]:
    """Split "Chủ tịch UBND TP Bảo Lộc" into its title and its unit."""
    phrase = phrase.strip(" ,")
    last = None
    for m in mention().finditer(phrase):
        if m.group("kind") or gazetteer.lookup(name_of(m)):
            last = m
    if last is not None:
        unit = parse(last.group(0), ctx.province)
        title = phrase[: name_start(last)].strip(" ,")
        title = grammar("persons.city-abbrev-tail").sub("", title)
        return title, unit
    bare = _BARE_KIND.search(phrase)
    host = ctx.host or ctx.focal
    if bare and host and host.kind == bare.group("kind").lower():
        return phrase, host
    return phrase, None


def _title_phrase(rest: str) -> str:
    end = _TITLE_END.search(rest)
    return (rest[: end.start()] if end else rest).split(",")[0]


def _from_sentence(ctx: Context, s: Sentence) -> list[PersonFact]:
    """Titled names: surname-led names by the lexicon; other capitalised names ("Điểu K'Ré – Chủ
    tịch …") only when the NLP layer reads them as a proper noun (free patterns, last)."""
    honored, after, before, direct, after_free, before_free = _patterns()
    out: list[PersonFact] = []
    for pattern in (honored, after, before, direct, after_free, before_free):
        free = pattern in (after_free, before_free)
        pos = 0
        while (m := pattern.search(s.text, pos)) is not None:
            pos = m.start("title") + 1 if m.start("title") > m.start() else m.end()
            name, moved = _clean_name(m.group("name")), ""
            if name and pattern in (before, direct):
                name, moved = people.place_split(s.text[: m.start("name")], name)
            if (
                name is None
                or people.company_tail(name, s.text[: m.start("name")])
                or (
                    free
                    and (people.is_known(name) or people.cue_led(name) or not people.confirmed(ctx, s, name))
                )
            ):
                continue
            phrase = (
                _title_phrase(m.group("title"))
                if pattern in (honored, after, after_free)
                else f"{m.group('title')} {moved}".strip()
            )
            title, unit = _title_unit(ctx, phrase)
            out.append(
                make(
                    PersonFact,
                    ctx,
                    s,
                    "persons.titled.v1",
                    0.85,
                    name=name,
                    title=title or None,
                    unit=unit.name if unit else None,
                )
            )
    return out


@rule("persons.titled.v1")
def extract(ctx: Context) -> list[Any]:
    """Person facts: a personal name joined to an official title."""
    return per_sentence(ctx.gated("persons"), lambda s: _from_sentence(ctx, s))
