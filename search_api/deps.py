"""Dependency aliases: the catalog the lifespan opened, the settings, parsed filters, the admin token."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, NoReturn, ParamSpec, TypeVar

from fastapi import Depends, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError

from runtime.settings import Settings
from search_api.catalog import Catalog
from search_api.params import CONFIDENCE_MIN, MAX_OFFSET, ConfidenceQuery, FactQuery
from search_api.query import FactFilter
from search_api.resolve import province_key, unit_terms

P = ParamSpec("P")
R = TypeVar("R")


async def read(catalog: Catalog, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a catalog read: inline on SQLite (short CPU-bound queries: no thread hop, no GIL
    contention), in a worker thread for backends that wait on the network."""
    if catalog.backend.name == "sqlite":
        return fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)


async def get_catalog(request: Request) -> Catalog:
    """The catalog over the backend the app's lifespan opened."""
    catalog: Catalog = request.app.state.catalog
    return catalog


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def bad_parameter(name: str, msg: str) -> NoReturn:
    """A 422 in FastAPI's own validation-error shape, for rules that span parameters."""
    raise RequestValidationError([{"type": "value_error", "loc": ("query", name), "msg": msg}])


def check_window(limit: int, offset: int) -> None:
    """422 when a page reaches past the first MAX_OFFSET results: the window both stores serve
    (Elasticsearch's `index.max_result_window`)."""
    if offset + limit > MAX_OFFSET:
        bad_parameter(
            "offset",
            f"offset + limit must be at most {MAX_OFFSET:,} (got {offset} + {limit}); "
            "narrow the filters instead of paging further",
        )


def confidence_floor(asked: float | None, default: float) -> float | None:
    """The confidence a request's facts must reach: the value asked, else the configured default;
    None (no filter) when that is 0."""
    value = default if asked is None else asked
    return value if value > CONFIDENCE_MIN else None


async def confidence_param(
    settings: SettingsDep, params: Annotated[ConfidenceQuery, Query()]
) -> float | None:
    """`min_confidence`, or the configured default when absent (None: no filter)."""
    return confidence_floor(params.min_confidence, settings.api_min_confidence)


ConfidenceDep = Annotated[float | None, Depends(confidence_param)]


def build_fact_filter(
    catalog: Catalog,
    *,
    limit: int = 50,
    offset: int = 0,
    type: str | None = None,
    unit: str | None = None,
    cluster: str | None = None,
    province: str | None = None,
    year: int | None = None,
    status: str | None = None,
    role: str | None = None,
    article: str | None = None,
    min_confidence: float | None = None,
    include_retracted: bool = False,
) -> FactFilter:
    """The fact filter of validated query parameters, names resolved to ids (cluster names: catalog).

    `unit` is an id (with `--`: matched exactly), or a name in any spelling: with `province` the one
    unit of that province, else that name's units in every province. `min_confidence` is the floor
    already resolved (`confidence_floor`)."""
    uid, ukey = unit_terms(unit, province) if unit else (None, None)
    return FactFilter(
        types=(type,) if type else (),
        unit_id=uid,
        unit_key=ukey,
        cluster_ids=catalog.resolve_clusters(cluster, province) if cluster else (),
        province_key=province_key(province) or "-" if province and not cluster else None,
        year=year,
        status=status,
        role=role,
        article_id=article,
        min_confidence=min_confidence,
        include_retracted=include_retracted,
        limit=limit,
        offset=offset,
    )


def params_filter(catalog: Catalog, params: FactQuery, floor: float | None) -> FactFilter:
    """The fact filter of a FactQuery and the confidence floor (`confidence_floor`): a page inside the
    result window (else a 422), names resolved to ids."""
    check_window(params.limit, params.offset)
    return build_fact_filter(catalog, **params.model_dump(), min_confidence=floor)


async def fact_filter(
    catalog: CatalogDep, params: Annotated[FactQuery, Query()], floor: ConfidenceDep
) -> FactFilter:
    """The fact filter the query parameters describe."""
    return await read(catalog, params_filter, catalog, params, floor)


FactFilterDep = Annotated[FactFilter, Depends(fact_filter)]


def require_token(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """Writing endpoints: off (403) without a configured token (a blank one is none), 401 without the
    right Bearer token."""
    token = (settings.api_token or "").strip()
    if not token:
        raise HTTPException(
            403, "Writing endpoints are disabled: no API token is configured (THIDUA_API_TOKEN)."
        )
    expected = f"Bearer {token}"
    if not authorization or not hmac.compare_digest(authorization.encode(), expected.encode()):
        raise HTTPException(401, "A valid 'Authorization: Bearer <token>' header is required.")


TokenDep = Annotated[None, Depends(require_token)]
