"""Facts: filtered lists and one fact with its evidence and corroborating sources."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from search_api.deps import CatalogDep, ConfidenceDep, FactFilterDep, read
from search_api.emit import json_response
from search_api.schemas import FactDetail, FactOut, Page, errors

router = APIRouter(tags=["facts"])


@router.get("/facts", response_model=Page[FactOut])
async def list_facts(catalog: CatalogDep, flt: FactFilterDep) -> Response:
    """Facts by type, unit, cluster, province, year, status, role and confidence, in date order."""
    return json_response(await read(catalog, catalog.facts_json, flt))


@router.get("/facts/{fact_id}", response_model=FactDetail, responses=errors(404))
async def get_fact(catalog: CatalogDep, fact_id: str, floor: ConfidenceDep) -> Response:
    """A fact with its evidence, the other sources stating it and conflicting statements (those of
    `min_confidence` or more; the fact asked for is answered whatever its confidence)."""
    fact = await read(catalog, catalog.fact, fact_id, floor)
    if fact is None:
        raise HTTPException(404, f"No fact with id {fact_id!r}.")
    return json_response(fact.model_dump_json())
