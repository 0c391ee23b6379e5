"""A sync builds each touched entity's kept page lists once, at its end (`settle`), however many of its
batches touch the entity; until then the entity is marked stale and its pages are built per request from
the live facts, so no reader ever gets a stale list. On a real database file."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus.store import CorpusStore
from search_api import indexing
from search_api.corrections import CorrectionIn
from search_api.entity_lists import CLUSTER_LISTS, UNIT_LISTS, build_lists, open_lists
from search_api.indexing import sync_backend
from search_api.query import FactFilter
from search_api.stores.base import Batch, EntityKind
from search_api.stores.sqlite import SqliteBackend
from search_api.stores.sqlite_pages import refresh_pages
from tests.search_api.big_cluster import CLUSTER_ID, build_big_cluster
from tests.search_api.test_entity_pages import assert_kept_as_the_facts_give, extract_again

ARTICLES = 120
BATCH = 25  # five batches, each touching the big cluster and most of its units


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(indexing, "BATCH_SIZE", BATCH)
    path = tmp_path / "thidua.sqlite3"
    build_big_cluster(path, articles=ARTICLES)
    return path


@pytest.fixture
def backend(db: Path) -> Iterator[SqliteBackend]:
    backend = SqliteBackend(db)
    with CorpusStore(db) as store:
        sync_backend(backend, store)  # the first sync fills the empty store by a rebuild
    try:
        yield backend
    finally:
        backend.close()


def sync(backend: SqliteBackend, db: Path) -> indexing.IndexReport:
    with CorpusStore(db) as store:
        return sync_backend(backend, store)


def marks(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return {(k, i) for k, i in conn.execute("SELECT kind, entity_id FROM search_entity_stale")}


def assert_pages_as_the_facts_give(backend: SqliteBackend, kind: EntityKind, entity_id: str) -> None:
    """Every list of the entity's page, as a reader gets it now, is the one its live facts give."""
    names = CLUSTER_LISTS if kind == "cluster" else UNIT_LISTS
    read = open_lists(backend, kind, entity_id, None, names)
    built = build_lists(backend.find_statements, kind, entity_id, None)
    assert (read.cells, read.most_read) == (built.cells, built.most_read)
    for name in names:
        items, info = read.page(name, 100_000, None)
        assert items == built.items[name] and info.total == len(built.items[name]), (entity_id, name)


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    """How many times each entity's lists are built from here on."""
    builds: Counter[tuple[str, str]] = Counter()

    def counting(conn: sqlite3.Connection, kind: EntityKind, ids: set[str] | None) -> None:
        builds.update((kind, i) for i in ids or ())
        refresh_pages(conn, kind, ids)

    monkeypatch.setattr("search_api.stores.sqlite.refresh_pages", counting)
    return builds


def test_a_sync_of_many_batches_builds_each_entitys_lists_once_as_its_facts_give_them(
    db: Path, backend: SqliteBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = _count_builds(monkeypatch)
    batches: list[int] = []
    write = backend.write

    def counted(batch: Batch) -> None:
        batches.append(len(batch.articles))
        write(batch)

    monkeypatch.setattr(backend, "write", counted)
    changed = extract_again(db)
    assert sync(backend, db).articles == changed
    assert batches == [25, 25, 25, 25, 20]
    assert builds[("cluster", CLUSTER_ID)] == 1 and set(builds.values()) == {1}
    assert marks(db) == set()
    assert_kept_as_the_facts_give(backend, db)


def test_between_batches_a_marked_entitys_page_is_built_from_its_live_facts(
    db: Path, backend: SqliteBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    write = backend.write

    def write_then_read(batch: Batch) -> None:
        write(batch)
        assert ("cluster", CLUSTER_ID) in marks(db) and backend.kept_lists("cluster", CLUSTER_ID) is None
        assert_pages_as_the_facts_give(backend, "cluster", CLUSTER_ID)
        unit = next(f.unit_id for f in batch.facts if f.unit_id)
        assert ("unit", unit) in marks(db)
        assert_pages_as_the_facts_give(backend, "unit", unit)
        # the rows kept before the sync are still there, and no longer what the facts give
        kept = backend.kept_items("cluster", CLUSTER_ID, "chairs", None, 100_000)
        built = build_lists(backend.find_statements, "cluster", CLUSTER_ID, None)
        seen.append(kept != built.items["chairs"])

    monkeypatch.setattr(backend, "write", write_then_read)
    extract_again(db)
    sync(backend, db)
    assert seen and any(seen)
    assert marks(db) == set()
    assert_kept_as_the_facts_give(backend, db)


def test_settle_builds_the_marked_lists_clears_the_marks_and_starts_a_generation(
    db: Path, backend: SqliteBackend
) -> None:
    articles = sorted({f.evidence.article_id for f in _facts(backend, cluster_ids=(CLUSTER_ID,))})
    assert backend.delete(articles[:10]) == 10
    assert ("cluster", CLUSTER_ID) in marks(db)
    assert_pages_as_the_facts_give(backend, "cluster", CLUSTER_ID)
    generation = backend.generation()
    backend.settle()
    assert marks(db) == set() and backend.generation() != generation
    assert_kept_as_the_facts_give(backend, db)
    generation = backend.generation()
    backend.settle()  # nothing marked: nothing written, cached pages stay valid
    assert backend.generation() == generation


def test_an_interrupted_sync_leaves_marks_that_the_next_sync_settles(
    db: Path, backend: SqliteBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    write = backend.write
    written: list[Batch] = []

    def fail_on_the_third(batch: Batch) -> None:
        if len(written) == 2:
            raise KeyboardInterrupt
        written.append(batch)
        write(batch)

    monkeypatch.setattr(backend, "write", fail_on_the_third)
    changed = extract_again(db)
    with pytest.raises(KeyboardInterrupt):
        sync(backend, db)
    assert ("cluster", CLUSTER_ID) in marks(db)  # not settled: the marks stay, pages are built per request
    assert_pages_as_the_facts_give(backend, "cluster", CLUSTER_ID)
    monkeypatch.setattr(backend, "write", write)
    assert sync(backend, db).articles == changed - sum(len(b.articles) for b in written)
    assert marks(db) == set()
    assert_kept_as_the_facts_give(backend, db)


def test_a_sync_with_nothing_to_index_settles_what_a_stopped_one_left(
    db: Path, backend: SqliteBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stopped() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(backend, "settle", stopped)
    extract_again(db)
    with pytest.raises(KeyboardInterrupt):
        sync(backend, db)  # every batch written, stopped before settling
    assert ("cluster", CLUSTER_ID) in marks(db)
    monkeypatch.undo()
    assert sync(backend, db).articles == 0
    assert marks(db) == set()
    assert_kept_as_the_facts_give(backend, db)


def test_extracting_again_over_many_batches_keeps_the_corrections_in_force(
    db: Path, backend: SqliteBackend
) -> None:
    retracted = _facts(backend, cluster_ids=(CLUSTER_ID,), types=("event",))[0]
    assert backend.add_correction(retracted.id, CorrectionIn(action="retract", reason="trùng sự kiện"))
    chair = _facts(backend, cluster_ids=(CLUSTER_ID,), types=("chair",))[-1]
    amend = CorrectionIn(action="amend", reason="Năm theo quyết định.", fields={"year": 2031})
    assert backend.add_correction(chair.id, amend) is not None
    extract_again(db, confidence=0.8, drop_first=False)
    sync(backend, db)
    events = backend.kept_items("cluster", CLUSTER_ID, "events", None, 100_000)
    assert retracted.id not in {i for e in events for i in e.shown}
    assert [f.correction_status for f in backend.get_facts([retracted.id])] == ["retracted"]
    chairs = backend.kept_items("cluster", CLUSTER_ID, "chairs", (2030, "", "", ""), 100)
    assert [i.lead_id for i in chairs] == [chair.id]
    assert marks(db) == set()
    assert_kept_as_the_facts_give(backend, db)


def _facts(backend: SqliteBackend, **flt: Any) -> list[Any]:
    return backend.find_facts(FactFilter(limit=10_000, **flt))[0]
