"""Maintainers' corrections of facts: the request, the history entry kept, and how entries apply to an
indexed fact (at correction time and again whenever its article is re-indexed)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from extract.models import FACT_MODELS
from search_api.factdocs import fact_doc
from search_api.schemas import CorrectionStatus, HistoryEntry
from search_api.stores.base import ArticleDoc, FactDoc

log = logging.getLogger("thidua.corrections")
# Fields an amendment may set besides the type's own: the extractor's extras that resolution reads.
EXTRA_FIELDS = frozenset({"province", "unit_kind"})
FIXED_FIELDS = frozenset({"id", "type", "evidence"})
DEFAULT_AUTHOR = "maintainer"


class CorrectionIn(BaseModel):
    """A correction: retract the fact, or amend some of its fields; either with a reason."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["retract", "amend"]
    reason: str = Field(min_length=3, max_length=2000, description="Why: shown in the fact's history.")
    fields: dict[str, Any] = Field(
        default={}, description="`amend` only: the new values by field name (null removes a field)."
    )
    by: str | None = Field(default=None, min_length=1, max_length=100, description="Who is correcting.")

    @model_validator(mode="after")
    def _fields_match_action(self) -> CorrectionIn:
        if self.action == "amend" and not self.fields:
            raise ValueError("an amendment needs `fields` to change")
        if self.action == "retract" and self.fields:
            raise ValueError("a retraction changes no fields: leave `fields` out")
        return self


class CorrectionError(ValueError):
    """A correction that cannot apply to this fact (the API answers 409 or 422 with the message)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@lru_cache(maxsize=16)
def amendable(fact_type: str) -> frozenset[str]:
    """The fields an amendment of a fact of this type may set: its model's, bar id, type and evidence."""
    for model in FACT_MODELS:
        if model.model_fields["type"].default == fact_type:
            return frozenset(model.model_fields) - FIXED_FIELDS | EXTRA_FIELDS
    return frozenset()


def new_entry(fact: FactDoc, request: CorrectionIn, now: datetime | None = None) -> HistoryEntry:
    """The history entry of `request` on the fact as it stands (the values it replaces kept)."""
    if fact.correction_status == "retracted":
        raise CorrectionError(f"Fact {fact.id!r} is retracted; a retraction is final.", status=409)
    allowed = amendable(fact.type)
    unknown = sorted(set(request.fields) - allowed)
    if unknown:
        raise CorrectionError(
            f"Fields {', '.join(unknown)} cannot be amended on a {fact.type} fact; "
            f"amendable: {', '.join(sorted(allowed))}."
        )
    data = json.loads(fact.data)
    return HistoryEntry(
        action=request.action,
        reason=request.reason.strip(),
        by=(request.by or DEFAULT_AUTHOR).strip() or DEFAULT_AUTHOR,
        at=(now or datetime.now(UTC)).isoformat(timespec="seconds"),
        fields=request.fields,
        previous={name: data.get(name) for name in request.fields},
    )


def history_of(doc: FactDoc) -> list[HistoryEntry]:
    """The corrections already applied to an indexed fact, oldest first."""
    return [HistoryEntry.model_validate(e) for e in json.loads(doc.history)] if doc.history else []


def status_of(history: Iterable[HistoryEntry]) -> CorrectionStatus:
    """Retracted once any entry retracts, amended once any amends, else as extracted."""
    actions = {e.action for e in history}
    return "retracted" if "retract" in actions else "amended" if "amend" in actions else "extracted"


def apply(doc: FactDoc, entries: list[HistoryEntry], article: ArticleDoc) -> FactDoc:
    """The fact with `entries` applied after those it already carries: amended fields set (and its ids,
    group and slot resolved again), status and history updated. Raises ValueError when the amended
    fact is no valid fact."""
    history = [*history_of(doc), *entries]
    data = json.loads(doc.data)
    amended = False
    for entry in entries:
        if entry.action == "amend":
            amended = True
            for name, value in entry.fields.items():
                if value is None:
                    data.pop(name, None)
                else:
                    data[name] = value
    out = replace(fact_doc(article, data, article.province), id=doc.id) if amended else doc
    return replace(out, correction_status=status_of(history), history=dump_history(history))


def dump_history(history: list[HistoryEntry]) -> str:
    """History entries as the JSON the backends store."""
    return json.dumps([e.model_dump() for e in history], ensure_ascii=False)


def apply_stored(
    facts: list[FactDoc], stored: dict[str, list[HistoryEntry]], articles: Iterable[ArticleDoc]
) -> list[FactDoc]:
    """Freshly extracted facts with the corrections kept for them applied again (a re-run never undoes
    one); an amendment that no longer applies to the new extraction is logged, its history kept."""
    if not stored:
        return facts
    by_id = {a.id: a for a in articles}
    out = []
    for fact in facts:
        entries = stored.get(fact.id)
        if entries and fact.article_id in by_id:
            try:
                fact = apply(fact, entries, by_id[fact.article_id])
            except ValueError as exc:
                log.warning("fact %s: its amendment no longer applies (%s); status kept", fact.id, exc)
                kept = apply(fact, [e for e in entries if e.action == "retract"], by_id[fact.article_id])
                fact = replace(kept, history=dump_history(entries))
        out.append(fact)
    return out
