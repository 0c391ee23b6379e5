"""The report's own dateline, in the forms Vietnamese sites print it (ANNOTATION.md, Event)."""

from __future__ import annotations

from datetime import date

import pytest

from extract.dateline import find_dateline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tiêu đề\n\nCập nhật lúc 09:15, Thứ Hai, 15/01/2024 (GMT+7)\nSáng 12/1, …", date(2024, 1, 15)),
        ("Tiêu đề\nThứ ba - 16/01/2024 10:02\nNội dung", date(2024, 1, 16)),
        ("Tiêu đề\n16/01/2024 - 10:02\nNội dung", date(2024, 1, 16)),
        ("Tiêu đề\nCập nhật ngày: 16-01-2024\nNội dung", date(2024, 1, 16)),
        ("Tiêu đề\nNguyễn Văn A\n16/01/2024 10:02\nNội dung", date(2024, 1, 16)),
        (" date 2024-01-16\nTiêu đề", date(2024, 1, 16)),
        (" date 2022-10 Ngày 4/10, tại Công an tỉnh", date(2022, 10, 31)),
        ("Tiêu đề\n\n15:24 - 26/01/2024\n\nChiều ngày 25/1", date(2024, 1, 26)),
        ("Tiêu đề\n\nThứ Tư, 08/04/2015, 08:11 [GMT+7]\n\n(QBĐT) - Phát biểu", date(2015, 4, 8)),
    ],
)
def test_the_forms_sites_print(text: str, expected: date) -> None:
    assert find_dateline(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ngày 18/01/2022, tại UBND huyện Hoài Ân, Cụm thi đua các huyện miền núi tổ chức hội nghị tổng kết.",
        "Tiêu đề\nCập nhật ngày: 31-02-2024\nNội dung",  # no such day
        "Tiêu đề\nNội dung không có ngày tháng.",
    ],
)
def test_a_date_inside_a_sentence_or_an_impossible_one_is_no_dateline(text: str) -> None:
    assert find_dateline(text) is None
