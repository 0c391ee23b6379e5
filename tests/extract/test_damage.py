"""Crawl damage done on purpose (extract/damage.py): each kind hurts the text its own way, keeps its
words, and is the same on every run for the same article."""

from __future__ import annotations

import pytest

from extract.damage import DAMAGE, damage

TEXT = (
    "Cụm thi đua số 3 tổ chức hội nghị tổng kết\n"
    "Sáng 12/1/2024, tại huyện Lạc Sơn, Cụm thi đua số 3 gồm các huyện Lạc Sơn, Yên Thủy, Kim Bôi và "
    "Tân Lạc họp tổng kết thi đua năm 2023 ở hội trường huyện.\n"
    "Hội nghị đã suy tôn huyện Yên Thủy dẫn đầu Cụm, đề nghị UBND tỉnh tặng Cờ thi đua."
)


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_the_same_article_is_damaged_the_same_way_every_run(kind: str) -> None:
    assert damage(TEXT, kind, "a1") == damage(TEXT, kind, "a1")


def test_flat_leaves_one_line_and_every_word() -> None:
    flat = damage(TEXT, "flat", "a1")
    assert "\n" not in flat and _words(flat) == _words(TEXT)


def test_wrap_cuts_lines_at_seventy_columns_and_keeps_every_word() -> None:
    wrapped = damage(TEXT, "wrap", "a1")
    assert all(len(line) <= 70 for line in wrapped.split("\n"))
    assert wrapped.count("\n") > TEXT.count("\n") and _words(wrapped) == _words(TEXT)


def test_hard_breaks_replace_spaces_only() -> None:
    broken = damage(TEXT, "hard-breaks", "a1")
    assert broken.replace("\n", " ") == TEXT.replace("\n", " ") and broken.count("\n") > TEXT.count("\n")


def test_broken_words_split_words_inside_and_lose_no_letter() -> None:
    text = TEXT * 4
    broken = damage(text, "broken-words", "a2")
    assert broken.replace("\n", "") == text.replace("\n", "") and broken.count("\n") > text.count("\n")


def test_image_names_are_lines_of_their_own_between_the_paragraphs() -> None:
    shown = damage(TEXT * 3, "image-names", "a3")
    added = [line for line in shown.split("\n") if line.startswith("IMG_")]
    assert added and all(line.endswith(".jpg") for line in added)
    assert [line for line in shown.split("\n") if not line.startswith("IMG_")] == (TEXT * 3).split("\n")


def test_repeated_title_prints_the_first_line_twice_more() -> None:
    lines = damage(TEXT, "repeated-title", "a1").split("\n")
    assert lines[:3] == [lines[0]] * 3 and "\n".join(lines[2:]) == TEXT


@pytest.mark.parametrize("seed", ["a1", "b2", "c3", "d4"])
def test_truncated_keeps_a_front_of_the_text_cut_inside_a_word(seed: str) -> None:
    cut = damage(TEXT, "truncated", seed)
    assert TEXT.startswith(cut)
    assert 0.35 * len(TEXT) <= len(cut) < 0.9 * len(TEXT) + 20
    assert cut[-1].isalpha() and TEXT[len(cut)].isalpha()  # the cut falls inside a word, not after it
