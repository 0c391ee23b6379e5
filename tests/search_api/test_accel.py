"""The search accelerator answers exactly as the FTS5 path: same page, order, scores and totals."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from corpus.textkeys import fold
from search_api.indexing import sync
from search_api.query import ArticleSearch, tokens
from search_api.stores import accel_build
from search_api.stores.accel_build import accel_root, generation_dir
from search_api.stores.base import ArticleDoc, Batch
from search_api.stores.sqlite import SqliteBackend
from tests.search_api.corpus_fixture import build_corpus
from thidua.settings import Settings

WORDS = ("Đà Lạt Bảo Lộc Đức Trọng Di Linh Lâm Hà Cát Tiên Da Lat đa lát Hòa Bình hoà bình "
         "thi đua khen thưởng tổng kết cụm khối cờ bằng 2022 2023 Phú Yên phu yen").split()  # fmt: skip
PROVINCES = ("lam-dong", "phu-yen", None)
DATES = ("2021-03-01", "2022-06-15", "2023-01-20", None)


def _doc(n: int, rng: random.Random) -> ArticleDoc:
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8)))
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
    return ArticleDoc(id=f"a{n:04d}", title=title, text=f"{text}. {rng.choice(WORDS)}!", url=f"https://x.test/{n}",
                      canonical_url=f"https://x.test/{n}", published=rng.choice(DATES),
                      site=rng.choice(("a.test", "b.test")), source=None, province=rng.choice(PROVINCES),
                      province_key=rng.choice(PROVINCES), has_raw=False, fingerprint=str(n))  # fmt: skip


def _fill(backend: SqliteBackend, count: int, seed: int) -> None:
    rng = random.Random(seed)
    docs = [_doc(n, rng) for n in range(count)]

    def batches() -> Iterator[Batch]:
        yield Batch(docs, [])

    backend.rebuild(batches())


def _copy(src: Path, dst: Path) -> SqliteBackend:
    """The same index in another file without accelerator files: the FTS5 path answers there."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return SqliteBackend(dst)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SqliteBackend, SqliteBackend]]:
    tmp = tmp_path_factory.mktemp("accel")
    fast = SqliteBackend(tmp / "fast.sqlite3")
    _fill(fast, 600, seed=5)
    fast.accelerate()
    slow = _copy(tmp / "fast.sqlite3", tmp / "slow.sqlite3")
    yield fast, slow
    fast.close()
    slow.close()


def _same(fast: SqliteBackend, slow: SqliteBackend, query: ArticleSearch) -> None:
    got_hits, got_total, got_exact = fast.search_articles(query)
    want_hits, want_total, want_exact = slow.search_articles(query)
    assert (got_total, got_exact) == (want_total, want_exact)
    assert [h.id for h in got_hits] == [h.id for h in want_hits]
    assert [h.highlights for h in got_hits] == [h.highlights for h in want_hits]
    for got, want in zip(got_hits, want_hits, strict=True):
        assert got.score == pytest.approx(want.score, rel=1e-9)


@pytest.mark.parametrize(
    "q",
    ["da lat", "Đà Lạt", "đa lát", "hoà bình", "tổng kết 2022", "thi đua cờ", "lat lat", "phu yen bảo",
     "zzz", "cụm khối bằng", "DA LAT"],
)  # fmt: skip
@pytest.mark.parametrize(
    "filters",
    [{}, {"province_key": "lam-dong"}, {"site": "b.test", "date_from": "2022-01-01"},
     {"date_to": "2022-06-15"}, {"province_key": "nowhere"}, {"limit": 5, "offset": 7}],
)  # fmt: skip
def test_same_page_as_fts5(
    pair: tuple[SqliteBackend, SqliteBackend], q: str, filters: dict[str, object]
) -> None:
    fast, slow = pair
    assert fast._accel.get(fast.generation() or "0") is not None
    _same(fast, slow, ArticleSearch(q=q, **filters))  # type: ignore[arg-type]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(WORDS) | st.text(max_size=8), min_size=0, max_size=4),
    offset=st.integers(0, 30),
    limit=st.integers(1, 25),
)
def test_property_any_query(
    pair: tuple[SqliteBackend, SqliteBackend], words: list[str], offset: int, limit: int
) -> None:
    fast, slow = pair
    _same(fast, slow, ArticleSearch(q=" ".join(words), offset=offset, limit=limit))


def test_diacritics_insensitive_exact_first(pair: tuple[SqliteBackend, SqliteBackend]) -> None:
    fast, _ = pair
    hits, total, _ = fast.search_articles(ArticleSearch(q="Đà Lạt", limit=50))
    assert total > 50 and hits
    folded, _, _ = fast.search_articles(ArticleSearch(q="da lat", limit=50))
    assert {h.id for h in folded} and total == fast.search_articles(ArticleSearch(q="da lat"))[1]
    exact = ["đà" in (h.title + " ".join(h.highlights)).lower() for h in hits[:5]]
    assert all(exact), "exact spellings rank first"


def test_stale_accelerator_falls_back(tmp_path: Path) -> None:
    backend = SqliteBackend(tmp_path / "s.sqlite3")
    try:
        _fill(backend, 80, seed=9)
        backend.accelerate()
        old = backend.generation() or "0"
        assert generation_dir(backend.path, old).is_dir()
        _fill(backend, 120, seed=10)  # a new generation: the old arrays no longer apply
        assert backend._accel.get(backend.generation() or "0") is None
        slow = _copy(backend.path, tmp_path / "slow.sqlite3")
        _same(backend, slow, ArticleSearch(q="da lat"))
        backend.accelerate()
        current = generation_dir(backend.path, backend.generation() or "0")
        assert [p.name for p in accel_root(backend.path).iterdir()] == [current.name]
        assert backend._accel.get(backend.generation() or "0") is not None
        _same(backend, slow, ArticleSearch(q="da lat"))
        slow.close()
    finally:
        backend.close()


@pytest.fixture(scope="module")
def sample_pair(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SqliteBackend, SqliteBackend, list[str]]]:
    """The sample corpus synced (which builds the accelerator) and an FTS5-only copy, with its words."""
    tmp = tmp_path_factory.mktemp("accel-sample")
    settings = Settings(data_dir=tmp / "data", es_url=None)
    build_corpus(settings.db_path)
    sync(settings)
    fast = SqliteBackend(settings.db_path)
    slow = _copy(settings.db_path, tmp / "slow.sqlite3")
    rows = fast._read().execute("SELECT title, body FROM search_fts").fetchall()
    words = sorted({w for r in rows for w in tokens(f"{r[0]} {r[1]}"[:4000])})
    yield fast, slow, words
    fast.close()
    slow.close()


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), limit=st.integers(1, 20), offset=st.integers(0, 10))
def test_sample_corpus_same_as_fts5(
    sample_pair: tuple[SqliteBackend, SqliteBackend, list[str]], data: st.DataObject, limit: int, offset: int
) -> None:
    fast, slow, words = sample_pair
    assert fast._accel.get(fast.generation() or "0") is not None
    picked = data.draw(st.lists(st.sampled_from(words) | st.text(max_size=6), min_size=1, max_size=3))
    spelled = [w if data.draw(st.booleans()) else fold(w) for w in picked]
    _same(fast, slow, ArticleSearch(q=" ".join(spelled), limit=limit, offset=offset))


def test_failed_build_leaves_fts5_answering(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    backend = SqliteBackend(tmp_path / "f.sqlite3")
    try:
        _fill(backend, 40, seed=3)
        accel_root(backend.path).write_text("in the way", encoding="utf-8")  # the directory cannot be made
        backend.accelerate()
        assert "search accelerator not built" in caplog.text
        hits, total, _ = backend.search_articles(ArticleSearch(q="da lat"))
        assert total > 0 and hits
    finally:
        backend.close()


@pytest.mark.parametrize(
    ("budget", "min_share"), [(0, 1 / 16), (2**30, 0.0)], ids=["no-dense-rows", "all-dense"]
)
def test_dense_rows_and_posting_lists_rank_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int, min_share: float
) -> None:
    """A term's share read from its dense row or searched in its posting list: the same pages."""
    monkeypatch.setattr(accel_build, "DENSE_BUDGET_BYTES", budget)
    monkeypatch.setattr(accel_build, "DENSE_MIN_SHARE", min_share)
    fast = SqliteBackend(tmp_path / "fast.sqlite3")
    try:
        _fill(fast, 300, seed=21)
        fast.accelerate()
        accel = fast._accel.get(fast.generation() or "0")
        assert accel is not None
        rows = accel._a["f_dense"].shape[0]
        assert rows == 0 if budget == 0 else rows == accel._a["f_terms"].size
        slow = _copy(fast.path, tmp_path / "slow.sqlite3")
        for q in ["da lat", "tổng kết 2022", "thi đua cờ bằng", "phu yen bảo", "lat lat", "khen Đà"]:
            _same(fast, slow, ArticleSearch(q=q, limit=7))
            _same(fast, slow, ArticleSearch(q=q, province_key="lam-dong", offset=3))
        slow.close()
    finally:
        fast.close()


def test_schema_change_retires_the_accelerator(tmp_path: Path) -> None:
    """A store rebuilt for a new layout starts a new generation: the old arrays never answer for it."""
    backend = SqliteBackend(tmp_path / "s.sqlite3")
    _fill(backend, 50, seed=4)
    backend.accelerate()
    old = backend.generation()
    backend._writer.execute("UPDATE search_meta SET value = '0' WHERE key = 'schema'")
    backend._writer.commit()
    backend.close()
    reopened = SqliteBackend(tmp_path / "s.sqlite3")  # an older layout: tables dropped, to be refilled
    try:
        assert reopened.generation() != old
        assert reopened.search_articles(ArticleSearch(q="da lat")) == ([], 0, True)
    finally:
        reopened.close()
