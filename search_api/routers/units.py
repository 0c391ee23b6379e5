"""Units: the resolved list, one unit's page, and a page of one of its lists."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from search_api.deps import CatalogDep, ConfidenceDep, check_window
from search_api.entity_lists import LIST_LIMIT, CursorError
from search_api.params import EntityQuery
from search_api.query import EntityFilter
from search_api.resolve import province_key
from search_api.routers.clusters import Cursor, ListLimit
from search_api.schemas import EntityOut, ListPage, Page, UnitDetail, errors

router = APIRouter(tags=["units"])


@router.get("/units", response_model=Page[EntityOut])
def list_units(catalog: CatalogDep, params: Annotated[EntityQuery, Query()]) -> Page[EntityOut]:
    """Units by name (diacritics optional), optionally in one province."""
    check_window(params.limit, params.offset)
    pkey = province_key(params.province) or "-" if params.province else None
    return catalog.clusters(
        EntityFilter(kind="unit", q=params.q, province_key=pkey, limit=params.limit, offset=params.offset)
    )


def _not_found(catalog: CatalogDep, unit: str) -> HTTPException:
    named = catalog.find_units(unit)
    if len(named) > 1:
        ids = ", ".join(f"{e.id} ({e.province or 'province unknown'})" for e in named)
        return HTTPException(404, f"The name {unit!r} names units of several provinces: {ids}; use an id.")
    return HTTPException(404, f"No unit with id {unit!r}.")


@router.get("/units/{unit}", response_model=UnitDetail, responses=errors(404))
def get_unit(
    catalog: CatalogDep, unit: str, floor: ConfidenceDep, limit: ListLimit = LIST_LIMIT
) -> UnitDetail:
    """Clusters joined, years chaired, awards received, from the facts of `min_confidence` or more
    (`fact_count` counts all of them): the first `limit` of each list, with its total and next cursor in
    `lists`. The id names the province (`lam-dong--da-lat`); a name in any spelling works too when only
    one province has a unit of that name."""
    found = catalog.unit(unit, floor, limit)
    if found is None:
        raise _not_found(catalog, unit)
    return found


@router.get("/units/{unit}/{name}", response_model=ListPage, responses=errors(404))
def get_unit_list(
    catalog: CatalogDep,
    unit: str,
    name: Literal["clusters", "roles", "awards"],
    floor: ConfidenceDep,
    limit: ListLimit = LIST_LIMIT,
    cursor: Cursor = None,
) -> ListPage:
    """A page of one of a unit's lists, after `cursor` (the previous page's `next_cursor`)."""
    try:
        found = catalog.entity_list("unit", unit, name, floor, limit, cursor)
    except CursorError as exc:
        raise HTTPException(422, f"cursor: {exc}.") from exc
    if found is None:
        raise _not_found(catalog, unit)
    return found
