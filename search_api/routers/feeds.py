"""Atom feeds of the newest facts per cluster, unit, province and fact type, for feed readers."""

from __future__ import annotations

import re
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import Response

from search_api.catalog import Catalog
from search_api.deps import CatalogDep
from search_api.feeds import MEDIA_TYPE, FeedMeta, atom
from search_api.i18n import LANG_COOKIE, Translator, resolve_lang
from search_api.pageviews import describe_fact, with_query
from search_api.params import FACT_TYPE_PATTERN
from search_api.query import EntityFilter, FactFilter
from search_api.resolve import province_key, unit_id

router = APIRouter(prefix="/feeds", include_in_schema=False)
_TYPE = re.compile(FACT_TYPE_PATTERN)


def feed_paths(kind: str, key: str) -> str:
    """The path of the feed of one cluster, unit, province or fact type."""
    return f"/feeds/{kind}/{key}"


def feed_links(t: Translator, kind: str, key: str, title: str) -> list[dict[str, str]]:
    """A page's feed, for `<link rel="alternate" type="application/atom+xml">` and a visible link."""
    return [{"href": feed_paths(kind, key), "title": t("feed_of", name=title)}]


def _answer(request: Request, catalog: Catalog, meta: FeedMeta, flt: FactFilter) -> Response:
    t = Translator(meta.lang)
    body = atom(meta, catalog.feed(flt), str(request.base_url), partial(describe_fact, t=t))
    return Response(body, media_type=MEDIA_TYPE, headers={"Cache-Control": "public, max-age=600"})


def _missing(what: str) -> Response:
    return Response(f"No feed: unknown {what}.", status_code=404, media_type="text/plain; charset=utf-8")


def _lang(request: Request) -> str:
    return resolve_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


@router.get("/clusters/{cluster_id}")
def cluster_feed(request: Request, catalog: CatalogDep, cluster_id: str) -> Response:
    """A cluster's newest facts (members, chairs, events …)."""
    found = catalog.clusters(EntityFilter(kind="cluster", ids=(cluster_id,), limit=1)).items
    if not found:
        return _missing("cluster")
    entity = found[0]
    lang = _lang(request)
    title = f"{entity.name}{f' ({entity.province})' if entity.province else ''} · thidua"
    meta = FeedMeta(feed_paths("clusters", entity.id), title, f"/clusters/{entity.id}", lang)
    return _answer(request, catalog, meta, FactFilter(cluster_ids=(entity.id,)))


@router.get("/units/{unit}")
def unit_feed(request: Request, catalog: CatalogDep, unit: str) -> Response:
    """A unit's newest facts (by id, or a name only one unit has)."""
    found = catalog.find_units(unit_id(unit) or unit)
    if len(found) != 1:
        return _missing("unit")
    entity = found[0]
    page = f"/units/{entity.id}"
    meta = FeedMeta(feed_paths("units", entity.id), f"{entity.name} · thidua", page, _lang(request))
    return _answer(request, catalog, meta, FactFilter(unit_id=entity.id))


@router.get("/provinces/{province}")
def province_feed(request: Request, catalog: CatalogDep, province: str) -> Response:
    """A province's newest facts."""
    key = province_key(province)
    if not key:
        return _missing("province")
    page = with_query("/search", {}, province=province)
    meta = FeedMeta(feed_paths("provinces", key), f"{province} · thidua", page, _lang(request))
    return _answer(request, catalog, meta, FactFilter(province_key=key))


@router.get("/types/{fact_type}")
def type_feed(request: Request, catalog: CatalogDep, fact_type: str) -> Response:
    """The newest facts of one type (chair, award, event …)."""
    if not _TYPE.fullmatch(fact_type):
        return _missing("fact type")
    lang = _lang(request)
    title = f"{Translator(lang)('fact_' + fact_type)} · thidua"
    meta = FeedMeta(feed_paths("types", fact_type), title, "/search", lang)
    return _answer(request, catalog, meta, FactFilter(types=(fact_type,)))
