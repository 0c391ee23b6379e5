"""Export any facts query as JSON Lines, CSV or TimelineJS."""

from __future__ import annotations

from itertools import islice
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from search_api.catalog import label
from search_api.deps import CatalogDep, FactFilterDep
from search_api.export import csv_lines, jsonl_lines, timelinejs

router = APIRouter(tags=["export"])


@router.get(
    "/export",
    response_class=StreamingResponse,
    response_model=None,
    responses={200: {"content": {"application/x-ndjson": {}, "text/csv": {}, "application/json": {}}}},
)
def export(
    request: Request,
    catalog: CatalogDep,
    flt: FactFilterDep,
    format: Annotated[
        str, Query(pattern="^(jsonl|csv|timelinejs)$", description="jsonl, csv or timelinejs")
    ] = "jsonl",
) -> StreamingResponse | JSONResponse:
    """The facts of the query (same filters as /facts, `min_confidence` included) in the chosen format,
    in date order from `offset`: `limit` of them when given, else all of them (up to the 10,000th)."""
    stop = flt.offset + flt.limit if "limit" in request.query_params else None
    facts = islice(catalog.iter_facts(flt), flt.offset, stop)
    if format == "timelinejs":
        return JSONResponse(timelinejs(facts, "thidua facts", label))
    if format == "csv":
        headers = {"Content-Disposition": 'attachment; filename="facts.csv"'}
        return StreamingResponse(csv_lines(facts), media_type="text/csv; charset=utf-8", headers=headers)
    return StreamingResponse(jsonl_lines(facts), media_type="application/x-ndjson")
