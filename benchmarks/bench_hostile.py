"""Extraction cost per byte on hostile text (issue 15): 1 MB and 2 MB of patterns that used to stall
the stage, with no budget and within the per-article budget of the settings. Linear is a 2 MB / 1 MB
time ratio of 2; within the budget the cost per article stays flat instead. Takes about 12 minutes
(`python -m benchmarks hostile` runs it alone)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

MB = 1_000_000
SUPER_LINEAR = 2.6  # a 2x input costing more than this is not linear, noise allowed

# name -> repeated unit. The first three are issue 15's; the rest are further worst cases.
PATTERNS = {
    "TP. repeated": "TP. ",
    "award-dense, no stops": "Bằng khen Cờ thi đua Giấy khen Chiến sĩ thi đua ",
    "run-on without stops": (
        "Cụm thi đua số 1 gồm các huyện Đức Trọng Di Linh Cụm trưởng Bằng khen “chủ đề ‘ « <p> &amp; 1.6 "
    ),
    # A table of contents: dots not followed by a space once made the splitter try 2^n ways (60: hours).
    "dot leaders": "Cụm thi đua số 1" + "." * 60 + "12\n",
}
# Award-dense text: one award fact per award named (awards.resolve once compared every pair of them;
# it now reads every name's tails once, so these are linear too).
PATTERNS |= {
    "award sentences": (
        "UBND tỉnh tặng Bằng khen cho huyện Đức Trọng, Cờ thi đua cho thành phố Đà Lạt năm 2021. "
    ),
    "award bullets": "Các đơn vị được tặng Cờ thi đua:\n- Huyện Đức Trọng\n- Thành phố Đà Lạt\n",
}
# Stops that once cost the splitter more than linear time (formerly timed in the test suite).
PATTERNS |= {
    "dots without a space": "." * 1000 + "x",
    "list numbers": "1. ",
    "closing quotes": "”" * 1000 + ". A ",
    "run-on list": "Cụm thi đua số 1 gồm các huyện Đức Trọng, Di Linh và “Bảo Lộc ",
}


def repeat(unit: str, size: int) -> str:
    """`unit` repeated to exactly `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def cpu_seconds(call: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of this process spent in `call()`, and its result."""
    started = time.process_time()
    result = call()
    return time.process_time() - started, result


def _row(name: str, size: int, run: Callable[[str], Any]) -> tuple[float, float, Any]:
    small, _r1 = cpu_seconds(lambda: run(repeat(PATTERNS[name], size)))
    large, r2 = cpu_seconds(lambda: run(repeat(PATTERNS[name], 2 * size)))
    return small, large, r2


def _print_rows(title: str, names: list[str], size: int, run: Callable[[str], Any]) -> None:
    unit = f"{size // 1000} kB" if size < MB else f"{size // MB} MB"
    print(f"-- {title}")
    print(f"   {'pattern':<24} {unit + ' s':>8} {'µs/B':>6} {'x2 s':>8} {'µs/B':>6} {'ratio':>6}  at x2")
    for name in names:
        small, large, result = _row(name, size, run)
        ratio = large / max(small, 1e-3)
        note = getattr(result, "truncated", None) or ("super-linear" if ratio > SUPER_LINEAR else "")
        per_byte = f"{1e6 * small / size:6.2f} {large:8.2f} {1e6 * large / (2 * size):6.2f}"
        print(f"   {name:<24} {small:8.2f} {per_byte} {ratio:6.2f}  {note}", flush=True)


def main() -> None:
    """Per pattern: the splitter alone, the whole extraction without a budget, and within the budget."""
    from corpus.normalize import normalize_text
    from extract.pipeline import Budget, extract_article
    from extract.sentences import split

    logging.getLogger("thidua.extract").setLevel(logging.ERROR)  # the truncation warnings are the flag column
    extract_article("Cụm thi đua số 1 gồm các huyện Đức Trọng, Di Linh.", "2022-01-13")  # load data once
    unlimited, budget = Budget(), Budget.from_settings()
    names = list(PATTERNS)
    print("CPU time of one process (one core); linear: ratio 2, quadratic: 4")
    _print_rows("normalise + sentence split", names, MB, lambda t: split(normalize_text(t)))
    _print_rows(
        "whole extraction, no budget", names, MB, lambda t: extract_article(t, "2022-01-13", budget=unlimited)
    )
    limits = f"extract_max_chars {budget.max_chars:,}, extract_time_budget {budget.seconds:g} CPU s"
    _print_rows(
        f"within the budget ({limits})",
        names,
        MB,
        lambda t: extract_article(t, "2022-01-13", budget=budget),
    )


if __name__ == "__main__":
    main()
