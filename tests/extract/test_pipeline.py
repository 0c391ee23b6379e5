"""extract_facts end to end: the samples, evidence spans, robustness and size."""

from __future__ import annotations

import json
import time
from pathlib import Path

from corpus.normalize import normalize_text
from extract import extract_facts

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"


def _articles() -> list[dict]:
    return [json.loads(line) for line in (GOLD / "articles.jsonl").read_text(encoding="utf-8").splitlines()]


def test_evidence_points_into_normalised_text() -> None:
    for article in _articles():
        text = normalize_text(article["text"])
        facts = extract_facts(article["text"], article["published"], article.get("url"), article["id"])
        assert facts
        for fact in facts:
            ev = fact.evidence
            assert text[ev.start : ev.end] == ev.sentence
            assert ev.rule and ev.article_id == article["id"] and ev.published == article["published"]


def test_fact_ids_are_stable_across_runs() -> None:
    article = _articles()[0]
    first = [
        f.fact_id() for f in extract_facts(article["text"], article["published"], article_id=article["id"])
    ]
    second = [
        f.fact_id() for f in extract_facts(article["text"], article["published"], article_id=article["id"])
    ]
    assert first == second and len(set(first)) == len(first)


def test_bad_input_yields_no_error() -> None:
    for text in ["", "   ", "<p>&amp;&#xZZ;</p>", "“" * 5000, "Cụm thi đua số" + "\x00" * 10, "gồm:" * 3000]:
        assert isinstance(extract_facts(text, published="not a date"), list)


def test_megabyte_finishes_quickly() -> None:
    body = "\n".join(a["text"] for a in _articles())
    text = (body * (1_000_000 // len(body) + 1))[:1_000_000]
    start = time.perf_counter()
    facts = extract_facts(text, published="2022-01-13")
    assert facts and time.perf_counter() - start < 60


def test_unit_today_maps_pre_2025_districts() -> None:
    facts = extract_facts("Hội nghị đã bầu huyện Đức Trọng làm Cụm trưởng năm 2022.")
    chair = next(f for f in facts if f.type == "chair")
    assert chair.model_dump().get("unit_today") == "Lâm Đồng"
