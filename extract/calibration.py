"""How well confidence reads as a probability: precision per 0.1 bucket and the expected calibration error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

BUCKETS = 10


@dataclass(frozen=True)
class Bucket:
    """The scored predictions whose confidence falls in [low, high)."""

    low: float
    high: float
    facts: int
    correct: int
    mean_confidence: float

    @property
    def precision(self) -> float | None:
        return self.correct / self.facts if self.facts else None


class Calibration:
    """(confidence, correct) of every scored prediction, read as a reliability table."""

    def __init__(self, outcomes: Sequence[tuple[float, bool]]) -> None:
        self.outcomes = list(outcomes)

    def buckets(self) -> list[Bucket]:
        """One bucket per 0.1 of confidence (1.0 goes in the top bucket)."""
        out = []
        for i in range(BUCKETS):
            low, high = i / BUCKETS, (i + 1) / BUCKETS
            inside = [(c, ok) for c, ok in self.outcomes if min(int(c * BUCKETS), BUCKETS - 1) == i]
            mean = sum(c for c, _ in inside) / len(inside) if inside else (low + high) / 2
            out.append(Bucket(low, high, len(inside), sum(ok for _, ok in inside), mean))
        return out

    def ece(self) -> float:
        """Expected calibration error: |precision - mean confidence| per bucket, weighted by its facts."""
        total = len(self.outcomes)
        if not total:
            return 0.0
        return sum(
            b.facts / total * abs((b.precision or 0.0) - b.mean_confidence) for b in self.buckets() if b.facts
        )

    def precision_at(self, threshold: float) -> tuple[int, float | None]:
        """How many predictions have confidence ≥ threshold, and the share of them that are right."""
        above = [ok for c, ok in self.outcomes if c >= threshold]
        return len(above), (sum(above) / len(above) if above else None)

    def as_dict(self) -> dict[str, Any]:
        count, precision = self.precision_at(0.9)
        return {
            "ece": round(self.ece(), 4),
            "facts": len(self.outcomes),
            "at_or_above_0.9": {
                "facts": count,
                "precision": None if precision is None else round(precision, 4),
            },
            "buckets": [
                {
                    "confidence": f"{b.low:.1f}-{b.high:.1f}",
                    "facts": b.facts,
                    "precision": None if b.precision is None else round(b.precision, 4),
                    "mean_confidence": round(b.mean_confidence, 4),
                }
                for b in self.buckets()
                if b.facts
            ],
        }

    def table(self) -> str:
        """A plain-text reliability table with the ECE line."""
        rows = [f"{'confidence':<11} {'facts':>6} {'precision':>10} {'mean conf':>10}"]
        for b in self.buckets():
            if b.facts:
                share = b.precision or 0.0
                span = f"{b.low:.1f}-{b.high:.1f}"
                rows.append(f"{span:<11} {b.facts:>6} {share:>10.3f} {b.mean_confidence:>10.3f}")
        count, precision = self.precision_at(0.9)
        shown = "-" if precision is None else f"{precision:.3f}"
        rows.append(f"ECE {self.ece():.3f}; confidence >= 0.9: {count} facts, precision {shown}")
        return "\n".join(rows)
