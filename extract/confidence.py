"""Confidence as a probability: each fact's chance of being right, from a table fitted on real reports.

A fact's confidence is the smoothed precision that facts of its kind (type, rule and shape) reached
on annotated real reports (`thidua eval GOLD ARTICLES --fit-confidence extract/data/confidence.yaml`).
Kinds seen rarely borrow strength from their type, types from all facts (a Beta prior).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).parent / "data" / "confidence.yaml"
PRIOR_STRENGTH = 4.0
INFERRED = 0.5  # an implied fact is not scored anywhere; it claims no more than even odds
# a cluster named by its number ("Cụm thi đua số 3", "Khối 02", "Cụm VI"): where a described name
# ends is where most wrong cluster names go wrong
_NUMBERED = re.compile(r"(?<![\w])(?:số\s+)?(?:\d{1,3}[A-E]?|[IVXL]{1,6})$")


def _get(fact: Any, name: str) -> Any:
    return fact.get(name) if isinstance(fact, Mapping) else getattr(fact, name, None)


def feature(fact: Any) -> str:
    """The kind of a fact (a dict or a model) that its confidence is read for: type, rule and the
    shape of its key (a year or a date given or not; a cluster named by its number or described)."""
    evidence = _get(fact, "evidence")
    rule = _get(evidence, "rule") if evidence is not None else None
    kind, shape = _get(fact, "type"), ""
    if kind in {"chair", "award", "slogan"}:
        shape = "year" if _get(fact, "year") is not None else "noyear"
    elif kind == "event":
        shape = "dated" if _get(fact, "date") else "undated"
    elif kind == "cluster":
        shape = "numbered" if _NUMBERED.search(str(_get(fact, "name") or "")) else "described"
    return f"{kind}:{rule or '-'}:{shape}"


def fit(outcomes: Iterable[tuple[Mapping[str, Any], bool]]) -> dict[str, Any]:
    """The table of smoothed precisions per kind, per type and overall, from scored predictions."""
    seen, right = Counter[str](), Counter[str]()
    types_seen, types_right = Counter[str](), Counter[str]()
    for fact, ok in outcomes:
        if _get(fact, "inferred") is True:
            continue
        key, kind = feature(fact), str(_get(fact, "type"))
        seen[key] += 1
        right[key] += ok
        types_seen[kind] += 1
        types_right[kind] += ok
    total = sum(types_seen.values())
    overall = (sum(types_right.values()) + 1) / (total + 2)
    types = {t: _smooth(types_right[t], n, overall) for t, n in types_seen.items()}
    kinds = {k: _smooth(right[k], n, types[k.split(":", 1)[0]]) for k, n in seen.items()}
    return {
        "facts": total,
        "overall": _rounded(overall),
        "types": {t: _rounded(p) for t, p in sorted(types.items())},
        "kinds": {k: {"p": _rounded(p), "n": seen[k]} for k, p in sorted(kinds.items())},
    }


def _rounded(p: float) -> float:
    """Three decimals, never a certainty: 182 right of 182 smoothed is 0.9996, written 0.999."""
    return min(max(round(p, 3), 0.001), 0.999)


def _smooth(correct: int, n: int, prior: float) -> float:
    return (correct + PRIOR_STRENGTH * prior) / (n + PRIOR_STRENGTH)


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """The fitted table of data/confidence.yaml."""
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def probability(fact: Any) -> float:
    """The chance that `fact` is right, by its kind, else its type, else all facts."""
    if _get(fact, "inferred") is True:
        return INFERRED
    data = table()
    kind = data.get("kinds", {}).get(feature(fact))
    if kind is not None:
        return float(kind["p"])
    return float(data.get("types", {}).get(str(_get(fact, "type")), data.get("overall", 0.5)))


def calibrate(facts: list[Any], withhold_below: float = 0.0) -> list[Any]:
    """Set each fact's confidence to its probability of being right; those below `withhold_below`
    are left out (an implied fact claims even odds, so a floor of 0.5 keeps it)."""
    for fact in facts:
        fact.confidence = probability(fact)
    return [f for f in facts if f.confidence >= withhold_below]
