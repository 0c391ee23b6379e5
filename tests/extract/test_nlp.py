"""The NLP layer (extract/nlp.py): underthesea through one cached adapter, the spaCy Doc and its spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from corpus.normalize import normalize_text
from extract import nlp
from extract.context import build
from extract.pipeline import _run
from extract.sentences import passes_gate

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"

SENTENCES = [
    "Hội nghị đã bầu thành phố Đà Lạt làm Cụm trưởng, huyện Di Linh làm Cụm phó năm 2022.",
    "Ông Rơ Mah Tuấn, Chủ tịch UBND huyện Chư Păh, được  UBND tỉnh Gia Lai tặng Bằng khen.",
    "  Khối thi đua số II  ký kết giao ước\tthi đua năm 2024 “Đoàn kết - Sáng tạo” ",
    "kinh tế - xã hội phát triển; TP.HCM và Sở Văn hóa, Thể thao và Du lịch",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_doc_reproduces_the_text_with_exact_offsets(text: str) -> None:
    doc = nlp.doc(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text


def test_multi_syllable_words_stay_one_token() -> None:
    doc = nlp.doc("Hội nghị đã bầu thành phố Đà Lạt làm Cụm trưởng.")
    assert {"Hội nghị", "thành phố", "Đà Lạt", "Cụm trưởng"} <= {t.text for t in doc}


def test_domain_terms_win_over_the_segmenter() -> None:
    """underthesea splits "Cụm phó" and "Bằng khen"; the tokenizer keeps them whole and labels them."""
    text = "Huyện Di Linh làm Cụm phó Cụm thi đua số 1, huyện Lâm Hà nhận Bằng khen của Chủ tịch UBND tỉnh."
    words = {w for w, _ in nlp.tagged(text)}
    assert "Cụm phó" not in words and "Bằng khen" not in words
    assert {"Cụm phó", "Bằng khen"} <= {t.text for t in nlp.doc(text)}
    spans = {(s.label_, s.text) for s in nlp.doc(text).spans[nlp.DOMAIN_KEY]}
    assert {("ROLE", "Cụm phó"), ("AWARD", "Bằng khen"), ("BODY", "Chủ tịch UBND tỉnh")} <= spans


def test_kinds_are_labelled_but_never_cut_out_of_words() -> None:
    doc = nlp.doc("Phát triển kinh tế - xã hội của thị xã Buôn Hồ.")
    assert "xã hội" in {t.text for t in doc}
    assert ("KIND", "thị xã") in {(s.label_, s.text) for s in doc.spans[nlp.DOMAIN_KEY]}


def test_names_are_proper_nouns_outside_domain_terms() -> None:
    """The POS tagger calls "Bằng" a proper noun; the domain span takes precedence."""
    text = "Ông Rơ Mah Tuấn được UBND tỉnh Gia Lai tặng Bằng khen."
    found = [n.text for n in nlp.names(text)]
    assert "Rơ Mah Tuấn" in found
    assert not any("Bằng" in n for n in found)


def test_ner_filter_keeps_only_person_entities() -> None:
    text = "Ông Rơ Mah Tuấn được UBND tỉnh Gia Lai tặng Bằng khen."
    assert [n.text for n in nlp.names(text, use_ner=True)] == ["Rơ Mah Tuấn"]


def test_underthesea_calls_are_cached() -> None:
    nlp.clear_caches()
    text = "Chị Kpă Thị Nguyên được tặng Bằng khen."
    nlp.tagged(text)
    nlp.tagged(text)
    info = nlp.tagged.cache_info()
    assert info.hits == 1 and info.misses == 1


def test_align_skips_words_missing_from_the_text() -> None:
    assert nlp.align("Cụm  thi đua", ["Cụm thi", "đua", "xyz"]) == [(0, 0, 8), (1, 9, 12)]


def test_components_are_registered_by_versioned_name() -> None:
    names = nlp.language().pipe_names
    assert names == ["thidua_pos_v1", "thidua_domain", "thidua_names_v1"]
    assert spacy.registry.tokenizers.get("thidua.underthesea_tokenizer.v1")


def test_empty_and_odd_text() -> None:
    for text in ["", " ", "\n\n", "“”", "&amp;", "x" * 500]:
        assert nlp.doc(text).text == text
        assert isinstance(nlp.names(text), list)


def test_gate_keeps_every_gold_fact_sentence_of_the_samples() -> None:
    """The gate may drop a sentence only when no gold-matching fact comes from it."""
    for line in (GOLD / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        ctx = build(normalize_text(article["text"]), article["published"], None, article["id"])
        facts = _run(ctx)
        gated = {s.index for s in ctx.gated()}
        for fact in facts:
            sentence = ctx.sentence_at(fact.evidence.start)
            if fact.type != "cluster" and not fact.evidence.rule.startswith("members."):
                assert sentence is not None and sentence.index in gated


def test_gate_and_nlp_shares_on_the_samples() -> None:
    """Half the sample sentences or fewer reach an extractor; very few reach the NLP layer."""
    total = gated = analysed = 0
    for line in (GOLD / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        ctx = build(normalize_text(article["text"]), article["published"], None, article["id"])
        _run(ctx)
        total, gated, analysed = (
            total + len(ctx.sentences),
            gated + len(ctx.gated()),
            analysed + len(ctx.analysed),
        )
    assert gated / total <= 0.55
    assert analysed / total <= 0.05


def test_each_extractor_has_a_gate() -> None:
    for extractor in ["members", "chairs", "awards", "award_counts", "slogans", "events", "persons"]:
        assert passes_gate(
            extractor, "cụm trưởng bằng khen gồm “a” chủ đề tổng kết công tác thi đua, chủ tịch khen thưởng"
        )
