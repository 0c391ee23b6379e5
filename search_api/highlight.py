"""Highlighted passages: query words found diacritic-insensitively and wrapped in <mark>."""

from __future__ import annotations

import html
import re

from search_api.resolve import fold

_WORD = re.compile(r"[^\W_]+")


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    wanted = {fold(w) for w in words}
    folded = fold(text)
    return [m.span() for m in _WORD.finditer(folded) if m.group() in wanted]


def _window(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    left = max(0, start - width // 2)
    right = min(len(text), max(end, left + width))
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    while right < len(text) and not text[right].isspace():
        right += 1
    return left, right


def _render(text: str, left: int, right: int, spans: list[tuple[int, int]]) -> str:
    out, pos = [], left
    for start, end in spans:
        if start < left or end > right:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:right]))
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return prefix + "".join(out).strip() + suffix


def highlight(text: str, words: list[str], *, width: int = 160, limit: int = 3) -> list[str]:
    """Up to `limit` escaped passages of about `width` characters with the query words marked."""
    spans = _spans(text, words)
    passages: list[str] = []
    covered = -1
    for start, end in spans:
        if start < covered:
            continue
        left, right = _window(text, start, end, width)
        passages.append(_render(text, left, right, spans))
        covered = right
        if len(passages) == limit:
            break
    return passages
