"""Filter models and pure query builders for both backends (SQL fragments, ES DSL)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from elasticsearch.dsl import Q
from elasticsearch.dsl.query import Query

from search_api import phrases

MAX_TOKENS = 24
MAX_TOKEN_CHARS = 64
TOTAL_CAP = 10_000
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ArticleSearch:
    """A full-text query with its filters and page."""

    q: str = ""
    province_key: str | None = None
    site: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class FactFilter:
    """Which facts to return; empty tuples and None mean no constraint. `min_confidence` keeps the facts
    whose confidence is at least that (a statement's facts below it are not among its sources);
    retracted facts are left out unless `include_retracted`."""

    types: tuple[str, ...] = ()
    unit_id: str | None = None
    unit_key: str | None = None
    cluster_ids: tuple[str, ...] = ()
    province_key: str | None = None
    year: int | None = None
    status: str | None = None
    role: str | None = None
    award_key: str | None = None
    article_id: str | None = None
    article_ids: tuple[str, ...] = ()
    group_keys: tuple[str, ...] = ()
    slot_keys: tuple[str, ...] = ()
    dated_only: bool = False
    min_confidence: float | None = None
    include_retracted: bool = False
    newest_first: bool = False  # date order reversed (feeds)
    after: tuple[str | None, str] | None = None  # keyset cursor: facts after this (date, id) only
    limit: int = 50
    offset: int = 0

    @property
    def has_subject(self) -> bool:
        """Whether the filter names a cluster, a unit or a province (what a timeline is of)."""
        return bool(self.cluster_ids or self.unit_id or self.unit_key or self.province_key)


@dataclass(frozen=True)
class EntityFilter:
    """Which resolved clusters or units to list."""

    kind: Literal["cluster", "unit"]
    q: str | None = None
    key: str | None = None
    province_key: str | None = None
    ids: tuple[str, ...] = field(default=())
    limit: int = 50
    offset: int = 0


def tokens(text: str) -> list[str]:
    """The words of a user query, lower-cased; operators and punctuation are dropped."""
    words = _TOKEN.findall(unicodedata.normalize("NFC", text[: MAX_TOKENS * (MAX_TOKEN_CHARS + 1)]).lower())
    return [w[:MAX_TOKEN_CHARS] for w in words[:MAX_TOKENS]]


def sql_article_where(query: ArticleSearch) -> tuple[list[str], list[Any]]:
    """WHERE clauses (over alias `d`) and parameters for the article filters."""
    where: list[str] = []
    args: list[Any] = []
    for clause, value in (
        ("d.province_key = ?", query.province_key),
        ("d.site = ?", query.site),
        ("d.published >= ?", query.date_from),
        ("d.published <= ?", query.date_to),
    ):
        if value is not None:
            where.append(clause)
            args.append(value)
    return where, args


def _in(column: str, values: tuple[str, ...]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def _fact_conditions(
    flt: FactFilter,
) -> tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, Any]]]:
    """The set filters (field, values) and the equality filters (field, value) the filter holds."""
    sets = [
        ("type", flt.types),
        ("cluster_id", flt.cluster_ids),
        ("article_id", flt.article_ids),
        ("group_key", flt.group_keys),
        ("slot_key", flt.slot_keys),
    ]
    equals = [
        ("unit_id", flt.unit_id),
        ("unit_key", flt.unit_key),
        ("province_key", flt.province_key),
        ("year", flt.year),
        ("status", flt.status),
        ("role", flt.role),
        ("award_key", flt.award_key),
        ("article_id", flt.article_id),
    ]
    return [(f, v) for f, v in sets if v], [(f, v) for f, v in equals if v is not None]


# Retracted facts (SQLite keeps them apart, in `search_retracted`, so the live table's plans are unchanged).
WITH_RETRACTED = "(SELECT * FROM search_facts UNION ALL SELECT * FROM search_retracted) AS search_facts"


def sql_fact_source(flt: FactFilter) -> str:
    """The table a fact query reads: the live facts, or with `include_retracted` the retracted too."""
    return WITH_RETRACTED if flt.include_retracted else "search_facts"


def sql_fact_order(flt: FactFilter) -> str:
    """The ORDER BY of a fact query: date then id, or the reverse for `newest_first`."""
    return " ORDER BY date DESC, id DESC" if flt.newest_first else " ORDER BY date, id"


def sql_fact_where(flt: FactFilter) -> tuple[str, list[Any]]:
    """A WHERE clause (possibly empty) and parameters for the fact filters."""
    where: list[str] = []
    args: list[Any] = []
    sets, equals = _fact_conditions(flt)
    by_article = bool(flt.article_ids or flt.article_id)
    for column, values in sets:
        # An article's facts are a handful: `+type` keeps SQLite on the article index instead of
        # walking every fact of that type (100,000 events at the bench's scale) in date order.
        clause, vals = _in(f"+{column}" if by_article and column == "type" else column, values)
        where.append(clause)
        args.extend(vals)
    for column, value in equals:
        where.append(f"{column} = ?")
        args.append(value)
    if flt.dated_only:
        where.append("date IS NOT NULL")
    if flt.min_confidence is not None:
        where.append("confidence >= ?")
        args.append(flt.min_confidence)
    if flt.after is not None:  # SQLite's date order puts the facts without a date first
        date, fact_id = flt.after
        if date is None:
            where.append("((date IS NULL AND id > ?) OR date IS NOT NULL)")
            args.append(fact_id)
        else:
            where.append("(date, id) > (?, ?)")
            args.extend([date, fact_id])
    return (" WHERE " + " AND ".join(where)) if where else "", args


# Retracted facts (Elasticsearch keeps them among the facts, marked).
RETRACTED = Q("term", correction_status="retracted")


def es_fact_query(flt: FactFilter) -> Query:
    """The Elasticsearch bool/filter query for the fact filters."""
    sets, equals = _fact_conditions(flt)
    filters: list[Query] = [Q("terms", **{name: list(values)}) for name, values in sets]
    filters += [Q("term", **{name: value}) for name, value in equals]
    if flt.dated_only:
        filters.append(Q("exists", field="date"))
    if flt.min_confidence is not None:
        filters.append(Q("range", confidence={"gte": flt.min_confidence}))
    if flt.include_retracted:
        return Q("bool", filter=filters) if filters else Q("match_all")
    return Q("bool", filter=filters, must_not=[RETRACTED])


def es_article_query(query: ArticleSearch) -> Query:
    """The Elasticsearch query for a full-text search: folded match required, exact boosted."""
    filters: list[Query] = []
    if query.province_key is not None:
        filters.append(Q("term", province_key=query.province_key))
    if query.site is not None:
        filters.append(Q("term", site=query.site))
    if query.date_from is not None or query.date_to is not None:
        bounds = {k: v for k, v in (("gte", query.date_from), ("lte", query.date_to)) if v is not None}
        filters.append(Q("range", published=bounds))
    text = " ".join(tokens(query.q))
    if not text:
        return Q("bool", filter=filters) if filters else Q("match_all")
    must = Q("multi_match", query=text, fields=["title.fold^2", "text.fold"], operator="and")
    should = Q("multi_match", query=text, fields=["title^4", "text^2"])
    for word in phrases.words_of(phrases.syllables(text)):
        if len(word) > 1:  # a word of several syllables, written together (search_api.phrases)
            together = " ".join(word)
            filters.append(
                Q("multi_match", query=together, fields=["title.fold", "text.fold"], type="phrase")
            )
    return Q("bool", must=[must], should=[should], filter=filters)
