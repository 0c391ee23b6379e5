"""The fact-check: did a unit hold a role, or receive an award, in a year?"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from search_api.deps import CatalogDep, ConfidenceDep, bad_parameter
from search_api.params import MAX_TEXT, ROLE_PATTERN, Text, Year
from search_api.resolve import unit_id
from search_api.schemas import CheckResult

router = APIRouter(tags=["check"])


@router.get("/check", response_model=CheckResult)
def check(
    catalog: CatalogDep,
    unit: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="Unit name in any spelling.")],
    role: Annotated[str | None, Query(pattern=ROLE_PATTERN)] = None,
    year: Year = None,
    award: Annotated[str | None, Query(min_length=1, max_length=MAX_TEXT, description="Award name.")] = None,
    province: Text = None,
    *,
    floor: ConfidenceDep,
) -> CheckResult:
    """Supported, contradicted (with what the sources say instead) or not found, with the evidence;
    `province` narrows a name that units of several provinces share to that province's unit; only
    facts of `min_confidence` or more support or contradict the claim."""
    if not unit_id(unit):
        bad_parameter("unit", "The unit name has no letters or digits.")
    return catalog.check(unit, role, year, award, province, floor)
