"""The pure view helpers: evidence highlighting, fact labels, links, year tables and timelines."""

from __future__ import annotations

from typing import Any

from search_api.i18n import Translator
from search_api.pageviews import (
    Entity,
    Sentence,
    by_year,
    describe_fact,
    evidence_href,
    fact_span,
    highlight_article,
    role_rows,
    timeline_years,
    types_present,
    with_query,
)

TEXT = (
    "Hội nghị tổng kết năm 2023 diễn ra tại Bảo Lộc. "
    "Hội nghị bầu UBND huyện Lạc Dương làm Cụm trưởng, Đơn Dương làm Cụm phó năm 2024. "
    "Kết thúc hội nghị."
)


def _fact(fid: str, ftype: str, sentence: str, text: str = TEXT, **fields: Any) -> dict[str, Any]:
    start = text.find(sentence)
    evidence = {"sentence": sentence, "start": start, "end": start + len(sentence), "article_id": "a1"}
    return {"id": fid, "type": ftype, "fields": {"type": ftype, **fields}, "evidence": evidence}


CHAIR_SENT = "Hội nghị bầu UBND huyện Lạc Dương làm Cụm trưởng, Đơn Dương làm Cụm phó năm 2024."


def test_sentences_with_facts_become_blocks_and_the_rest_stays_text() -> None:
    facts = [
        _fact("c1", "chair", CHAIR_SENT, unit="Lạc Dương", role="chair", year=2024),
        _fact("c2", "chair", CHAIR_SENT, unit="Đơn Dương", role="vice_chair", year=2024),
    ]
    blocks = highlight_article(TEXT, facts)
    assert (
        "".join(
            b if isinstance(b, str) else "".join(p if isinstance(p, str) else p.text for p in b.pieces)
            for b in blocks
        )
        == TEXT
    )
    sentence = next(b for b in blocks if isinstance(b, Sentence))
    assert sentence.fact_ids == ["c1", "c2"] and sentence.types == ["chair"]
    marks = [p for p in sentence.pieces if isinstance(p, Entity)]
    assert [m.text for m in marks] == ["Lạc Dương", "Đơn Dương"]
    assert marks[0].fact_ids == ["c1"]


def test_marks_are_case_insensitive_and_one_span_can_carry_two_types() -> None:
    text = "Năm nay ĐÀ LẠT là thành viên và được bầu làm Cụm trưởng."
    facts = [
        _fact("m", "member", text, text=text, member="Đà Lạt"),
        _fact("c", "chair", text, text=text, unit="Đà Lạt", role="chair", year=2022),
    ]
    (block,) = highlight_article(text, facts)
    assert isinstance(block, Sentence)
    (mark,) = [p for p in block.pieces if isinstance(p, Entity)]
    assert mark.text == "ĐÀ LẠT" and mark.types == ["member", "chair"] and mark.fact_ids == ["m", "c"]


def test_overlapping_partial_marks_keep_the_first_longest() -> None:
    text = "Tặng Cờ thi đua của UBND tỉnh cho huyện Đức Trọng."
    facts = [_fact("a", "award", text, text=text, recipient="Đức Trọng", award="Cờ thi đua của UBND")]
    slogan = _fact("b", "slogan", text, text=text, kind="theme")
    slogan["fields"]["text"] = "thi đua của UBND tỉnh"
    facts.append(slogan)
    (block,) = highlight_article(text, facts)
    assert isinstance(block, Sentence)
    marks = [p.text for p in block.pieces if isinstance(p, Entity)]
    assert marks == ["Cờ thi đua của UBND", "Đức Trọng"]


def test_a_repeated_name_is_marked_where_it_sits_next_to_the_facts_other_value() -> None:
    text = "Bầu Lâm Hà làm Cụm trưởng; Đam Rông nhận Cờ thi đua và Lâm Hà nhận Giấy khen."
    facts = [
        _fact("c", "chair", text, text=text, unit="Lâm Hà", role="chair"),
        _fact("a", "award", text, text=text, recipient="Lâm Hà", award="Giấy khen"),
    ]
    (block,) = highlight_article(text, facts)
    assert isinstance(block, Sentence)
    offsets, cursor = [], 0
    for piece in block.pieces:
        if isinstance(piece, Entity):
            offsets.append((cursor, piece.types))
        cursor += len(piece if isinstance(piece, str) else piece.text)
    assert offsets == [(4, ["chair"]), (text.rindex("Lâm Hà"), ["award"]), (text.index("Giấy"), ["award"])]


def test_stale_offsets_fall_back_to_finding_the_sentence() -> None:
    fact = _fact("x", "member", "Kết thúc hội nghị.", member="hội nghị")
    fact["evidence"]["start"], fact["evidence"]["end"] = 0, 5
    start, end = fact_span(TEXT, fact) or (0, 0)
    assert TEXT[start:end] == "Kết thúc hội nghị."
    fact["evidence"]["sentence"] = "không có trong bài"
    assert fact_span(TEXT, fact) is None
    assert highlight_article(TEXT, [fact]) == [TEXT]


def test_overlapping_sentences_merge_into_one_block() -> None:
    first = "Hội nghị tổng kết năm 2023 diễn ra tại Bảo Lộc."
    wider = first + " " + CHAIR_SENT
    facts = [
        _fact("e", "event", first, place="Bảo Lộc", kind="review"),
        _fact("c", "chair", wider, unit="Lạc Dương", role="chair"),
    ]
    blocks = [b for b in highlight_article(TEXT, facts) if isinstance(b, Sentence)]
    assert len(blocks) == 1 and blocks[0].fact_ids == ["c", "e"]
    assert blocks[0].types == ["chair", "event"]


def test_describe_reads_each_type_in_both_languages() -> None:
    vi, en = Translator("vi"), Translator("en")
    chair = {"type": "chair", "fields": {"unit": "Đà Lạt", "role": "vice_chair", "year": 2022}}
    assert describe_fact(chair, en) == "Đà Lạt — Vice-chair (2022)"
    assert describe_fact(chair, vi) == "Đà Lạt — Cụm phó (2022)"
    award = {
        "type": "award",
        "fields": {"recipient": "Di Linh", "award": "Bằng khen", "year": 2021, "status": "proposed"},
    }
    assert describe_fact(award, en) == "Di Linh: Bằng khen (2021), proposed"
    tally = {"type": "award_count", "fields": {"scope": "Cần Đước", "award": "Giấy khen", "count": 12}}
    assert describe_fact(tally, en) == "Cần Đước: 12 × Giấy khen"
    slogan = {"type": "slogan", "fields": {"text": "Đoàn kết", "kind": "theme", "year": 2024}}
    assert describe_fact(slogan, vi) == "Chủ đề: “Đoàn kết” (2024)"
    event = {"type": "event", "fields": {"kind": "signing", "date": "2024-05-09", "place": "Bảo Lộc"}}
    assert describe_fact(event, en) == "Covenant signing 2024-05-09, Bảo Lộc"
    person = {"type": "person", "fields": {"name": "Nguyễn Văn A", "title": None, "unit": "Lâm Hà"}}
    assert describe_fact(person, en) == "Nguyễn Văn A, Lâm Hà"


def test_links_and_query_strings() -> None:
    assert evidence_href("a1", "f9") == "/articles/a1#f-f9"
    assert evidence_href(None, "f9") is None
    url = with_query("/api/v1/export", {"q": "đà lạt", "site": "", "year": None}, format="csv")
    assert url == "/api/v1/export?q=%C4%91%C3%A0+l%E1%BA%A1t&format=csv"
    assert with_query("/search", {}) == "/search"


def test_role_rows_fold_roles_per_year_oldest_first() -> None:
    rows = role_rows(
        [
            {"year": 2022, "role": "vice_chair", "holders": ["g2"]},
            {"year": 2021, "role": "chair", "holders": ["g0"]},
            {"year": 2022, "role": "chair", "holders": ["g1"]},
            {"year": None, "role": "chair", "holders": ["g3"]},
        ]
    )
    assert [r.year for r in rows] == [2021, 2022, None]
    assert rows[1].roles == {"vice_chair": ["g2"], "chair": ["g1"]}


def test_by_year_and_timeline_grouping() -> None:
    groups = [{"fact": {"year": y}} for y in (2021, None, 2023, 2021)]
    assert [y for y, _ in by_year(groups)] == [2023, 2021, None]
    items = ["2022-05-01", None, "2021-12", "2022-01-13"]
    years = timeline_years(items, lambda d: d)
    assert years == [("2021", ["2021-12"]), ("2022", ["2022-01-13", "2022-05-01"]), ("", [None])]


def test_types_present_in_legend_order() -> None:
    facts = [{"type": "slogan"}, {"type": "chair"}, {"type": "cluster"}, {"type": "chair"}]
    assert types_present(facts) == ["cluster", "chair", "slogan"]
