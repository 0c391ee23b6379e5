"""Dates and years in text, resolved against the publication date; anniversaries ignored."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from corpus.textkeys import lower_in_place
from extract.lexicon import compiled, entries, load

_LATEST_YEAR = 2099  # without a publication date, a later year is a slip of the keyboard
_STALE_DATELINE = 10  # a year a few past the dateline is as written: the dateline is a stale page header
_EARLIEST_YEAR = 1945  # a date before it is history (a birth, a founding), never a report's meeting
# Every pattern of dates.yaml but the dateline's is written in lower case and searched in the text
# lower-cased in place (offsets kept), several times faster than a case-insensitive search.


@lru_cache(maxsize=1)
def _dates() -> list[tuple[str, re.Pattern[str]]]:
    return [(str(e["id"]), re.compile(str(e["pattern"]))) for e in entries("dates", "dates")]


@lru_cache(maxsize=1)
def _ignore() -> list[re.Pattern[str]]:
    return [re.compile(str(e["pattern"])) for e in entries("dates", "ignore")]


@lru_cache(maxsize=1)
def _year() -> re.Pattern[str]:
    return re.compile(str(load("dates")["year"]))


@lru_cache(maxsize=1)
def _period() -> re.Pattern[str]:
    return re.compile(str(load("dates")["period"]))


# A quote's years are its title's, not the report's; words quoted after a colon and longer than a title
# are someone's speech ("… cho biết: “Năm 2021, chúng tôi được giao làm Cụm trưởng …”"), whose years count.
_QUOTED = re.compile(
    r"(?<!:\s)(?<!:)[“\"‘][^“”\"‘’]{0,400}[”\"’]|(?:(?<=:\s)|(?<=:))[“\"‘][^“”\"‘’]{0,60}[”\"’]"
)


def parse_iso(value: str | None) -> date | None:
    """A date from an ISO string (only its first 10 characters are read); a month ("2022-10") reads
    as its last day, so that day-month dates in it resolve to that year; None if invalid."""
    if not value:
        return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    month = re.fullmatch(r"((?:19|20)\d{2})-(\d{1,2})", text)
    if month and 1 <= int(month.group(2)) <= 12:
        year, number = int(month.group(1)), int(month.group(2))
        return date(year, number, calendar.monthrange(year, number)[1])
    return None


_YEAR_DIGITS = re.compile(r"\d{4}")
_DIGIT = re.compile(r"\d")


def _blank(text: str, patterns: list[re.Pattern[str]]) -> str:
    """`text` with each match of `patterns` blanked out, lengths kept. A text without four digits in
    a row is returned as it is: the dates and years its callers read all hold a year."""
    if not _YEAR_DIGITS.search(text):
        return text
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _iso(y: int | None, m: int, d: int) -> str | None:
    if y is None:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _parts(text: str) -> list[tuple[int, int | None, int, int | None]]:
    """(offset, day or None, month, year or None) of each date expression in `text`, in order."""
    if not _DIGIT.search(text):
        return []
    clean = _blank(lower_in_place(text), _ignore())
    out: list[tuple[int, int | None, int, int | None]] = []
    taken: set[int] = set()
    for _, pattern in _dates():
        for m in pattern.finditer(clean):
            if any(m.start() <= t < m.end() for t in taken):
                continue
            taken.update(range(m.start(), m.end()))
            groups = m.groupdict()
            day = int(groups["d"]) if groups.get("d") else None
            out.append((m.start(), day, int(m.group("m")), int(groups["y"]) if groups.get("y") else None))
    return sorted(out)


def find_dates(text: str, published: date | None) -> list[tuple[int, str | None]]:
    """(offset, ISO date or None) of each date in `text`; day/month without year takes the
    publication year, or the previous year when that would put the date after publication. A year
    more than ten after the publication's is a slip and is read as missing (a year a few after it is as
    written: the page's dateline is a stale header); one before 1945 is history, no date of the
    report's."""
    out: list[tuple[int, str | None]] = []
    latest = published.year + _STALE_DATELINE if published else _LATEST_YEAR  # the dateline may be stale
    for offset, day, month, year in _parts(text):
        if year is not None and year < _EARLIEST_YEAR:
            continue
        if year is not None and year > latest:
            year = None  # "ngày 21 tháng 12 năm 2107" in a report of 2017: a slip, read as day and month
        if day is None:
            out.append((offset, f"{year:04d}-{month:02d}" if year and 1 <= month <= 12 else None))
            continue
        if year is None and published is not None:
            year = published.year
            if (month, day) > (published.month, published.day) and month - published.month > 6:
                year -= 1
        out.append((offset, _iso(year, month, day)))
    return out


def anniversary(text: str) -> tuple[int | None, int] | None:
    """(month, year) of the anniversary a sentence greets, the last date of its span
    ("chào mừng … (30/4/1975 - 30/4/2022)" -> (4, 2022)); with years only, the month is None
    ("kỷ niệm 73 năm … (1945 – 2018)" -> (None, 2018), when 2018 - 1945 is 73); None without one."""
    lowered = lower_in_place(text)
    span = next((e for e in entries("dates", "ignore") if e["id"] == "anniversary"), None)
    m = re.search(str(span["pattern"]), lowered) if span else None
    last = re.findall(r"\d{1,2}[/.-](\d{1,2})[/.-](\d{4})", m.group(0)) if m else []
    if last:
        return int(last[-1][0]), int(last[-1][1])
    years = compiled(str(load("dates")["anniversary_years"])).search(lowered)
    if years and int(years.group("b")) - int(years.group("a")) == int(years.group("n")):
        return None, int(years.group("b"))
    return None


def undated(text: str) -> list[tuple[int, int, int]]:
    """(offset, day, month) of each day-month date in `text` written without a year."""
    return [(o, d, m) for o, d, m, y in _parts(text) if d is not None and y is None]


def calendar_year(
    kind: str, month: int, year_of: int, half_year: bool = False, school: bool = False
) -> int | None:
    """The year of a meeting held in `month` about "năm `year_of`" (ANNOTATION.md's calendar rule):
    a review of year X held in Jan-Jun is in X+1, in Oct-Dec in X, a mid-year review (sơ kết 6
    tháng đầu năm X) in X; a signing or launch for year X held in Jan-Mar is in X, one for the
    school year X-X+1 held in Aug-Dec in X. None where the rule says nothing (a school year's
    review)."""
    if kind == "review":
        if school:  # the rule names no month for a school year's review ("tổng kết năm học X-X+1")
            return None
        if half_year:
            return year_of
        return year_of + 1 if month <= 6 else year_of if month >= 10 else None
    if kind in {"signing", "launch"}:
        if school:
            return year_of if 8 <= month <= 12 else None
        return year_of if month <= 3 else None
    return None


def years(text: str) -> list[tuple[int, int]]:
    """(offset, year) of each "năm YYYY" outside quotes, periods and anniversaries."""
    clean = _blank(lower_in_place(text), [*_ignore(), _QUOTED, _period()])
    return [(m.start(), int(m.group("y"))) for m in _year().finditer(clean)]


def date_year(text: str) -> int | None:
    """The year of `text`'s full dates ("ngày 7/10/2021") when they all share one; else None."""
    found = {y for _, d, _, y in _parts(text) if d is not None and y is not None}
    return found.pop() if len(found) == 1 else None


def one_year(text: str) -> int | None:
    """The year of `text` when it states exactly one distinct year; else None."""
    found = {y for _, y in years(text)}
    return found.pop() if len(found) == 1 else None


def nearest_year(text: str, offset: int) -> int | None:
    """The stated year closest to `offset` in `text` (preferring one before it)."""
    found = years(text)
    if not found:
        return None
    return min(found, key=lambda item: abs(item[0] - offset) + (0 if item[0] <= offset else 40))[1]
