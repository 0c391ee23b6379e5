"""Corrections of facts by maintainers: retract or amend with a reason, kept in the fact's history."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from pydantic import ValidationError

from search_api.catalog import Catalog
from search_api.corrections import CorrectionError, CorrectionIn
from search_api.deps import CatalogDep, TokenDep, read
from search_api.schemas import FactDetail, errors

router = APIRouter(tags=["corrections"])


def apply_correction(catalog: Catalog, fact_id: str, body: CorrectionIn) -> FactDetail:
    """The corrected fact; 404 for an unknown fact, 409 for a retracted one, 422 for an amendment that
    makes no valid fact."""
    try:
        fact = catalog.correct(fact_id, body)
    except CorrectionError as exc:
        raise HTTPException(exc.status, str(exc)) from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise HTTPException(422, f"The amended fact is not valid: {problems}") from None
    except ValueError as exc:
        raise HTTPException(422, f"The amended fact is not valid: {exc}") from None
    if fact is None:
        raise HTTPException(404, f"No fact with id {fact_id!r}.")
    return fact


@router.post(
    "/facts/{fact_id}/corrections",
    response_model=FactDetail,
    status_code=201,
    responses=errors(401, 403, 404, 409),
)
async def correct_fact(catalog: CatalogDep, fact_id: str, body: CorrectionIn, _: TokenDep) -> Response:
    """Retract a fact or amend its fields, with a reason (`Authorization: Bearer <token>`). The original
    stays in the history (who, when, why, the values replaced); a retracted fact leaves lists,
    timelines, checks and exports unless `include_retracted=true`; re-indexing applies it again."""
    fact = await read(catalog, apply_correction, catalog, fact_id, body)
    location = {"Location": f"/api/v1/facts/{fact.id}"}
    return Response(fact.model_dump_json(), status_code=201, media_type="application/json", headers=location)
