"""The embedded store's full-text index: tantivy beside the SQLite file (`<db>.tantivy/`), keyed by
`search_docs.rowid`; SQLite keeps the articles, this index only finds and ranks them."""

from __future__ import annotations

import json
import re
import shutil
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tantivy

from corpus.textkeys import fold
from runtime.settings import index_dir
from search_api import phrases
from search_api.query import ArticleSearch

# Bumped whenever the schema or what is indexed changes: an index of another format is rebuilt.
FORMAT = 2
TITLE_WEIGHT = 4
# The writer's memory budget: a rebuild of 100,000 realistic articles fits one segment (four and a small
# one at 128 MiB, each searched on its own: 25 % more CPU a query); a small archive does not use it all.
HEAP_BYTES = 512 * 2**20
# Up to this many docs, the pool re-ranked for exact spellings is queried as a union of its rowids.
SMALL_POOL = 500
# tantivy's simple tokenizer (runs of letters and digits) lower-cased, without the default tokenizer's
# 40-byte limit; the query's words go through the same analyzer, so both sides split alike.
TOKENIZER = "words"
_ANALYZER = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase()).build()
# Adjacent folded syllables as one term ("bao_loc"), space-separated: a word of several syllables is
# found as written together through its pairs.
PAIRS = "pairs"
_PAIRS = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# Docs as (rowid, bm25 score).
Scored = list[tuple[int, float]]


@dataclass(frozen=True)
class TextDoc:
    """What the index holds of an article: its SQLite rowid, the words and the filters' values."""

    rowid: int
    title: str
    text: str
    text_folded: str
    published: str | None
    site: str | None
    province_key: str | None


@dataclass(frozen=True)
class Ranked:
    """A page of matches: rowids in page order with their scores, and how many docs match."""

    rowids: list[int]
    scores: list[float]
    count: int


def day_key(value: str) -> int | None:
    """`published` or a date bound as an integer ordered as SQLite orders the strings: YYYYMMDD (a
    missing month or day as 00) and a last digit 1 when more follows a full date (a time). None for a
    value that is not an ISO date, month or year: such an article is outside every date range."""
    m = _ISO.match(value)
    if m is None or (m.end() < len(value) and m.group(3) is None):
        return None
    return int(f"{m.group(1)}{m.group(2) or '00'}{m.group(3) or '00'}{int(m.end() < len(value))}")


def _schema() -> tantivy.Schema:
    """Indexed: the folded words (bm25: frequencies without positions), their adjacent pairs (present
    or not: a word of several syllables written together), the words as written (present or not: the
    exact-spelling test), the filters; nothing stored but the rowid as a fast field."""
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rowid", indexed=True, fast=True)
    builder.add_text_field("folded", tokenizer_name=TOKENIZER, index_option="freq")
    builder.add_text_field(PAIRS, tokenizer_name=PAIRS, index_option="basic")
    builder.add_text_field("written", tokenizer_name=TOKENIZER, index_option="basic")
    for name in ("site", "province_key"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("day", indexed=True)
    return builder.build()


def _document(doc: TextDoc) -> tantivy.Document:
    fields: dict[str, object] = {
        "rowid": doc.rowid,
        # FTS5 weighted a column's term frequencies within one row length (title ×4, text ×1): so does
        # one field holding the title four times (two fields with a boost sum two bm25s instead).
        "folded": f"{fold(doc.title)} " * TITLE_WEIGHT + doc.text_folded,
        PAIRS: f"{_pairs(fold(doc.title))} {_pairs(doc.text_folded)}",
        "written": unicodedata.normalize("NFC", f"{doc.title}\n{doc.text}"),
    }
    for name in ("site", "province_key"):
        if (value := getattr(doc, name)) is not None:
            fields[name] = value
    if doc.published and (day := day_key(doc.published)) is not None:
        fields["day"] = day
    return tantivy.Document(**fields)


def _pairs(folded: str) -> str:
    """Each two adjacent syllables of `folded` as one term ("bảo lộc" -> "bao_loc")."""
    return " ".join(phrases.pair_terms(_ANALYZER.analyze(folded)))


def _open(path: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(path))
    _register(index)
    return index


def _register(index: tantivy.Index) -> None:
    index.register_tokenizer(TOKENIZER, _ANALYZER)
    index.register_tokenizer(PAIRS, _PAIRS)


class TextWriter:
    """One sync's changes to the index, applied on `commit` (readers see none of them before)."""

    def __init__(self, index: tantivy.Index, *, clear: bool) -> None:
        self._writer = index.writer(heap_size=HEAP_BYTES, num_threads=1)
        if clear:
            self._writer.delete_all_documents()

    def add(self, doc: TextDoc, *, replace: bool) -> None:
        """Index an article (`replace`: drop the version indexed under its rowid first)."""
        if replace:
            self.delete(doc.rowid)
        self._writer.add_document(_document(doc))

    def delete(self, rowid: int) -> None:
        self._writer.delete_documents_by_term("rowid", rowid)

    def commit(self) -> str:
        """Commit, wait for the merges it started and release the index; the index's new stamp."""
        opstamp = self._writer.commit()
        self._writer.wait_merging_threads()
        return f"{FORMAT}.{opstamp}"

    def rollback(self) -> None:
        self._writer.rollback()
        self._writer.wait_merging_threads()


class TextIndex:
    """The index of one database: written by `writer()` (under the database's write lock), searched by
    every thread through a searcher reopened when the database's generation changes."""

    def __init__(self, db_path: Path) -> None:
        self.path = index_dir(db_path)
        self._lock = threading.Lock()
        self._loaded: tuple[str, tantivy.Index, tantivy.Searcher] | None = None

    def stamp(self) -> str | None:
        """FORMAT and the opstamp of the last commit (None: no index), which the database records
        beside its rows after each commit: equal stamps say the two agree. Read from tantivy's
        `meta.json` (the commit record; the Python bindings expose no reader of it)."""
        try:
            meta = json.loads((self.path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return f"{FORMAT}.{meta.get('opstamp')}"

    def writer(self, *, clear: bool = False) -> TextWriter:
        """A writer of the existing index (`clear`: everything replaced on commit)."""
        return TextWriter(_open(self.path), clear=clear)

    def fresh(self) -> TextWriter:
        """A writer of a new, empty index replacing whatever the directory held."""
        self.path.mkdir(parents=True, exist_ok=True)
        for child in self.path.iterdir():  # the directory itself stays: it may be a symbolic link
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        index = tantivy.Index(_schema(), path=str(self.path), reuse=False)
        _register(index)
        return TextWriter(index, clear=False)

    def create(self, docs: Iterable[TextDoc]) -> str:
        """A new index holding `docs`; its stamp."""
        writer = self.fresh()
        for doc in docs:
            writer.add(doc, replace=False)
        return writer.commit()

    def searcher(self, generation: str) -> tuple[tantivy.Index, tantivy.Searcher]:
        """The index as committed by the database's `generation` (reopened once per generation)."""
        loaded = self._loaded
        if loaded is None or loaded[0] != generation:
            with self._lock:
                loaded = self._loaded
                if loaded is None or loaded[0] != generation:
                    index = _open(self.path)
                    index.config_reader("manual")
                    loaded = self._loaded = (generation, index, index.searcher())
        return loaded[1], loaded[2]

    def search(self, generation: str, query: ArticleSearch, words: list[str], pool: int) -> Ranked:
        """The page of `query`: bm25 picks the best `pool` matches (and counts them all), a word of
        several syllables written together (search_api.phrases); among those, docs holding more of
        the words as spelled go first, then by bm25, then by rowid."""
        terms = [t for w in words for t in _ANALYZER.analyze(fold(w))]
        if not terms:
            return Ranked([], [], 0)
        index, searcher = self.searcher(generation)
        together = [pair for word in phrases.words_of(terms) for pair in phrases.pair_terms(word)]
        best = searcher.search(_matches(index.schema, query, terms, together), pool)
        rowids = [int(r or 0) for r in searcher.fast_field_values("rowid", [a for _, a in best.hits])]
        scored = list(zip(rowids, (s for s, _ in best.hits), strict=True))
        end = query.offset + query.limit
        page = _spelled_first(index.schema, searcher, words, scored, end)[query.offset : end]
        count = int(best.count)  # type: ignore[attr-defined]  # in tantivy 0.27, not in its stubs
        return Ranked([r for r, _ in page], [float(s) for _, s in page], count)


def _term(schema: tantivy.Schema, field: str, value: str | int) -> tantivy.Query:
    return tantivy.Query.term_query(schema, field, value)


def _matches(
    schema: tantivy.Schema, query: ArticleSearch, terms: list[str], pairs: list[str]
) -> tantivy.Query:
    """Every folded term in the title or the text (bm25-scored); the pairs of the words written
    together and the filters (scored 0)."""
    filters: list[tantivy.Query] = []
    for field, value in (("province_key", query.province_key), ("site", query.site)):
        if value is not None:
            filters.append(_term(schema, field, value))
    if query.date_from is not None or query.date_to is not None:
        low, high = (day_key(d) if d else None for d in (query.date_from, query.date_to))
        filters.append(tantivy.Query.range_query(schema, "day", tantivy.FieldType.Integer, low, high))
    clauses = [(tantivy.Occur.Must, _term(schema, "folded", t)) for t in terms]
    filters += [_term(schema, PAIRS, pair) for pair in pairs]
    clauses += [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
    return tantivy.Query.boolean_query(clauses)


def _spelled_first(
    schema: tantivy.Schema, searcher: tantivy.Searcher, words: list[str], scored: Scored, end: int
) -> Scored:
    """`scored` (rowid, bm25) in page order, at least its first `end`: docs holding more of the words as
    spelled first, then by bm25, then by rowid. When `end` of them hold every word (one query tells), no
    other doc can come before those, and the words are not counted one by one (a query each)."""
    if not scored:
        return []
    page = scored[:end]
    if len(scored) == len(page) or scored[end][1] < page[-1][1]:
        # the first `end` by bm25 (no tie at the page's end): when each holds every word, no other doc
        # can come before them, and the rest of the pool need not be looked at
        held = _rowids(searcher, _holding(schema, _pool(schema, [r for r, _ in page]), words), len(page))
        if len(held) == len(page):
            return sorted(page, key=lambda p: (-p[1], p[0]))
    pool = _pool(schema, [r for r, _ in scored])
    every = _rowids(searcher, _holding(schema, pool, words), len(scored))
    if len(every) >= min(end, len(scored)):
        return sorted((p for p in scored if p[0] in every), key=lambda p: (-p[1], p[0]))
    found: Counter[int] = Counter()
    for word in words:
        found.update(_rowids(searcher, _holding(schema, pool, [word]), len(scored)))
    return sorted(scored, key=lambda p: (-found[p[0]], -p[1], p[0]))


def _pool(schema: tantivy.Schema, rowids: list[int]) -> tantivy.Query:
    """The docs of `rowids`: a union of their terms, or for a deep page's many one set query (it marks
    every doc of the index once, which beats a union of many terms)."""
    if len(rowids) <= SMALL_POOL:
        terms = [(tantivy.Occur.Should, _term(schema, "rowid", r)) for r in rowids]
        return tantivy.Query.boolean_query(terms)
    return tantivy.Query.term_set_query(schema, "rowid", rowids)


def _holding(schema: tantivy.Schema, pool: tantivy.Query, words: list[str]) -> tantivy.Query:
    """The docs of `pool` holding every one of `words` as spelled, unscored (the pool's few docs lead the
    intersection, so the words' long posting lists are only skipped through)."""
    spelled = [(tantivy.Occur.Must, _term(schema, "written", t)) for w in words for t in _ANALYZER.analyze(w)]
    query = tantivy.Query.boolean_query([(tantivy.Occur.Must, pool), *spelled])
    return tantivy.Query.const_score_query(query, 0.0)


def _rowids(searcher: tantivy.Searcher, query: tantivy.Query, limit: int) -> set[int]:
    hits = searcher.search(query, limit, count=False).hits
    return {int(r or 0) for r in searcher.fast_field_values("rowid", [a for _, a in hits])}
