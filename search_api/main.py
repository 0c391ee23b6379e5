"""The FastAPI application: `create_app()` for uvicorn (`--factory`), the lifespan owning the backend."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from runtime.settings import Settings, get_settings
from search_api import phrases
from search_api.cache import ResponseCache
from search_api.catalog import Catalog
from search_api.fastpath import FastPath
from search_api.head import HeadAsGet
from search_api.job_store import open_job_store
from search_api.jobs import Jobs
from search_api.routers import (
    admin,
    articles,
    check,
    citations,
    clusters,
    corrections,
    export,
    fact_pages,
    facts,
    feeds,
    health,
    list_pages,
    pages,
    timeline,
    units,
)
from search_api.schemas import errors
from search_api.stores import open_backend

log = logging.getLogger("thidua.api")
API_PREFIX = "/api/v1"
# Request threads per backend: SQLite queries are short and CPU-bound (few threads, less GIL
# contention, one read connection each); Elasticsearch calls wait on the network.
THREADS = {"sqlite": 8, "elasticsearch": 40}


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("error serving %s %s", request.method, request.url.path)
    return JSONResponse({"detail": "Internal error; it has been logged."}, status_code=500)


def create_app(settings: Settings | None = None, *, fast_path: bool = True) -> FastAPI:
    """The API (read-only unless a token is configured) over the backend the settings select;
    `fast_path` serves the hottest GETs without FastAPI's per-request work (search_api.fastpath)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        backend = open_backend(settings)
        app.state.catalog = Catalog(backend, ResponseCache(settings.api_cache_mb * 2**20))
        app.state.jobs = Jobs(settings.jobs_dir, settings.api_max_jobs, open_job_store(settings, backend))
        to_thread.current_default_thread_limiter().total_tokens = THREADS[backend.name]
        phrases.dictionary()  # the query words' dictionary, loaded once before the first search
        # What start-up loaded (modules, lexicons, schemas) lives as long as the process: moved out of
        # the collector's way, a full collection scans only what requests left, not 100k+ objects.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            app.state.jobs.stop_all()
            backend.close()

    app = FastAPI(
        title="thidua",
        version="1",
        description="Emulation-and-commendation facts from Vietnam's provincial news, with their evidence.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_exception_handler(Exception, _unhandled)
    if fast_path:
        app.add_middleware(FastPath, prefix=API_PREFIX)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET"], allow_headers=["*"]
        )
    app.add_middleware(HeadAsGet)  # outermost: every GET route and the direct path answer HEAD too
    limits = errors(414, 431)  # answered by the HTTP protocol `thidua serve` runs (search_api.http_limits)
    app.include_router(health.router, responses=limits)
    for module in (articles, facts, corrections, citations, clusters, units, timeline, check, export, admin):
        app.include_router(module.router, prefix=API_PREFIX, responses=limits)
    app.include_router(pages.router)
    app.include_router(list_pages.router)
    app.include_router(fact_pages.router)
    app.include_router(feeds.router)
    return app
