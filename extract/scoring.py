"""Pure scoring primitives: value normalisation, per-type keys and one-to-one matching of facts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from corpus.textkeys import admin_prefixes
from extract.models import SCORE_KEYS

DATA_FILE = Path(__file__).parent / "data" / "scoring.yaml"

# SCHEMA.md, "How extraction is scored": the fields a fact is matched on (declared on the models).
KEYS = SCORE_KEYS
FUZZY_TYPES = frozenset({"slogan"})
SLOGAN_OVERLAP = 0.8

_COMBINING_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Old-style tone placement: the mark sits on the first vowel of a final oa/oe/uy (hòa, khỏe, thủy).
_FINAL_PAIR = re.compile(r"(?<![qQ])([oOuU])([^\W\d_])(?![^\W\d_])")
_PAIRS = {"o": "ae", "u": "y"}


@dataclass(frozen=True)
class Lexicon:
    """The scorer's normalisation data, loaded from data/scoring.yaml."""

    prefixes: tuple[str, ...]
    quotes: str
    dashes: str
    aliases: Mapping[str, str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load data/scoring.yaml once; entries case-folded, prefixes longest first."""
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    prefixes = sorted((_fold(text) for text in admin_prefixes()), key=len, reverse=True)
    return Lexicon(
        prefixes=tuple(prefixes),
        quotes="".join(e["text"] for e in raw["quote_marks"]),
        dashes="".join(e["text"] for e in raw["dashes"]),
        aliases={_fold(e["text"]): _fold(e["canonical"]) for e in raw["aliases"]},
    )


def _fold(text: str) -> str:
    return unify_tones(unicodedata.normalize("NFC", text)).casefold()


def unify_tones(text: str) -> str:
    """Move a tone mark from the last to the first vowel of a final oa/oe/uy: `hoà` → `hòa`."""

    def move(m: re.Match[str]) -> str:
        first, second = m.group(1), unicodedata.normalize("NFD", m.group(2))
        base = "".join(ch for ch in second if ch not in _COMBINING_TONES)
        tones = second[len(base) :] if second.startswith(base) else ""
        if not tones or base.casefold() not in _PAIRS[first.casefold()]:
            return m.group(0)
        return unicodedata.normalize("NFC", first + tones) + base

    return _FINAL_PAIR.sub(move, unicodedata.normalize("NFC", text))


def normalize_value(value: Any) -> Any:
    """The comparable form of one field value: strings normalised, digit strings as ints."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return normalize_string(value)
    return normalize_string(str(value))


def normalize_string(text: str) -> str | int:
    """NFC, one tone placement, case-folded, quotes and leading admin prefixes stripped, dashes unified."""
    lex = lexicon()
    s = _fold(text)
    s = s.translate({ord(q): " " for q in lex.quotes})
    s = s.translate({ord(d): "-" for d in lex.dashes})
    s = re.sub(r"\s*-\s*", " - ", s)
    s = re.sub(r"\s+", " ", s).strip(" .,;:")
    s = _strip_prefixes(s, lex.prefixes)
    s = lex.aliases.get(s, s)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+|\d+", s):
        return int(s.replace(".", ""))
    return s


def _strip_prefixes(s: str, prefixes: Sequence[str]) -> str:
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if not s.startswith(p) or len(s) == len(p):
                continue
            nxt = s[len(p)]
            if p.endswith(".") or not (nxt.isalnum() or nxt == "_"):
                rest = s[len(p) :].lstrip(" .")
                if rest:
                    s, changed = rest, True
                    break
    return s


def fact_key(fact: Mapping[str, Any]) -> tuple[Any, ...]:
    """The normalised scoring key of a fact (its type's fields, in SCHEMA.md's order)."""
    fields = KEYS.get(str(fact.get("type")), ("type",))
    return tuple(normalize_value(fact.get(f)) for f in fields)


def slogan_tokens(text: Any) -> frozenset[str]:
    """The token set of a slogan text after normalisation."""
    return frozenset(re.findall(r"\w+", str(normalize_value(text) or "")))


def token_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """|A ∩ B| / max(|A|, |B|): 1.0 for equal sets, penalising both truncation and padding."""
    if not a and not b:
        return 1.0
    return len(a & b) / max(len(a), len(b))


def slogans_equal(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two slogan texts count as equal at token-set overlap ≥ 0.8."""
    return token_overlap(a, b) >= SLOGAN_OVERLAP


def match_exact(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) of equal keys, duplicates matched once each."""
    waiting: dict[Hashable, list[int]] = {}
    for i, key in enumerate(gold):
        waiting.setdefault(key, []).append(i)
    pairs = []
    for j, key in enumerate(pred):
        slots = waiting.get(key)
        if slots:
            pairs.append((slots.pop(0), j))
    return pairs


def match_fuzzy(
    gold: Sequence[Any], pred: Sequence[Any], equal: Callable[[Any, Any], bool]
) -> list[tuple[int, int]]:
    """A maximum one-to-one matching under `equal` (augmenting paths; inputs are per article)."""
    edges = [[j for j, p in enumerate(pred) if equal(g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def match_facts(
    fact_type: str, gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]
) -> list[tuple[int, int]]:
    """Match the gold and predicted facts of one type in one article, one-to-one on the type's key."""
    if fact_type in FUZZY_TYPES:
        return match_fuzzy(
            [slogan_tokens(f.get("text")) for f in gold],
            [slogan_tokens(f.get("text")) for f in pred],
            slogans_equal,
        )
    return match_exact([fact_key(f) for f in gold], [fact_key(f) for f in pred])
