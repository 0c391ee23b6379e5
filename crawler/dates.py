"""Publication dates as ISO 8601: Vietnamese page formats and metadata values, in the site's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

_DATA = Path(__file__).parent / "data" / "dates.yaml"
DEFAULT_TZ = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class DatePattern:
    """One date format: an id, a compiled regex with named groups, and an example."""

    id: str
    regex: re.Pattern[str]
    example: dict[str, str]


@lru_cache(maxsize=1)
def date_patterns() -> tuple[DatePattern, ...]:
    """The ordered date formats from `crawler/data/dates.yaml`."""
    entries = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return tuple(DatePattern(e["id"], re.compile(e["pattern"], re.I), e["example"]) for e in entries)


def _tz(value: str | None, default: str) -> tzinfo:
    if not value:
        return ZoneInfo(default)
    if value.upper() == "Z":
        return UTC
    m = re.fullmatch(r"(?:GMT)?\s*([+-])\s*(\d{1,2}):?(\d{2})?", value.strip(), re.I)
    if not m:
        return ZoneInfo(default)
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))


def _from_match(m: re.Match[str], default_tz: str) -> str | None:
    g = m.groupdict()
    try:
        day = date(int(g["year"]), int(g["month"]), int(g["day"]))
        if g.get("hour") is None:
            return day.isoformat()
        moment = datetime(
            day.year, day.month, day.day, int(g["hour"]), int(g["minute"]), int(g.get("second") or 0)
        )
    except (ValueError, TypeError):
        return None
    return moment.replace(tzinfo=_tz(g.get("tz"), default_tz)).isoformat()


def parse_date(text: str | None, tz: str = DEFAULT_TZ) -> str | None:
    """The first date in `text` as ISO 8601 (with offset when a time is given), or None."""
    if not text:
        return None
    text = " ".join(text.split())
    for pattern in date_patterns():
        for m in pattern.regex.finditer(text):
            if (iso := _from_match(m, tz)) is not None:
                return iso
    return None
