"""Facts read back in full and grouped into statements with their sources counted."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from search_api.query import TOTAL_CAP, FactFilter
from search_api.resolve import slot_key
from search_api.schemas import FactGroup, FactOut, SourceOut
from search_api.stores.base import SearchBackend

# The most facts a detail page or a check reads (Elasticsearch's default result window).
DETAIL_CAP = TOTAL_CAP


def source(fact: FactOut) -> SourceOut:
    """The article a fact was read from, and the unit and province the fact is about."""
    ev = fact.evidence
    return SourceOut(
        fact_id=fact.id,
        article_id=ev.article_id,
        url=ev.url,
        published=ev.published,
        sentence=ev.sentence,
        unit_id=fact.unit_id,
        province=fact.province,
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


def every_fact(backend: SearchBackend, flt: FactFilter) -> tuple[list[FactOut], bool]:
    """Every fact matching the filter in date order, up to DETAIL_CAP, in one read (paging with
    offsets would re-read every earlier page); and whether that is all of them."""
    facts, total, exact = backend.find_facts(replace(flt, limit=DETAIL_CAP, offset=0))
    return facts, len(facts) < DETAIL_CAP or (exact and total <= len(facts))


def every_fact_of(
    backend: SearchBackend, flt: FactFilter, article_ids: list[str]
) -> tuple[list[FactOut], bool]:
    """`every_fact` over many articles, asked in chunks so no query carries thousands of ids."""
    facts: list[FactOut] = []
    complete = True
    for start in range(0, len(article_ids), 500):
        chunk, whole = every_fact(backend, replace(flt, article_ids=tuple(article_ids[start : start + 500])))
        facts.extend(chunk)
        complete = complete and whole
        if len(facts) >= DETAIL_CAP:
            return facts, complete and start + 500 >= len(article_ids)
    return facts, complete


def slot_of(fact: FactOut) -> str | None:
    """The slot a stored fact competes for (see `search_api.resolve.slot_key`)."""
    return slot_key({"type": fact.type, **fact.fields}, fact.unit_id, fact.cluster_id)
