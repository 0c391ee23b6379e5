"""Highlighted passages: the query's words found as the search matches them (diacritic-insensitively, a
word of several syllables written together, search_api.phrases) and wrapped in <mark>."""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache

from corpus.textkeys import fold
from search_api import phrases

# What may stand between two syllables of a word: what the full-text index splits on.
_GAP = r"[\W_]+"
_UNSAFE = re.compile("[\"&'<>]")


@lru_cache(maxsize=1024)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """The query's words as the search groups its folded syllables, each ending a syllable (None when
    there are none). Whether a match also starts one is checked by `_spans`: a look-behind first in the
    pattern would stop the regex engine from skipping ahead to the words' first letters."""
    syllables = [s for word in words for s in phrases.syllables(word)]
    wanted = {_GAP.join(map(re.escape, word)) for word in phrases.words_of(syllables)}
    if not wanted:
        return None
    alternatives = "|".join(sorted(wanted, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?![^\W_])")


def _spans(folded: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Spans of whole query words in `folded`, left to right, found one by one as they are asked for. A
    match preceded by a letter or digit is the tail of a longer syllable: the search goes on just after
    its start, since a word of several syllables may still start inside it."""
    pos = 0
    while (match := pattern.search(folded, pos)) is not None:
        start = match.start()
        if start and folded[start - 1].isalnum():
            pos = start + 1
            continue
        yield match.span()
        pos = match.end()


def _window(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    left = max(0, start - width // 2)
    right = min(len(text), max(end, left + width))
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    while right < len(text) and not text[right].isspace():
        right += 1
    return left, right


def _render(text: str, left: int, right: int, spans: list[tuple[int, int]]) -> str:
    """text[left:right] escaped, each whole span inside it marked."""
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
    """Up to `limit` escaped passages of about `width` characters with the query's words marked.

    `folded`, when given, is `fold(text)` computed earlier (the store keeps it for search); words are
    found in it lazily, so a long text costs only as far as its passages reach. Else the text is
    folded here (after NFC, so that each character of the folded copy stands for one of the text)."""
    pattern = _pattern(tuple(words))
    if pattern is None:
        return []
    if folded is None or len(folded) != len(text):
        text = unicodedata.normalize("NFC", text)
        folded = fold(text)
    found = _spans(folded, pattern)
    seen: list[tuple[int, int]] = []
    passages: list[str] = []
    index = 0
    while True:
        if index == len(seen):
            more = next(found, None)
            if more is None:
                return passages
            seen.append(more)
            continue
        start, end = seen[index]
        left, right = _window(text, start, end, width)
        while seen[-1][1] <= right and (more := next(found, None)) is not None:
            seen.append(more)
        passages.append(_render(text, left, right, seen))
        if len(passages) == limit:
            return passages
        index = bisect_left(seen, (right,), index + 1)  # the first word after this window
