"""Response models of the public API, kept apart from the storage models."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of results; `total` counts all matches (capped at `total_cap` when `exact` is false)."""

    items: list[T]
    total: int
    exact: bool = True
    limit: int
    offset: int


class EvidenceOut(BaseModel):
    """Where a fact was read: article, URL, publication date, sentence and its character span."""

    article_id: str | None = None
    url: str | None = None
    published: str | None = None
    sentence: str
    start: int
    end: int
    rule: str | None = None


CorrectionStatus = Literal["extracted", "amended", "retracted"]


class HistoryEntry(BaseModel):
    """One correction of a fact: what was done, why, by whom and when, and the values it replaced."""

    action: Literal["retract", "amend"]
    reason: str
    by: str = Field(description="Who made it (the name the maintainer gave).")
    at: str = Field(description="When, in UTC (ISO 8601).")
    fields: dict[str, Any] = Field(default={}, description="An amendment's new values (null: removed).")
    previous: dict[str, Any] = Field(default={}, description="The values those fields had before.")


class FactOut(BaseModel):
    """A fact as SCHEMA.md gives it (its own fields at the top level and in `fields`), with the ids
    it resolved to."""

    model_config = ConfigDict(extra="allow")

    id: str
    type: str
    fields: dict[str, Any] = Field(description="The fact's own fields (unit, cluster, year, …).")
    evidence: EvidenceOut
    confidence: float
    unit_id: str | None = Field(default=None, description="The unit's id: its province and its name's key.")
    unit_key: str | None = Field(default=None, description="The key of the unit's name, in any province.")
    cluster_id: str | None = None
    province: str | None = None
    year: int | None = None
    date: str | None = Field(default=None, description="When the fact happened, as precise as known.")
    group_key: str = Field(description="Facts stating the same thing share this key.")
    correction_status: CorrectionStatus = Field(
        default="extracted", description="`extracted` as read, `amended` or `retracted` by a maintainer."
    )
    history: list[HistoryEntry] = Field(default=[], description="The corrections, oldest first.")


class SourceOut(BaseModel):
    """One article stating a fact."""

    fact_id: str
    article_id: str | None
    url: str | None
    published: str | None
    sentence: str
    unit_id: str | None = Field(default=None, description="The unit the source's fact is about.")
    province: str | None = Field(default=None, description="The province the source's fact is about.")


class FactGroup(BaseModel):
    """Facts from several articles that state the same thing, with their sources counted."""

    group_key: str
    fact: FactOut
    source_count: int
    sources: list[SourceOut]


class FactDetail(FactOut):
    """A fact with the other articles that corroborate it and the statements that conflict with it."""

    source_count: int
    corroborating: list[SourceOut]
    conflicting: list[FactGroup]


class ArticleHit(BaseModel):
    """A search result: metadata and highlighted passages (matches wrapped in <mark>)."""

    id: str
    title: str
    url: str
    published: str | None = None
    site: str | None = None
    province: str | None = None
    score: float
    highlights: list[str]


class ArticleDetail(BaseModel):
    """An archived article: metadata, normalised text, its facts and a link to the raw HTML."""

    id: str
    title: str
    url: str
    canonical_url: str
    published: str | None = None
    site: str | None = None
    source: str | None = None
    province: str | None = None
    text: str
    raw_html_url: str | None = None
    facts: list[FactOut]


class EntityOut(BaseModel):
    """A resolved cluster or unit: one id for all its spellings."""

    id: str
    kind: Literal["cluster", "unit"]
    name: str
    province: str | None = None
    names: list[str] = Field(description="Spellings seen in the sources.")
    fact_count: int


class RoleYear(BaseModel):
    """Who held a cluster role in a year, with the statements (conflicting ones side by side)."""

    year: int | None
    role: str
    cluster_id: str | None = None
    cluster: str | None = None
    holders: list[FactGroup]


class MemberOut(BaseModel):
    """A member unit of a cluster, with the years stated and the sources."""

    unit_id: str
    unit: str
    years: list[int]
    source_count: int
    fact_id: str | None = Field(default=None, description="A fact stating the membership (its evidence).")
    article_id: str | None = None


class ListInfo(BaseModel):
    """One paged list of a cluster or unit page: how many items it has in all, the page size, and the
    cursor of the next page (None on the last)."""

    total: int
    limit: int
    next_cursor: str | None = None


class ClusterRef(BaseModel):
    """A cluster a unit belongs to."""

    id: str
    name: str
    province: str | None = None
    years: list[int]


class ClusterDetail(EntityOut):
    """A cluster's page: members, chairs by year, awards, themes and movements, events."""

    complete: bool = Field(
        default=True, description="False when the cluster has more facts than a page reads (10,000)."
    )

    lists: dict[str, ListInfo] = Field(
        default_factory=dict,
        description="Each paged list's total, page size and next cursor (`/{id}/{list}?cursor=`).",
    )
    members: list[MemberOut]
    chairs: list[RoleYear]
    awards: list[FactGroup]
    slogans: list[FactGroup]
    events: list[FactGroup]


class UnitDetail(EntityOut):
    """A unit's page: clusters joined, years chaired, awards received."""

    complete: bool = Field(
        default=True, description="False when the unit has more facts than a page reads (10,000)."
    )

    lists: dict[str, ListInfo] = Field(
        default_factory=dict,
        description="Each paged list's total, page size and next cursor (`/{id}/{list}?cursor=`).",
    )
    clusters: list[ClusterRef]
    roles: list[RoleYear]
    awards: list[FactGroup]


class ListPage(BaseModel):
    """A page of one list of a cluster or unit: members, chairs or roles (by year), or statements."""

    name: str = Field(description="Which list: members, chairs, awards, slogans, events, clusters, roles.")
    items: list[MemberOut] | list[ClusterRef] | list[RoleYear] | list[FactGroup]
    total: int
    limit: int
    next_cursor: str | None = None


class TimelineItem(BaseModel):
    """A dated item of a timeline with its evidence."""

    date: str
    label: str
    fact: FactOut
    source_count: int


class CheckQueryOut(BaseModel):
    """The claim that was checked, with the ids it resolved to."""

    unit: str
    unit_id: str = Field(description="The unit's id, or its name's key when no province narrows it.")
    province: str | None = None
    unit_ids: list[str] = Field(default=[], description="The units whose facts answered the claim.")
    role: str | None = None
    award: str | None = None
    year: int | None = None
    min_confidence: float | None = Field(
        default=None, description="The floor applied: every fact weighed had at least this confidence."
    )


class CheckResult(BaseModel):
    """The fact-check verdict with supporting evidence and what the sources say instead."""

    verdict: Literal["supported", "contradicted", "not_found"]
    message: str
    claim: CheckQueryOut
    evidence: list[FactGroup]
    instead: list[FactGroup]
    context: list[FactGroup] = Field(
        default=[], description="Related statements that neither support nor contradict (other awards)."
    )


class Health(BaseModel):
    """Liveness and the backend in use."""

    status: Literal["ok"]
    backend: str
    articles: int
    facts: int


class IndexReportOut(BaseModel):
    """What an index run did."""

    backend: str
    articles: int
    facts: int
    deleted: int
    seconds: float


class ErrorOut(BaseModel):
    """Every error answer: a clear message (and, for 422, the offending parameters)."""

    detail: Any


ERRORS = {
    400: "The request body is not JSON.",
    401: "The writing endpoints need `Authorization: Bearer <token>` with the configured token.",
    403: "Writing endpoints are disabled: no API token is configured.",
    404: "No such record.",
    409: "The request conflicts with the record's state (a retracted fact is corrected no further).",
    414: "The request URL is too long (refused before the app).",
    429: "Too many jobs are running; try again later (Retry-After).",
    431: "The request's headers are too large (refused before the app).",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, each answered as an ErrorOut in JSON (also on a
    route whose own answers are HTML)."""
    json_error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    return {code: {"model": ErrorOut, "description": ERRORS[code], "content": json_error} for code in codes}
