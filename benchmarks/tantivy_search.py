"""Issue 14's tantivy harness: the API's article search (bm25 over folded title ×4 and text, exact
spellings first among the best, exact total, highlights) answered from a tantivy index, not FTS5."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import tantivy

from corpus.textkeys import fold
from search_api.highlight import highlight
from search_api.query import ArticleSearch, tokens
from search_api.schemas import ArticleHit
from search_api.stores.base import ArticleDoc
from search_api.stores.sqlite import RERANK_POOL, SEARCH_TOTAL_CAP

TITLE_WEIGHT = 4
# Added once per query word found as spelled when the best matches are re-ranked: more than any bm25
# sum, so those go first, as the SQLite store orders them.
EXACT_BONUS = 1000.0
HEAP_BYTES = 256 * 2**20
_PAGE = ("id", "title", "url", "published", "site", "province")


def schema() -> tantivy.Schema:
    """Indexed: the folded words (bm25: frequencies, no positions, as no query is a phrase), the words
    as written (present or not: the exact-spelling test), the id (as text to delete by, as a number to
    re-rank by) and the filters' keys. Stored: what a page shows and the folded text to highlight."""
    builder = tantivy.SchemaBuilder()
    for name in ("id", "site", "province_key"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("folded", index_option="freq")
    builder.add_text_field("written", index_option="basic")
    builder.add_integer_field("key", indexed=True, fast=True)
    builder.add_integer_field("day", indexed=True)
    builder.add_bytes_field("page", stored=True)
    return builder.build()


def _key(article_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(article_id.encode(), digest_size=7).digest(), "big")


def _day(value: str) -> int:
    """`2022-03-01`, `2022-03` or `2022` as 20220301, 20220300, 20220000: ordered as the strings are."""
    year, month, day = [*value[:10].split("-"), "00", "00"][:3]
    return int(f"{year}{month}{day}")


def _document(doc: ArticleDoc) -> tantivy.Document:
    page = {name: getattr(doc, name) for name in _PAGE} | {"body": doc.text, "body_f": fold(doc.text)}
    fields: dict[str, object] = {
        "id": doc.id,
        "key": _key(doc.id),
        # FTS5's bm25 weights a column's term frequencies within one row length (title ×4, text ×1): so
        # does one field holding the title four times (two fields with a boost sum two bm25s instead,
        # which agreed with FTS5's page less: 34 % against 58 % of it on 10,000 realistic articles).
        "folded": f"{fold(doc.title)} " * TITLE_WEIGHT + page["body_f"],
        "written": f"{doc.title}\n{doc.text}",
        "page": json.dumps(page, ensure_ascii=False).encode(),
    }
    for name in ("site", "province_key"):
        if (value := getattr(doc, name)) is not None:
            fields[name] = value
    if doc.published:
        fields["day"] = _day(doc.published)
    return tantivy.Document(**fields)


def build(path: Path, docs: Iterable[ArticleDoc], threads: int = 1) -> None:
    """A new index at `path` holding `docs`, merged as tantivy's default policy does."""
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema(), path=str(path), reuse=False)
    writer = index.writer(heap_size=HEAP_BYTES, num_threads=threads)
    for doc in docs:
        writer.add_document(_document(doc))
    writer.commit()
    writer.wait_merging_threads()


def upsert(index: tantivy.Index, docs: Iterable[ArticleDoc]) -> tantivy.IndexWriter:
    """Replace or add `docs` and commit (searchable once readers reload); the writer, still merging."""
    writer = index.writer(heap_size=HEAP_BYTES, num_threads=1)
    for doc in docs:
        writer.delete_documents_by_term("id", doc.id)
        writer.add_document(_document(doc))
    writer.commit()
    return writer


def _any(queries: Iterable[tantivy.Query]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


class TantivySearch:
    """`search_articles` of the SQLite backend, over a tantivy index."""

    def __init__(self, path: Path) -> None:
        self.index = tantivy.Index.open(str(path))
        self.schema = self.index.schema

    def _term(self, field: str, value: str | int) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    def matches(self, search: ArticleSearch, words: list[str]) -> tantivy.Query:
        """Every word, folded, in the title or the text (bm25-scored), and the filters."""
        clauses = [(tantivy.Occur.Must, self._term("folded", fold(word))) for word in words]
        for field, value in (("province_key", search.province_key), ("site", search.site)):
            if value is not None:
                clauses.append((tantivy.Occur.Must, self._term(field, value)))
        if search.date_from is not None or search.date_to is not None:
            low, high = (_day(d) if d else None for d in (search.date_from, search.date_to))
            days = tantivy.Query.range_query(self.schema, "day", tantivy.FieldType.Integer, low, high)
            clauses.append((tantivy.Occur.Must, days))
        return tantivy.Query.boolean_query(clauses)

    def exact_spellings(self, words: list[str], keys: list[int]) -> tantivy.Query:
        """The docs of `keys`, each scored EXACT_BONUS per word it holds as spelled."""
        pool = tantivy.Query.const_score_query(_any(self._term("key", k) for k in keys), 0.0)
        clauses = [(tantivy.Occur.Must, pool)]
        for word in words:
            spelled = self._term("written", unicodedata.normalize("NFC", word))
            clauses.append((tantivy.Occur.Should, tantivy.Query.const_score_query(spelled, EXACT_BONUS)))
        return tantivy.Query.boolean_query(clauses)

    def search_articles(self, search: ArticleSearch) -> tuple[list[ArticleHit], int, bool]:
        """The page, the total (capped as the API caps it) and whether it is exact: bm25 picks the best
        `offset + limit + RERANK_POOL` matches; among them exact spellings first, then bm25, then id."""
        words = tokens(search.q)
        if not words:
            return [], 0, True
        searcher = self.index.searcher()
        best = searcher.search(self.matches(search, words), search.offset + search.limit + RERANK_POOL)
        keys = [int(k or 0) for k in searcher.fast_field_values("key", [a for _, a in best.hits])]
        found = searcher.search(self.exact_spellings(words, keys), len(keys), count=False)
        spelled = searcher.fast_field_values("key", [a for _, a in found.hits])
        exact = {key: score for key, (score, _) in zip(spelled, found.hits, strict=True)}
        pool = [(key, score, address) for key, (score, address) in zip(keys, best.hits, strict=True)]
        pool.sort(key=lambda p: (-exact.get(p[0], 0.0), -p[1], p[0]))
        page = pool[search.offset : search.offset + search.limit]
        hits = [self._hit(searcher.doc(address), score, words) for _, score, address in page]
        count = int(best.count)  # type: ignore[attr-defined]  # in tantivy 0.27, not in its stubs
        return hits, min(count, SEARCH_TOTAL_CAP), count <= SEARCH_TOTAL_CAP

    @staticmethod
    def _hit(stored: tantivy.Document, score: float, words: list[str]) -> ArticleHit:
        page = json.loads(bytes(stored["page"][0]))
        body, folded = page.pop("body"), page.pop("body_f")
        return ArticleHit(**page, score=score, highlights=highlight(body, words, folded=folded))
