"""Highlighted passages: query words found diacritic-insensitively and wrapped in <mark>."""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache

from corpus.textkeys import fold

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s")
# Without a folded copy, text is folded in chunks of about this many characters, each cut just before
# a whitespace character so that NFC and word boundaries never straddle two chunks.
_CHUNK = 2048
_UNSAFE = re.compile("[\"&'<>]")


@lru_cache(maxsize=1024)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Folded query words ending a word (None when none can match). Whether a match also starts a word
    is checked by `_spans`: a look-behind first in the pattern would stop the regex engine from
    skipping ahead to the words' first letters, and costs 4x the time."""
    wanted = {f for f in map(fold, words) if _WORD.fullmatch(f)}
    if not wanted:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?![^\W_])")


def _spans(text: str, folded: str | None, pattern: re.Pattern[str]) -> Iterator[list[tuple[int, int]]]:
    """Spans of whole query words in order, found in `folded` (= fold(text)) one by one as they are asked
    for, or else in chunks of `text`, each folded as it is reached.

    A match preceded by a letter or digit is the tail of a longer word: skipped. No whole word can
    start inside it (every character of it is a letter or digit too)."""
    if folded is not None:
        for match in pattern.finditer(folded):
            start = match.start()
            if not (start and folded[start - 1].isalnum()):
                yield [match.span()]
        return
    start = 0
    while start < len(text):
        cut = _SPACE.search(text, start + _CHUNK) if start + _CHUNK < len(text) else None
        end = cut.start() if cut else len(text)
        chunk = fold(text[start:end])
        spans = map(re.Match.span, pattern.finditer(chunk))
        yield [(start + s, start + e) for s, e in spans if not (s and chunk[s - 1].isalnum())]
        start = end


def _window(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    left = max(0, start - width // 2)
    right = min(len(text), max(end, left + width))
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    while right < len(text) and not text[right].isspace():
        right += 1
    return left, right


def _render(text: str, left: int, right: int, spans: list[tuple[int, int]]) -> str:
    """text[left:right] escaped, each span inside it marked (spans are whole words, so never cut)."""
    inside = spans[bisect_left(spans, (left,)) : bisect_right(spans, (right, right))]
    if inside and inside[-1][1] > right:  # a word crossing the window's end stays unmarked
        inside.pop()
    esc = html.escape if _UNSAFE.search(text, left, right) else str  # usually nothing to escape
    ends = [left, *(end for _, end in inside)]  # where the plain text before each word starts
    body = "".join(
        [
            f"{esc(text[pos:s])}<mark>{esc(text[s:e])}</mark>"
            for pos, (s, e) in zip(ends, inside, strict=False)
        ]
    )
    body += esc(text[ends[-1] : right])
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return prefix + body.strip() + suffix


def highlight(
    text: str, words: list[str], *, folded: str | None = None, width: int = 160, limit: int = 3
) -> list[str]:
    """Up to `limit` escaped passages of about `width` characters with the query words marked.

    `folded`, when given, is `fold(text)` computed earlier (the store keeps it for search); words
    are then found in it lazily, so a long text costs only as far as its passages reach."""
    pattern = _pattern(tuple(words))
    if pattern is None:
        return []
    chunks = _spans(text, folded if folded is not None and len(folded) == len(text) else None, pattern)
    seen: list[tuple[int, int]] = []
    passages: list[str] = []
    index = 0
    while True:
        if index == len(seen):
            more = next(chunks, None)
            if more is None:
                return passages
            seen += more
            continue
        start, end = seen[index]
        left, right = _window(text, start, end, width)
        while seen[-1][1] <= right and (more := next(chunks, None)) is not None:
            seen += more
        passages.append(_render(text, left, right, seen))
        if len(passages) == limit:
            return passages
        index = bisect_left(seen, (right,), index + 1)  # the first word after this window
