"""Articles: full-text search with highlights, one article with its facts, its raw archived HTML."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse, Response

from search_api.deps import CatalogDep, ConfidenceDep, check_window, read
from search_api.emit import json_response
from search_api.params import ArticleQuery
from search_api.query import ArticleSearch
from search_api.resolve import province_key
from search_api.schemas import ArticleDetail, ArticleHit, Page, errors

router = APIRouter(tags=["articles"])


def article_search(params: ArticleQuery) -> ArticleSearch:
    """The search an ArticleQuery asks for: a page inside the result window (else a 422)."""
    check_window(params.limit, params.offset)
    return ArticleSearch(
        q=params.q,
        province_key=province_key(params.province) or "-" if params.province else None,
        site=params.site,
        date_from=params.date_from,
        date_to=params.date_to,
        limit=params.limit,
        offset=params.offset,
    )


@router.get("/articles", response_model=Page[ArticleHit])
async def search_articles(catalog: CatalogDep, params: Annotated[ArticleQuery, Query()]) -> Response:
    """Search articles; exact-diacritic matches rank first; matches are wrapped in <mark>."""
    return json_response(await read(catalog, catalog.search_json, article_search(params)))


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses=errors(404))
async def get_article(catalog: CatalogDep, article_id: str, floor: ConfidenceDep) -> Response:
    """An article's metadata, text and facts (those of `min_confidence` or more), with a link to the raw
    archived HTML."""
    article = await read(catalog, catalog.article, article_id, floor)
    if article is None:
        raise HTTPException(404, f"No article with id {article_id!r}.")
    return json_response(article.model_dump_json())


# The archived page is someone else's HTML: shown sandboxed (an opaque origin, no scripts, forms or
# pop-ups) and loading nothing, so its <img>, <script> or <link> cannot reach this app's origin (or
# tell the source who reads it); only its inline styles and data: images render.
RAW_HTML_CSP = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)


@router.get("/articles/{article_id}/raw", response_class=HTMLResponse, responses=errors(404))
def get_raw_html(catalog: CatalogDep, article_id: str) -> HTMLResponse:
    """The HTML as archived, sandboxed so its scripts cannot run and nothing loads from this origin."""
    raw = catalog.backend.raw_html(article_id)
    if raw is None:
        raise HTTPException(404, f"No archived HTML for article {article_id!r}.")
    name = re.sub(r"[^A-Za-z0-9_-]", "", article_id) or "article"
    headers = {
        "Content-Security-Policy": RAW_HTML_CSP,
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="{name}.html"',
        "Referrer-Policy": "no-referrer",
    }
    return HTMLResponse(raw, headers=headers)
