"""corpus.normalize.normalize_text: one canonical form, idempotent, lines kept, linear."""

from __future__ import annotations

import time

import pytest

from corpus.normalize import normalize_text, normalize_with_spellings, tone_spellings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Thuỷ lợi hoà bình", "Thủy lợi hòa bình"),
        ("Hoà Bình, Khánh Hoà và hoà", "Hòa Bình, Khánh Hòa và hòa"),  # every occurrence
        ("Thuận Hoà1 hoàn thành", "Thuận Hòa1 hoàn thành"),  # whole words only: "hoàn" is no "hoà"
        ("Cụm\u00a0thi  đua", "Cụm thi đua"),
        ("Sở Tư pháp &amp; Sở Nội vụ", "Sở Tư pháp & Sở Nội vụ"),
        ("R&amp;amp;D &nbsp;x", "R&D x"),
        ("«Xóa nhà tạm»", "“Xóa nhà tạm”"),
        ("miền núi — trung du", "miền núi – trung du"),
        ("a\r\n\r\n\r\n\r\nb", "a\n\nb"),
        ("Ðức Trọng", "Đức Trọng"),
        ("Cu\u0323m thi đua", "Cụm thi đua"),
    ],
)
def test_variants_unified(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("thự\nc hiện", "thực hiện"),  # a piece without a vowel
        ("Th\nanh Hóa", "Thanh Hóa"),  # a capital head without a vowel
        ("huy\nện Di Linh", "huyện Di Linh"),  # "ện" is no syllable, "huyện" is
        ("khen thư\nởng", "khen thưởng"),
        ("UBND\nhuyện", "UBND\nhuyện"),  # an abbreviation is a word
        ("thi\nđua", "thi\nđua"),  # two syllables stay two
        ("Bảo\nLộc", "Bảo\nLộc"),  # a capital after the break starts a word
        ("điểm a\nb) tiếp", "điểm a\nb) tiếp"),  # a list letter
        ("đơn vị sự ng\nhiệp. Qua đó", "đơn vị sự nghiệp. Qua đó"),  # a stop right after the word
        ("thi đua năm 20\n22 và", "thi đua năm 2022 và"),  # a year cut after its century
        ("Ngày 11/11/20\n22, tại", "Ngày 11/11/2022, tại"),
        ("gồm 20\n22 đơn vị", "gồm 20\n22 đơn vị"),  # two counts stay two lines
        ("điểm a\nb. tiếp", "điểm a\nb. tiếp"),  # a list letter with a stop
        ("các cu\nộc vận động", "các cuộc vận động"),  # two syllables, but the break splits a vowel run
        ("hàng Vi\nệt Nam", "hàng Việt Nam"),
        ("tiếp tục tu\nyên truyền", "tiếp tục tuyên truyền"),
        ("thay mặt của\nông A", "thay mặt của\nông A"),  # "củaông" is no syllable: two words
        ("khu nhà\nở xã hội", "khu nhà\nở xã hội"),  # two tone marks make no syllable
        ("Sở Kế hoạch và Đ-\nầu tư", "Sở Kế hoạch và Đầu tư"),  # a hyphen marking the cut goes too
        ("Cục Thi hành án dân s-\nự", "Cục Thi hành án dân sự"),
        ("các tổ chức chính trị-\nxã hội", "các tổ chức chính trị-\nxã hội"),  # a compound's own hyphen
        ("Sở Văn hóa-\nThông tin", "Sở Văn hóa-\nThông tin"),
    ],
)
def test_a_word_a_line_break_cut_is_mended(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("chính trị - xã hội tỉnhký giao ước", "chính trị - xã hội tỉnh ký giao ước"),  # two tone marks
        ("phong tràothiđua năm", "phong trào thi đua năm"),  # "đ" inside a word, and two tones
        ("đạtkết quả", "đạt kết quả"),
        ("tham dự ởhuyện", "tham dự ở huyện"),  # a one-vowel syllable
        ("café électricité", "café électricité"),  # no cover by Vietnamese syllables: as written
        ("sự nghiệpBản đăng ký", "sự nghiệpBản đăng ký"),  # a capital inside: a lost line break
        ("Nguyễn Văn Đức, ĐBSCL", "Nguyễn Văn Đức, ĐBSCL"),
    ],
)
def test_words_a_lost_space_ran_together_are_split(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Cụm thi đua 1và 38 hội viên", "Cụm thi đua 1 và 38 hội viên"),
        ("năm 2023tại Hà Nội", "năm 2023 tại Hà Nội"),
        ("Phường 7đã tổ chức", "Phường 7 đã tổ chức"),
        ("lúc 14h30 ngày 5/6", "lúc 14h30 ngày 5/6"),  # a unit in ASCII: as written
        ("rộng 12ha, khu 3B", "rộng 12ha, khu 3B"),  # a unit, a code
        ("Quận 9Bản tin", "Quận 9Bản tin"),  # a capital: a lost line break, as written
    ],
)
def test_a_number_run_into_a_vietnamese_word_is_split(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("phong trào ''Lao động giỏi''", 'phong trào "Lao động giỏi"'),  # two apostrophes for a quote
        ("phong trào ‘‘Lao động giỏi’’", "phong trào “Lao động giỏi”"),
        ("phong trào ``Lao động giỏi''", 'phong trào “Lao động giỏi"'),
        ("Đắk R'lấp, Cư M'gar", "Đắk R'lấp, Cư M'gar"),  # one apostrophe inside a name stays
    ],
)
def test_a_pair_of_marks_typed_for_one_quote_becomes_one(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_idempotent_and_keeps_paragraphs() -> None:
    text = "Dòng một  &amp;lt;\n\n  Dòng hai\u200b — khoẻ\n"
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\n\n" in once


def test_linear_on_a_megabyte() -> None:
    text = "Cụm thi đua số 1 &amp; hoà  bình. " * 30000
    start = time.perf_counter()
    normalize_text(text)
    assert time.perf_counter() - start < 5


def test_tone_spellings_give_back_the_pages_own_placement() -> None:
    page = "Tại thị xã Hoà Thành, Cụm thi đua tỉnh Thanh Hoá họp; Hoà Thành làm cụm trưởng."
    assert normalize_text(page).count("Hòa Thành") == 2
    assert tone_spellings(page) == {"Hòa": "Hoà", "Hóa": "Hoá"}


def test_tone_spellings_follow_the_placement_the_page_writes_most() -> None:
    page = "Khánh Hòa, Khánh Hòa và Khánh Hoà"
    assert tone_spellings(page) == {}


@pytest.mark.parametrize(
    "page",
    [
        "Tại thị xã Hoà Thành, Cụm thi đua tỉnh Thanh Hoá họp; Hoà Thành làm cụm trưởng.",
        "Khánh Hòa, Khánh Hòa và Khánh Hoà",
        "Khối thi đua số 2 &amp; Hội Nông dân tỉnh   Quảng Trị",
        "",
    ],
)
def test_normalising_and_spellings_in_one_pass_read_as_each_alone(page: str) -> None:
    assert normalize_with_spellings(page) == (normalize_text(page), tone_spellings(page))


def test_a_tab_between_two_cells_becomes_a_cell_mark_and_stays_one() -> None:
    table = "Năm\tCụm trưởng\tCụm phó\n2021\tTrần Đề\t\n\tthụt lề"
    assert normalize_text(table) == "Năm | Cụm trưởng | Cụm phó\n2021 | Trần Đề\nthụt lề"
    assert normalize_text(normalize_text(table)) == normalize_text(table)
