"""Site profiles: one YAML file per site with start URLs, URL patterns and selectors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

SITES_DIR = Path(__file__).parent
GENERIC = "generic"


class UnknownSiteError(KeyError):
    """No profile of that name exists."""


@dataclass(frozen=True)
class Selectors:
    """CSS selectors (parsel syntax) for the parts of an article page; empty means generic extraction."""

    title: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    author: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)  # elements removed from the body before reading its text


@dataclass(frozen=True)
class SiteProfile:
    """Everything the crawler needs to know about one site."""

    name: str
    source: str
    province: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    allowed_domains: list[str] = field(default_factory=list)
    start_urls: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    article_patterns: list[str] = field(default_factory=list)
    listing_patterns: list[str] = field(default_factory=list)
    exclude_patterns: list[str] = field(default_factory=list)
    selectors: Selectors = field(default_factory=Selectors)
    body_hints: list[str] = field(default_factory=list)  # common article containers tried before trafilatura
    cms: str | None = None  # the CMS family profile this one extends (nukeviet, aspnet_portal, …), if known
    discover: bool = False  # also read robots.txt sitemaps and the feeds pages announce
    feeds: list[str] = field(default_factory=list)  # RSS/Atom feeds (URLs or paths) read at the start
    search_url: str | None = None  # the site's own search page, `{query}` for the words searched
    targeted: bool = False  # fetch only what listings, feeds and sitemaps suggest is about thi đua
    max_detours: int = 1  # non-article pages followed off the listings before giving up on a branch

    def is_excluded(self, url: str) -> bool:
        """Whether `url` is never to be followed (the profile's `exclude_patterns`)."""
        path = _path_and_query(url)
        return any(re.search(p, path) for p in self.exclude_patterns)

    def is_article_url(self, url: str) -> bool:
        """Whether `url` (without fragment) looks like one of this site's article pages: a hint only, the
        page's own markup decides."""
        path = _path_and_query(url)
        return not self.is_excluded(url) and any(re.search(p, path) for p in self.article_patterns)

    def is_listing_url(self, url: str) -> bool:
        """Whether `url` looks like a further listing page (pagination, search results): a hint only."""
        path = _path_and_query(url)
        return not self.is_excluded(url) and any(re.search(p, path) for p in self.listing_patterns)

    def with_start_urls(self, urls: list[str]) -> SiteProfile:
        """The same profile crawling other start URLs (a local mirror, a given section) on their hosts;
        sitemaps and feeds given as paths are kept (they resolve on the new host), full URLs dropped."""
        hosts = sorted({urlsplit(u).hostname or "" for u in urls} - {""})
        return replace(
            self,
            start_urls=list(urls),
            sitemaps=[s for s in self.sitemaps if s.startswith("/")],
            feeds=[f for f in self.feeds if f.startswith("/")],
            allowed_domains=hosts,
        )


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def list_sites() -> list[str]:
    """Names of all site profiles."""
    return sorted(p.stem for p in SITES_DIR.glob("*.yaml"))


def spider_names() -> list[str]:
    """Everything `scrapy crawl NAME` and `thidua crawl --site NAME` take: profiles and source ids."""
    from crawler.sources import source_ids

    return list_sites() + [s for s in source_ids() if s not in list_sites()]


def crawlable_sites() -> list[str]:
    """Profiles that name their own start pages or sitemaps (`thidua crawl --site NAME` alone works);
    the others (generic, nukeviet) need start URLs."""
    return [name for name in list_sites() if (p := load_site(name)).start_urls or p.sitemaps]


def load_site(name: str) -> SiteProfile:
    """The profile called `name`, or the profile of the registry's source with that id (its domain)."""
    if (SITES_DIR / f"{name}.yaml").is_file():
        return load_profile(name)
    from crawler.sources import find_source, source_profile  # the registry builds on the profiles

    source = find_source(name)
    if source is None:
        raise UnknownSiteError(
            f"unknown site {name!r}; known profiles: {', '.join(list_sites())}"
            " (`thidua sources` lists the sources)"
        )
    return source_profile(source)


def load_profile(name: str) -> SiteProfile:
    """The YAML profile called `name`; a profile may `extends:` another and override its keys."""
    path = SITES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise UnknownSiteError(f"unknown site profile {name!r}; known profiles: {', '.join(list_sites())}")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    parent = data.pop("extends", None)
    if parent:
        base = load_profile(parent)
        merged = {**_as_dict(base), **{k: v for k, v in data.items() if k != "selectors"}}
        merged["selectors"] = {**_as_dict(base)["selectors"], **(data.get("selectors") or {})}
        data = merged
    data["name"] = name
    selectors = {k: _as_list(v) for k, v in (data.pop("selectors", None) or {}).items()}
    return SiteProfile(selectors=Selectors(**selectors), **data)


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _as_dict(profile: SiteProfile) -> dict[str, Any]:
    data = {k: v for k, v in profile.__dict__.items() if k != "name"}
    data["selectors"] = dict(profile.selectors.__dict__)
    return data
