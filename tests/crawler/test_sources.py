"""The registry of real provincial sources (crawler/sources/*.yaml): evidence per domain, no conflicts."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.sites import load_site, spider_names
from crawler.sources import KINDS, Source, load_sources, province_sources, provinces, source_profile
from crawler.spiders.sites import SPIDERS

SOURCES = load_sources()


def test_at_least_120_sources_over_60_provinces() -> None:
    assert len(SOURCES) >= 120
    assert len({s.province for s in SOURCES}) >= 60
    assert len(provinces()) == 63 and len(set(provinces().values())) == 34


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.id)
def test_every_domain_has_an_evidence_url_on_that_domain(source: Source) -> None:
    parts = urlsplit(source.evidence)
    assert parts.scheme in ("http", "https") and parts.path, source.evidence
    assert (parts.hostname or "").removeprefix("www.") == source.domain
    assert source.kind in KINDS
    assert source.province in provinces()
    assert source.cms is None or load_site(source.cms).cms == source.cms


def test_no_two_entries_disagree() -> None:
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for source in SOURCES:
        seen[source.domain].add((source.province, source.kind))
    assert {d: v for d, v in seen.items() if len(v) > 1} == {}
    assert len({s.id for s in SOURCES}) == len(SOURCES)


def test_a_province_is_found_by_its_old_or_new_name() -> None:
    binh_dinh = {s.id for s in province_sources("Bình Định")}
    gia_lai = {s.id for s in province_sources("tinh gia lai")}  # since 2025 Gia Lai takes in Bình Định
    assert binh_dinh and binh_dinh < gia_lai
    assert province_sources("TP Hồ Chí Minh") == province_sources("Thành phố Hồ Chí Minh")


def test_each_source_is_a_polite_targeted_crawl_of_its_own_site() -> None:
    source = next(s for s in SOURCES if s.cms == "nukeviet")
    profile = source_profile(source)
    assert profile.start_urls == [source.home] and source.domain in profile.allowed_domains
    assert profile.targeted and profile.discover and profile.cms == "nukeviet"
    assert source.id in spider_names() and SPIDERS[source.id].name == source.id


HELDOUT_CHECK = Path(__file__).resolve().parents[3] / "shared" / "heldout_check.py"


@pytest.mark.skipif(not HELDOUT_CHECK.exists(), reason="the held-out list lives in ../shared")
def test_no_evidence_url_is_a_held_out_page() -> None:
    """Evidence URLs must never be pages of the held-out evaluation sets."""
    urls = [s.evidence for s in SOURCES]
    done = subprocess.run([sys.executable, str(HELDOUT_CHECK), *urls], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
