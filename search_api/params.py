"""Query-parameter models of the list endpoints: their parameters, limits and messages, declared once
(FastAPI reads each as `Annotated[Model, Query()]`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

MAX_LIMIT = 200
MAX_OFFSET = 10_000
MAX_TEXT = 200
MAX_QUERY = 10_000
YEAR_MIN, YEAR_MAX = 1900, 2100
CONFIDENCE_MIN, CONFIDENCE_MAX = 0.0, 1.0
FACT_TYPE_PATTERN = "^(cluster|member|chair|award|award_count|slogan|event|person)$"
STATUS_PATTERN = "^(proposed|conferred)$"
ROLE_PATTERN = "^(chair|vice_chair)$"
DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"  # ASCII digits: `\d` also takes `٢` or `०`


def calendar_date(value: str | None) -> str | None:
    """An ISO date, month or year (DATE) that is on the calendar; a ValueError for `2022-02-31`,
    `2022-13` or year `0000`."""
    if value is not None:
        year, month, day = [*value.split("-"), "01", "01"][:3]
        date(int(year), int(month), int(day))
    return value


PageSize = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Page size.")]
Skip = Annotated[
    int, Field(ge=0, le=MAX_OFFSET, description=f"Items to skip; offset + limit must be ≤ {MAX_OFFSET:,}.")
]
Text = Annotated[str | None, Field(min_length=1, max_length=MAX_TEXT)]
Year = Annotated[int | None, Field(ge=YEAR_MIN, le=YEAR_MAX, description="Year the fact is about.")]
Date = Annotated[
    str | None,
    Field(pattern=DATE, description="ISO date, e.g. 2022-01-13 (or 2022-01, 2022)."),
    AfterValidator(calendar_date),
]
Confidence = Annotated[
    float | None,
    Field(
        ge=CONFIDENCE_MIN,
        le=CONFIDENCE_MAX,
        description="Only facts whose confidence (the probability that the fact is right) is at least "
        "this, from 0 to 1. Without it the server's default applies (`THIDUA_API_MIN_CONFIDENCE`, "
        "0 unless configured); 0 turns the filter off.",
    ),
]


class ConfidenceQuery(BaseModel):
    """`min_confidence` alone: the pages of one article, fact, cluster or unit, and the fact-check."""

    min_confidence: Confidence = None


class ArticleQuery(BaseModel):
    """`GET /articles`: full-text search with filters."""

    q: str = Field(
        "",
        max_length=MAX_QUERY,
        description="Words to find; diacritics optional; a word of several syllables (a place, "
        '"tổng kết") is found written together.',
    )
    province: Text = None
    site: Text = None
    date_from: Date = None
    date_to: Date = None
    limit: PageSize = 20
    offset: Skip = 0


class EntityQuery(BaseModel):
    """`GET /clusters` and `GET /units`: entities by name, optionally in one province."""

    q: Text = None
    province: Text = None
    limit: PageSize = 50
    offset: Skip = 0


class FactQuery(BaseModel):
    """`GET /facts`, `/timeline` and `/export`: which facts (names resolved, and `min_confidence` read from
    its `ConfidenceQuery`, by `deps.fact_filter`)."""

    limit: PageSize = 50
    offset: Skip = 0
    type: str | None = Field(None, pattern=FACT_TYPE_PATTERN, description="Fact type.")
    unit: str | None = Field(None, min_length=1, max_length=MAX_TEXT, description="Unit name or id.")
    cluster: str | None = Field(None, min_length=1, max_length=MAX_TEXT, description="Cluster name or id.")
    province: Text = None
    year: Year = None
    status: str | None = Field(None, pattern=STATUS_PATTERN)
    role: str | None = Field(None, pattern=ROLE_PATTERN)
    article: str | None = Field(
        None, min_length=1, max_length=64, description="Only the facts of this article id."
    )
    include_retracted: bool = Field(
        False, description="Also the facts a maintainer retracted (marked `correction_status: retracted`)."
    )
