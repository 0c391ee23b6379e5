"""The NLP layer: how many sentences reach it, what it costs cold, and what it buys on personal names."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from benchmarks.bench_extract import load_articles, workload

NAME_CASES = Path(__file__).resolve().parent.parent / "tests" / "specs" / "names_nlp.yaml"
EXTRACTORS = ("members", "chairs", "awards", "award_counts", "slogans", "events", "persons")
COLD_ARTICLES = 600


def shares(label: str, articles: list[dict[str, Any]]) -> None:
    """Sentences passing each extractor's gate, any gate, and reaching the NLP layer."""
    from corpus.normalize import normalize_text
    from extract.context import build
    from extract.pipeline import _run

    total = analysed = 0
    gated = dict.fromkeys((None, *EXTRACTORS), 0)
    for a in articles:
        ctx = build(normalize_text(a["text"]), a.get("published"), a.get("url"), a["id"])
        _run(ctx)
        total += len(ctx.sentences)
        analysed += len(ctx.analysed)
        for name in gated:
            gated[name] += len(ctx.gated(name))
    per = ", ".join(f"{n} {gated[n] / total:.0%}" for n in EXTRACTORS)
    print(f"-- {label}: {total} sentences")
    print(f"reach any extractor (gate): {gated[None]}/{total} = {gated[None] / total:.1%}  [{per}]")
    print(f"reach the NLP layer:        {analysed}/{total} = {analysed / total:.1%}")


def cold_rate(label: str, base: list[dict[str, Any]]) -> None:
    """Articles/s/core with every underthesea and Doc cache emptied before each article."""
    from extract import extract_facts, nlp

    articles = workload(base, COLD_ARTICLES)
    cpu = 0.0
    for a in articles:
        nlp.clear_caches()
        started = time.process_time()
        extract_facts(a["text"], published=a.get("published"), url=a.get("url"), article_id=a["id"])
        cpu += time.process_time() - started
    print(f"{label}: cold caches, {len(articles)} articles: {len(articles) / cpu:.1f} articles/s/core")


def sentence_costs(texts: list[str]) -> None:
    """CPU ms per sentence of the NLP Doc (underthesea POS + spaCy) and of underthesea's NER."""
    from extract import nlp

    for label, call in (("Doc (POS + SpanRuler + names)", nlp.doc), ("NER (underthesea CRF)", nlp.entities)):
        call("Hội nghị tổng kết.")  # load the models before timing
        nlp.clear_caches()
        started = time.process_time()
        for text in texts:
            call(text)
        print(f"ms per sentence, {label}: {1000 * (time.process_time() - started) / len(texts):.2f}")


def _people(facts: list[dict[str, Any]]) -> set[str]:
    """Person names and award recipients of a list of facts (as dicts), folded."""
    from extract.facts import fold

    return {
        fold(f[k]) for f in facts for k in ("name", "recipient") if f.get(k) and f.get("type") != "cluster"
    }


def name_scores(cases: list[dict[str, Any]]) -> None:
    """Names and recipients of the names cases, for three ways of confirming a personal name."""
    from extract import extract_facts, nlp

    real_names, real_ner = nlp.names, nlp.ner_enabled
    configs: list[tuple[str, Callable[..., Any], Callable[[], bool]]] = [
        ("surname lexicon only", lambda text, use_ner=False: [], real_ner),
        ("lexicon + Np tags (used)", real_names, lambda: False),
        ("lexicon + Np tags + NER PER", real_names, lambda: True),
    ]
    try:
        for label, names, ner in configs:
            nlp.names, nlp.ner_enabled = names, ner  # type: ignore[assignment]
            nlp.clear_caches()
            tp = fp = fn = 0
            for case in cases:
                want = _people(case.get("expect", []))
                found = extract_facts(case["text"], published=case.get("published"))
                got = _people([f.model_dump() for f in found if f.type in ("person", "award")])
                tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
            p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
            print(f"names, {label:28s} P {p:.3f}  R {r:.3f}  F1 {2 * p * r / max(p + r, 1e-9):.3f}")
    finally:
        nlp.names, nlp.ner_enabled = real_names, real_ner  # type: ignore[assignment]


def main() -> None:
    """Shares, cold rates, per-sentence costs and the names comparison."""
    samples = load_articles("articles.jsonl")
    constructed = load_articles("constructed_articles.jsonl")
    shares("real samples", samples)
    shares("constructed passages", constructed)
    cold_rate("real samples", samples)
    cases = yaml.safe_load(NAME_CASES.read_text(encoding="utf-8"))["cases"]
    sentence_costs([c["text"] for c in cases])
    name_scores(cases)
