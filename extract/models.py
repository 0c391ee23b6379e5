"""Fact models: the shape SCHEMA.md gives every fact the system stores, serves or exports."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

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
    """Fields every fact carries; extra fields (unit_kind, body, unit_today …) are allowed."""

    model_config = ConfigDict(extra="allow")

    evidence: Evidence
    confidence: float = Field(default=0.9, ge=0.0, le=1.0)

    def key_fields(self) -> dict[str, Any]:
        """The fields that identify the statement (SCHEMA.md's scoring keys plus context)."""
        data = self.model_dump(exclude={"evidence", "confidence"})
        return {k: v for k, v in sorted(data.items())}

    def fact_id(self, article_id: str | None = None) -> str:
        """Stable id: a hash of the article, the type and the key fields."""
        aid = article_id or self.evidence.article_id or ""
        payload = json.dumps([aid, self.key_fields()], ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:20]


class ClusterFact(FactBase):
    type: Literal["cluster"] = "cluster"
    name: str
    province: str | None = None


class MemberFact(FactBase):
    type: Literal["member"] = "member"
    cluster: str | None = None
    member: str
    year: int | None = None


class ChairFact(FactBase):
    type: Literal["chair"] = "chair"
    cluster: str | None = None
    year: int | None = None
    role: Literal["chair", "vice_chair"]
    unit: str


class AwardFact(FactBase):
    type: Literal["award"] = "award"
    recipient: str
    award: str
    conferred_by: str | None = None
    year: int | None = None
    status: Literal["proposed", "conferred"] | None = None


class AwardCountFact(FactBase):
    type: Literal["award_count"] = "award_count"
    scope: str | None = None
    award: str
    count: int = Field(ge=0)
    recipient_kind: Literal["individual", "collective"] | None = None
    year: int | None = None


class SloganFact(FactBase):
    type: Literal["slogan"] = "slogan"
    text: str
    kind: Literal["theme", "movement"]
    year: int | None = None


class EventFact(FactBase):
    type: Literal["event"] = "event"
    kind: Literal["review", "signing", "launch", "other"]
    date: str | None = None
    place: str | None = None
    cluster: str | None = None


class PersonFact(FactBase):
    type: Literal["person"] = "person"
    name: str
    title: str | None = None
    unit: str | None = None


Fact = Annotated[
    ClusterFact | MemberFact | ChairFact | AwardFact | AwardCountFact | SloganFact | EventFact | PersonFact,
    Field(discriminator="type"),
]

FACT_TYPES: tuple[str, ...] = (
    "cluster",
    "member",
    "chair",
    "award",
    "award_count",
    "slogan",
    "event",
    "person",
)

fact_adapter: TypeAdapter[Fact] = TypeAdapter(Fact)


def parse_fact(data: dict[str, Any]) -> Fact:
    """Validate a fact dict (e.g. read back from storage) into its model."""
    return fact_adapter.validate_python(data)
