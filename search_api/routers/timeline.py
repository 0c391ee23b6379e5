"""Timeline: a cluster's, a unit's or a province's dated facts in order."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from search_api.deps import CatalogDep, FactFilterDep
from search_api.schemas import Page, TimelineItem

router = APIRouter(tags=["timeline"])


@router.get("/timeline", response_model=Page[TimelineItem])
def timeline(catalog: CatalogDep, flt: FactFilterDep) -> Page[TimelineItem]:
    """Dated items in order with evidence; needs `cluster`, `unit` or `province`."""
    if not (flt.cluster_ids or flt.unit_id or flt.province_key):
        raise HTTPException(422, "Give at least one of the parameters cluster, unit or province.")
    return catalog.timeline(flt)
