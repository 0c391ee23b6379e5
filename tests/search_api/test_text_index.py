"""The embedded store's full-text search (a tantivy index beside the SQLite file), on real files: what it
finds and counts, how it ranks, how it follows writes, and what happens when the index is missing."""

from __future__ import annotations

import itertools
import random
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from corpus.textkeys import fold
from runtime.settings import index_dir
from search_api.phrases import pair_terms, words_of
from search_api.query import ArticleSearch, tokens
from search_api.stores import text_index
from search_api.stores.base import ArticleDoc, Batch
from search_api.stores.sqlite import SEARCH_TOTAL_CAP, SqliteBackend, TextIndexError
from search_api.stores.text_index import day_key

WORDS = ("Đà Lạt Bảo Lộc Đức Trọng Di Linh Lâm Hà Cát Tiên Da Lat đa lát Hòa Bình hoà bình "
         "thi đua khen thưởng tổng kết cụm khối cờ bằng 2022 2023 Phú Yên phu yen").split()  # fmt: skip
PROVINCES = ("lam-dong", "phu-yen", None)
DATES = ("2021-03-01", "2022-06-15", "2022-06-15T08:30:00+07:00", "2022-06", "2023", "soon", None)


def _doc(n: int, title: str, text: str, **extra: object) -> ArticleDoc:
    fields: dict[str, object] = {"published": "2022-01-01", "site": "a.test", "province_key": "lam-dong"}
    fields |= extra
    return ArticleDoc(id=f"a{n:04d}", title=title, text=text, url=f"https://x.test/{n}",
                      canonical_url=f"https://x.test/{n}", source=None, province=None, has_raw=False,
                      fingerprint=str(n), **fields)  # type: ignore[arg-type]  # fmt: skip


def _random_doc(n: int, rng: random.Random) -> ArticleDoc:
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8)))
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
    return _doc(n, title, f"{text}. {rng.choice(WORDS)}!", published=rng.choice(DATES),
                site=rng.choice(("a.test", "b.test")), province_key=rng.choice(PROVINCES))  # fmt: skip


def _store(path: Path, docs: list[ArticleDoc]) -> SqliteBackend:
    backend = SqliteBackend(path)
    backend.rebuild(iter([Batch(docs, [])]))
    return backend


def _ids(backend: SqliteBackend, q: str, **filters: object) -> list[str]:
    hits, _, _ = backend.search_articles(ArticleSearch(q=q, limit=50, **filters))  # type: ignore[arg-type]
    return [h.id for h in hits]


@pytest.fixture(scope="module")
def corpus() -> list[ArticleDoc]:
    rng = random.Random(5)
    return [_random_doc(n, rng) for n in range(600)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, corpus: list[ArticleDoc]) -> Iterator[SqliteBackend]:
    backend = _store(tmp_path_factory.mktemp("text") / "s.sqlite3", corpus)
    yield backend
    backend.close()


# -- what matches and how many: the rules, checked against a plain reading of every article -------------
def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", fold(text)))


def _side_by_side(text: str) -> set[tuple[str, str]]:
    return set(itertools.pairwise(re.findall(r"[^\W_]+", fold(text))))


def _matches(doc: ArticleDoc, query: ArticleSearch) -> bool:
    """The spec: every query word, folded, is a word of the title or the text, and the syllables of a
    word of several (search_api.phrases: "đà lạt", "tổng kết") are written together there, each two
    side by side; the filters hold (dates compared as strings, as SQLite compares them; an article
    without an ISO date is in no date range)."""
    syllables = [fold(w) for w in tokens(query.q)]
    if not set(syllables) <= _words(f"{doc.title} {doc.text}"):
        return False
    together = _side_by_side(doc.title) | _side_by_side(doc.text)
    if any(pair not in together for word in words_of(syllables) for pair in itertools.pairwise(word)):
        return False
    if query.province_key is not None and doc.province_key != query.province_key:
        return False
    if query.site is not None and doc.site != query.site:
        return False
    if query.date_from is None and query.date_to is None:
        return True
    published = doc.published if doc.published and day_key(doc.published) is not None else None
    return (
        published is not None
        and (query.date_from or "") <= published
        and (query.date_to is None or published <= query.date_to)
    )


FILTERS = [{}, {"province_key": "lam-dong"}, {"site": "b.test", "date_from": "2022-01-01"},
           {"date_to": "2022-06-15"}, {"date_from": "2022-06", "date_to": "2022-06"}, {"date_to": "2022"},
           {"province_key": "nowhere"}]  # fmt: skip


@pytest.mark.parametrize(
    "q", ["da lat", "Đà Lạt", "đa lát", "hoà bình", "tổng kết 2022", "thi đua cờ", "lat lat", "zzz", "DA LAT"]
)
@pytest.mark.parametrize("filters", FILTERS)
def test_matches_and_totals_follow_the_rules(
    store: SqliteBackend, corpus: list[ArticleDoc], q: str, filters: dict[str, str]
) -> None:
    query = ArticleSearch(q=q, limit=200, **filters)  # type: ignore[arg-type]
    want = {d.id for d in corpus if _matches(d, query)}
    hits, total, exact = store.search_articles(query)
    assert (total, exact) == (len(want), True)
    assert {h.id for h in hits} <= want and len(hits) == min(200, len(want))


def test_dates_compare_as_the_strings_do() -> None:
    """A bound is a date, a month or a year; `published` may carry a time (then it sorts after its date)."""
    values = ["2022", "2022-06", "2022-06-15", "2022-06-15T08:30:00+07:00", "2022-06-16", "2023-01"]
    for a in values:
        for b in [*values[:3], "2022-06-16", "2023-01"]:
            assert (day_key(a) <= day_key(b)) == (a <= b), (a, b)  # type: ignore[operator]
    assert day_key("soon") is None and day_key("2022-06x") is None


def test_totals_are_exact_up_to_the_cap(tmp_path: Path) -> None:
    docs = [_doc(n, "Tổng kết", "cụm thi đua" if n <= SEARCH_TOTAL_CAP else "khác") for n in range(1100)]
    backend = _store(tmp_path / "s.sqlite3", docs)
    try:
        assert backend.search_articles(ArticleSearch(q="tong ket"))[1:] == (SEARCH_TOTAL_CAP, False)
        assert backend.search_articles(ArticleSearch(q="cum thi dua"))[1:] == (SEARCH_TOTAL_CAP, False)
        assert backend.search_articles(ArticleSearch(q="khac"))[1:] == (1100 - SEARCH_TOTAL_CAP - 1, True)
        assert backend.search_articles(ArticleSearch(q="khac", limit=5, offset=99))[0] == []
    finally:
        backend.close()


# -- ranking ------------------------------------------------------------------------------------------
def test_bm25_ranks_title_words_and_frequent_words_higher(tmp_path: Path) -> None:
    filler = " ".join(["công tác năm"] * 30)
    docs = [
        _doc(1, "Hội nghị", f"{filler} Bảo Lộc"),  # once
        _doc(2, "Bảo Lộc tổng kết", filler),  # in the title (weighted ×4)
        _doc(3, "Hội nghị", f"Bảo Lộc Bảo Lộc Bảo Lộc {filler}"),  # three times in the text
        _doc(4, "Hội nghị", filler),  # not at all
    ]
    backend = _store(tmp_path / "s.sqlite3", docs)
    try:
        assert _ids(backend, "bảo lộc") == ["a0002", "a0003", "a0001"]
        hits, _, _ = backend.search_articles(ArticleSearch(q="bảo lộc"))
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        assert all(h.score > 0 for h in hits)
    finally:
        backend.close()


def test_exact_spellings_go_first_among_the_best(tmp_path: Path) -> None:
    docs = [
        _doc(1, "Da Lat", "da lat da lat da lat đa lát"),  # best bm25, no word as asked
        _doc(2, "Hội nghị", "Thành phố Đà Lạt tổng kết năm"),  # both words as asked
        _doc(3, "Hội nghị", "thành phố Đà Lat tổng kết"),  # one of them
    ]
    backend = _store(tmp_path / "s.sqlite3", docs)
    try:
        assert _ids(backend, "da lat") == ["a0001", "a0003", "a0002"]  # bm25 alone: no accents asked
        assert _ids(backend, "Đà Lạt") == ["a0002", "a0003", "a0001"]
        assert _ids(backend, "ĐÀ LẠT") == ["a0002", "a0003", "a0001"]  # case does not matter
    finally:
        backend.close()


def test_a_page_is_the_exact_first_order_sliced(store: SqliteBackend) -> None:
    whole = _ids(store, "Đà Lạt tổng")
    assert len(whole) >= 20
    pages = [store.search_articles(ArticleSearch(q="Đà Lạt tổng", limit=7, offset=o))[0] for o in (0, 7, 14)]
    assert [h.id for page in pages for h in page] == whole[:21]
    exact = [_exact_words(store, i, ["đà", "lạt", "tổng"]) for i in whole]
    assert exact == sorted(exact, reverse=True), "more words as spelled, earlier"


def test_the_best_holding_every_word_are_placed_as_counting_each_word_would(store: SqliteBackend) -> None:
    """When the first `end` docs can be told by one query (they hold every word as spelled), the order is
    the one counting each word gives: checked for every `end` of several queries, so both ways are taken."""
    index, searcher = store._text.searcher(store.generation() or "0")
    ids = dict(store._read().execute("SELECT rowid, id FROM search_docs").fetchall())
    holding_every: set[bool] = set()
    for q in ["Đà Lạt", "đà lạt tổng", "Bảo Lộc thi đua", "hoà bình", "da lat"]:
        words = tokens(q)
        terms = [t for w in words for t in text_index._ANALYZER.analyze(fold(w))]
        pairs = [pair for word in words_of(terms) for pair in pair_terms(word)]
        best = searcher.search(text_index._matches(index.schema, ArticleSearch(q=q), terms, pairs), 60)
        rowids = [int(r or 0) for r in searcher.fast_field_values("rowid", [a for _, a in best.hits])]
        scored = [(r, s) for r, (s, _) in zip(rowids, best.hits, strict=True)]
        exact = {r: _exact_words(store, ids[r], words) for r in rowids}
        want = sorted(scored, key=lambda p: (-exact[p[0]], -p[1], p[0]))
        for end in range(1, len(scored) + 1):
            assert text_index._spelled_first(index.schema, searcher, words, scored, end)[:end] == want[:end]
        holding_every |= {e == len(words) for e in exact.values()}
    assert holding_every == {True, False}, "both ways taken"


def _exact_words(store: SqliteBackend, article_id: str, words: list[str]) -> int:
    doc = store.get_article(article_id)
    assert doc is not None
    text = unicodedata.normalize("NFC", f"{doc.title}\n{doc.text}").lower()
    return sum(1 for w in words if re.search(rf"(?<![^\W_]){w}(?![^\W_])", text))


# -- highlights ---------------------------------------------------------------------------------------
def test_a_hit_has_the_word_marked_where_its_text_writes_it_together(store: SqliteBackend) -> None:
    hits, _, _ = store.search_articles(ArticleSearch(q="da lat", limit=30))
    assert hits
    for hit in hits:
        doc = store.get_article(hit.id)
        assert doc is not None
        marked = [m for h in hit.highlights for m in re.findall(r"<mark>(.*?)</mark>", h)]
        assert {" ".join(re.findall(r"[^\W_]+", fold(m))) for m in marked} <= {"da lat"}
        assert bool(marked) == bool(re.search(r"(?<![^\W_])da[\W_]+lat(?![^\W_])", fold(doc.text)))


# -- hostile queries ----------------------------------------------------------------------------------
PIECES = [*list("\"*()^:-+{}[],.\\'đĐàx _~?!/"), "NEAR(", " OR ", "AND", "NOT", "title:", "rowid:1", "\x00",
          "ǅ", "ﬁ", "²", "हिन्दी", "a" * 70]  # fmt: skip


@hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.lists(st.sampled_from(PIECES) | st.sampled_from(WORDS), max_size=30).map("".join) | st.text())
def test_any_query_string_gives_a_clean_answer(store: SqliteBackend, q: str) -> None:
    hits, total, exact = store.search_articles(ArticleSearch(q=q, limit=10))
    assert len(hits) <= min(10, total) and (exact or total == SEARCH_TOTAL_CAP)


# -- following writes: incremental sync, other processes, a missing index ----------------------------
def test_added_and_deleted_articles_show_after_each_write(tmp_path: Path) -> None:
    backend = _store(tmp_path / "s.sqlite3", [_doc(1, "Bảo Lộc", "tổng kết")])
    try:
        backend.write(Batch([_doc(2, "Cát Tiên", "tổng kết năm")], []))
        assert sorted(_ids(backend, "tong ket")) == ["a0001", "a0002"]
        backend.write(Batch([_doc(1, "Bảo Lộc", "ký kết giao ước")], []))  # a new version of a0001
        assert _ids(backend, "tong ket") == ["a0002"] and _ids(backend, "giao uoc") == ["a0001"]
        assert backend.delete(["a0002"]) == 1
        assert _ids(backend, "tong ket") == [] and backend.counts()[0] == 1
    finally:
        backend.close()


def test_another_store_instance_reloads_on_a_new_generation(tmp_path: Path) -> None:
    """Like two server workers: the reader opened its searcher before the writer's sync."""
    writer = _store(tmp_path / "s.sqlite3", [_doc(1, "Bảo Lộc", "tổng kết")])
    reader = SqliteBackend(tmp_path / "s.sqlite3")
    try:
        assert _ids(reader, "tong ket") == ["a0001"]
        writer.write(Batch([_doc(2, "Cát Tiên", "tổng kết")], []))
        assert sorted(_ids(reader, "tong ket")) == ["a0001", "a0002"]
        writer.delete(["a0001"])
        assert _ids(reader, "tong ket") == ["a0002"]
        writer.rebuild(iter([Batch([_doc(3, "Di Linh", "tổng kết")], [])]))
        assert _ids(reader, "tong ket") == ["a0003"]
    finally:
        reader.close()
        writer.close()


def test_a_missing_index_is_built_from_the_tables(tmp_path: Path, corpus: list[ArticleDoc]) -> None:
    backend = _store(tmp_path / "s.sqlite3", corpus[:200])
    before = [backend.search_articles(ArticleSearch(q=q)) for q in ("da lat", "Đà Lạt tổng", "cờ")]
    backend.close()
    for child in index_dir(tmp_path / "s.sqlite3").iterdir():
        child.unlink()
    reopened = SqliteBackend(tmp_path / "s.sqlite3")
    try:
        assert [
            reopened.search_articles(ArticleSearch(q=q)) for q in ("da lat", "Đà Lạt tổng", "cờ")
        ] == before
    finally:
        reopened.close()


def test_an_index_that_disagrees_with_the_tables_is_rebuilt(tmp_path: Path) -> None:
    """A sync stopped between the index's commit and the tables': the stamps differ, so it is rebuilt."""
    backend = _store(tmp_path / "s.sqlite3", [_doc(1, "Bảo Lộc", "tổng kết")])
    backend.close()
    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:  # the tables as they were before a commit
        conn.execute("UPDATE search_meta SET value = 'older' WHERE key = 'text_index'")
        conn.execute("DELETE FROM search_text")
        conn.execute("DELETE FROM search_docs")
    reopened = SqliteBackend(tmp_path / "s.sqlite3")
    try:
        assert reopened.search_articles(ArticleSearch(q="tong ket")) == ([], 0, True)
    finally:
        reopened.close()


def test_an_index_that_cannot_be_written_says_what_to_run(tmp_path: Path) -> None:
    backend = _store(tmp_path / "s.sqlite3", [_doc(1, "Bảo Lộc", "tổng kết")])
    backend.close()
    folder = index_dir(tmp_path / "s.sqlite3")
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
    folder.write_text("in the way", encoding="utf-8")  # as on a read-only data directory: nothing is built
    with pytest.raises(TextIndexError, match="run `thidua index`"):
        SqliteBackend(tmp_path / "s.sqlite3")


def test_an_older_layout_is_emptied_with_its_index(tmp_path: Path) -> None:
    backend = _store(tmp_path / "s.sqlite3", [_doc(1, "Bảo Lộc", "tổng kết")])
    old = backend.generation()
    backend._writer.execute("UPDATE search_meta SET value = '0' WHERE key = 'schema'")
    backend._writer.commit()
    backend.close()
    reopened = SqliteBackend(tmp_path / "s.sqlite3")  # tables dropped, to be refilled by a sync
    try:
        assert reopened.generation() != old
        assert reopened.search_articles(ArticleSearch(q="tong ket")) == ([], 0, True)
    finally:
        reopened.close()
