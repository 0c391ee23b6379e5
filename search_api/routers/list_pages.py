"""The web pages of one paged list of a cluster or a unit (members, chairs, awards, …), page by page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from search_api.deps import CatalogDep, SettingsDep
from search_api.entity_lists import CLUSTER_LISTS, LIST_LIMIT, UNIT_LISTS, CursorError
from search_api.forms import FormError
from search_api.pageviews import by_year, role_rows
from search_api.routers.pages import bad_request, confidence_context, more_links, not_found, render
from search_api.stores.base import EntityKind

router = APIRouter(include_in_schema=False)
Param = Annotated[str | None, Query(max_length=1000)]


@router.get("/clusters/{entity}/{name}", response_class=HTMLResponse)
def cluster_list_page(
    request: Request, catalog: CatalogDep, settings: SettingsDep, entity: str, name: str,
    cursor: Param = None, min_confidence: Param = None, start: Param = None,
) -> HTMLResponse:  # fmt: skip
    """A page of one of a cluster's lists, with a link to the next."""
    return _list_page(request, catalog, settings, "cluster", entity, name, cursor, min_confidence, start)


@router.get("/units/{entity}/{name}", response_class=HTMLResponse)
def unit_list_page(
    request: Request, catalog: CatalogDep, settings: SettingsDep, entity: str, name: str,
    cursor: Param = None, min_confidence: Param = None, start: Param = None,
) -> HTMLResponse:  # fmt: skip
    """A page of one of a unit's lists, with a link to the next."""
    return _list_page(request, catalog, settings, "unit", entity, name, cursor, min_confidence, start)


def _list_page(
    request: Request, catalog: CatalogDep, settings: SettingsDep, kind: EntityKind, entity: str, name: str,
    cursor: str | None, min_confidence: str | None, start: str | None = None,
) -> HTMLResponse:  # fmt: skip
    if name not in (CLUSTER_LISTS if kind == "cluster" else UNIT_LISTS):
        return not_found(request, name)
    try:
        confidence = confidence_context(min_confidence, settings)
        found = catalog.entity_list(kind, entity, name, confidence["confidence_floor"], LIST_LIMIT, cursor)
    except FormError as exc:
        return bad_request(request, exc)
    except CursorError:
        return bad_request(request, FormError("error_cursor", value=cursor or ""))
    owner = catalog.backend.get_entity(kind, entity) if kind == "cluster" else catalog.find_units(entity)[:1]
    if found is None or not owner:
        return not_found(request, entity)
    head = owner if not isinstance(owner, list) else owner[0]
    base = f"/{kind}s/{head.id}"
    first = 1 if cursor is None else _position(start, found.total)
    context = {
        "kind": kind,
        "owner": head,
        "name": name,
        "page": found,
        "role_rows": role_rows(found.items) if name in ("chairs", "roles") else [],
        "awards_by_year": by_year(found.items) if name in ("awards", "slogans", "events") else [],
        "next_href": more_links(base, {name: found}, request, first).get(name),
        "first_item": first,
        "first_href": base if cursor else None,
        **confidence,
    }
    return render(request, "entity_list.html", context)


def _position(start: str | None, total: int) -> int | None:
    """The page's first position as the link that led here gave it; None when absent or absurd (the
    page then says "20 of 95" without where it stands)."""
    if start is None or not start.isdigit() or len(start) > 9:
        return None
    value = int(start)
    return value if 1 <= value <= total else None
