"""Slogans: themes (chủ đề) and movements (phong trào) in every quote style; only quoted strings are slogans
(ANNOTATION.md), so a theme written without quote marks is none."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from extract.awards import award_pattern
from extract.dates import one_year
from extract.facts import cut_at, fold, make, per_sentence
from extract.lexicon import alternation, compiled, entries, grammar, load
from extract.models import SloganFact
from extract.registry import rule

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_CUE_REACH = 160
_CLOSE_CUE = 30  # how near a cue must be for a slogan in lower case
_RECAP = grammar("slogans.recap")


@lru_cache(maxsize=1)
def _cues() -> list[tuple[re.Pattern[str], str]]:
    return [
        (compiled(rf"(?<![\w])(?:{e['pattern']})(?![\w])"), str(e["kind"]))
        for e in entries("slogans", "cues")
    ]


@lru_cache(maxsize=1)
def _pairs() -> dict[str, str]:
    return {str(e["open"]): str(e["close"]) for e in entries("slogans", "quotes")}


@lru_cache(maxsize=1)
def _bounded() -> frozenset[str]:
    """Quote marks that are also apostrophes: they open only before a word and close only after one."""
    return frozenset(str(e["open"]) for e in entries("slogans", "quotes") if e.get("bounded"))


def _bounds_quote(text: str, i: int, opening: bool) -> bool:
    if text[i] not in _bounded():
        return True
    outside, inside = (i - 1, i + 1) if opening else (i + 1, i - 1)
    return (outside < 0 or outside >= len(text) or not text[outside].isalnum()) and (
        0 <= inside < len(text) and not text[inside].isspace()
    )


def quotes(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quoted span's inner text; a straight quote opens when none is open."""
    spans, opener, start = [], None, 0
    for i, ch in enumerate(text):
        if opener is None:
            if ch in _pairs() and _bounds_quote(text, i, True):
                opener, start = ch, i + 1
        elif ch in _pairs()[opener] and _bounds_quote(text, i, False):
            end = i
            # An opening mark after a space opens the next quote: this one was never closed, and it
            # ends at a semicolon or line end (ANNOTATION.md). Glued to a word ("tích cực“"), it closes.
            # With no semicolon or line end before a second opening mark that is not this quote's own
            # closer, the quotes nest: the outer one frames the inner ("“Phong trào thi đua đặc biệt
            # “Cả nước …”"), which alone is the slogan. A straight mark after a space may just close.
            reopen = ch in _pairs() and i > 0 and text[i - 1].isspace()
            cut = re.search(r"[;\n]", text[start:i]) if reopen else None
            if cut:
                end = start + cut.start()
            if not (reopen and cut is None and ch != _pairs()[opener][0]):
                spans.append((start, end))
            opener, start = (ch, i + 1) if reopen else (None, start)
    # never closed: cut by truncation, or ending at a semicolon or line end (an apostrophe: no quote)
    if opener is not None and opener not in _bounded():
        cut = re.search(r"[;\n]", text[start:])
        end = start + cut.start() if cut else len(text.rstrip())
        if end > start:
            spans.append((start, end))
    return spans


_VALUES = re.compile(r",|\s[-–]\s")  # between the values a motto lists


def _cue_kind(cue: str) -> str | None:
    """The kind named by the last cue word in `cue` (theme, movement or none)."""
    found = _last_cue(cue)
    if found is None or len(cue) - found[0] > _CUE_REACH:
        return None
    return found[1] if found[1] != "none" else None


def _last_cue(cue: str) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for pattern, kind in _cues():
        for m in pattern.finditer(cue):
            if best is None or m.end() > best[0]:
                best = (m.end(), kind)
    return best


def _close_cue(before: str) -> bool:
    """A cue right before the quote ("gắn phong trào thi đua với việc “đẩy mạnh …”"): a slogan so
    introduced may start in lower case."""
    found = _last_cue(before)
    return found is not None and found[1] != "none" and len(before) - found[0] <= _CLOSE_CUE


def _continues(between: str) -> bool:
    data = load("slogans")
    return bool(
        compiled(str(data["list_separators"])).match(between)
        or compiled(str(data["trailing_qualifier"])).match(between)
    )


def _ok(text: str, lower: bool = False, kind: str | None = None) -> bool:
    """A slogan's shape: a capitalised (or, `lower`, any) phrase of a few words (a theme's may run
    longer), or one opening with a count, not an award's name."""
    data = load("slogans")
    n = len(text.split())
    if award_pattern().match(text):  # a quoted award ("Cờ thi đua của Bộ") is no slogan
        return False
    if compiled(str(data["not_slogans"])).match(text):  # a fund's name ("Quỹ Vì người nghèo")
        return False
    longest = int(data["max_words_theme" if kind == "theme" else "max_words"])
    # "“500 ngày đêm …”", "“3 đột phá”": a campaign named by its count opens with the number
    counted = re.match(r"\d[\d.,]*\s+[^\W\d]", text) is not None
    return int(data["min_words"]) <= n <= longest and (lower or text[:1].isupper() or counted)


def _year(ctx: Context, s: Sentence) -> int | None:
    year = one_year(s.text)
    if year is None and _RECAP.search(s.text):
        year = ctx.reviewed_year
    return year


def _named_after(after: str) -> str | None:
    """The kind a quote opening its sentence is given right after it ("“…” - Đó là chủ đề …")."""
    m = grammar("slogans.named-after").match(after)
    return _cue_kind(m.group("cue")) if m else None


def _quoted(ctx: Context, s: Sentence) -> list[SloganFact]:
    out, kind, last_end = [], None, 0
    year: list[int | None] = []
    for start, end in quotes(s.text):
        between = s.text[last_end : max(last_end, start - 1)]
        if not (kind and last_end and _continues(between)):
            kind = _cue_kind(s.text[: start - 1])
            if last_end and kind and not _cue_kind(between):
                kind = None
        if kind is None and start == s.text.find(s.text.lstrip()[:1]) + 1:
            kind = _named_after(s.text[end + 1 :])  # "“…” - Đó là chủ đề của …": the label follows
        last_end = end + 1
        text = s.text[start:end].strip(" ,;.")
        kind = kind or _own_cue(text)
        lower = text[:1].islower() and _close_cue(s.text[: start - 1])  # the cue looked up only when needed
        named = kind or ("movement" if _known_movement(text, s.text[: start - 1]) else None)
        if named == "motto":  # "phương châm “Đoàn kết, kỷ cương - Hiệu quả”" lists values: a theme
            named = "theme" if _VALUES.search(text) else None
        if named and _ok(text, lower=lower, kind=named):
            year = year or [_year(ctx, s)]
            fact = make(SloganFact, ctx, s, "slogans.quoted.v1", 0.9, text=text, kind=named, year=year[0])
            out.append(fact)
    return out


def _own_cue(text: str) -> str | None:
    """ "movement" for a quote that opens with its own cue ("“Cuộc vận động xây dựng …: Trung thành,
    …”", "“Phong trào thi đua …”"): the campaign named whole, cue word and all."""
    return "movement" if _opening_cue().match(text) else None


@lru_cache(maxsize=1)
def _opening_cue() -> re.Pattern[str]:
    named = [e for e in entries("slogans", "cues") if e["id"] == "phong-trao"]
    return compiled(rf"(?:{named[0]['pattern']})(?![\w])")


def _known_movement(text: str, before: str) -> bool:
    """A national movement or campaign quoted by its own name without a cue ("gắn với việc “Học tập và làm
    theo …”"), unless the quote is a directive's title ("Chỉ thị 05-CT/TW … về “…”")."""
    return _movements().match(text) is not None and not grammar("slogans.directive-before").search(before)


@lru_cache(maxsize=1)
def _movements() -> re.Pattern[str]:
    return compiled(alternation(entries("slogans", "known_movements")))


@rule("slogans.quoted.v1")
def extract(ctx: Context) -> list[Any]:
    """Slogans quoted after a theme or movement cue; a quote the text's cut runs into that begins a
    slogan quoted whole before ("phong trào “Cán bộ, công chức, viên ch") is that slogan again."""
    found = per_sentence(ctx.gated("slogans"), lambda s: _quoted(ctx, s))
    cut = cut_at(ctx.text)
    if cut is None:
        return found
    whole = {fold(f.text) for f in found}
    return [
        f
        for f in found
        if f.evidence.end < cut or not any(w != fold(f.text) and w.startswith(fold(f.text)) for w in whole)
    ]
