"""Incremental indexing against a statement's size: 500 articles added to groups of 2,000 / 4,000 / 8,000
facts (every article states the same chair, so one statement grows), `thidua index` timed each time."""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from pathlib import Path

from corpus.models import Article
from corpus.store import CorpusStore
from search_api.indexing import rebuild_backend, sync_backend
from search_api.stores.sqlite import SqliteBackend

GROUPS = tuple(int(n) for n in os.environ.get("THIDUA_BENCH_GROUPS", "2000,4000,8000").split(","))
ADDED = 500
# Linear cost: doubling the group may at most double the time (plus this much for noise).
SLACK = 1.5
SENTENCE = "Năm 2022, TP Đà Lạt làm Cụm trưởng Cụm thi đua số 1 tỉnh Lâm Đồng."


def add_articles(store: CorpusStore, start: int, count: int) -> None:
    """`count` articles (numbered from `start`), each stating the same chair and membership."""
    evidence = {"sentence": SENTENCE, "start": 0, "end": len(SENTENCE), "rule": "bench.v1"}
    for n in range(start, start + count):
        text = f"{SENTENCE}\n\nBài số {n}: các đơn vị ký kết giao ước thi đua năm 2022."
        article = Article(url=f"https://bench.example/{n}", title=f"Bài {n}", text=text,
                          published="2022-03-01", site="bench.example", province="Lâm Đồng")  # fmt: skip
        store.upsert_article(article)
        facts = [
            {
                "type": "chair",
                "role": "chair",
                "unit": "TP Đà Lạt",
                "cluster": "Cụm thi đua số 1",
                "year": 2022,
            },
            {"type": "member", "member": "TP Đà Lạt", "cluster": "Cụm thi đua số 1", "year": 2022},
        ]
        store.replace_facts(
            article, [{**f, "id": f"a{n}-{i}", "evidence": evidence} for i, f in enumerate(facts)]
        )


def grown_index(root: Path, group: int, added: int) -> tuple[Path, float]:
    """A real index where one statement has `group` facts, then `added` more articles synced in:
    the database file and the seconds `sync_backend` took for them."""
    db = root / f"g{group}" / "thidua.sqlite3"
    with CorpusStore(db) as store:
        add_articles(store, 0, group)
        backend = SqliteBackend(db)
        try:
            rebuild_backend(backend, store)
            add_articles(store, group, added)
            started = time.perf_counter()
            report = sync_backend(backend, store)
            seconds = time.perf_counter() - started
        finally:
            backend.close()
    assert report.articles == added, report
    return db, seconds


def measure(group: int, root: Path) -> float:
    """Seconds `sync_backend` takes to index ADDED more articles of a statement with `group` facts."""
    return grown_index(root, group, ADDED)[1]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="thidua-bench-index-") as tmp:
        times = {group: measure(group, Path(tmp)) for group in GROUPS}
    print(f"incremental index: {ADDED} articles added to one statement of N facts (2 facts an article)")
    for group, seconds in times.items():
        per_fact = seconds / (group + ADDED) * 1e6
        print(f"  N = {group:>6,}: {seconds:6.2f} s  ({per_fact:6.1f} µs per fact of the group)")
    pairs = list(itertools.pairwise(GROUPS))
    worst = max((times[b] / times[a]) / (b / a) for a, b in pairs) if pairs else 0.0
    verdict = "linear" if worst <= SLACK else "SUPER-LINEAR"
    print(
        f"  growth per doubling, relative to linear: at most {worst:.2f}× ({verdict}; quadratic would be 2×)"
    )


if __name__ == "__main__":
    main()
