"""The report's own dateline: the publication date its text prints (update stamp, byline, crawl stamp)."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from extract.lexicon import compiled, load

_LONG_LINE = 160


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return dict(load("dates")["dateline"])


@lru_cache(maxsize=1)
def _cues() -> list[tuple[re.Pattern[str], str]]:
    return [(compiled(str(e["pattern"])), str(e["where"])) for e in _data()["cues"]]


def _make(m: re.Match[str]) -> date | None:
    try:
        return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


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
    data = _data()
    lines = text.lstrip("\n").split("\n", int(data["head_lines"]))[: int(data["head_lines"])]
    stamp = compiled(str(data["stamp"])).match(lines[0]) if lines else None
    if stamp:
        return _make(stamp)
    for line in lines:
        if len(line) > _LONG_LINE:
            continue
        found = compiled(str(data["iso"])).search(line)
        if found and _make(found):
            return _make(found)
        for m in compiled(str(data["date"])).finditer(line):
            day = _make(m)
            if day is not None and _cued(line, m):
                return day
    return None
