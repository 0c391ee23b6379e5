"""The Vietnamese text keys every stage compares names by (corpus/textkeys.py)."""

from __future__ import annotations

import pytest

from corpus.textkeys import lower_in_place, unit_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kho bạc Nhà nước chi nhánh tỉnh Gia Lai", "Kho bạc Nhà nước chi nhánh Gia Lai"),
        ("UBND thành phố Đà Lạt", "Đà Lạt"),
        ("Ủy ban nhân dân huyện Lâm Hà", "huyện Lâm Hà"),
        ("TP. Bảo Lộc", "Bảo Lộc"),
    ],
)
def test_administrative_words_are_dropped_wherever_they_stand(a: str, b: str) -> None:
    assert unit_key(a) == unit_key(b)


def test_diacritics_keep_an_army_region_apart_from_a_district() -> None:
    assert unit_key("Quân khu 7") == "quân khu 7"
    assert unit_key("Quân khu 7") != unit_key("quận khu 7")


def test_other_words_still_tell_units_apart() -> None:
    assert unit_key("Cục Hải quan tỉnh Gia Lai") != unit_key("Cục Thuế tỉnh Gia Lai")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ngày 18/01/2022, Cụm Thi Đua số 4", "cụm thi đua"),
        ("İstanbul và ĐẮK LẮK", "đắk lắk"),
        ("Straße ǅ Sở", "sở"),
    ],
)
def test_lowering_in_place_keeps_every_offset(text: str, found: str) -> None:
    lowered = lower_in_place(text)
    assert len(lowered) == len(text)
    at = lowered.index(found)
    assert text[at : at + len(found)].lower() == found
