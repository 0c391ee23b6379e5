"""Liveness: the backend answers and what it holds."""

from __future__ import annotations

from fastapi import APIRouter

from search_api.deps import CatalogDep
from search_api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(catalog: CatalogDep) -> Health:
    """The backend in use and how many articles and facts it serves."""
    articles, facts = catalog.backend.counts()
    return Health(status="ok", backend=catalog.backend.name, articles=articles, facts=facts)
