"""Tallies of awards ("72 tập thể và 1.637 cá nhân … Lao động tiên tiến") with their scope."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from extract.awards import award_pattern
from extract.dates import one_year
from extract.facts import make, per_sentence
from extract.lexicon import alternation, compiled, entries, grammar, load
from extract.models import AwardCountFact
from extract.registry import rule
from extract.units import Unit, is_org, mention, parse, unit_after

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_JOIN = grammar("award_counts.join")
_NAMED_LIST = grammar("award_counts.named-list")


@lru_cache(maxsize=1)
def _count() -> re.Pattern[str]:
    number = str(load("counts")["number"])
    kinds = alternation(entries("counts", "recipient_kinds"))
    measure = str(load("counts")["measure"])
    return compiled(rf"{number}\s+{measure}(?P<kind>{kinds})(?![\w])")


@lru_cache(maxsize=1)
def _award_re() -> str:
    return award_pattern().pattern


@lru_cache(maxsize=1)
def _before() -> re.Pattern[str]:
    return compiled(str(load("counts")["award_before"]).replace("{award}", _award_re()))


@lru_cache(maxsize=1)
def _after() -> re.Pattern[str]:
    return compiled(str(load("counts")["award_after"]).replace("{award}", _award_re()))


@lru_cache(maxsize=1)
def _generic() -> re.Pattern[str]:
    return compiled(str(load("counts")["generic_award"]))


def _kind(word: str) -> str:
    for item in entries("counts", "recipient_kinds"):
        if compiled(f"^(?:{item['pattern']})$").match(word):
            return str(item["kind"])
    return "collective"


def _groups(text: str) -> list[list[re.Match[str]]]:
    """Tallies joined by "và" or commas form one group sharing an award."""
    groups: list[list[re.Match[str]]] = []
    for m in _count().finditer(text):
        if groups and _JOIN.match(text[groups[-1][-1].end() : m.start()]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _award_for(pre: str, post: str) -> str | None:
    m = _before().search(pre) or _after().search(post) or _generic().search(pre)
    if m is None:
        return None
    name = " ".join(re.sub(r"[“”\"]", " ", m.group("award")).split())  # a quoted title without its marks
    return name[0].upper() + name[1:]


def _scope(ctx: Context, s: Sentence) -> tuple[str | None, dict[str, str]]:
    if ctx.province and grammar("award_counts.whole-province").search(s.text):
        return ctx.province, {}
    for m in mention().finditer(s.text):
        if m.group("kind"):
            unit = parse(m.group(0), ctx.province)
            if unit is not None:
                return unit.name, unit.extra()
    subject = _org_subject(ctx, s.text)
    if subject is not None:
        return subject.name, subject.extra()
    clusters = [c for c in ctx.mentions_in(s) if not c.partial]
    if clusters:  # "Cụm thi đua số 5 có 12 tập thể được tặng …": the cluster's tally
        return ctx.display(clusters[0].name), {}
    if ctx.focal is not None:
        return ctx.focal.name, ctx.focal.extra()
    return ctx.province, {}


def _org_subject(ctx: Context, text: str) -> Unit | None:
    """An agency or company opening the sentence ("Năm 2024, Tổng công ty X có 420 cá nhân …")."""
    m = grammar("award_counts.lead-in").match(text)
    rest = text[m.end() :] if m else text
    if not rest[:1].isupper() or not is_org(rest):
        return None
    unit = unit_after(rest, ctx.province)
    named = unit is not None and any(w[:1].isupper() for w in unit.name.split()[1:])
    return unit if named else None


def _owner(ctx: Context, after: str) -> Unit | None:
    """The unit named right after a tally ("… 7 cá nhân của Công ty X")."""
    m = compiled(str(load("counts")["scope_after"])).match(after)
    return unit_after(after[m.end() :], ctx.province) if m else None


def _from_sentence(ctx: Context, s: Sentence) -> list[AwardCountFact]:
    groups = _groups(s.text)
    if not groups:
        return []
    scope, extra = _scope(ctx, s)
    year = one_year(s.text) or ctx.reviewed_year
    out = []
    for i, group in enumerate(groups):
        lo = groups[i - 1][-1].end() if i else 0
        hi = groups[i + 1][0].start() if i + 1 < len(groups) else len(s.text)
        award = _award_for(s.text[lo : group[0].start()], s.text[group[-1].end() : hi])
        if award is None or _NAMED_LIST.match(s.text[group[-1].end() : hi]):
            continue  # "cho 2 tập thể: A, B" / "(A, B)" / "… là A và B": awards to each, no tally
        owner = _owner(ctx, s.text[group[-1].end() : hi])
        scope_, extra_ = (owner.name, owner.extra()) if owner else (scope, extra)
        for m in group:
            count = int(m.group("n").replace(".", ""))
            out.append(
                make(
                    AwardCountFact,
                    ctx,
                    s,
                    "award_counts.tally.v1",
                    0.85,
                    scope=scope_,
                    award=award,
                    count=count,
                    recipient_kind=_kind(m.group("kind")),
                    year=year,
                    **extra_,
                )
            )
    return out


@rule("award_counts.tally.v1")
def extract(ctx: Context) -> list[Any]:
    """Award tallies of every sentence counting recipients of a named award."""
    return per_sentence(ctx.gated("award_counts"), lambda s: _from_sentence(ctx, s))
