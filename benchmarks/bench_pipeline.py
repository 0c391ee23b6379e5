"""The sample run end to end: per-stage throughput of `thidua run --sample` in a fresh data dir."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from corpus.store import CorpusStore
from runtime.settings import Settings
from thidua.pipeline import Source, run_pipeline

WARM_ROUNDS = 20


def _warm_extract_rate(settings: Settings) -> tuple[float, float]:
    """Articles/s and facts/s of extraction alone once its data is loaded (one process = one core)."""
    from extract import extract_facts

    with CorpusStore(settings.db_path) as store:
        articles = list(store.iter_articles(relevant_only=True))
    started, facts = time.perf_counter(), 0
    for _ in range(WARM_ROUNDS):
        for article in articles:
            facts += len(extract_facts(article.text, published=(article.published or "")[:10] or None))
    seconds = time.perf_counter() - started
    return WARM_ROUNDS * len(articles) / seconds, facts / seconds


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        summary = run_pipeline(settings, Source(sample=True))
        facts = sum(summary.facts_by_type.values())
        print(f"sample run: {summary.pages} pages, {summary.articles_total} articles, {facts} facts")
        for stage in summary.stages:
            line = f"  {stage.name:<8} {stage.seconds:7.3f} s  {stage.items:>5} {stage.unit:<8}"
            print(f"{line} {stage.rate()}")
        total = sum(s.seconds for s in summary.stages)
        print(f"  total    {total:7.3f} s  ({summary.articles_total / total:,.2f} articles/s end to end)")
        print("  (crawl includes three Scrapy child processes' start-up; extract includes loading")
        print("   the lexicons, the gazetteer and underthesea's models once)")
        articles_s, facts_s = _warm_extract_rate(settings)
        print(f"  extract, warm: {articles_s:,.1f} articles/s, {facts_s:,.1f} facts/s per core")


if __name__ == "__main__":
    main()
