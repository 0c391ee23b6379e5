"""Timeline: a cluster's, a unit's or a province's dated facts in order."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from search_api.deps import CatalogDep, FactFilterDep, bad_parameter, read
from search_api.emit import json_response
from search_api.query import FactFilter
from search_api.schemas import Page, TimelineItem

router = APIRouter(tags=["timeline"])


def with_subject(flt: FactFilter) -> FactFilter:
    """The filter of a timeline: a 422 unless it names a cluster, a unit or a province."""
    if not flt.has_subject:
        bad_parameter("cluster", "Give at least one of the parameters cluster, unit or province.")
    return flt


@router.get("/timeline", response_model=Page[TimelineItem])
async def timeline(catalog: CatalogDep, flt: FactFilterDep) -> Response:
    """Dated items in order with evidence; needs `cluster`, `unit` or `province`."""
    return json_response(await read(catalog, catalog.timeline_json, with_subject(flt)))
