"""Server-rendered pages for people: search, cluster, unit, article and fact-check, in vi or en."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from extract.models import FACT_TYPES
from runtime.settings import Settings
from search_api.catalog import Catalog
from search_api.charts import awards_svg, chair_grid, timeline_svg
from search_api.deps import CatalogDep, SettingsDep, confidence_floor
from search_api.entity_lists import chart_cells
from search_api.forms import FormError, claim_parts, parse_confidence, parse_page, parse_year
from search_api.i18n import LANG_COOKIE, LANGUAGES, Translator, resolve_lang
from search_api.pageviews import (
    by_year,
    describe_fact,
    evidence_href,
    highlight_article,
    reading_order,
    role_rows,
    timeline_years,
    types_present,
    with_query,
)
from search_api.query import ArticleSearch, EntityFilter, FactFilter
from search_api.resolve import province_key, unit_id
from search_api.routers.feeds import feed_links
from search_api.schemas import CheckResult, EntityOut, ListInfo, ListPage
from search_api.stores.base import EntityKind

router = APIRouter(include_in_schema=False)
_HERE = Path(__file__).resolve().parent.parent
_STATIC = _HERE / "static"
_STATIC_NAME = re.compile(r"^[a-z0-9_-]+\.(css|js|svg|png)$")
PAGE_SIZE = 20
HOME_UNITS = 60
LIST_CAP = 500
Param = Annotated[str | None, Query(max_length=200)]

templates = Jinja2Templates(directory=str(_HERE / "templates"))


def safe_marks(passage: str) -> Markup:
    """A search passage as HTML where only <mark> survives, whether or not it arrived escaped."""
    text = html.escape(html.unescape(passage), quote=False)
    return Markup(text.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


templates.env.filters["safe_marks"] = safe_marks
templates.env.filters["day"] = lambda value: str(value or "")[:10]  # ISO timestamps shown as their day
templates.env.globals.update(
    timeline_svg=timeline_svg,
    awards_svg=awards_svg,
    evidence_href=evidence_href,
    with_query=with_query,
    timeline_years=lambda items: timeline_years(items, lambda item: item.date),
)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a page in the visitor's language; an explicit `?lang=` is remembered in a cookie."""
    asked = request.query_params.get("lang")
    lang = resolve_lang(asked, request.cookies.get(LANG_COOKIE))
    t = Translator(lang)
    params = dict(request.query_params)
    ctx = {
        "t": t,
        "lang": lang,
        "describe": partial(describe_fact, t=t),
        "toggle_href": with_query(request.url.path, params, lang=t.other),
        "active": "",
        "min_confidence": None,  # as asked: kept in the export links
        "confidence_floor": None,  # as applied (the asked value, else the configured default)
        "confidence_text": "",
        **context,
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    if asked and asked.lower() in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def not_found(request: Request, detail: str) -> HTMLResponse:
    context = {"title_key": "not_found_title", "text_key": "not_found_text", "detail": detail}
    return render(request, "error.html", context, status_code=404)


def bad_request(request: Request, error: FormError) -> HTMLResponse:
    detail = error.message(translator(request))
    context = {"title_key": "bad_request_title", "text_key": "bad_request_text", "detail": detail}
    return render(request, "error.html", context, status_code=422)


def more_links(
    base: str, lists: Mapping[str, ListInfo | ListPage], request: Request, first: int | None = 1
) -> dict[str, str]:
    """Each paged list's link to its next page (`/clusters/{id}/{list}?cursor=…&start=21`), when it has
    one; `start` (the next page's first position, for "21–40 of 95") is left out where `first`, this
    page's first position, is unknown."""
    params = {k: v for k, v in request.query_params.items() if k in ("min_confidence", "lang")}
    return {
        name: with_query(f"{base}/{name}", params, cursor=info.next_cursor, start=_next_start(info, first))
        for name, info in lists.items()
        if info.next_cursor
    }


def _next_start(info: ListInfo | ListPage, first: int | None) -> int | None:
    shown = len(info.items) if isinstance(info, ListPage) else min(info.limit, info.total)
    return first + shown if first is not None else None


def translator(request: Request) -> Translator:
    return Translator(resolve_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)))


def confidence_context(raw: str | None, settings: Settings) -> dict[str, Any]:
    """A page's confidence filter: as asked (for the export links and the field) and as applied."""
    asked = parse_confidence(raw)
    return {
        "min_confidence": asked,
        "confidence_floor": confidence_floor(asked, settings.api_min_confidence),
        "confidence_text": raw or "",
    }


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The stylesheet (and any other flat asset) under search_api/static."""
    path = _STATIC / name
    if not _STATIC_NAME.match(name) or not path.is_file():
        return Response("Not found", status_code=404, media_type="text/plain")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})


def _entities(catalog: Catalog, kind: EntityKind) -> list[EntityOut]:
    return catalog.clusters(EntityFilter(kind=kind, limit=200)).items


@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    catalog: CatalogDep,
    q: Annotated[str, Query(max_length=10_000)] = "",
    province: Param = None,
    site: Param = None,
    year_from: Param = None,
    year_to: Param = None,
    page: Param = None,
) -> HTMLResponse:
    """The query box with filters, the highlighted results, and the known clusters and units."""
    clusters = _entities(catalog, "cluster")
    units = _entities(catalog, "unit")
    filters = {"province": province or "", "site": site or "", "year_from": year_from, "year_to": year_to}
    context: dict[str, Any] = {
        "active": "search",
        "q": q,
        "filters": filters,
        "provinces": sorted({e.province for e in clusters + units if e.province}),
        "sites": [],
        "clusters": clusters,
        "units": units[:HOME_UNITS] if not q else [],
        "searched": bool(q or province or site or year_from or year_to),
    }
    try:
        y_from, y_to = parse_year(year_from, "year_from"), parse_year(year_to, "year_to")
        number = parse_page(page)
    except FormError as exc:
        context.update(error=exc.message(translator(request)), searched=False)
        return render(request, "search.html", context, status_code=422)
    if context["searched"]:
        context.update(_search(catalog, request, q, province, site, y_from, y_to, number))
    context["feeds"] = _search_feeds(translator(request), province)
    key = province_key(province) if province else None
    if key:  # the province's page: who chaired which of its clusters, year by year
        chairs = FactFilter(types=("chair",), role="chair", province_key=key, limit=LIST_CAP)
        context["chair_grid"] = chair_grid(catalog.facts(chairs).items)
        context["province_timeline"] = catalog.timeline(FactFilter(province_key=key, limit=LIST_CAP)).items
    return render(request, "search.html", context)


@router.get("/provinces/{province}", response_class=HTMLResponse)
def province_page(request: Request, catalog: CatalogDep, province: str, page: Param = None) -> HTMLResponse:
    """A province's own page: who chaired which of its clusters year by year, its timeline, its feed
    and its facts (the search narrowed to the province, under an address people can keep); 404 for a
    province no fact names."""
    key = province_key(province)
    if not key or not catalog.facts(FactFilter(province_key=key, limit=1)).items:
        return not_found(request, province)
    return search_page(request, catalog, "", province, None, None, None, page)


def _search_feeds(t: Translator, province: str | None) -> list[dict[str, str]]:
    """The province's feed on a search narrowed to one province (its page), else one per fact type."""
    key = province_key(province) if province else None
    if key and province:
        return feed_links(t, "provinces", key, province)
    return [link for ftype in FACT_TYPES for link in feed_links(t, "types", ftype, t("fact_" + ftype))]


def _search(
    catalog: Catalog,
    request: Request,
    q: str,
    province: str | None,
    site: str | None,
    y_from: int | None,
    y_to: int | None,
    page: int,
) -> dict[str, Any]:
    query = ArticleSearch(
        q=q,
        province_key=province_key(province) or "-" if province else None,
        site=site or None,
        date_from=f"{y_from}-01-01" if y_from else None,
        date_to=f"{y_to}-12-31" if y_to else None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    found = catalog.search_articles(query)
    params = dict(request.query_params)
    more = found.offset + len(found.items) < found.total
    same_year = y_from if y_from and y_from == y_to else None
    return {
        "hits": found.items,
        "sites": sorted({hit.site for hit in found.items if hit.site}),
        "total": found.total,
        "offset": found.offset,
        "prev_href": with_query("/search", params, page=page - 1) if page > 1 else None,
        "next_href": with_query("/search", params, page=page + 1) if more else None,
        "export_params": {"province": province, "year": same_year},
    }


@router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
def cluster_page(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    cluster_id: str,
    min_confidence: Param = None,
) -> HTMLResponse:
    """Members, chair and vice-chair by year, awards by year, themes and movements, a timeline."""
    try:
        confidence = confidence_context(min_confidence, settings)
    except FormError as exc:
        return bad_request(request, exc)
    floor = confidence["confidence_floor"]
    view = catalog.cluster_view(cluster_id, floor)
    if view is None:
        return not_found(request, cluster_id)
    cluster, lists = view
    timeline = catalog.timeline(FactFilter(cluster_ids=(cluster.id,), min_confidence=floor, limit=PAGE_SIZE))
    context = {
        "cluster": cluster,
        "member_evidence": {m.unit_id: evidence_href(m.article_id, m.fact_id) for m in cluster.members},
        "role_rows": role_rows(cluster.chairs),
        "awards_by_year": by_year(cluster.awards),
        "timeline_items": timeline.items,
        "timeline_total": timeline.total,
        # every statement drawn (themes and movements too), counted in the store; a page of each list
        "chart_items": chart_cells(catalog.backend, lists, ("chairs", "awards", "events", "slogans")),
        "more": more_links(f"/clusters/{cluster.id}", cluster.lists, request),
        "feeds": feed_links(translator(request), "clusters", cluster.id, cluster.name),
        **confidence,
    }
    return render(request, "cluster.html", context)


@router.get("/units/{unit}", response_class=HTMLResponse)
def unit_page(
    request: Request, catalog: CatalogDep, settings: SettingsDep, unit: str, min_confidence: Param = None
) -> HTMLResponse:
    """The clusters a unit belonged to, the years it chaired, its awards, on a timeline."""
    try:
        confidence = confidence_context(min_confidence, settings)
    except FormError as exc:
        return bad_request(request, exc)
    floor = confidence["confidence_floor"]
    uid = unit_id(unit)
    found = catalog.unit(uid, floor) if uid else None
    if found is None:
        namesakes = catalog.find_units(uid) if uid else []
        if len(namesakes) > 1:  # a name units of several provinces share: one link per province
            return render(request, "units.html", {"name": unit, "units": namesakes})
        return not_found(request, unit)
    timeline = catalog.timeline(FactFilter(unit_id=found.id, min_confidence=floor, limit=PAGE_SIZE))
    feeds = feed_links(translator(request), "units", found.id, found.name)
    more = more_links(f"/units/{found.id}", found.lists, request)
    context = {"unit": found, "timeline_items": timeline.items, "timeline_total": timeline.total,
               "feeds": feeds, "more": more, **confidence}  # fmt: skip
    return render(request, "unit.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    article_id: str,
    min_confidence: Param = None,
) -> HTMLResponse:
    """The normalised text with each fact marked in its sentence, a legend, metadata and the original."""
    try:
        confidence = confidence_context(min_confidence, settings)
    except FormError as exc:
        return bad_request(request, exc)
    article = catalog.article(article_id, confidence["confidence_floor"])
    if article is None:
        return not_found(request, article_id)
    article.facts = reading_order(article.facts)
    context = {
        "article": article,
        "blocks": highlight_article(article.text, article.facts),
        "legend": types_present(article.facts),
        **confidence,
    }
    return render(request, "article.html", context)


def _award_names(catalog: Catalog) -> list[str]:
    """Award names stated anywhere, for the claim picker (from the same fact query as the API)."""
    facts = catalog.facts(FactFilter(types=("award",), limit=LIST_CAP)).items
    return sorted({str(f.fields.get("award")) for f in facts if f.fields.get("award")})


@router.get("/check", response_class=HTMLResponse)
def check_page(
    request: Request,
    catalog: CatalogDep,
    settings: SettingsDep,
    unit: Param = None,
    claim: Param = None,
    role: Param = None,
    award: Param = None,
    year: Param = None,
    province: Param = None,
    min_confidence: Param = None,
) -> HTMLResponse:
    """Pick a unit (and, for a name several provinces share, its province), a role or an award, a year
    and optionally a minimum confidence: supported, contradicted or not found, with sources."""
    units = _entities(catalog, "unit")
    context: dict[str, Any] = {
        "active": "check",
        "units": units,
        "provinces": sorted({u.province for u in units if u.province}),
        "awards": _award_names(catalog),
        "form": {
            "unit": unit or "",
            "claim": claim or (f"role:{role}" if role else f"award:{award}"),
            "year": year,
            "province": province or "",
            "min_confidence": min_confidence or "",
        },
    }
    if not unit:
        return render(request, "check.html", context)
    try:
        the_role, the_award = claim_parts(claim, role, award)
        the_year = parse_year(year, "year")
        if not unit_id(unit):
            raise FormError("error_unit", value=unit)
        context.update(confidence_context(min_confidence, settings))
    except FormError as exc:
        context["error"] = exc.message(translator(request))
        return render(request, "check.html", context, status_code=422)
    floor = context["confidence_floor"]
    result = catalog.check(unit, the_role, the_year, the_award, province or None, floor)
    t = translator(request)
    context.update(
        result=result,
        claim_label=the_award or t(f"role_{the_role or 'chair'}"),
        instead_export=_instead_export(result, the_role, the_year),
        export_params={
            "unit": result.claim.unit_id,
            "type": "award" if the_award else "chair",
            "year": the_year,
            "role": None if the_award else the_role or "chair",
        },
    )
    return render(request, "check.html", context)


def _instead_export(result: CheckResult, role: str | None, year: int | None) -> dict[str, Any] | None:
    """Export filters for what the sources say instead: the rivals' cluster when they share one."""
    if not result.instead or result.claim.award:
        return None
    clusters = {g.fact.cluster_id for g in result.instead}
    cluster = clusters.pop() if len(clusters) == 1 else None
    return {"cluster": cluster, "type": "chair", "year": year, "role": role or "chair"}
