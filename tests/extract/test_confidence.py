"""Confidence reads as a probability: fitted per kind of fact, smoothed towards its type."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from extract import confidence, extract_facts
from runtime.settings import get_settings


def fact(kind: str, rule: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "evidence": {"rule": rule}, **fields}


def test_a_kind_seen_often_gets_its_own_precision_a_rare_one_leans_on_its_type() -> None:
    outcomes = [(fact("chair", "r", year=2020), i < 8) for i in range(40)]  # 8 of 40 right
    outcomes += [(fact("chair", "r", year=None), True)]  # one right, seen once
    table = confidence.fit(outcomes)
    often = table["kinds"]["chair:r:year"]["p"]
    rare = table["kinds"]["chair:r:noyear"]["p"]
    assert abs(often - 0.2) < 0.05
    assert table["types"]["chair"] < rare < 1.0  # one success does not make a certainty


def test_inferred_facts_are_not_fitted_and_claim_even_odds() -> None:
    table = confidence.fit([(fact("chair", "r", year=2020, inferred=True), False)])
    assert table["facts"] == 0
    assert confidence.probability(fact("chair", "r", year=2020, inferred=True)) == confidence.INFERRED


def test_the_shipped_table_gives_every_extracted_fact_a_probability() -> None:
    text = (
        "Sáng 12/1/2024, Cụm thi đua số 3 gồm các huyện Đức Trọng, Lâm Hà và Đơn Dương tổ chức hội nghị "
        "tổng kết năm 2023. Huyện Lâm Hà làm Cụm trưởng năm 2024."
    )
    facts = extract_facts(text)
    assert facts
    assert all(0.0 < f.confidence < 1.0 for f in facts)
    table = confidence.table()
    assert table["facts"] > 0 and all(0 < k["p"] < 1 for k in table["kinds"].values())


def test_a_kind_never_wrong_is_still_no_certainty() -> None:
    table = confidence.fit([(fact("slogan", "r", year=2024), True) for _ in range(500)])
    assert table["kinds"]["slogan:r:year"]["p"] == 0.999
    assert table["types"]["slogan"] < 1.0 and table["overall"] < 1.0


# A proposal with no year: annotated real reports found this kind right about three times in ten.
UNDATED_AWARD = (
    "Hội nghị thống nhất đề nghị tặng Bằng khen cho huyện Bảo Lâm vì thành tích giai đoạn 2019 - 2023."
)


def test_a_fact_more_likely_wrong_than_right_is_withheld_by_default() -> None:
    everything = extract_facts(UNDATED_AWARD, min_confidence=0)
    award = next(f for f in everything if f.type == "award")
    assert award.year is None and award.confidence < 0.5
    assert not [f for f in extract_facts(UNDATED_AWARD) if f.type == "award"]


def test_the_floor_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_EXTRACT_MIN_CONFIDENCE", "0")
    get_settings.cache_clear()
    try:
        assert [f for f in extract_facts(UNDATED_AWARD) if f.type == "award"]
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_the_floor_keeps_an_implied_fact_at_even_odds() -> None:
    implied = SimpleNamespace(type="chair", evidence=SimpleNamespace(rule="r"), year=2020, inferred=True)
    assert confidence.calibrate([implied], withhold_below=0.5) == [implied]
    assert implied.confidence == confidence.INFERRED
