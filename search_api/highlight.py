"""Highlighted passages: query words found diacritic-insensitively and wrapped in <mark>."""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

from search_api.resolve import fold

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s")
# Text is folded in chunks of about this many characters, each cut just before a whitespace
# character so that NFC and word boundaries never straddle two chunks.
_CHUNK = 2048


@lru_cache(maxsize=1024)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole folded words equal to one of the folded query words (None when none can match)."""
    wanted = {f for f in map(fold, words) if _WORD.fullmatch(f)}
    if not wanted:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _chunks(text: str, pattern: re.Pattern[str]) -> Iterator[list[tuple[int, int]]]:
    """Spans of whole query words, chunk by chunk in order, folding `text` only as far as asked."""
    start = 0
    while start < len(text):
        cut = _SPACE.search(text, start + _CHUNK) if start + _CHUNK < len(text) else None
        end = cut.start() if cut else len(text)
        yield [(start + m.start(), start + m.end()) for m in pattern.finditer(fold(text[start:end]))]
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
    window = text[left:right]
    sep = next(c for c in map(chr, range(0x110000)) if c not in window and c not in "\"&'<>")
    pieces: list[str] = []
    pos = left
    for start, end in islice(spans, bisect_left(spans, (left,)), None):
        if end > right:
            break
        pieces += (text[pos:start], text[start:end])
        pos = end
    pieces.append(text[pos:right])
    escaped = html.escape(sep.join(pieces)).split(sep)  # one escape call; `sep` passes through
    pairs = zip(escaped[::2], escaped[1::2], strict=False)
    marked = "".join(f"{plain}<mark>{word}</mark>" for plain, word in pairs)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return prefix + (marked + escaped[-1]).strip() + suffix


def highlight(text: str, words: list[str], *, width: int = 160, limit: int = 3) -> list[str]:
    """Up to `limit` escaped passages of about `width` characters with the query words marked."""
    pattern = _pattern(tuple(words))
    if pattern is None:
        return []
    chunks = _chunks(text, pattern)
    seen: list[tuple[int, int]] = []
    passages: list[str] = []
    covered, index = -1, 0
    while True:
        if index == len(seen):
            more = next(chunks, None)
            if more is None:
                return passages
            seen += more
            continue
        start, end = seen[index]
        index += 1
        if start < covered:
            continue
        left, right = _window(text, start, end, width)
        while seen[-1][1] <= right and (more := next(chunks, None)) is not None:
            seen += more
        passages.append(_render(text, left, right, seen))
        covered = right
        if len(passages) == limit:
            return passages
