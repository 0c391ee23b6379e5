"""Units: the resolved list and one unit's page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from search_api.deps import CatalogDep, ConfidenceDep, Limit, Offset, Text
from search_api.query import EntityFilter
from search_api.resolve import province_key
from search_api.schemas import EntityOut, Page, UnitDetail, errors

router = APIRouter(tags=["units"])


@router.get("/units", response_model=Page[EntityOut])
def list_units(
    catalog: CatalogDep, q: Text = None, province: Text = None, limit: Limit = 50, offset: Offset = 0
) -> Page[EntityOut]:
    """Units by name (diacritics optional), optionally in one province."""
    pkey = province_key(province) or "-" if province else None
    return catalog.clusters(EntityFilter(kind="unit", q=q, province_key=pkey, limit=limit, offset=offset))


@router.get("/units/{unit}", response_model=UnitDetail, responses=errors(404))
def get_unit(catalog: CatalogDep, unit: str, floor: ConfidenceDep) -> UnitDetail:
    """Clusters joined, years chaired, awards received, from the facts of `min_confidence` or more
    (`fact_count` counts all of them). The id names the province (`lam-dong--da-lat`); a name in any
    spelling works too when only one province has a unit of that name."""
    found = catalog.unit(unit, floor)
    if found is None:
        named = catalog.find_units(unit)
        if len(named) > 1:
            ids = ", ".join(f"{e.id} ({e.province or 'province unknown'})" for e in named)
            raise HTTPException(404, f"The name {unit!r} names units of several provinces: {ids}; use an id.")
        raise HTTPException(404, f"No unit with id {unit!r}.")
    return found
