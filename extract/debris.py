"""A page's furniture kept in its text: the list of other pages' headlines under "Tin liên quan",
"Các tin khác" or "Xem thêm". Its headlines tell other reports' meetings and awards (ANNOTATION.md:
crawl debris is no fact), so the list is blanked before extraction, offsets kept."""

from __future__ import annotations

import re

from extract.lexicon import grammar

_HEADING = grammar("debris.related-heading")
_HEADING_LINE = re.compile(_HEADING.pattern, _HEADING.flags | re.MULTILINE)
_DATE = grammar("debris.headline-date")
_LINE = re.compile(r"[^\n]*\n?")
_MAX_HEADLINE = 200  # characters of one headline; a longer line is the report's text again
_MAX_LINES = 20  # lines of one list


def _headline(line: str) -> bool:
    """True for a line that reads as a headline: short, and not ending a sentence unless a date does."""
    body = _DATE.sub("", line).strip()
    dated = _DATE.search(line) is not None
    return 0 < len(body) <= _MAX_HEADLINE and (dated or not body.endswith((".", ";", ":")))


def without_related(text: str) -> str:
    """`text` with every related-headlines list (its heading and the headlines under it) blanked."""
    if _HEADING_LINE.search(text) is None:
        return text
    lines = [(m.start(), m.group(0).rstrip("\n")) for m in _LINE.finditer(text) if m.group(0)]
    chars = list(text)
    i = 0
    while i < len(lines):
        if not _HEADING.match(lines[i][1]):
            i += 1
            continue
        end = i + 1
        while (
            end < len(lines)
            and end - i <= _MAX_LINES
            and (not lines[end][1].strip() or _headline(lines[end][1]))
        ):
            end += 1
        for start, line in lines[i:end]:
            chars[start : start + len(line)] = " " * len(line)
        i = end
    return "".join(chars)
