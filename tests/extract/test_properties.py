"""Robustness: extract_facts never raises on random Unicode, HTML, hostile or huge inputs, and keeps
within the per-article budget. How its cost grows with the input is measured by `bench_hostile`
(`make bench`), not timed here; the timeouts below only stop a hang."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("extract.pipeline")

from corpus.normalize import normalize_text
from extract import extract_facts
from extract.models import FACT_TYPES, parse_fact
from extract.pipeline import DERIVED, EXTRACTORS, Budget, extract_article
from extract.sentences import split

UNLIMITED = Budget()

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_TEXTS = [
    json.loads(line)["text"]
    for line in (ROOT / "corpus" / "gold" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]

FRAGMENTS = [
    "<p>",
    "</p>",
    "<br/>",
    "<div class='x'>",
    "</div>",
    "<script>alert(1)</script>",
    "<!-- c -->",
    "&nbsp;",
    "&amp;",
    "&ldquo;",
    "&rdquo;",
    "&#8211;",
    "&#x201C;",
    "&bogus;",
    "&",
    "<",
    ">",
    "Cụm thi đua số ",
    "Khối thi đua ",
    "gồm các huyện, thành phố: ",
    "Cụm trưởng",
    "Cụm phó",
    "Khối phó",
    "Cờ luân lưu",
    "Cờ thi đua",
    "Bằng khen",
    "đề nghị UBND tỉnh tặng ",
    "chủ đề “",
    "”",
    "«",
    "»",
    "‘",
    "’",
    '"',
    "Chiều 18/2",
    "ngày 13/1",
    "18/01/2022",
    "ngày 18 tháng 01 năm 2022",
    "1.637 cá nhân",
    " và ",
    ", ",
    ". ",
    "\n",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "hoà",
    "TP.HCM",
    "số II",
    "năm 2022",
    "Đồng chí Nguyễn Văn A – ",
]

fragment_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=60).map(
    "".join
)
PUBLISHED = ["2022-01-13", "2009-12-30", "2026-01-01", "not a date", "", "2022-02-30"]
published = st.one_of(st.none(), st.sampled_from(PUBLISHED))


class Failures(logging.Handler):
    """Collects the errors extract_facts logs when it swallows an exception."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(self.format(record))


def extract_checked(text: str, budget: Budget | None = None, **kwargs: Any) -> list[Any]:
    """extract_facts (within `budget`, the settings' when None), failing the test if it raised or swallowed an
    exception, with its facts checked."""
    failures = Failures()
    logger = logging.getLogger("thidua.extract")
    logger.addHandler(failures)
    try:
        if budget is None:
            facts = extract_facts(text, **kwargs)
        else:
            facts = extract_article(text, budget=budget, **kwargs).facts
    finally:
        logger.removeHandler(failures)
    assert not failures.messages, failures.messages[0]
    check(normalize_text(text), facts)
    return facts


def check(normal: str, facts: list[Any]) -> None:
    """Every result is a valid fact of a known type whose evidence points into the normalised text."""
    for fact in facts:
        data = fact.model_dump(mode="json")
        assert data["type"] in FACT_TYPES
        parse_fact(data)
        ev = data["evidence"]
        assert 0 <= ev["start"] < ev["end"] <= len(normal)
        assert normal[ev["start"] : ev["end"]] == ev["sentence"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=3000), pub=published)
def test_random_unicode_never_raises(text: str, pub: str | None) -> None:
    extract_checked(text, published=pub, url=None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=fragment_text, pub=published)
def test_html_and_domain_fragments_never_raise(text: str, pub: str | None) -> None:
    extract_checked(text, published=pub, url="https://example.org/x", article_id="x")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.sampled_from(SAMPLE_TEXTS),
    cut=st.integers(min_value=0, max_value=8000),
    noise=st.text(max_size=50),
)
def test_cut_and_spliced_articles_never_raise(text: str, cut: int, noise: str) -> None:
    extract_checked(text[:cut] + noise + text[cut:], published="2022-01-13")


def _repeat(base: str, size: int) -> str:
    return (base * (size // len(base) + 1))[:size]


@pytest.mark.timeout(300)
def test_one_megabyte_article_finishes() -> None:
    text = _repeat("\n\n".join(SAMPLE_TEXTS) + "\n\n", 1_000_000)
    facts = extract_checked(text, published="2022-01-13", budget=UNLIMITED)
    assert facts, "the samples repeated must still yield facts"


@pytest.mark.timeout(300)
def test_a_long_run_on_text_without_sentence_breaks_finishes() -> None:
    words = "Cụm thi đua số 1 gồm các huyện Đức Trọng Di Linh Cụm trưởng Bằng khen “chủ đề ‘ « <p> &amp; 1.6 "
    text = _repeat(words, 250_000)
    facts = extract_checked(text, published="2022-01-13", budget=UNLIMITED)
    assert facts, "a long run still yields the cluster it names"


# Hostile patterns of issue 15: each line is a repeated unit.
TP_REPEATED = "TP. "
DOT_LEADERS = "Cụm thi đua số 1" + "." * 60 + "12\n"  # the old splitter: ~3,000 s a line
AWARD_DENSE = "Bằng khen Cờ thi đua Giấy khen Chiến sĩ thi đua "
AWARD_SENTENCES = "UBND tỉnh tặng Bằng khen cho huyện Đức Trọng, Cờ thi đua cho thành phố Đà Lạt năm 2021. "
RUN_ON = "Cụm thi đua số 1 gồm các huyện Đức Trọng, Di Linh và “Bảo Lộc "


@pytest.mark.timeout(120)  # a hang guard: the old splitter took hours on the dot leaders
@pytest.mark.parametrize(
    "base",
    [
        pytest.param(TP_REPEATED, id="tp-repeated"),
        pytest.param(DOT_LEADERS, id="dot-leaders"),
        pytest.param("." * 1000 + "x", id="dots-without-a-space"),
        pytest.param("1. ", id="list-numbers"),
        pytest.param("”" * 1000 + ". A ", id="closing-quotes"),
        pytest.param(AWARD_DENSE, id="award-dense"),
        pytest.param(AWARD_SENTENCES, id="award-sentences"),
        pytest.param(RUN_ON, id="no-breaks"),
    ],
)
def test_hostile_patterns_are_split_and_extracted_whole(base: str) -> None:
    text = _repeat(base, 20_000)
    sentences = split(text)
    assert sentences and all(len(s.text) <= 3000 for s in sentences)
    extract_checked(text, published="2022-01-13", budget=UNLIMITED)


def test_sentence_offsets_hold_on_hostile_lines() -> None:
    text = _repeat(TP_REPEATED, 7_000) + "\n" + _repeat(DOT_LEADERS, 5_000) + "\n" + _repeat(RUN_ON, 9_000)
    sentences = split(text)
    assert all(text[s.start : s.end].replace("\n", " ") == s.text and len(s.text) <= 3000 for s in sentences)
    assert all(not s.text[0].isspace() and not s.text[-1].isspace() for s in sentences)


def test_a_numbered_list_flattened_into_one_line_is_split_at_its_numbers_offsets_kept() -> None:
    items = " ".join(f"{n}. Trường Trung học phổ thông số {n}" for n in range(1, 40))
    text = f"Cụm 3: Gồm 39 trường {items}. Năm 2019. Hội nghị tổng kết."
    sentences = split(text)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    numbered = [s.text.split(".")[0] for s in sentences if s.bullet and s.text[0].isdigit()]
    assert numbered == [str(n) for n in range(1, 40)]
    assert any(s.text == "Năm 2019." for s in sentences)  # a year before a stop is no item
    opened = split(f"Cụm 3 gồm:\n{items}")  # the first item opening its line, the others inline
    assert [s.text.split(".")[0] for s in opened if s.bullet] == [str(n) for n in range(1, 40)]


def test_an_article_over_the_size_cap_is_read_up_to_it_and_flagged() -> None:
    text = _repeat("\n\n".join(SAMPLE_TEXTS) + "\n\n", 30_000)
    normal = normalize_text(text)
    whole = extract_article(SAMPLE_TEXTS[0], published="2022-01-13")
    assert whole.facts and whole.truncated is None, "a real article is far below the default cap"
    result = extract_article(text, published="2022-01-13", budget=Budget(max_chars=10_000))
    assert result.truncated and result.truncated.endswith("(max 10,000)")
    assert result.facts and all(f.evidence.end <= 10_000 for f in result.facts)
    check(normal, result.facts)


def test_an_article_over_the_time_budget_skips_the_remaining_extractors_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="thidua.extract"):
        result = extract_article(SAMPLE_TEXTS[0], published="2022-01-13", budget=Budget(seconds=1e-9))
    skipped = [e.__module__.rsplit(".", 1)[-1] for e in EXTRACTORS] + [d.__name__ for d in DERIVED]
    assert result.facts == []
    assert result.truncated == f"time budget of 1e-09 CPU s spent: skipped {', '.join(skipped)}"
    assert skipped[-2:] == ["ranked", "belonging"]
    assert "extraction truncated" in caplog.text
