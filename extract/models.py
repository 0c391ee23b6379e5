"""Fact models: the shape SCHEMA.md gives every fact the system stores, serves or exports."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class Evidence(BaseModel):
    """Where a fact was read: the sentence and its character span in the normalised text."""

    model_config = ConfigDict(extra="allow")

    article_id: str | None = None
    url: str | None = None
    published: str | None = None
    sentence: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    rule: str | None = None


class FactBase(BaseModel):
    """Fields every fact carries; extra fields (unit_kind, body, unit_today …) are allowed. Each type
    declares its keys here once; scoring, de-duplication and the API's statements read them."""

    model_config = ConfigDict(extra="allow")
    SCORE_KEY: ClassVar[tuple[str, ...]] = ()  # SCHEMA.md's scoring key
    DEDUPE_KEY: ClassVar[tuple[str, ...]] = ()  # one statement within an article
    IDENTITY_KEY: ClassVar[tuple[str, ...]] = ()  # one statement across articles (search_api)
    UNIT_FIELD: ClassVar[str | None] = None  # the field naming a unit (member, chair unit, recipient)

    evidence: Evidence
    confidence: float = Field(default=0.9, ge=0.0, le=1.0)

    def key_fields(self) -> dict[str, Any]:
        """The fields that identify the statement (SCHEMA.md's scoring keys plus context)."""
        data = self.model_dump(exclude={"evidence", "confidence"})
        return dict(sorted(data.items()))

    def fact_id(self, article_id: str | None = None) -> str:
        """Stable id: a hash of the article, the type and the key fields."""
        aid = article_id or self.evidence.article_id or ""
        payload = json.dumps([aid, self.key_fields()], ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:20]


class ClusterFact(FactBase):
    type: Literal["cluster"] = "cluster"
    SCORE_KEY: ClassVar[tuple[str, ...]] = ("name",)
    DEDUPE_KEY: ClassVar[tuple[str, ...]] = ("name",)
    IDENTITY_KEY: ClassVar[tuple[str, ...]] = ("name",)
    name: str
    province: str | None = None


class MemberFact(FactBase):
    type: Literal["member"] = "member"
    UNIT_FIELD: ClassVar[str | None] = "member"
    SCORE_KEY: ClassVar[tuple[str, ...]] = ("member",)
    DEDUPE_KEY: ClassVar[tuple[str, ...]] = ("cluster", "member")
    IDENTITY_KEY: ClassVar[tuple[str, ...]] = ("member", "cluster", "year")
    cluster: str | None = None
    member: str
    year: int | None = None


class ChairFact(FactBase):
    type: Literal["chair"] = "chair"
    UNIT_FIELD: ClassVar[str | None] = "unit"
    SCORE_KEY: ClassVar[tuple[str, ...]] = ("role", "unit", "year")
    DEDUPE_KEY: ClassVar[tuple[str, ...]] = ("cluster", "role", "unit", "year")
    IDENTITY_KEY: ClassVar[tuple[str, ...]] = ("role", "unit", "year", "cluster")
    cluster: str | None = None
    year: int | None = None
    role: Literal["chair", "vice_chair"]
    unit: str


class AwardFact(FactBase):
    type: Literal["award"] = "award"
    UNIT_FIELD: ClassVar[str | None] = "recipient"
    SCORE_KEY: ClassVar[tuple[str, ...]] = ("recipient", "award", "year")
    DEDUPE_KEY: ClassVar[tuple[str, ...]] = ("recipient", "award", "year")
    IDENTITY_KEY: ClassVar[tuple[str, ...]] = ("recipient", "award", "year", "status")
    recipient: str
    award: str
    conferred_by: str | None = None
    year: int | None = None
    status: Literal["proposed", "conferred"] | None = None


class AwardCountFact(FactBase):
    type: Literal["award_count"] = "award_count"
    SCORE_KEY: ClassVar[tuple[str, ...]] = ("scope", "award", "count")
    DEDUPE_KEY: ClassVar[tuple[str, ...]] = ("scope", "award", "count", "recipient_kind")
    IDENTITY_KEY: ClassVar[tuple[str, ...]] = ("scope", "award", "count", "recipient_kind", "year")
    scope: str | None = None
    award: str
    count: int = Field(ge=0)
    recipient_kind: Literal["individual", "collective"] | None = None
    year: int | None = None


class SloganFact(FactBase):
    type: Literal["slogan"] = "slogan"
    SCORE_KEY: ClassVar[tuple[str, ...]] = ("text",)
    DEDUPE_KEY: ClassVar[tuple[str, ...]] = ("text",)
    IDENTITY_KEY: ClassVar[tuple[str, ...]] = ("text", "kind", "year")
    text: str
    kind: Literal["theme", "movement"]
    year: int | None = None


class EventFact(FactBase):
    type: Literal["event"] = "event"
    SCORE_KEY: ClassVar[tuple[str, ...]] = ("kind", "date")
    DEDUPE_KEY: ClassVar[tuple[str, ...]] = ("kind", "date")
    IDENTITY_KEY: ClassVar[tuple[str, ...]] = ("kind", "date", "cluster")
    kind: Literal["review", "signing", "launch", "other"]
    date: str | None = None
    place: str | None = None
    cluster: str | None = None


class PersonFact(FactBase):
    type: Literal["person"] = "person"
    SCORE_KEY: ClassVar[tuple[str, ...]] = ("name",)
    DEDUPE_KEY: ClassVar[tuple[str, ...]] = ("name",)
    IDENTITY_KEY: ClassVar[tuple[str, ...]] = ("name", "unit")
    name: str
    title: str | None = None
    unit: str | None = None


Fact = Annotated[
    ClusterFact | MemberFact | ChairFact | AwardFact | AwardCountFact | SloganFact | EventFact | PersonFact,
    Field(discriminator="type"),
]

FACT_MODELS: tuple[type[FactBase], ...] = get_args(get_args(Fact)[0])
FACT_TYPES: tuple[str, ...] = tuple(str(m.model_fields["type"].default) for m in FACT_MODELS)
# Each type's keys, read from its model: one edit declares a type or a key.
_BY_TYPE = dict(zip(FACT_TYPES, FACT_MODELS, strict=True))
SCORE_KEYS: dict[str, tuple[str, ...]] = {t: m.SCORE_KEY for t, m in _BY_TYPE.items()}
DEDUPE_KEYS: dict[str, tuple[str, ...]] = {t: m.DEDUPE_KEY for t, m in _BY_TYPE.items()}
IDENTITY_KEYS: dict[str, tuple[str, ...]] = {t: m.IDENTITY_KEY for t, m in _BY_TYPE.items()}
UNIT_FIELDS: dict[str, str] = {t: m.UNIT_FIELD for t, m in _BY_TYPE.items() if m.UNIT_FIELD}

fact_adapter: TypeAdapter[Fact] = TypeAdapter(Fact)


def parse_fact(data: dict[str, Any]) -> Fact:
    """Validate a fact dict (e.g. read back from storage) into its model."""
    return fact_adapter.validate_python(data)
