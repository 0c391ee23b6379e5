"""Writing endpoints: bring the index up to date; they need the configured Bearer token."""

from __future__ import annotations

from fastapi import APIRouter

from corpus.store import CorpusStore
from search_api.deps import CatalogDep, SettingsDep, TokenDep
from search_api.indexing import sync_backend
from search_api.schemas import IndexReportOut

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/reindex", response_model=IndexReportOut)
def reindex(catalog: CatalogDep, settings: SettingsDep, _: TokenDep) -> IndexReportOut:
    """Index what changed in the corpus since the last run (idempotent)."""
    with CorpusStore(settings.db_path) as store:
        report = sync_backend(catalog.backend, store)
    return IndexReportOut(
        backend=report.backend,
        articles=report.articles,
        facts=report.facts,
        deleted=report.deleted,
        seconds=report.seconds,
    )
