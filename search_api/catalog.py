"""What the API and the pages serve, composed from a backend's primitives: pages, timelines, checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import islice

from search_api import emit, factcheck
from search_api.cache import ResponseCache
from search_api.corrections import CorrectionIn
from search_api.entity_lists import CLUSTER_LISTS, LIST_LIMIT, UNIT_LISTS, Lists, open_lists, show
from search_api.groups import every_fact, group, slot_of, source
from search_api.query import TOTAL_CAP, ArticleSearch, EntityFilter, FactFilter
from search_api.resolve import cluster_id, cluster_key, is_qualified, unit_key
from search_api.schemas import (
    ArticleDetail,
    ArticleHit,
    CheckResult,
    ClusterDetail,
    EntityOut,
    FactDetail,
    FactGroup,
    FactOut,
    ListPage,
    Page,
    TimelineItem,
    UnitDetail,
)
from search_api.stores.base import ArticleDoc, EntityKind, SearchBackend
from search_api.stores.rows import label

__all__ = ["Catalog", "label"]
EXPORT_CAP = TOTAL_CAP
FEED_SIZE = 50


class Catalog:
    """The read side of the API over one backend; every method is what one endpoint returns."""

    def __init__(self, backend: SearchBackend, cache: ResponseCache | None = None) -> None:
        self.backend = backend
        self.cache = cache or ResponseCache(0)

    def search_articles(self, query: ArticleSearch) -> Page[ArticleHit]:
        """Full-text search with highlights and filters."""
        hits, total, exact = self.backend.search_articles(query)
        return Page[ArticleHit](items=hits, total=total, exact=exact, limit=query.limit, offset=query.offset)

    def article(self, article_id: str, min_confidence: float | None = None) -> ArticleDetail | None:
        """An article's metadata, text, facts (of `min_confidence` or more) and raw-HTML link (None when
        unknown)."""
        doc = self.backend.get_article(article_id)
        if doc is None:
            return None
        facts, _ = every_fact(self.backend, FactFilter(article_id=article_id, min_confidence=min_confidence))
        return ArticleDetail(
            id=doc.id,
            title=doc.title,
            url=doc.url,
            canonical_url=doc.canonical_url,
            published=doc.published,
            site=doc.site,
            source=doc.source,
            province=doc.province,
            text=doc.text,
            raw_html_url=f"/api/v1/articles/{doc.id}/raw" if doc.has_raw else None,
            facts=facts,
        )

    def source_article(self, article_id: str | None) -> ArticleDoc | None:
        """The indexed article a fact was read from (metadata and text), for its page and citations."""
        return self.backend.get_article(article_id) if article_id else None

    def facts(self, flt: FactFilter) -> Page[FactOut]:
        """One page of facts matching the filter, in date order."""
        items, total, exact = self.backend.find_facts(flt)
        return Page[FactOut](items=items, total=total, exact=exact, limit=flt.limit, offset=flt.offset)

    def search_json(self, query: ArticleSearch) -> str:
        """`search_articles` serialised (cached per normalised query and index generation)."""
        return self.cache.get(
            ("search", query),
            self.backend.generation,
            lambda: self.search_articles(query).model_dump_json(),
        )

    def facts_json(self, flt: FactFilter) -> str:
        """`facts` serialised, assembled from the facts' ready JSON (cached like `search_json`)."""
        return self.cache.get(("facts", flt), self.backend.generation, lambda: self._facts_json(flt))

    def _facts_json(self, flt: FactFilter) -> str:
        items, total, exact = self.backend.find_fact_json(flt)
        return emit.page((f.json for f in items), total, exact, flt.limit, flt.offset)

    def iter_facts(self, flt: FactFilter) -> Iterator[FactOut]:
        """Every fact matching the filter (up to EXPORT_CAP), page by page, for exports."""
        offset = 0
        while offset < EXPORT_CAP:
            items, _, _ = self.backend.find_facts(replace(flt, limit=500, offset=offset))
            yield from items
            if len(items) < 500:
                return
            offset += 500

    def iter_all(self, flt: FactFilter, page: int = 1000) -> Iterator[FactOut]:
        """Every fact matching the filter, after its cursor (`flt.after`) when it has one, page by page
        with a keyset cursor (no cap, no offset re-read): bulk exports."""
        after = flt.after
        while True:
            items, _, _ = self.backend.find_facts(replace(flt, after=after, limit=page, offset=0))
            yield from items
            if len(items) < page:
                return
            after = (items[-1].date, items[-1].id)

    def export_page(
        self, flt: FactFilter, size: int, after: tuple[str | None, str] | None
    ) -> tuple[list[FactOut], bool]:
        """`size` facts from `flt.offset`, or after a cursor's (date, id); and whether more match."""
        if after is None:
            facts = list(islice(self.iter_facts(flt), flt.offset, flt.offset + size))
        else:
            facts = list(islice(self.iter_all(replace(flt, after=after), page=min(size, 1000)), size))
        if not facts:
            return facts, False
        last = (facts[-1].date, facts[-1].id)
        more, _, _ = self.backend.find_facts(replace(flt, after=last, limit=1, offset=0))
        return facts, bool(more)

    def fact_alone(self, fact_id: str) -> FactOut | None:
        """A fact (retracted ones too) without its corroborating and conflicting statements: its page
        and its citations."""
        found = self.backend.get_facts([fact_id])
        return found[0] if found else None

    def fact(self, fact_id: str, min_confidence: float | None = None) -> FactDetail | None:
        """A fact (whatever its confidence) with its corroborating sources and the statements that
        conflict with it (from facts of `min_confidence` or more)."""
        found = self.backend.get_facts([fact_id])
        if not found:
            return None
        fact = found[0]
        same, _ = every_fact(
            self.backend, FactFilter(group_keys=(fact.group_key,), min_confidence=min_confidence)
        )
        others = [f for f in same if f.id != fact.id]
        conflicting: list[FactGroup] = []
        slot = slot_of(fact)
        if slot:
            rivals, _ = every_fact(self.backend, FactFilter(slot_keys=(slot,), min_confidence=min_confidence))
            conflicting = group([f for f in rivals if f.group_key != fact.group_key])
        articles = {f.evidence.article_id for f in [fact, *others]}
        return FactDetail(
            **fact.model_dump(),
            source_count=len(articles),
            corroborating=[source(f) for f in others],
            conflicting=conflicting,
        )

    def correct(self, fact_id: str, request: CorrectionIn) -> FactDetail | None:
        """Apply a maintainer's correction (kept with the fact's history); the fact as it now stands,
        None when unknown. Raises `CorrectionError` or ValueError (invalid amendment), changing nothing."""
        if self.backend.add_correction(fact_id, request) is None:
            return None
        return self.fact(fact_id)

    def feed(self, flt: FactFilter) -> list[FactOut]:
        """The newest facts matching the filter (by their date, then id), for an Atom feed."""
        return self.backend.find_facts(replace(flt, newest_first=True, limit=FEED_SIZE, offset=0))[0]

    def resolve_clusters(self, cluster: str, province: str | None) -> tuple[str, ...]:
        """Cluster ids a parameter names: an id, a name within a province, or a name in any province;
        a name without letters or digits names none (`-`, as for units), never every cluster."""
        if is_qualified(cluster):
            return (cluster,)
        key = cluster_key(cluster)
        if not key:
            return ("-",)
        if province:
            return (cluster_id(cluster, province),)
        named, _ = self.backend.list_entities(EntityFilter(kind="cluster", key=key, limit=200))
        return tuple(sorted(e.id for e in named)) or (key,)

    def clusters(self, flt: EntityFilter) -> Page[EntityOut]:
        """Resolved clusters (or units) by name."""
        items, total = self.backend.list_entities(flt)
        return Page[EntityOut](items=items, total=total, limit=flt.limit, offset=flt.offset)

    def cluster(
        self, cid: str, min_confidence: float | None = None, limit: int = LIST_LIMIT
    ) -> ClusterDetail | None:
        """A cluster's members, chairs by year, awards, themes and movements, events (from the facts of
        `min_confidence` or more): the first `limit` of each list, with each list's total and cursor."""
        view = self.cluster_view(cid, min_confidence, limit)
        return view[0] if view else None

    def cluster_view(
        self, cid: str, min_confidence: float | None = None, limit: int = LIST_LIMIT
    ) -> tuple[ClusterDetail, Lists] | None:
        """`cluster`, and its lists' statements (for the page's chart)."""
        entity = self.backend.get_entity("cluster", cid)
        if entity is None:
            return None
        lists = open_lists(self.backend, "cluster", cid, min_confidence, CLUSTER_LISTS)
        pages = {name: lists.page(name, limit, None) for name in CLUSTER_LISTS}
        items = show(self.backend, lists, {name: page for name, (page, _) in pages.items()})
        info = {name: meta for name, (_, meta) in pages.items()}
        detail = {**entity.model_dump(), **items, "lists": info, "complete": lists.complete}
        return ClusterDetail.model_validate(detail), lists

    def entity_list(
        self,
        kind: EntityKind,
        eid: str,
        name: str,
        min_confidence: float | None,
        limit: int,
        cursor: str | None,
    ) -> ListPage | None:
        """A page of one list of a cluster's or a unit's page, after the cursor (None: no such entity).
        Raises `CursorError` for a cursor this list did not give out."""
        entity = self.backend.get_entity(kind, eid) if kind == "cluster" else self._one_unit(eid)
        if entity is None:
            return None
        lists = open_lists(self.backend, kind, entity.id, min_confidence, (name,))
        page, meta = lists.page(name, limit, cursor)
        items = show(self.backend, lists, {name: page})[name]
        return ListPage(name=name, items=items, **meta.model_dump())

    def find_units(self, unit: str) -> list[EntityOut]:
        """The units an id names (exactly), or a name in any spelling (its units in every province)."""
        entity = self.backend.get_entity("unit", unit)
        if entity is not None:
            return [entity]
        key = "" if is_qualified(unit) else unit_key(unit)
        return self.backend.list_entities(EntityFilter(kind="unit", key=key, limit=50))[0] if key else []

    def _one_unit(self, unit: str) -> EntityOut | None:
        found = self.find_units(unit)
        return found[0] if len(found) == 1 else None

    def unit(
        self, unit: str, min_confidence: float | None = None, limit: int = LIST_LIMIT
    ) -> UnitDetail | None:
        """A unit's clusters, years chaired and awards received (from the facts of `min_confidence` or
        more), by id or by a name only one unit has: the first `limit` of each list, with its total and
        cursor."""
        entity = self._one_unit(unit)
        if entity is None:
            return None
        lists = open_lists(self.backend, "unit", entity.id, min_confidence, UNIT_LISTS)
        pages = {name: lists.page(name, limit, None) for name in UNIT_LISTS}
        items = show(self.backend, lists, {name: page for name, (page, _) in pages.items()})
        info = {name: meta for name, (_, meta) in pages.items()}
        detail = {**entity.model_dump(), **items, "lists": info, "complete": lists.complete}
        return UnitDetail.model_validate(detail)

    def timeline(self, flt: FactFilter) -> Page[TimelineItem]:
        """Dated statements in order, each once with its number of sources; pages and `total` count
        statements."""
        rows, total, exact = self.backend.find_timeline(flt)
        items = [
            TimelineItem(
                date=row.fact.date or "",
                label=row.fact.label,
                fact=FactOut.model_validate_json(row.fact.json),
                source_count=row.source_count,
            )
            for row in rows
        ]
        return Page[TimelineItem](items=items, total=total, exact=exact, limit=flt.limit, offset=flt.offset)

    def timeline_json(self, flt: FactFilter) -> str:
        """`timeline` serialised, assembled from the facts' ready JSON (cached like `search_json`)."""
        return self.cache.get(("timeline", flt), self.backend.generation, lambda: self._timeline_json(flt))

    def _timeline_json(self, flt: FactFilter) -> str:
        rows, total, exact = self.backend.find_timeline(flt)
        return emit.page(emit.timeline_items(rows), total, exact, flt.limit, flt.offset)

    def check(
        self,
        unit: str,
        role: str | None,
        year: int | None,
        award: str | None,
        province: str | None = None,
        min_confidence: float | None = None,
    ) -> CheckResult:
        """Supported, contradicted (with what the sources say instead) or not found, with evidence; only
        facts of `min_confidence` or more count."""
        return factcheck.check(self.backend, unit, role, year, award, province, min_confidence)
