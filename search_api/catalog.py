"""What the API and the pages serve, composed from a backend's primitives: pages, timelines, checks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from typing import Literal

from search_api import emit
from search_api.cache import ResponseCache
from search_api.query import TOTAL_CAP, ArticleSearch, EntityFilter, FactFilter
from search_api.resolve import cluster_id, cluster_key, slot_key, text_key, unit_id
from search_api.schemas import (
    ArticleDetail,
    ArticleHit,
    CheckQueryOut,
    CheckResult,
    ClusterDetail,
    ClusterRef,
    EntityOut,
    FactDetail,
    FactGroup,
    FactOut,
    MemberOut,
    Page,
    RoleYear,
    SourceOut,
    TimelineItem,
    UnitDetail,
)
from search_api.stores.base import SearchBackend
from search_api.stores.rows import label

PAGE_FACTS = 1000
EXPORT_CAP = TOTAL_CAP


def source(fact: FactOut) -> SourceOut:
    """The article a fact was read from."""
    ev = fact.evidence
    return SourceOut(
        fact_id=fact.id, article_id=ev.article_id, url=ev.url, published=ev.published, sentence=ev.sentence
    )


def group(facts: list[FactOut]) -> list[FactGroup]:
    """Facts stating the same thing grouped, sources counted by distinct article, first-seen order."""
    groups: dict[str, list[FactOut]] = defaultdict(list)
    for fact in facts:
        groups[fact.group_key].append(fact)
    out = []
    for key, members in groups.items():
        best = max(members, key=lambda f: f.confidence)
        articles = {f.evidence.article_id or f.id for f in members}
        out.append(
            FactGroup(
                group_key=key, fact=best, source_count=len(articles), sources=[source(f) for f in members]
            )
        )
    return out


class Catalog:
    """The read side of the API over one backend; every method is what one endpoint returns."""

    def __init__(self, backend: SearchBackend, cache: ResponseCache | None = None) -> None:
        self.backend = backend
        self.cache = cache or ResponseCache(0)

    def search_articles(self, query: ArticleSearch) -> Page[ArticleHit]:
        """Full-text search with highlights and filters."""
        hits, total, exact = self.backend.search_articles(query)
        return Page[ArticleHit](items=hits, total=total, exact=exact, limit=query.limit, offset=query.offset)

    def article(self, article_id: str) -> ArticleDetail | None:
        """An article's metadata, text, facts and raw-HTML link (None when unknown)."""
        doc = self.backend.get_article(article_id)
        if doc is None:
            return None
        facts, _, _ = self.backend.find_facts(FactFilter(article_id=article_id, limit=PAGE_FACTS))
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

    def fact(self, fact_id: str) -> FactDetail | None:
        """A fact with its corroborating sources and the statements that conflict with it."""
        found = self.backend.get_facts([fact_id])
        if not found:
            return None
        fact = found[0]
        same, _, _ = self.backend.find_facts(FactFilter(group_keys=(fact.group_key,), limit=PAGE_FACTS))
        others = [f for f in same if f.id != fact.id]
        conflicting: list[FactGroup] = []
        slot = self._slot_of(fact)
        if slot:
            rivals, _, _ = self.backend.find_facts(FactFilter(slot_keys=(slot,), limit=PAGE_FACTS))
            conflicting = group([f for f in rivals if f.group_key != fact.group_key])
        articles = {f.evidence.article_id for f in [fact, *others]}
        return FactDetail(
            **fact.model_dump(),
            source_count=len(articles),
            corroborating=[source(f) for f in others],
            conflicting=conflicting,
        )

    def _slot_of(self, fact: FactOut) -> str | None:
        return slot_key({"type": fact.type, **fact.fields}, fact.unit_id, fact.cluster_id)

    def resolve_clusters(self, cluster: str, province: str | None) -> tuple[str, ...]:
        """Cluster ids a parameter names: an id, a name within a province, or a name in any province."""
        if province:
            return (cluster_id(cluster, province),)
        if "--" in cluster:
            return (cluster,)
        key = cluster_key(cluster)
        words = " ".join(key.split("-"))
        named, _ = self.backend.list_entities(EntityFilter(kind="cluster", q=words, limit=200))
        ids = sorted({e.id for e in named if e.id == key or e.id.endswith("--" + key)})
        return tuple(ids) or (key,)

    def clusters(self, flt: EntityFilter) -> Page[EntityOut]:
        """Resolved clusters (or units) by name."""
        items, total = self.backend.list_entities(flt)
        return Page[EntityOut](items=items, total=total, limit=flt.limit, offset=flt.offset)

    def cluster(self, cid: str) -> ClusterDetail | None:
        """A cluster's members, chairs by year, awards, themes and movements, events."""
        entity = self.backend.get_entity("cluster", cid)
        if entity is None:
            return None
        facts, _, _ = self.backend.find_facts(FactFilter(cluster_ids=(cid,), limit=PAGE_FACTS))
        articles = tuple(sorted({f.evidence.article_id for f in facts if f.evidence.article_id}))[:200]
        context: list[FactOut] = []
        if articles:
            flt = FactFilter(article_ids=articles, types=("award", "award_count", "slogan"), limit=PAGE_FACTS)
            context = self.backend.find_facts(flt)[0]
        members = _members(facts)
        member_ids = {m.unit_id for m in members}
        awards = [f for f in context if f.type != "slogan" and (not member_ids or f.unit_id in member_ids)]
        return ClusterDetail(
            **entity.model_dump(),
            members=members,
            chairs=_roles([f for f in facts if f.type == "chair"]),
            awards=group(awards),
            slogans=group([f for f in context if f.type == "slogan"]),
            events=group([f for f in facts if f.type == "event"]),
        )

    def unit(self, uid: str) -> UnitDetail | None:
        """A unit's clusters, years chaired and awards received."""
        entity = self.backend.get_entity("unit", uid)
        if entity is None:
            return None
        facts, _, _ = self.backend.find_facts(FactFilter(unit_id=uid, limit=PAGE_FACTS))
        clusters: dict[str, ClusterRef] = {}
        for f in facts:
            if f.type in ("member", "chair") and f.cluster_id:
                ref = clusters.setdefault(
                    f.cluster_id,
                    ClusterRef(
                        id=f.cluster_id, name=str(f.fields.get("cluster")), province=f.province, years=[]
                    ),
                )
                if f.year and f.year not in ref.years:
                    ref.years = sorted([*ref.years, f.year])
        return UnitDetail(
            **entity.model_dump(),
            clusters=list(clusters.values()),
            roles=_roles([f for f in facts if f.type == "chair"]),
            awards=group([f for f in facts if f.type in ("award", "award_count")]),
        )

    def timeline(self, flt: FactFilter) -> Page[TimelineItem]:
        """Dated facts in order, each statement once with its number of sources."""
        facts, total, exact = self.backend.find_facts(replace(flt, dated_only=True))
        items = [
            TimelineItem(
                date=g.fact.date or "", label=label(g.fact), fact=g.fact, source_count=g.source_count
            )
            for g in group(facts)
        ]
        return Page[TimelineItem](items=items, total=total, exact=exact, limit=flt.limit, offset=flt.offset)

    def timeline_json(self, flt: FactFilter) -> str:
        """`timeline` serialised, assembled from the facts' ready JSON (cached like `search_json`)."""
        return self.cache.get(("timeline", flt), self.backend.generation, lambda: self._timeline_json(flt))

    def _timeline_json(self, flt: FactFilter) -> str:
        facts, total, exact = self.backend.find_fact_json(replace(flt, dated_only=True))
        return emit.page(emit.timeline_items(facts), total, exact, flt.limit, flt.offset)

    def check(self, unit: str, role: str | None, year: int | None, award: str | None) -> CheckResult:
        """Supported, contradicted (with what the sources say instead) or not found, with evidence."""
        uid = unit_id(unit)
        claim = CheckQueryOut(unit=unit, unit_id=uid, role=role, award=award, year=year)
        if award:
            return self._check_award(claim, award)
        return self._check_role(claim, role or "chair")

    def _check_award(self, claim: CheckQueryOut, award: str) -> CheckResult:
        base = FactFilter(types=("award",), unit_id=claim.unit_id, year=claim.year, limit=PAGE_FACTS)
        hits = self.backend.find_facts(replace(base, award_key=text_key(award)))[0]
        if hits:
            return _verdict("supported", claim, hits, [])
        other = self.backend.find_facts(base)[0]
        return _verdict("contradicted" if other else "not_found", claim, [], other)

    def _check_role(self, claim: CheckQueryOut, role: str) -> CheckResult:
        mine = FactFilter(types=("chair",), unit_id=claim.unit_id, year=claim.year, limit=PAGE_FACTS)
        held = self.backend.find_facts(mine)[0]
        hits = [f for f in held if f.fields.get("role") == role]
        slots = tuple({s for f in hits if (s := self._slot_of(f))})
        rivals = self.backend.find_facts(FactFilter(slot_keys=slots, limit=PAGE_FACTS))[0] if slots else []
        conflicts = [f for f in rivals if f.unit_id != claim.unit_id]
        if hits:
            return _verdict("supported", claim, hits, conflicts)
        clusters = self._clusters_of(claim.unit_id)
        others: list[FactOut] = []
        if clusters:
            flt = FactFilter(
                types=("chair",), cluster_ids=clusters, year=claim.year, role=role, limit=PAGE_FACTS
            )
            others = self.backend.find_facts(flt)[0]
        instead = others + [f for f in held if f.fields.get("role") != role]
        return _verdict("contradicted" if instead else "not_found", claim, [], instead)

    def _clusters_of(self, uid: str) -> tuple[str, ...]:
        flt = FactFilter(types=("member", "chair"), unit_id=uid, limit=PAGE_FACTS)
        return tuple(sorted({f.cluster_id for f in self.backend.find_facts(flt)[0] if f.cluster_id}))


Verdict = Literal["supported", "contradicted", "not_found"]


def _verdict(
    verdict: Verdict, claim: CheckQueryOut, evidence: list[FactOut], instead: list[FactOut]
) -> CheckResult:
    what = f"{claim.unit} {claim.award or claim.role or 'chair'} {claim.year or ''}".strip()
    messages = {
        "supported": f"The sources state: {what}.",
        "contradicted": f"No source states {what}; the sources say otherwise (see `instead`).",
        "not_found": f"No source states {what} or anything that contradicts it.",
    }
    message = messages[verdict]
    if verdict == "supported" and instead:
        message += " Some sources state otherwise (see `instead`)."
    return CheckResult(
        verdict=verdict,
        message=message,
        claim=claim,
        evidence=group(evidence),
        instead=group(instead),
    )


def _members(facts: list[FactOut]) -> list[MemberOut]:
    by_unit: dict[str, list[FactOut]] = defaultdict(list)
    for f in facts:
        if f.type == "member" and f.unit_id:
            by_unit[f.unit_id].append(f)
    return [
        MemberOut(
            unit_id=uid,
            unit=str(fs[0].fields.get("member")),
            years=sorted({f.year for f in fs if f.year}),
            source_count=len({f.evidence.article_id for f in fs}),
        )
        for uid, fs in sorted(by_unit.items())
    ]


def _roles(facts: list[FactOut]) -> list[RoleYear]:
    slots: dict[tuple[int, str, str], list[FactOut]] = defaultdict(list)
    for f in facts:
        slots[(f.year or 0, str(f.fields.get("role")), f.cluster_id or "")].append(f)
    return [
        RoleYear(
            year=year or None,
            role=role,
            cluster_id=cid or None,
            cluster=fs[0].fields.get("cluster"),
            holders=group(fs),
        )
        for (year, role, cid), fs in sorted(slots.items())
    ]
