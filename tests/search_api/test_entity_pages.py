"""The lists of a cluster's and a unit's page as the SQLite store keeps them at write time, on a real
database file: always the lists the live facts give (what a page with a confidence floor builds per
request), after a sync, a retraction, an amendment, extraction run again, a deletion and a rebuild. (How a
sync builds them once at its end, and what a page reads before: `test_settle.py`.)"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus.store import CorpusStore
from search_api.catalog import Catalog
from search_api.corrections import CorrectionIn
from search_api.entity_lists import build_lists
from search_api.indexing import rebuild_backend, sync_backend
from search_api.query import EntityFilter, FactFilter
from search_api.stores.base import EntityKind
from search_api.stores.sqlite import SqliteBackend
from tests.search_api.big_cluster import CLUSTER_ID, build_big_cluster

KINDS: tuple[EntityKind, ...] = ("cluster", "unit")
TABLES = ("search_entity_items", "search_entity_lists")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "thidua.sqlite3"
    build_big_cluster(path, articles=120)
    return path


@pytest.fixture
def backend(db: Path) -> Iterator[SqliteBackend]:
    backend = SqliteBackend(db)
    with CorpusStore(db) as store:
        sync_backend(backend, store)
    try:
        yield backend
    finally:
        backend.close()


def _entities(backend: SqliteBackend, kind: EntityKind) -> list[str]:
    return [e.id for e in backend.list_entities(EntityFilter(kind=kind, limit=1000))[0]]


def _kept_rows(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return [tuple(r) for r in conn.execute(sql, args)]


def assert_kept_as_the_facts_give(backend: SqliteBackend, db: Path) -> None:
    """Every entity's kept lists (items in order, totals, chart counts, facts read) are those built
    from its live facts now; no other entity keeps any."""
    for kind in KINDS:
        ids = _entities(backend, kind)
        assert ids
        for entity_id in ids:
            built = build_lists(backend.find_statements, kind, entity_id, None)
            kept = backend.kept_lists(kind, entity_id)
            assert kept is not None, (kind, entity_id)
            assert kept.totals == {name: len(items) for name, items in built.items.items()}
            assert (kept.cells, kept.most_read) == (built.cells, built.most_read)
            for name, items in built.items.items():
                assert backend.kept_items(kind, entity_id, name, None, 100_000) == items, (entity_id, name)
        rows = _kept_rows(db, "SELECT DISTINCT entity_id FROM search_entity_lists WHERE kind = ?", kind)
        assert sorted(r[0] for r in rows) == sorted(ids)


def _facts(backend: SqliteBackend, **flt: Any) -> list[Any]:
    return backend.find_facts(FactFilter(limit=10_000, **flt))[0]


def _members(catalog: Catalog) -> list[str]:
    page = catalog.entity_list("cluster", CLUSTER_ID, "members", None, 200, None)
    assert page is not None
    return [m.unit_id for m in page.items]


def extract_again(db: Path, confidence: float = 0.5, *, drop_first: bool = True) -> int:
    """What a new extractor does to the corpus: every article's facts rewritten (other confidences, so
    other leads), the first article's facts gone (`drop_first`); the number of articles changed."""
    with CorpusStore(db) as store:
        articles = list(store.iter_articles())
        for n, article in enumerate(articles):
            facts = (
                []
                if n == 0 and drop_first
                else [{**f, "confidence": confidence} for f in store.iter_facts(article.id)]
            )
            store.replace_facts(article, facts)
    return len(articles)


def test_after_a_sync_each_entitys_lists_are_kept_as_its_facts_give_them(
    db: Path, backend: SqliteBackend
) -> None:
    assert_kept_as_the_facts_give(backend, db)
    cluster = Catalog(backend).cluster(CLUSTER_ID, limit=5)
    assert cluster is not None and cluster.lists["members"].total == len(_members(Catalog(backend)))
    assert len(cluster.members) == 5 and cluster.lists["members"].next_cursor is not None


def test_a_confidence_floor_builds_the_lists_from_the_facts_at_or_above_it(backend: SqliteBackend) -> None:
    units = {
        f.unit_id for f in _facts(backend, cluster_ids=(CLUSTER_ID,), types=("member",), min_confidence=0.9)
    }
    floored = Catalog(backend).cluster(CLUSTER_ID, 0.9, limit=200)
    assert floored is not None and [m.unit_id for m in floored.members] == sorted(units)
    assert floored.lists["members"].total == len(units) < len(_members(Catalog(backend)))


def test_retracting_a_units_memberships_takes_it_and_its_awards_off_the_clusters_lists(
    db: Path, backend: SqliteBackend
) -> None:
    catalog = Catalog(backend)
    unit = _members(catalog)[0]
    awards = {f.group_key for f in _facts(backend, types=("award",), unit_id=unit)}
    assert awards
    for fact in _facts(backend, cluster_ids=(CLUSTER_ID,), types=("member",), unit_id=unit):
        assert backend.add_correction(fact.id, CorrectionIn(action="retract", reason="không phải thành viên"))
    assert unit not in _members(catalog)
    kept = {i.group_key for i in backend.kept_items("cluster", CLUSTER_ID, "awards", None, 100_000)}
    assert kept and not kept & awards  # a cluster lists the awards of its members only
    assert_kept_as_the_facts_give(backend, db)


def test_retracting_an_award_takes_it_off_the_lists_of_the_clusters_its_article_names(
    db: Path, backend: SqliteBackend
) -> None:
    award = _facts(backend, types=("award",))[0]
    assert award.cluster_id is None  # the award names no cluster: its article does
    statement = {f.id for f in _facts(backend, group_keys=(award.group_key,))}
    for fact_id in statement:
        assert backend.add_correction(fact_id, CorrectionIn(action="retract", reason="không có căn cứ"))
    kept = backend.kept_items("cluster", CLUSTER_ID, "awards", None, 100_000)
    assert award.group_key not in {i.group_key for i in kept}
    assert_kept_as_the_facts_give(backend, db)


def test_amending_a_chairs_year_moves_its_statement_in_the_lists(db: Path, backend: SqliteBackend) -> None:
    fact = _facts(backend, cluster_ids=(CLUSTER_ID,), types=("chair",))[0]
    amend = CorrectionIn(action="amend", reason="Năm theo quyết định.", fields={"year": 2031})
    assert backend.add_correction(fact.id, amend) is not None
    last = backend.kept_items("cluster", CLUSTER_ID, "chairs", (2030, "", "", ""), 100)
    assert [i.lead_id for i in last] == [fact.id] and last[0].key[0] == 2031
    roles = backend.kept_items("unit", str(fact.unit_id), "roles", (2030, "", "", ""), 100)
    assert [i.lead_id for i in roles] == [fact.id]
    assert_kept_as_the_facts_give(backend, db)


def test_extracting_again_keeps_the_lists_right_and_the_corrections_in_force(
    db: Path, backend: SqliteBackend
) -> None:
    retracted = _facts(backend, cluster_ids=(CLUSTER_ID,), types=("event",))[0]
    assert backend.add_correction(retracted.id, CorrectionIn(action="retract", reason="trùng sự kiện"))
    changed = extract_again(db)  # a new extractor: other confidences, one article's facts gone
    with CorpusStore(db) as store:
        assert sync_backend(backend, store).articles == changed
    events = backend.kept_items("cluster", CLUSTER_ID, "events", None, 100_000)
    assert retracted.id not in {i for e in events for i in e.shown}
    assert len(events) == len(
        {f.group_key for f in _facts(backend, cluster_ids=(CLUSTER_ID,), types=("event",))}
    )
    assert_kept_as_the_facts_give(backend, db)


def test_deleting_articles_updates_the_lists_and_drops_entities_left_without_facts(
    db: Path, backend: SqliteBackend
) -> None:
    articles = sorted({f.evidence.article_id for f in _facts(backend, cluster_ids=(CLUSTER_ID,))})
    assert backend.delete(articles[: len(articles) // 2]) > 0
    backend.settle()  # what a sync does after its deletions
    assert_kept_as_the_facts_give(backend, db)
    units = _entities(backend, "unit")
    assert backend.delete(articles) > 0
    backend.settle()
    assert _entities(backend, "cluster") == [] and backend.kept_lists("cluster", CLUSTER_ID) is None
    assert all(backend.kept_lists("unit", u) is None for u in units)


def test_a_rebuild_keeps_exactly_what_the_writes_kept(db: Path, backend: SqliteBackend) -> None:
    fact = _facts(backend, cluster_ids=(CLUSTER_ID,), types=("member",))[0]
    assert backend.add_correction(fact.id, CorrectionIn(action="retract", reason="sai nguồn"))

    def tables() -> list[list[tuple[Any, ...]]]:
        return [_kept_rows(db, f"SELECT * FROM {t} ORDER BY 1, 2, 3, 4") for t in TABLES]

    written = tables()
    with CorpusStore(db) as store:
        rebuild_backend(backend, store)
    assert tables() == written
