"""Clusters: the resolved list and one cluster's page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from search_api.deps import CatalogDep, ConfidenceDep, Limit, Offset, Text
from search_api.query import EntityFilter
from search_api.resolve import province_key
from search_api.schemas import ClusterDetail, EntityOut, Page, errors

router = APIRouter(tags=["clusters"])


@router.get("/clusters", response_model=Page[EntityOut])
def list_clusters(
    catalog: CatalogDep, q: Text = None, province: Text = None, limit: Limit = 50, offset: Offset = 0
) -> Page[EntityOut]:
    """Clusters by name (diacritics optional), optionally in one province."""
    pkey = province_key(province) or "-" if province else None
    return catalog.clusters(EntityFilter(kind="cluster", q=q, province_key=pkey, limit=limit, offset=offset))


@router.get("/clusters/{cluster_id}", response_model=ClusterDetail, responses=errors(404))
def get_cluster(catalog: CatalogDep, cluster_id: str, floor: ConfidenceDep) -> ClusterDetail:
    """Members, chair and vice-chair by year, awards, themes and movements, events, from the facts of
    `min_confidence` or more (`fact_count` counts all of them)."""
    cluster = catalog.cluster(cluster_id, floor)
    if cluster is None:
        raise HTTPException(404, f"No cluster with id {cluster_id!r}.")
    return cluster
