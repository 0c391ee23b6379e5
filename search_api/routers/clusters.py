"""Clusters: the resolved list, one cluster's page, and a page of one of its lists."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from search_api.deps import CatalogDep, ConfidenceDep, check_window
from search_api.entity_lists import LIST_LIMIT, CursorError
from search_api.params import MAX_LIMIT, EntityQuery
from search_api.query import EntityFilter
from search_api.resolve import province_key
from search_api.schemas import ClusterDetail, EntityOut, ListPage, Page, errors

router = APIRouter(tags=["clusters"])
ListLimit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per list (each list is paged).")]
Cursor = Annotated[str | None, Query(max_length=1000, description="A list's `next_cursor`.")]


@router.get("/clusters", response_model=Page[EntityOut])
def list_clusters(catalog: CatalogDep, params: Annotated[EntityQuery, Query()]) -> Page[EntityOut]:
    """Clusters by name (diacritics optional), optionally in one province."""
    check_window(params.limit, params.offset)
    pkey = province_key(params.province) or "-" if params.province else None
    return catalog.clusters(
        EntityFilter(kind="cluster", q=params.q, province_key=pkey, limit=params.limit, offset=params.offset)
    )


@router.get("/clusters/{cluster_id}", response_model=ClusterDetail, responses=errors(404))
def get_cluster(
    catalog: CatalogDep, cluster_id: str, floor: ConfidenceDep, limit: ListLimit = LIST_LIMIT
) -> ClusterDetail:
    """Members, chair and vice-chair by year, awards, themes and movements, events, from the facts of
    `min_confidence` or more (`fact_count` counts all of them): the first `limit` of each list, with
    its total and next cursor in `lists`."""
    cluster = catalog.cluster(cluster_id, floor, limit)
    if cluster is None:
        raise HTTPException(404, f"No cluster with id {cluster_id!r}.")
    return cluster


@router.get("/clusters/{cluster_id}/{name}", response_model=ListPage, responses=errors(404))
def get_cluster_list(
    catalog: CatalogDep,
    cluster_id: str,
    name: Literal["members", "chairs", "awards", "slogans", "events"],
    floor: ConfidenceDep,
    limit: ListLimit = LIST_LIMIT,
    cursor: Cursor = None,
) -> ListPage:
    """A page of one of a cluster's lists, after `cursor` (the previous page's `next_cursor`)."""
    try:
        found = catalog.entity_list("cluster", cluster_id, name, floor, limit, cursor)
    except CursorError as exc:
        raise HTTPException(422, f"cursor: {exc}.") from exc
    if found is None:
        raise HTTPException(404, f"No cluster with id {cluster_id!r}.")
    return found
