"""The storage interface every search backend implements, and the records it indexes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from search_api.query import ArticleSearch, EntityFilter, FactFilter
from search_api.schemas import ArticleHit, EntityOut, FactOut
from search_api.stores.rows import FactJson, Item, KeptLists, Statement, TimelineRow

if TYPE_CHECKING:
    from search_api.corrections import CorrectionIn

EntityKind = Literal["cluster", "unit"]


@dataclass(frozen=True)
class ArticleDoc:
    """An article as the backends index it; `fingerprint` changes whenever it or its facts change."""

    id: str
    title: str
    text: str
    url: str
    canonical_url: str
    published: str | None
    site: str | None
    source: str | None
    province: str | None
    province_key: str | None
    has_raw: bool
    fingerprint: str
    raw_html: str | None = None


@dataclass(frozen=True)
class FactDoc:
    """A fact with its resolved ids, as the backends index it; `data` is the SCHEMA.md JSON."""

    id: str
    article_id: str
    type: str
    unit_id: str | None
    unit_key: str | None
    unit: str | None
    cluster_id: str | None
    cluster: str | None
    province: str | None
    province_key: str | None
    year: int | None
    date: str | None
    status: str | None
    role: str | None
    award_key: str | None
    group_key: str
    slot_key: str | None
    data: str
    correction_status: str = "extracted"
    history: str | None = None  # the corrections applied (JSON list of HistoryEntry), oldest first


@dataclass(frozen=True)
class Batch:
    """Articles to (re)index with all their facts; their previous facts are replaced."""

    articles: list[ArticleDoc]
    facts: list[FactDoc]


class SearchBackend(Protocol):
    """Read and index operations over articles, facts and resolved entities."""

    name: str

    def search_articles(self, query: ArticleSearch) -> tuple[list[ArticleHit], int, bool]:
        """Full-text search: hits (with highlights), total matches and whether the total is exact."""
        ...

    def get_article(self, article_id: str) -> ArticleDoc | None:
        """An indexed article with its text, or None."""
        ...

    def raw_html(self, article_id: str) -> str | None:
        """The archived raw HTML of an article, or None when there is none."""
        ...

    def find_facts(self, flt: FactFilter) -> tuple[list[FactOut], int, bool]:
        """Facts matching `flt` in timeline order (date, then id), one page, and the total."""
        ...

    def find_fact_json(self, flt: FactFilter) -> tuple[list[FactJson], int, bool]:
        """`find_facts` with each fact serialised (and its grouping fields), for the hot endpoints."""
        ...

    def find_timeline(self, flt: FactFilter) -> tuple[list[TimelineRow], int, bool]:
        """One page of the dated statements matching `flt`, each once (its lead: the most confident of
        its group's facts, then the first by id) in the leads' date order, with the number of articles
        stating it; and the number of statements."""
        ...

    def find_statements(self, flt: FactFilter) -> list[Statement]:
        """Every statement of the facts matching `flt`, aggregated in the store (ids, sources, lead), in
        group-key order: what paged entity lists count and page. At least TOTAL_CAP + 1 facts are read
        when that many match (SQLite reads them all), so more than TOTAL_CAP tells a cut entity."""
        ...

    def kept_lists(self, kind: EntityKind, entity_id: str) -> KeptLists | None:
        """The lists of an entity's page as kept at write time from its live facts (no confidence floor):
        their totals and chart counts; None when this backend keeps none for it."""
        ...

    def kept_items(
        self, kind: EntityKind, entity_id: str, name: str, after: tuple[Any, ...] | None, limit: int
    ) -> list[Item]:
        """Up to `limit` items of a kept list, in its order, after the sort key `after` (else from the
        first)."""
        ...

    def get_facts(self, fact_ids: list[str]) -> list[FactOut]:
        """The facts with these ids, retracted ones too (unknown ids are skipped)."""
        ...

    def add_correction(self, fact_id: str, request: CorrectionIn) -> FactOut | None:
        """Apply a maintainer's correction to a fact and keep it with the fact's history, so that every
        later write applies it again (None: no such fact); `CorrectionError`/ValueError change nothing."""
        ...

    def list_entities(self, flt: EntityFilter) -> tuple[list[EntityOut], int]:
        """Resolved clusters or units matching `flt`, by name, one page, and the total."""
        ...

    def get_entity(self, kind: EntityKind, entity_id: str) -> EntityOut | None:
        """One resolved cluster or unit, or None."""
        ...

    def counts(self) -> tuple[int, int]:
        """How many articles and facts are indexed."""
        ...

    def generation(self) -> str | None:
        """A value that changes whenever the index changes (None when not tracked: nothing is cached)."""
        ...

    def fingerprints(self) -> dict[str, str]:
        """Article id -> fingerprint of what is indexed, to tell what changed."""
        ...

    def write(self, batch: Batch) -> None:
        """Upsert the batch's articles and replace their facts; idempotent (what it leaves for later is
        done by `settle`)."""
        ...

    def delete(self, article_ids: Iterable[str]) -> int:
        """Remove articles and their facts; returns how many articles were removed."""
        ...

    def settle(self) -> None:
        """Finish what the writes and deletions left for later, once (a sync calls it at its end): a
        store that keeps page lists builds again those its writes marked stale (pages of a marked entity
        are built per request until then); a no-op for a store that keeps none."""
        ...

    def refresh_entities(self, kind: EntityKind, entity_ids: set[str] | None) -> None:
        """Recompute the entity records for these ids from the facts (all when None)."""
        ...

    def rebuild(self, batches: Iterator[Batch]) -> None:
        """Index everything from scratch and switch readers over in one step."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
