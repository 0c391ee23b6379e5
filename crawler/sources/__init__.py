"""The registry of real provincial sources (one YAML file per pre-2025 province): newspapers, portals and
emulation boards, each with its domain, the evidence URL it was taken from and, where known, its CMS."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from crawler.sites import GENERIC, SiteProfile, load_profile
from crawler.targeting import fold

SOURCES_DIR = Path(__file__).parent
PROVINCES = Path(__file__).parents[1] / "data" / "provinces.yaml"
KINDS = ("newspaper", "portal", "emulation-board", "broadcaster", "agency")


class UnknownProvinceError(KeyError):
    """No province of that name, before or after the 2025 merger."""


@dataclass(frozen=True)
class Source:
    """One real site that reports a province's news."""

    id: str  # the domain without `www.`: what `thidua crawl --site` takes
    name: str
    kind: str  # one of KINDS
    domain: str
    evidence: str  # a real page URL of the domain, as seen (never a guessed address)
    province: str  # before the 2025 merger
    merged_into: str  # the province it is part of since 2025-07-01
    cms: str | None = None  # a CMS family profile in crawler/sites/, when known

    @property
    def home(self) -> str:
        """The site's home page, on the scheme and host of its evidence URL."""
        parts = urlsplit(self.evidence)
        return f"{parts.scheme}://{parts.netloc}/"


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    """Each of the 63 pre-2025 provinces and the one of the 34 it became part of."""
    rows = yaml.safe_load(PROVINCES.read_text(encoding="utf-8"))
    return {row["province"]: row["merged_into"] for row in rows}


def _domain(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _read(path: Path) -> list[Source]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    province = data["province"]
    merged_into = provinces()[province]
    return [
        Source(
            id=_domain(entry["evidence"]),
            name=entry["name"],
            kind=entry["kind"],
            domain=_domain(entry["evidence"]),
            evidence=entry["evidence"],
            province=province,
            merged_into=merged_into,
            cms=entry.get("cms"),
        )
        for entry in data.get("sources") or []
    ]


@lru_cache(maxsize=1)
def load_sources() -> tuple[Source, ...]:
    """Every source of the registry, in province file order."""
    return tuple(s for path in sorted(SOURCES_DIR.glob("*.yaml")) for s in _read(path))


def source_ids() -> list[str]:
    """The ids (domains) of all sources."""
    return [s.id for s in load_sources()]


def find_source(source_id: str) -> Source | None:
    """The source with that id (its domain, `www.` aside)."""
    wanted = source_id.removeprefix("www.")
    return next((s for s in load_sources() if s.id == wanted), None)


def province_sources(name: str) -> list[Source]:
    """The sources of a province, named before or after the 2025 merger (diacritics and case aside): a
    post-merger name takes in the sources of every province merged into it."""
    wanted = _bare(name)
    if wanted not in {_bare(p) for p in provinces()} | {_bare(m) for m in provinces().values()}:
        raise UnknownProvinceError(f"unknown province {name!r}")
    return [s for s in load_sources() if wanted in (_bare(s.province), _bare(s.merged_into))]


def _bare(name: str) -> str:
    """A province name without diacritics, case or its `tỉnh`/`thành phố`/`TP` prefix."""
    folded = fold(name)
    for prefix in ("tinh ", "thanh pho ", "tp "):
        folded = folded.removeprefix(prefix)
    return folded


def source_profile(source: Source) -> SiteProfile:
    """The crawl profile of a source: its CMS family's (generic when unknown), on the source's own domain,
    starting at its home page, reading its sitemaps and feeds, fetching what looks like thi đua first."""
    family = load_profile(source.cms or GENERIC)
    return replace(
        family,
        name=source.id,
        source=source.name,
        province=source.province,
        allowed_domains=[source.domain, f"www.{source.domain}"],
        start_urls=[source.home],
        discover=True,
        targeted=True,
    )
