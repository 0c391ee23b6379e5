"""Entity resolution: one id for every spelling of a unit, a province or a cluster."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_DATA = Path(__file__).with_name("data") / "names.yaml"
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[a-z0-9]+")

# The fact field naming the unit a fact is about, per fact type.
UNIT_FIELD: dict[str, str] = {
    "chair": "unit",
    "member": "member",
    "award": "recipient",
    "award_count": "scope",
    "person": "unit",
    "event": "place",
}


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    base = base.lower() if len(base) == 1 else ch.lower()
    return base if len(base) == 1 else ch


class _FoldTable(dict[int, str]):
    """A `str.translate` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case without diacritics (đ -> d), one character per input character."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def tidy(text: str) -> str:
    """NFC, dashes unified, spaces collapsed, trimmed."""
    text = _DASHES.sub("-", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip()


def slug(text: str) -> str:
    """An id-friendly form: folded words joined by dashes (`Đà Lạt` -> `da-lat`)."""
    return "-".join(_WORDS.findall(fold(text)))


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern[str], dict[str, str]]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    words = sorted((fold(p["text"]) for p in data["prefixes"]), key=len, reverse=True)
    prefix = re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")(?:\.\s*|\s+)")
    aliases = {slug(s): a["canonical"] for a in data["aliases"] for s in [a["canonical"], *a["spellings"]]}
    return prefix, aliases


@lru_cache(maxsize=65536)
def bare_name(name: str) -> str:
    """A unit or province name without body and kind prefixes: `UBND TP Đà Lạt` -> `Đà Lạt`."""
    prefix, aliases = _names()
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
def unit_id(name: str) -> str:
    """The id every spelling of a unit resolves to (`thành phố Đà Lạt` -> `da-lat`)."""
    return slug(bare_name(name))


@lru_cache(maxsize=65536)
def province_key(name: str) -> str:
    """The id of a province (`tỉnh Lâm Đồng`, `Lam Dong` -> `lam-dong`)."""
    return slug(bare_name(name))


@lru_cache(maxsize=65536)
def cluster_key(name: str) -> str:
    """The id of a cluster name alone: case, spacing, dashes and leading zeros normalised."""
    return "-".join(w.lstrip("0") or "0" if w.isdigit() else w for w in _WORDS.findall(fold(tidy(name))))


@lru_cache(maxsize=65536)
def cluster_id(name: str, province: str | None) -> str:
    """A cluster's id: its province and its name (`lam-dong--cum-thi-dua-so-1`)."""
    key = cluster_key(name)
    return f"{province_key(province)}--{key}" if province and province_key(province) else key


def text_key(value: Any) -> Any:
    """A comparison form of a field value: strings folded and tidied, others unchanged."""
    return " ".join(_WORDS.findall(fold(value))) if isinstance(value, str) else value


def group_key(fact: dict[str, Any], unit: str | None, cluster: str | None) -> str:
    """Facts stating the same thing share this key, whichever article they come from."""
    fields = {k: text_key(v) for k, v in fact.items() if k not in {"evidence", "confidence", "id"}}
    field = UNIT_FIELD.get(str(fact.get("type")))
    if field and unit:
        fields[field] = unit
    if "cluster" in fields and cluster:
        fields["cluster"] = cluster
    if fact.get("type") == "cluster" and cluster:
        fields = {"type": "cluster", "name": cluster}
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True)
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
