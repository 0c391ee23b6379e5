"""Administrative units from vietnamadminunits: the pre-2025 provinces and districts, and today's."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from extract.lexicon import entries, trie

_DASH = re.compile(r"\s*[–-]\s*")
KIND_NAMES = {"Huyện": "huyện", "Thành phố": "thành phố", "Thị xã": "thị xã", "Quận": "quận", "Tỉnh": "tỉnh"}


@dataclass(frozen=True)
class Place:
    """A pre-2025 unit: bare name, kind (huyện, thành phố, thị xã, quận, tỉnh) and province."""

    name: str
    kind: str
    province: str


@lru_cache(maxsize=1)
def _legacy() -> dict[str, dict[str, Any]]:
    path = resources.files("vietnamadminunits") / "data" / "parser_legacy.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def index() -> dict[str, tuple[Place, ...]]:
    """Bare names (case-folded) -> the 63 provinces and 696 districts bearing that name."""
    data = _legacy()
    found: dict[str, list[Place]] = {}
    for key, prov in data["DICT_PROVINCE"].items():
        pname = prov["provinceShort"]
        kind = "thành phố" if prov["province"].startswith("Thành phố") else "tỉnh"
        found.setdefault(pname.casefold(), []).append(Place(pname, kind, pname))
        for dist in data["DICT_PROVINCE_DISTRICT"].get(key, {}).values():
            place = Place(dist["districtShort"], KIND_NAMES.get(dist["districtType"], "huyện"), pname)
            found.setdefault(place.name.casefold(), []).append(place)
    for former in entries("units", "former_province_names"):
        found.setdefault(str(former["name"]).casefold(), []).append(
            Place(str(former["name"]), str(former["kind"]), str(former["province"]))
        )
    for places in list(found.values()):
        for place in list(places):
            for spelling in _spellings(place.name):
                found.setdefault(spelling.casefold(), []).append(Place(spelling, place.kind, place.province))
    return {k: tuple(v) for k, v in found.items()}


@lru_cache(maxsize=4096)
def _spellings(name: str) -> frozenset[str]:
    """The other spellings of a name whose syllables are written in several ways (units.yaml
    `spelling_variants`: "Đắk Lắk" is also "Đăk Lăk", "Đak Lak" …), the name itself left out."""
    out = {name}
    for group in entries("units", "spelling_variants"):
        forms = [str(f) for f in group["spellings"]]
        for spelled in list(out):
            for form in forms:
                if re.search(rf"(?<![\w]){re.escape(form)}(?![\w])", spelled):
                    out |= {re.sub(rf"(?<![\w]){re.escape(form)}(?![\w])", other, spelled) for other in forms}
    return frozenset(out - {name})


@lru_cache(maxsize=1)
def name_pattern() -> re.Pattern[str]:
    """Every bare name, capitalised as written, longest first, as whole words."""
    names = sorted({p.name for places in index().values() for p in places}, key=len, reverse=True)
    names = [n for n in names if not n.isdigit()]
    dashed = trie(names).replace(r"\ \-\ ", r"\s*[-–]\s*")  # "Bà Rịa-Vũng Tàu", "Bà Rịa – Vũng Tàu"
    return re.compile(r"(?<![\w])(?:" + dashed + r")(?![\w])")


def lookup(name: str, province: str | None = None, kind: str | None = None) -> Place | None:
    """The unit of that bare name, preferring the given province and kind; None if unknown."""
    places = index().get(_DASH.sub(" - ", name.strip()).casefold(), ())
    if not places:
        return None
    ranked = sorted(places, key=lambda p: (p.province != province, kind is not None and p.kind != kind))
    return ranked[0]


def is_province(name: str) -> bool:
    """True when the bare name is one of the 63 pre-2025 provinces."""
    return any(
        p.kind in {"tỉnh", "thành phố"}
        and (p.name == p.province or p.name in _former_names() or p.name in _spellings(p.province))
        for p in index().get(name.casefold(), ())
    )


@lru_cache(maxsize=1)
def _former_names() -> frozenset[str]:
    return frozenset(str(former["name"]) for former in entries("units", "former_province_names"))


@lru_cache(maxsize=4096)
def today(name: str, province: str) -> str | None:
    """The post-2025 province the pre-2025 unit now belongs to (vietnamadminunits' converter)."""
    from vietnamadminunits import convert_address

    place = lookup(name, province)
    if place is None:
        return None
    address = province if place.name == place.province else f"{place.name}, {province}"
    try:
        return str(convert_address(address).short_province) or None
    except Exception:  # the converter raises on units it cannot map; the field is then absent
        return None
