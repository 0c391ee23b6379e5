"""A direct ASGI path for the hottest GETs over SQLite (article search, facts, timeline): the routes' own
query models and functions, without FastAPI's per-request routing and dependency solving (half the CPU of
such a request). A request they refuse goes on to the route, which answers it (422 and all)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from runtime.settings import Settings
from search_api.catalog import Catalog
from search_api.deps import confidence_floor, params_filter
from search_api.params import ArticleQuery, ConfidenceQuery, FactQuery
from search_api.query import FactFilter
from search_api.routers.articles import article_search
from search_api.routers.timeline import with_subject

Params = dict[str, str]
Handler = Callable[[Catalog, Settings, Params], str]
_HEADERS = [(b"content-type", b"application/json")]


def _fact_filter(catalog: Catalog, settings: Settings, params: Params) -> FactFilter:
    asked = ConfidenceQuery.model_validate(params).min_confidence
    floor = confidence_floor(asked, settings.api_min_confidence)
    return params_filter(catalog, FactQuery.model_validate(params), floor)


def _facts(catalog: Catalog, settings: Settings, params: Params) -> str:
    return catalog.facts_json(_fact_filter(catalog, settings, params))


def _timeline(catalog: Catalog, settings: Settings, params: Params) -> str:
    return catalog.timeline_json(with_subject(_fact_filter(catalog, settings, params)))


def _articles(catalog: Catalog, settings: Settings, params: Params) -> str:
    return catalog.search_json(article_search(ArticleQuery.model_validate(params)))


def answer(handler: Handler, catalog: Catalog, settings: Settings, query_string: bytes) -> str | None:
    """The route's JSON for this query string, or None when the route must answer (the query models or
    the route's rules refuse it). Parameters are read as the routes read them: a repeated one's last
    value, unknown ones ignored."""
    try:
        return handler(catalog, settings, dict(QueryParams(query_string)))
    except (ValidationError, RequestValidationError):
        return None


HANDLERS: dict[str, Handler] = {"articles": _articles, "facts": _facts, "timeline": _timeline}


class FastPath:
    """Serves GET <prefix>/articles, <prefix>/facts and <prefix>/timeline over the SQLite backend
    directly."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.handlers = {f"{prefix}/{name}": handler for name, handler in HANDLERS.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = self.handlers.get(scope["path"]) if scope["type"] == "http" else None
        catalog: Catalog | None = getattr(scope["app"].state, "catalog", None) if handler else None
        body = None
        if handler and catalog and scope["method"] == "GET" and catalog.backend.name == "sqlite":
            body = answer(handler, catalog, scope["app"].state.settings, scope["query_string"])
        if body is None:
            await self.app(scope, receive, send)
            return
        data = body.encode("utf-8")
        headers = [*_HEADERS, (b"content-length", str(len(data)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": data})
