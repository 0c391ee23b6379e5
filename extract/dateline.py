"""The report's own dateline: the publication date its text prints (update stamp, byline, crawl stamp)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from extract.dates import parse_iso
from extract.lexicon import compiled, load

_LONG_LINE = 160
_GLUED_STAMP = 32  # a long line's dateline is read in its first characters only


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return dict(load("dates")["dateline"])


@lru_cache(maxsize=1)
def _cues() -> list[tuple[re.Pattern[str], str]]:
    return [(compiled(str(e["pattern"])), str(e["where"])) for e in _data()["cues"]]


def _make(m: re.Match[str]) -> date | None:
    day = m.groupdict().get("d")
    return parse_iso(f"{m.group('y')}-{int(m.group('m')):02d}" + (f"-{int(day):02d}" if day else ""))


def _cued(line: str, m: re.Match[str]) -> bool:
    before, after = line[: m.start()], line[m.end() :]
    for pattern, where in _cues():
        if pattern.search(before) if where == "before" else pattern.match(after):
            return True
    data = _data()
    return bool(
        compiled(str(data["alone"])).match(before) and compiled(str(data["alone_after"])).match(after)
    )


def find_dateline(text: str) -> date | None:
    """The publication date printed in the first lines of `text`, or None when it shows none."""
    found = dateline_span(text)
    return found[0] if found else None


def dateline_span(text: str) -> tuple[date, int, int] | None:
    """The dateline's date and its (start, end) in `text`."""
    data = _data()
    pos = 0
    lines = text.split("\n", int(data["head_lines"]))
    seen: list[tuple[date, int, int]] = []
    for i, line in enumerate(lines[: int(data["head_lines"])]):
        first = not text[:pos].strip()
        found = _in_line(line, first=first)
        if found and not _opens_a_sentence(line, found, lines[i + 1] if i + 1 < len(lines) else ""):
            if first and compiled(str(data["stamp"])).match(line):
                return found[0], pos + found[1], pos + found[2]  # the crawl stamp is the page's own
            seen.append((found[0], pos + found[1], pos + found[2]))
        pos += len(line) + 1
    # A site's clock ("Thứ Sáu, 22/11/2024 10:51" over every page) and an update stamp come on or after
    # the day the report was published: of several datelines, the earliest is the report's.
    return min(seen, key=lambda found: found[0]) if seen else None


def _opens_a_sentence(line: str, found: tuple[date, int, int], following: str) -> bool:
    """True for a date alone on its line that a comma ends ("Ngày 25/11/2022,") or the next line goes
    on in lower case ("tại TP Pleiku, …"): a sentence's opening cut by a hard break, the meeting's
    day, no dateline."""
    data = _data()
    _, start, end = found
    if not compiled(str(data["date"])).fullmatch(line[start:end]):
        return False  # a crawl stamp or an ISO date with its time is the page's
    before, after = compiled(str(data["alone"])), compiled(str(data["alone_after"]))
    alone = before.match(line[:start]) and after.match(line[end:])
    return bool(alone) and (line.rstrip().endswith(",") or following.lstrip()[:1].islower())


def _in_line(line: str, first: bool) -> tuple[date, int, int] | None:
    data = _data()
    if compiled(str(data["foreign_line"])).search(line):
        return None  # a copying site's stamp in another script, not the report's
    stamp = compiled(str(data["stamp"])).match(line) if first else None
    if stamp and (day := _make(stamp)):
        return day, stamp.start(), stamp.end()
    if len(line) > _LONG_LINE:
        # a stamp glued to the first sentence ("17:25 06/12/2020 Chiều 30-11, …") opens the line
        line = line[:_GLUED_STAMP]
    iso = compiled(str(data["iso"])).search(line)
    if iso and (day := _make(iso)):
        return day, iso.start(), iso.end()
    for m in compiled(str(data["date"])).finditer(line):
        if (day := _make(m)) is not None and _cued(line, m):
            return day, m.start(), m.end()
    return None


def day_first_dates(text: str, end: int) -> list[tuple[date, int, int]]:
    """Each day-first date written in full in `text` before `end` ("10/04/2023"), with its span: the
    dates a flattened page's print stamp may be among."""
    found = ((_make(m), m.start(), m.end()) for m in compiled(str(_data()["date"])).finditer(text, 0, end))
    return [(day, start, stop) for day, start, stop in found if day is not None]


def is_stamp_line(line: str) -> bool:
    """True for a short line that is a dateline and nothing more ("Thứ Ba, 14/03/2017, 09:06"): it
    ends its line even in a text whose lines were broken anywhere."""
    return len(line.strip()) <= _STAMP_LINE and _in_line(line, first=False) is not None


_STAMP_LINE = 60


def without_stamp(text: str) -> str:
    """`text` with a leading crawl stamp (" date 2024-01-16") blanked, offsets kept: glued to the
    title, it would open the title's sentence."""
    stamp = compiled(str(_data()["stamp"])).match(text)
    return text if stamp is None else " " * stamp.end() + text[stamp.end() :]
