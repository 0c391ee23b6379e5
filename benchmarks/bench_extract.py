"""Extraction speed: articles per second per core on the evaluation articles, repeated to ≥ 2,000."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parent.parent / "corpus" / "gold"
TARGET_ARTICLES = 2000


def load_articles(name: str) -> list[dict[str, Any]]:
    """The articles of one evaluation file."""
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def workload(articles: list[dict[str, Any]], target: int = TARGET_ARTICLES) -> list[dict[str, Any]]:
    """The articles repeated until there are `target`; each copy gets a distinct id and a final line
    (its number) so that no cache keyed on the text can make a repetition free."""
    count = max(target, len(articles))
    return [
        {**a, "id": f"{a['id']}#{i}", "text": f"{a['text']}\n{i}"}
        for i, a in ((i, articles[i % len(articles)]) for i in range(count))
    ]


def gate_fraction(articles: list[dict[str, Any]]) -> str:
    """Share of sentences that pass the cheap trigger gate and reach the expensive analysis."""
    try:
        from extract.context import build
    except ImportError:
        return "n/a (extract.context.build not available)"
    total = gated = 0
    for a in articles:
        ctx = build(a["text"], a.get("published"), a.get("url"), a["id"])
        total += len(ctx.sentences)
        gated += len(ctx.gated())
    return f"{gated}/{total} = {gated / max(total, 1):.1%}"


def stage_times(articles: list[dict[str, Any]]) -> str:
    """CPU ms per article: normalisation, the context (sentence split, gate, clusters), each extractor."""
    try:
        from corpus.normalize import normalize_text
        from extract.context import build
        from extract.pipeline import EXTRACTORS
    except ImportError as exc:
        return f"n/a ({exc})"
    spent: dict[str, float] = {}

    def timed(name: str, call: Any, *args: Any) -> Any:
        started = time.process_time()
        result = call(*args)
        spent[name] = spent.get(name, 0.0) + time.process_time() - started
        return result

    for a in articles:
        normal = timed("normalise", normalize_text, a["text"])
        ctx = timed("context", build, normal, a.get("published"), a.get("url"), a["id"])
        for extractor in EXTRACTORS:
            timed(extractor.__module__.rsplit(".", 1)[-1], extractor, ctx)
    total = sum(spent.values())
    return ", ".join(
        f"{name} {1000 * t / len(articles):.2f} ({t / total:.0%})"
        for name, t in sorted(spent.items(), key=lambda kv: -kv[1])
    )


def run(articles: list[dict[str, Any]]) -> tuple[float, float, int, int]:
    """Extract every article once: wall seconds, CPU seconds of this process, facts, characters."""
    from extract import extract_facts

    facts = chars = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for a in articles:
        facts += len(
            extract_facts(a["text"], published=a.get("published"), url=a.get("url"), article_id=a["id"])
        )
        chars += len(a["text"])
    return time.perf_counter() - wall, time.process_time() - cpu, facts, chars


def report(label: str, base: list[dict[str, Any]]) -> None:
    """Extract `base` repeated to ≥ 2,000 articles and print the rates."""
    articles = workload(base)
    wall, cpu, facts, chars = run(articles)
    mean = chars / len(articles)
    print(f"-- {label}: {len(base)} articles repeated to {len(articles)} (mean {mean:,.0f} chars)")
    print(f"articles/s/core (CPU time, one process): {len(articles) / cpu:.1f}  (target >= 100)")
    print(f"articles/s wall-clock, one process:      {len(articles) / wall:.1f}")
    print(f"characters/s/core:                       {chars / cpu:,.0f}")
    print(f"ms per article (CPU):                    {1000 * cpu / len(articles):.2f}")
    print(f"facts per article:                       {facts / len(articles):.2f}")
    print(f"sentences reaching the expensive analysis: {gate_fraction(base)}")
    print(f"CPU ms per article by stage: {stage_times(base * 5)}")


def main() -> None:
    """Rates on samples + constructed passages (the evaluation set) and on the full-length samples alone."""
    samples = load_articles("articles.jsonl")
    evaluation = samples + load_articles("constructed_articles.jsonl")
    started = time.perf_counter()
    run(samples[:1])  # first call loads lexicons, the gazetteer and underthesea's models
    print(f"first call (loading data and models): {time.perf_counter() - started:.2f} s")
    report("evaluation set (samples + constructed)", evaluation)
    report("real samples only (full-length articles)", samples)
    print(f"machine cores: {os.cpu_count()}; every figure above uses one process, i.e. one core")


if __name__ == "__main__":
    main()
