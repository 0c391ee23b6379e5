"""Runs every tests/specs/<extractor>.yaml case: input text -> facts expected and facts absent.
The cases read what the rules find, so nothing is withheld for low confidence here (min_confidence=0);
tests/extract/test_confidence.py covers the floor."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from extract import extract_facts
from extract.facts import fold

SPECS = Path(__file__).resolve().parent.parent / "specs"


def _cases() -> list[Any]:
    out = []
    for path in sorted(SPECS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            out.append(pytest.param(case, id=f"{path.stem}:{case['id']}"))
    return out


def _matches(fact: dict[str, Any], want: dict[str, Any]) -> bool:
    return all(fold(fact.get(k)) == fold(v) for k, v in want.items())


@pytest.mark.parametrize("case", _cases())
def test_spec(case: dict[str, Any]) -> None:
    facts = [
        f.model_dump() for f in extract_facts(case["text"], published=case.get("published"), min_confidence=0)
    ]
    for want in case.get("expect", []):
        assert any(_matches(f, want) for f in facts), f"missing {want}\ngot: {facts}"
    for unwanted in case.get("absent", []):
        assert not any(_matches(f, unwanted) for f in facts), f"unexpected {unwanted}"
    counts = Counter(f["type"] for f in facts)
    for fact_type, n in case.get("count", {}).items():
        assert counts[fact_type] == n, f"{fact_type}: {counts[fact_type]} facts, expected {n}"
