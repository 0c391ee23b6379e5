"""Export any facts query as JSON Lines, CSV or TimelineJS, page after page with a cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from search_api.catalog import EXPORT_CAP, Catalog, label
from search_api.deps import CatalogDep, FactFilterDep, bad_parameter
from search_api.export import csv_lines, decode_cursor, encode_cursor, jsonl_lines, timelinejs
from search_api.pageviews import with_query
from search_api.query import FactFilter
from search_api.schemas import FactOut

router = APIRouter(tags=["export"])
Cursor = Annotated[
    str | None,
    Query(max_length=400, description="Where to go on: the cursor of the previous page's `rel=next` link."),
]


def export_page(
    catalog: Catalog, flt: FactFilter, size: int, cursor: str | None
) -> tuple[list[FactOut], str | None]:
    """One page of the export (`size` facts from `offset`, or after the cursor) and the next page's cursor
    when more facts match."""
    try:
        after = decode_cursor(cursor) if cursor is not None else None
    except ValueError as exc:
        bad_parameter("cursor", str(exc))
    facts, more = catalog.export_page(flt, size, after)
    return facts, encode_cursor(facts[-1]) if more else None


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
    cursor: Cursor = None,
) -> StreamingResponse | JSONResponse:
    """The facts of the query (same filters as /facts, `min_confidence` and `include_retracted` too) in
    the chosen format, in date order from `offset`: `limit` of them when given, else up to 10,000. When
    more match, `Link: <…&cursor=…>; rel="next"` (and `X-Next-Cursor`) gives the next page: following
    it pages through every matching fact, however many."""
    if cursor is not None and flt.offset:
        bad_parameter("cursor", "a cursor already says where to go on: leave `offset` out")
    size = flt.limit if "limit" in request.query_params else EXPORT_CAP
    facts, after = export_page(catalog, flt, size, cursor)
    headers: dict[str, str] = {}
    if after is not None:
        params = {k: v for k, v in request.query_params.items() if k not in ("offset", "cursor")}
        headers["Link"] = f'<{with_query(request.url.path, params, cursor=after)}>; rel="next"'
        headers["X-Next-Cursor"] = after
    if format == "timelinejs":
        return JSONResponse(timelinejs(facts, "thidua facts", label), headers=headers)
    if format == "csv":
        headers["Content-Disposition"] = 'attachment; filename="facts.csv"'
        return StreamingResponse(csv_lines(facts), media_type="text/csv; charset=utf-8", headers=headers)
    return StreamingResponse(jsonl_lines(facts), media_type="application/x-ndjson", headers=headers)
