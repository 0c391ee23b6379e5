"""Entity resolution: one id for every spelling of a unit, a province or a cluster."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from corpus.textkeys import admin_prefixes, fold
from extract.models import IDENTITY_KEYS

_DATA = Path(__file__).with_name("data") / "names.yaml"
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[a-z0-9]+")
_QUALIFIED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*--[a-z0-9]+(?:-[a-z0-9]+)*")

# The fact field naming the unit a fact is about, per fact type.
UNIT_FIELD: dict[str, str] = {
    "chair": "unit",
    "member": "member",
    "award": "recipient",
    "award_count": "scope",
    "person": "unit",
    "event": "place",
}

# The fields that identify a statement, per fact type: SCHEMA.md's scoring keys plus the context that
# tells statements of different articles apart (the cluster, the year, an award's status, a tally's
# recipient kind), declared on the fact models. Extras are never part of it.
IDENTITY = IDENTITY_KEYS


def tidy(text: str) -> str:
    """NFC, dashes unified, spaces collapsed, trimmed."""
    text = _DASHES.sub("-", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip()


def slug(text: str) -> str:
    """An id-friendly form: folded words joined by dashes (`Đà Lạt` -> `da-lat`)."""
    return "-".join(_WORDS.findall(fold(text)))


@dataclass(frozen=True)
class _Names:
    """data/names.yaml compiled: prefixes, aliases, numbered cluster names, province kinds."""

    prefix: re.Pattern[str]
    aliases: dict[str, str]
    numbered: re.Pattern[str]
    roman: dict[str, int]
    canonical: tuple[str, ...]
    province_kinds: frozenset[str]
    province_cities: frozenset[str]


def _spaced(text: str) -> str:
    return " ".join(_WORDS.findall(fold(text)))


def _alternation(texts: list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))


@lru_cache(maxsize=1)
def _names() -> _Names:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    prefixes = _alternation([fold(text) for text in admin_prefixes()])
    prefix = re.compile(r"^(?:" + prefixes + r")(?:\.\s*|\s+)")
    aliases = {slug(s): a["canonical"] for a in data["aliases"] for s in [a["canonical"], *a["spellings"]]}
    clusters = data["clusters"]
    roman = {fold(r["text"]): int(r["value"]) for r in clusters["roman_numerals"]}
    optional = "".join(f"(?: {_spaced(w['text'])})?" for w in clusters["optional_words"])
    kinds = _alternation([fold(k["text"]) for k in clusters["kinds"]])
    numbered = re.compile(rf"(?P<kind>{kinds}){optional} (?P<num>[0-9]+|{_alternation(list(roman))})")
    return _Names(
        prefix=prefix,
        aliases=aliases,
        numbered=numbered,
        roman=roman,
        canonical=tuple(_spaced(clusters["canonical_words"]).split()),
        province_kinds=frozenset(fold(k["text"]) for k in data["province_kinds"]),
        province_cities=frozenset(slug(c["text"]) for c in data["province_cities"]),
    )


@lru_cache(maxsize=65536)
def bare_name(name: str) -> str:
    """A unit or province name without body and kind prefixes: `UBND TP Đà Lạt` -> `Đà Lạt`."""
    names = _names()
    prefix, aliases = names.prefix, names.aliases
    text = tidy(name)
    while True:
        alias = aliases.get(slug(text))
        if alias:
            return alias
        match = prefix.match(fold(text))
        rest = text[match.end() :] if match else ""
        if not match or not rest or rest.isdigit():
            return text
        text = rest


@lru_cache(maxsize=65536)
def unit_key(name: str) -> str:
    """The key of a unit's name alone, whatever its province (`thành phố Đà Lạt` -> `da-lat`)."""
    return slug(bare_name(name))


@lru_cache(maxsize=65536)
def unit_id(name: str, province: str | None = None, kind: str | None = None) -> str:
    """A unit's id: its province and its name key (`lam-dong--da-lat`) when the province is known.
    A province is its own key (`lam-dong`): kind `tỉnh`, a city that is a province, or, with no
    kind, a unit named like its province. A qualified id given as the name is kept as it is."""
    if is_qualified(name):
        return name
    key = unit_key(name)
    pkey = province_key(province) if province else ""
    if not key or not pkey or _is_province(key, pkey, kind):
        return key
    return f"{pkey}--{key}"


def _is_province(key: str, pkey: str, kind: str | None) -> bool:
    names = _names()
    if kind is not None and fold(kind) in names.province_kinds:
        return True
    return key == pkey and (kind is None or key in names.province_cities)


def entity_key(entity_id: str) -> str:
    """The name key of a unit or cluster id, without its province (`lam-dong--da-lat` -> `da-lat`)."""
    return entity_id.rsplit("--", 1)[-1]


def is_qualified(entity_id: str) -> bool:
    """Whether an id names its province (`lam-dong--da-lat`), so matches exactly rather than by name."""
    return _QUALIFIED.fullmatch(entity_id) is not None


def unit_terms(unit: str, province: str | None) -> tuple[str | None, str | None]:
    """What a `unit` parameter matches, as (unit id, unit key), one of them None: an id with `--`
    exactly; a name with a province that province's unit; a name alone its units in every province.
    A name without letters or digits matches nothing (`-`)."""
    if is_qualified(unit):
        return unit, None
    if province:
        return unit_id(unit, province) or "-", None
    return None, unit_key(unit) or "-"


@lru_cache(maxsize=65536)
def province_key(name: str) -> str:
    """The id of a province (`tỉnh Lâm Đồng`, `Lam Dong` -> `lam-dong`)."""
    return slug(bare_name(name))


@lru_cache(maxsize=65536)
def cluster_key(name: str) -> str:
    """The id of a cluster name alone: case, spacing, dashes and leading zeros normalised, and a
    numbered name in its canonical words (`Cụm thi đua số I`, `cụm số 01` -> `cum-thi-dua-so-1`)."""
    names = _names()
    words = _WORDS.findall(fold(tidy(name)))
    numbered = names.numbered.fullmatch(" ".join(words))
    if numbered:
        num = numbered["num"]
        value = int(num) if num.isdigit() else names.roman[num]
        return "-".join([numbered["kind"], *names.canonical, str(value)])
    return "-".join(w.lstrip("0") or "0" if w.isdigit() else w for w in words)


@lru_cache(maxsize=65536)
def cluster_id(name: str, province: str | None) -> str:
    """A cluster's id: its province and its name (`lam-dong--cum-thi-dua-so-1`)."""
    key = cluster_key(name)
    return f"{province_key(province)}--{key}" if province and province_key(province) else key


def text_key(value: Any) -> Any:
    """A comparison form of a field value: strings folded and tidied, others unchanged."""
    return " ".join(_WORDS.findall(fold(value))) if isinstance(value, str) else value


def group_key(
    fact: dict[str, Any], unit: str | None, cluster: str | None, province: str | None = None
) -> str:
    """Facts stating the same thing share this key, whichever article they come from: the type's
    IDENTITY fields only (extras such as unit_kind or body do not count), unit and cluster resolved,
    within the fact's province key."""
    kind = str(fact.get("type"))
    names = IDENTITY.get(kind) or tuple(k for k in fact if k not in {"evidence", "confidence", "id", "type"})
    fields = {k: text_key(fact.get(k)) for k in names}
    field = UNIT_FIELD.get(kind)
    if field in fields and unit:
        fields[field] = unit
    if "cluster" in fields and cluster:
        fields["cluster"] = cluster
    if kind == "cluster" and cluster:
        fields["name"] = cluster
    payload = json.dumps([kind, province, fields], ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def slot_key(fact: dict[str, Any], unit: str | None, cluster: str | None) -> str | None:
    """Statements sharing a slot but not a group conflict (two chairs of one cluster-year)."""
    kind = fact.get("type")
    if kind == "chair" and cluster and fact.get("year"):
        parts: list[Any] = ["chair", cluster, fact["year"], fact.get("role")]
    elif kind == "award_count" and unit:
        parts = [
            "award_count",
            unit,
            text_key(fact.get("award")),
            fact.get("year"),
            fact.get("recipient_kind"),
        ]
    else:
        return None
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]
