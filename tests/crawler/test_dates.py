"""Vietnamese date formats and metadata values to ISO 8601 with the site's time zone."""

from __future__ import annotations

import re

import pytest

from crawler.dates import date_patterns, parse_date


def test_patterns_have_unique_ids_and_compile() -> None:
    ids = [p.id for p in date_patterns()]
    assert len(ids) == len(set(ids))
    assert all(isinstance(p.regex, re.Pattern) for p in date_patterns())


@pytest.mark.parametrize("pattern", date_patterns(), ids=lambda p: p.id)
def test_each_pattern_parses_its_example(pattern) -> None:  # type: ignore[no-untyped-def]
    assert parse_date(pattern.example["text"]) == pattern.example["iso"]
    assert pattern.regex.search(pattern.example["text"])


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Thứ Năm, 13/01/2022", "2022-01-13"),
        ("05:02, 18/02/2020", "2020-02-18T05:02:00+07:00"),
        ("13/04/2022 - 09:44", "2022-04-13T09:44:00+07:00"),
        ("Cập nhật lúc 20:27, Thứ Năm, 13/01/2022 (GMT+7)", "2022-01-13T20:27:00+07:00"),
        ("Thứ năm - 20/01/2022 15:21 316 0", "2022-01-20T15:21:00+07:00"),
        ("Chủ nhật, 5/6/2022 - 7:05", "2022-06-05T07:05:00+07:00"),
        ("07/03/2026 08:47", "2026-03-07T08:47:00+07:00"),
        ("2026-03-07T00:01:00", "2026-03-07T00:01:00+07:00"),
        ("2026-03-07T08:52:11.000 +07:00", "2026-03-07T08:52:11+07:00"),
        ("2021-12-31T23:10:00Z", "2021-12-31T23:10:00+00:00"),
        ("2024-05-09", "2024-05-09"),
        ("Hà Nội, ngày 2 tháng 9 năm 2024", "2024-09-02"),
        ("10h30 ngày 1/10/2023", "2023-10-01T10:30:00+07:00"),
    ],
)
def test_vietnamese_formats(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_site_time_zone_applies_when_the_page_gives_none() -> None:
    assert parse_date("13/04/2022 - 09:44", tz="Asia/Bangkok") == "2022-04-13T09:44:00+07:00"
    assert parse_date("13/04/2022 - 09:44", tz="UTC") == "2022-04-13T09:44:00+00:00"


@pytest.mark.parametrize("text", [None, "", "không có ngày", "31/02/2022", "99:99, 45/13/2022"])
def test_no_date_or_impossible_date_is_none(text: str | None) -> None:
    assert parse_date(text) is None
