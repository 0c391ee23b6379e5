"""A related-headlines list is blanked, offsets kept; the report's own lines are not."""

from __future__ import annotations

from extract.debris import without_related

REPORT = "Sáng 12/1, Cụm thi đua số 3 tổng kết năm 2019.\n"


def test_a_list_under_its_heading_is_blanked_with_its_length_kept() -> None:
    text = REPORT + "Tin liên quan:\n- Cụm thi đua số 7 ký giao ước (08/01/2020)\n» Khối Nội chính tổng kết\n"
    out = without_related(text)
    assert len(out) == len(text)
    assert out.startswith(REPORT)
    assert "Cụm thi đua số 7" not in out and "Khối Nội chính" not in out
    assert out.count("\n") == text.count("\n")


def test_the_reports_text_after_the_list_is_kept() -> None:
    after = (
        "Dịp này, Cụm thi đua số 3 đề nghị UBND tỉnh tặng Cờ thi đua cho huyện Hậu Lộc và huyện Nga Sơn, hai "
        "đơn vị dẫn đầu phong trào thi đua năm 2019 của cụm, với nhiều mô hình hay được nhân rộng."
    )
    text = REPORT + "Các tin khác\n- Tin một (01/01/2020)\n" + after
    assert without_related(text).endswith(after)


def test_a_sentence_ending_line_stops_the_list() -> None:
    text = "Xem thêm:\nHội nghị đã thống nhất đề nghị tặng Cờ thi đua cho huyện A.\n"
    assert without_related(text).strip().endswith("huyện A.")


def test_no_heading_no_change() -> None:
    text = REPORT + "- Cụm thi đua số 7 ký giao ước (08/01/2020)\n"
    assert without_related(text) == text


def test_a_heading_word_inside_a_sentence_is_no_heading() -> None:
    text = "Các tin khác cho biết Cụm thi đua số 2 đã họp.\n- Cụm thi đua số 2 (A, B)\n"
    assert without_related(text) == text
