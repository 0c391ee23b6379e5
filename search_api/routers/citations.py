"""Citations of a fact's source: CSL-JSON, BibTeX or ready-to-copy text in Vietnamese or English."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from search_api.catalog import Catalog
from search_api.citations import Source, bibtex, csl_json, source_of, text_citation
from search_api.deps import CatalogDep, read
from search_api.schemas import errors

router = APIRouter(tags=["citations"])
MEDIA = {
    "csl-json": "application/vnd.citationstyles.csl+json",
    "bibtex": "application/x-bibtex; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}


def cite(catalog: Catalog, fact_id: str, base_url: str) -> Source | None:
    """The citation data of a fact (retracted ones too: a citation may need to name one), accessed today."""
    fact = catalog.fact_alone(fact_id)
    if fact is None:
        return None
    article = catalog.source_article(fact.evidence.article_id)
    return source_of(fact, article, base_url, datetime.now(UTC).date().isoformat())


@router.get(
    "/facts/{fact_id}/citation",
    response_class=Response,
    responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}}, **errors(404)},
)
async def citation(
    request: Request,
    catalog: CatalogDep,
    fact_id: str,
    format: Annotated[str, Query(pattern="^(csl-json|bibtex|text)$", description="The format.")] = "csl-json",
    lang: Annotated[str, Query(pattern="^(vi|en)$", description="The language of `text`.")] = "vi",
) -> Response:
    """The fact's source (title, site, date, original URL, accessed date, archived copy, the fact's
    permalink) as CSL-JSON (an item list), a BibTeX entry or a ready-to-copy citation."""
    src = await read(catalog, cite, catalog, fact_id, str(request.base_url))
    if src is None:
        raise HTTPException(404, f"No fact with id {fact_id!r}.")
    if format == "bibtex":
        body = bibtex(src)
    elif format == "text":
        body = text_citation(src, lang) + "\n"
    else:
        body = json.dumps(csl_json(src), ensure_ascii=False, indent=2)
    return Response(body, media_type=MEDIA[format])
