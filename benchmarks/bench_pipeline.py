"""The sample run end to end: per-stage throughput of `thidua run --sample` in a fresh data dir."""

from __future__ import annotations

import tempfile
from pathlib import Path

from thidua.pipeline import Source, run_pipeline
from thidua.settings import Settings


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        summary = run_pipeline(settings, Source(sample=True))
        facts = sum(summary.facts_by_type.values())
        print(f"sample run: {summary.pages} pages, {summary.articles_total} articles, {facts} facts")
        for stage in summary.stages:
            line = f"  {stage.name:<8} {stage.seconds:7.3f} s  {stage.items:>5} {stage.unit:<8}"
            print(f"{line} {stage.rate()}")
        extract = next((s for s in summary.stages if s.name == "extract"), None)
        if extract and extract.seconds > 0:
            print(f"  extract  {facts / extract.seconds:,.1f} facts/s (one process = one core)")
        total = sum(s.seconds for s in summary.stages)
        print(f"  total    {total:7.3f} s  ({summary.articles_total / total:,.2f} articles/s end to end)")


if __name__ == "__main__":
    main()
