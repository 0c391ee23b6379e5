"""Extraction run again over the whole corpus: a sync whose every batch touches every cluster (the bench
corpus of `bench_api`, each batch of 500 articles naming all its 100 clusters), timed batch by batch and
its settling (the page lists of the touched entities built again) apart."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.bench_api import articles
from corpus.store import CorpusStore
from search_api.indexing import BATCH_SIZE, rebuild_backend, sync_backend
from search_api.stores.base import Batch
from search_api.stores.sqlite import SqliteBackend

ARTICLES = int(os.environ.get("THIDUA_BENCH_RESYNC_ARTICLES", "20000"))


def _fill(store: CorpusStore, confidence: float) -> None:
    for article, facts in articles(ARTICLES):
        store.upsert_article(article)
        store.replace_facts(article, [{**f, "confidence": confidence} for f in facts])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="thidua-bench-resync-") as tmp:
        db = Path(tmp) / "thidua.sqlite3"
        with CorpusStore(db) as store:
            started = time.perf_counter()
            _fill(store, 0.9)
            backend = SqliteBackend(db)
            try:
                rebuild_backend(backend, store)
                loaded = time.perf_counter() - started
                _fill(store, 0.8)  # a new extractor: every fact again, another confidence
                writes: list[float] = []
                settles: list[float] = []
                write, settle = backend.write, getattr(backend, "settle", None)

                def timed_write(batch: Batch) -> None:
                    t = time.perf_counter()
                    write(batch)
                    writes.append(time.perf_counter() - t)

                def timed_settle() -> None:
                    t = time.perf_counter()
                    if settle is not None:
                        settle()
                    settles.append(time.perf_counter() - t)

                backend.write = timed_write  # type: ignore[method-assign]
                backend.settle = timed_settle  # type: ignore[method-assign]
                started = time.perf_counter()
                report = sync_backend(backend, store)
                seconds = time.perf_counter() - started
            finally:
                backend.close()
    print(f"extraction run again over {report.articles:,} articles ({report.facts:,} facts; corpus and first "
          f"index built in {loaded:.0f} s): sync {seconds:.1f} s, {len(writes)} batches of {BATCH_SIZE} "
          f"(write p50 {statistics.median(writes):.2f} s, max {max(writes):.2f} s), settle "
          f"{sum(settles):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
