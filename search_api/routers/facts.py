"""Facts: filtered lists and one fact with its evidence and corroborating sources."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from search_api.deps import CatalogDep, FactFilterDep
from search_api.schemas import FactDetail, FactOut, Page

router = APIRouter(tags=["facts"])


@router.get("/facts", response_model=Page[FactOut])
def list_facts(catalog: CatalogDep, flt: FactFilterDep) -> Page[FactOut]:
    """Facts by type, unit, cluster, province, year, status and role, in date order."""
    return catalog.facts(flt)


@router.get("/facts/{fact_id}", response_model=FactDetail)
def get_fact(catalog: CatalogDep, fact_id: str) -> FactDetail:
    """A fact with its evidence, the other sources stating it and conflicting statements."""
    fact = catalog.fact(fact_id)
    if fact is None:
        raise HTTPException(404, f"No fact with id {fact_id!r}.")
    return fact
