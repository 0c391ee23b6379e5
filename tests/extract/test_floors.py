"""Pinned score floors for CI: the issue's targets on the samples, a measured floor on the constructed set."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.evaluate import Report, evaluate_files, format_errors, format_report
from extract.models import FACT_TYPES

pytest.importorskip("extract.pipeline")

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"

# Issue 3: micro-F1 ≥ 0.95 on the samples and every type ≥ 0.90.
SAMPLES_MICRO_F1 = 0.95
SAMPLES_TYPE_F1 = 0.90
# Constructed passages: set slightly below the figures measured when the floor was pinned
# (see docs/EVALUATION.md); raise them when extraction improves, never lower them silently.
CONSTRUCTED_MICRO_F1 = 0.95
CONSTRUCTED_TYPE_F1 = 0.90


@pytest.fixture(scope="module")
def samples() -> Report:
    return evaluate_files(GOLD / "gold.jsonl", GOLD / "articles.jsonl")


@pytest.fixture(scope="module")
def constructed() -> Report:
    return evaluate_files(GOLD / "constructed_gold.jsonl", GOLD / "constructed_articles.jsonl")


def _figures(report: Report) -> str:
    return "\n" + format_report(report) + "\n" + format_errors(report)


def test_samples_micro_f1(samples: Report) -> None:
    assert not samples.failures, samples.failures
    assert samples.micro.f1 >= SAMPLES_MICRO_F1, _figures(samples)


@pytest.mark.parametrize("fact_type", FACT_TYPES)
def test_samples_f1_per_type(samples: Report, fact_type: str) -> None:
    counts = samples.per_type[fact_type]
    message = f"{fact_type} F1 {counts.f1:.3f} < {SAMPLES_TYPE_F1}"
    assert counts.f1 >= SAMPLES_TYPE_F1, message + _figures(samples)


def test_constructed_micro_f1(constructed: Report) -> None:
    assert not constructed.failures, constructed.failures
    assert constructed.micro.f1 >= CONSTRUCTED_MICRO_F1, _figures(constructed)


@pytest.mark.parametrize("fact_type", FACT_TYPES)
def test_constructed_f1_per_type(constructed: Report, fact_type: str) -> None:
    counts = constructed.per_type[fact_type]
    message = f"{fact_type} F1 {counts.f1:.3f} < {CONSTRUCTED_TYPE_F1}"
    assert counts.f1 >= CONSTRUCTED_TYPE_F1, message + _figures(constructed)
