"""A direct ASGI path for the hottest GETs (article search, facts, timeline): the same filters and JSON
as the FastAPI routes without per-request dependency solving; whatever it does not fully recognise goes
to the routes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from runtime.settings import Settings
from search_api.catalog import Catalog
from search_api.deps import (
    CONFIDENCE_MAX,
    CONFIDENCE_MIN,
    FACT_TYPE_PATTERN,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_TEXT,
    ROLE_PATTERN,
    STATUS_PATTERN,
    YEAR_MAX,
    YEAR_MIN,
    build_fact_filter,
    confidence_floor,
)
from search_api.query import ArticleSearch, FactFilter
from search_api.resolve import province_key
from search_api.routers.articles import DATE, MAX_QUERY, calendar_date

_DIGITS = re.compile(r"[0-9]{1,6}")
# Plain decimals only (no sign, exponent, blanks or `nan`): parsed to the same float as pydantic does.
_DECIMAL = re.compile(r"[0-9]{1,3}(\.[0-9]{1,12})?")
_DATE = re.compile(DATE)
_HEADERS = [(b"content-type", b"application/json")]


def _int(low: int, high: int) -> Callable[[str], int | None]:
    def parse(value: str) -> int | None:
        return int(value) if _DIGITS.fullmatch(value) and low <= int(value) <= high else None

    return parse


def _number(low: float, high: float) -> Callable[[str], float | None]:
    def parse(value: str) -> float | None:
        return float(value) if _DECIMAL.fullmatch(value) and low <= float(value) <= high else None

    return parse


def _text(value: str) -> str | None:
    return value if 1 <= len(value) <= MAX_TEXT else None


def _pattern(pattern: str) -> Callable[[str], str | None]:
    regex = re.compile(pattern)
    return lambda value: value if regex.fullmatch(value) else None


def _date(value: str) -> str | None:
    if _DATE.fullmatch(value) is None:
        return None
    try:
        return calendar_date(value)
    except ValueError:
        return None


# The FastAPI routes' parameter rules (search_api.deps.fact_filter); a value outside them goes there.
RULES: dict[str, Callable[[str], Any]] = {
    "limit": _int(1, MAX_LIMIT),
    "offset": _int(0, MAX_OFFSET),
    "type": _pattern(FACT_TYPE_PATTERN),
    "unit": _text,
    "cluster": _text,
    "province": _text,
    "year": _int(YEAR_MIN, YEAR_MAX),
    "status": _pattern(STATUS_PATTERN),
    "role": _pattern(ROLE_PATTERN),
    "min_confidence": _number(CONFIDENCE_MIN, CONFIDENCE_MAX),
}


# The article search route's parameter rules (search_api.routers.articles.search_articles).
ARTICLE_RULES: dict[str, Callable[[str], Any]] = {
    "q": lambda value: value if len(value) <= MAX_QUERY else None,
    "province": _text,
    "site": _text,
    "date_from": _date,
    "date_to": _date,
    "limit": _int(1, MAX_LIMIT),
    "offset": _int(0, MAX_OFFSET),
}


def fact_params(query_string: bytes) -> dict[str, Any] | None:
    """Validated filter parameters, or None when any is unknown, repeated or invalid, or the page may
    pass the result window."""
    return _params(RULES, query_string)


def article_params(query_string: bytes) -> dict[str, Any] | None:
    """Validated article search parameters, or None when any is unknown, repeated or invalid."""
    return _params(ARTICLE_RULES, query_string)


def _params(rules: dict[str, Callable[[str], Any]], query_string: bytes) -> dict[str, Any] | None:
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)  # as Starlette parses
    params: dict[str, Any] = {}
    for name, raw in pairs:
        rule = rules.get(name)
        value = rule(raw) if rule and name not in params else None
        if value is None:
            return None
        params[name] = value
    # offset + limit past the result window: the routes answer 422 (with the route's default limit,
    # which this conservatively takes as the largest page).
    if params.get("offset", 0) + params.get("limit", MAX_LIMIT) > MAX_OFFSET:
        return None
    return params


def _fact_filter(catalog: Catalog, settings: Settings, params: dict[str, Any]) -> FactFilter:
    """The routes' filter: `min_confidence` as asked, else the configured default."""
    asked = params.pop("min_confidence", None)
    floor = confidence_floor(asked, settings.api_min_confidence)
    return build_fact_filter(catalog, **params, min_confidence=floor)


def _facts(catalog: Catalog, settings: Settings, params: dict[str, Any]) -> str | None:
    return catalog.facts_json(_fact_filter(catalog, settings, params))


def _timeline(catalog: Catalog, settings: Settings, params: dict[str, Any]) -> str | None:
    flt = _fact_filter(catalog, settings, params)
    if not flt.has_subject:
        return None
    return catalog.timeline_json(flt)


def _articles(catalog: Catalog, settings: Settings, params: dict[str, Any]) -> str | None:
    province = params.pop("province", None)
    query = ArticleSearch(province_key=province_key(province) or "-" if province else None, **params)
    return catalog.search_json(query)


Handler = Callable[[Catalog, Settings, dict[str, Any]], str | None]


class FastPath:
    """Serves GET <prefix>/articles, <prefix>/facts and <prefix>/timeline over the SQLite backend
    directly."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.routes: dict[str, tuple[dict[str, Callable[[str], Any]], Handler]] = {
            f"{prefix}/articles": (ARTICLE_RULES, _articles),
            f"{prefix}/facts": (RULES, _facts),
            f"{prefix}/timeline": (RULES, _timeline),
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        catalog: Catalog | None = getattr(scope["app"].state, "catalog", None) if route else None
        params = None
        if route and catalog and scope["method"] == "GET" and catalog.backend.name == "sqlite":
            params = _params(route[0], scope["query_string"])
        body = None
        if route and catalog and params is not None:
            body = route[1](catalog, scope["app"].state.settings, params)
        if body is None:
            await self.app(scope, receive, send)
            return
        data = body.encode("utf-8")
        headers = [*_HEADERS, (b"content-length", str(len(data)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": data})
