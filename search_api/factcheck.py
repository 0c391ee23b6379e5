"""The fact-check: did a unit hold a role, or receive an award, in a year? (rules: docs/API.md)"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from search_api.groups import every_fact, group, slot_of
from search_api.query import FactFilter
from search_api.resolve import entity_key, text_key, unit_terms
from search_api.schemas import CheckQueryOut, CheckResult, FactOut
from search_api.stores.base import SearchBackend

_AWARDS = Path(__file__).with_name("data") / "awards.yaml"
Verdict = Literal["supported", "contradicted", "not_found"]


@lru_cache(maxsize=1)
def exclusive_awards() -> frozenset[str]:
    """Comparison keys of the awards that go to one unit of a cluster a year (data/awards.yaml)."""
    data = yaml.safe_load(_AWARDS.read_text(encoding="utf-8"))
    return frozenset(text_key(e["text"]) for e in data["exclusive"])


def check(
    backend: SearchBackend,
    unit: str,
    role: str | None,
    year: int | None,
    award: str | None,
    province: str | None = None,
    min_confidence: float | None = None,
) -> CheckResult:
    """Supported, contradicted (with what the sources say instead) or not found, with evidence. Every
    fact read, the unit's own and its clusters', is of `min_confidence` or more: a fact below it neither
    supports nor contradicts."""
    uid, ukey = unit_terms(unit, province)
    claim = CheckQueryOut(
        unit=unit,
        unit_id=uid or ukey or "-",
        province=province,
        role=role,
        award=award,
        year=year,
        min_confidence=min_confidence,
    )
    mine = FactFilter(unit_id=uid, unit_key=ukey, year=year, min_confidence=min_confidence)
    if award:
        return _check_award(backend, claim, mine, award)
    return _check_role(backend, claim, mine, role or "chair")


def _every(backend: SearchBackend, flt: FactFilter) -> list[FactOut]:
    return every_fact(backend, flt)[0]


def _check_award(backend: SearchBackend, claim: CheckQueryOut, mine: FactFilter, award: str) -> CheckResult:
    """Another award is context, never a contradiction; proposed is reported as not confirmed conferred;
    only an exclusive award stated for another unit of the same cluster and year contradicts."""
    key = text_key(award)
    received = _every(backend, replace(mine, types=("award",)))
    hits = [f for f in received if text_key(f.fields.get("award")) == key]
    others = [f for f in received if text_key(f.fields.get("award")) != key]
    if hits:
        proposed_only = all(f.fields.get("status") == "proposed" for f in hits)
        note = " (proposed, not confirmed conferred)" if proposed_only else ""
        return _verdict("supported", claim, hits, [], others, note)
    rivals = _exclusive_rivals(backend, claim, mine, key) if key in exclusive_awards() else []
    return _verdict("contradicted" if rivals else "not_found", claim, [], rivals, others)


def _exclusive_rivals(
    backend: SearchBackend, claim: CheckQueryOut, mine: FactFilter, key: str
) -> list[FactOut]:
    """The same exclusive award stated for another unit of one of the unit's clusters that year."""
    if claim.year is None:
        return []
    clusters, provinces = _clusters_of(backend, mine)
    if not clusters:
        return []
    floor = mine.min_confidence
    seated = _every(
        backend, FactFilter(types=("member", "chair"), cluster_ids=clusters, min_confidence=floor)
    )
    members = {f.unit_id for f in seated if f.unit_id}
    ours = {f.unit_id for f in seated if f.unit_id and _is_ours(f, mine)}
    rivals: list[FactOut] = []
    scopes: list[str | None] = [*sorted(provinces)] or [None]
    for pkey in scopes:
        flt = FactFilter(
            types=("award",), award_key=key, year=claim.year, province_key=pkey, min_confidence=floor
        )
        rivals += [f for f in _every(backend, flt) if f.unit_id in members - ours]
    return rivals


def _is_ours(fact: FactOut, mine: FactFilter) -> bool:
    if mine.unit_id:
        return fact.unit_id == mine.unit_id
    return fact.unit_id is not None and entity_key(fact.unit_id) == mine.unit_key


def _clusters_of(backend: SearchBackend, mine: FactFilter) -> tuple[tuple[str, ...], set[str]]:
    """The clusters the unit is a member or chair of (any year), and the provinces of those facts."""
    facts = _every(backend, replace(mine, types=("member", "chair"), year=None))
    clusters = tuple(sorted({f.cluster_id for f in facts if f.cluster_id}))
    provinces = {f.cluster_id.split("--")[0] for f in facts if f.cluster_id and "--" in f.cluster_id}
    return clusters, provinces


def _check_role(backend: SearchBackend, claim: CheckQueryOut, mine: FactFilter, role: str) -> CheckResult:
    held = _every(backend, replace(mine, types=("chair",)))
    hits = [f for f in held if f.fields.get("role") == role]
    units = {f.unit_id for f in held}
    slots = tuple(sorted({s for f in hits if (s := slot_of(f))}))
    rivals = _every(backend, FactFilter(slot_keys=slots, min_confidence=mine.min_confidence)) if slots else []
    conflicts = [f for f in rivals if f.unit_id not in units]
    if hits:
        return _verdict("supported", claim, hits, conflicts, [])
    clusters, _ = _clusters_of(backend, mine)
    others: list[FactOut] = []
    if clusters:
        flt = replace(mine, unit_id=None, unit_key=None, types=("chair",), cluster_ids=clusters, role=role)
        others = _every(backend, flt)
    instead = others + [f for f in held if f.fields.get("role") != role]
    return _verdict("contradicted" if instead else "not_found", claim, [], instead, [])


def _verdict(
    verdict: Verdict,
    claim: CheckQueryOut,
    evidence: list[FactOut],
    instead: list[FactOut],
    context: list[FactOut],
    note: str = "",
) -> CheckResult:
    what = f"{claim.unit} {claim.award or claim.role or 'chair'} {claim.year or ''}".strip()
    messages = {
        "supported": f"The sources state: {what}{note}.",
        "contradicted": f"No source states {what}; the sources say otherwise (see `instead`).",
        "not_found": f"No source states {what} or anything that contradicts it.",
    }
    message = messages[verdict]
    if verdict == "supported" and instead:
        message += " Some sources state otherwise (see `instead`)."
    if context:
        message += " Other awards of the unit are listed in `context` (another award is no contradiction)."
    if claim.min_confidence is not None:
        message += f" Only facts of confidence {claim.min_confidence:g} or more were considered."
    about = {f.unit_id: f.province for f in [*evidence, *context] if f.unit_id}
    if len(about) > 1:
        named = ", ".join(f"{uid} ({where or 'province unknown'})" for uid, where in sorted(about.items()))
        message += (
            f" The name matches units of several provinces: {named}; each source says which province its fact"
            " is about; give `province` to check one."
        )
    return CheckResult(
        verdict=verdict,
        message=message,
        claim=claim.model_copy(update={"unit_ids": sorted(about)}),
        evidence=group(evidence),
        instead=group(instead),
        context=group(context),
    )
