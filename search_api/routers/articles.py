"""Articles: full-text search with highlights, one article with its facts, its raw archived HTML."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from search_api.deps import CatalogDep, ConfidenceDep, Limit, Offset, Text, read
from search_api.emit import json_response
from search_api.query import ArticleSearch
from search_api.resolve import province_key
from search_api.schemas import ArticleDetail, ArticleHit, Page

router = APIRouter(tags=["articles"])
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
MAX_QUERY = 10_000
Date = Annotated[str | None, Query(pattern=DATE, description="ISO date, e.g. 2022-01-13 (or 2022-01, 2022).")]


@router.get("/articles", response_model=Page[ArticleHit])
async def search_articles(
    catalog: CatalogDep,
    q: Annotated[str, Query(max_length=MAX_QUERY, description="Words to find; diacritics optional.")] = "",
    province: Text = None,
    site: Text = None,
    date_from: Date = None,
    date_to: Date = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Search articles; exact-diacritic matches rank first; matches are wrapped in <mark>."""
    query = ArticleSearch(
        q=q,
        province_key=province_key(province) or "-" if province else None,
        site=site,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
    )
    return json_response(await read(catalog, catalog.search_json, query))


@router.get("/articles/{article_id}", response_model=ArticleDetail)
async def get_article(catalog: CatalogDep, article_id: str, floor: ConfidenceDep) -> Response:
    """An article's metadata, text and facts (those of `min_confidence` or more), with a link to the raw
    archived HTML."""
    article = await read(catalog, catalog.article, article_id, floor)
    if article is None:
        raise HTTPException(404, f"No article with id {article_id!r}.")
    return json_response(article.model_dump_json())


@router.get("/articles/{article_id}/raw", response_class=HTMLResponse)
def get_raw_html(catalog: CatalogDep, article_id: str) -> HTMLResponse:
    """The HTML as archived, sandboxed so its scripts cannot run on this origin."""
    raw = catalog.backend.raw_html(article_id)
    if raw is None:
        raise HTTPException(404, f"No archived HTML for article {article_id!r}.")
    return HTMLResponse(raw, headers={"Content-Security-Policy": "sandbox"})
