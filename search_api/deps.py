"""Dependency aliases: the catalog the lifespan opened, the settings, parsed filters, the admin token."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Query, Request

from search_api.catalog import Catalog
from search_api.query import FactFilter
from search_api.resolve import province_key, unit_id
from thidua.settings import Settings

MAX_OFFSET = 10_000


def get_catalog(request: Request) -> Catalog:
    """The catalog over the backend the app's lifespan opened."""
    catalog: Catalog = request.app.state.catalog
    return catalog


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
Limit = Annotated[int, Query(ge=1, le=200, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip (bounded).")]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="Year the fact is about.")]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]
FACT_TYPE_PATTERN = "^(cluster|member|chair|award|award_count|slogan|event|person)$"


def fact_filter(
    catalog: CatalogDep,
    limit: Limit = 50,
    offset: Offset = 0,
    type: Annotated[str | None, Query(pattern=FACT_TYPE_PATTERN, description="Fact type.")] = None,
    unit: Annotated[str | None, Query(min_length=1, max_length=200, description="Unit name or id.")] = None,
    cluster: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Cluster name or id.")
    ] = None,
    province: Text = None,
    year: Year = None,
    status: Annotated[str | None, Query(pattern="^(proposed|conferred)$")] = None,
    role: Annotated[str | None, Query(pattern="^(chair|vice_chair)$")] = None,
) -> FactFilter:
    """The fact filter the query parameters describe, names resolved to ids."""
    return FactFilter(
        types=(type,) if type else (),
        unit_id=unit_id(unit) or "-" if unit else None,
        cluster_ids=catalog.resolve_clusters(cluster, province) if cluster else (),
        province_key=province_key(province) or "-" if province and not cluster else None,
        year=year,
        status=status,
        role=role,
        limit=limit,
        offset=offset,
    )


FactFilterDep = Annotated[FactFilter, Depends(fact_filter)]


def require_token(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """Writing endpoints: off (403) without a configured token, 401 without the right Bearer token."""
    if not settings.api_token:
        raise HTTPException(
            403, "Writing endpoints are disabled: no API token is configured (THIDUA_API_TOKEN)."
        )
    expected = f"Bearer {settings.api_token}"
    if not authorization or not hmac.compare_digest(authorization.encode(), expected.encode()):
        raise HTTPException(401, "A valid 'Authorization: Bearer <token>' header is required.")


TokenDep = Annotated[None, Depends(require_token)]
