"""The targeted crawl's guess: how likely a listed title or URL is about thi đua (data/relevance.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote_plus, unquote, urljoin

import yaml

from corpus import textkeys

DATA = Path(__file__).parent / "data" / "relevance.yaml"


@dataclass(frozen=True)
class Term:
    """One lexicon entry: a term, its weight and an example title containing it."""

    id: str
    term: str
    weight: int
    example: str


def fold(text: str) -> str:
    """Lower-case ASCII words: diacritics dropped (đ → d), anything else a space; URL slugs fold alike."""
    return textkeys.word_key(unquote(text))


@lru_cache(maxsize=1)
def _lexicon() -> tuple[list[Term], list[str]]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return [Term(**t) for t in data["terms"]], list(data["search_queries"])


def terms() -> list[Term]:
    """The lexicon's terms, in file order."""
    return _lexicon()[0]


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], int]]:
    return [(re.compile(rf"(?:^| ){re.escape(fold(t.term))}(?: |$)"), t.weight) for t in terms()]


def score(*texts: str | None) -> int:
    """The summed weights of the lexicon terms found in the texts (a title, a URL …); 0 for none."""
    haystack = " | ".join(fold(t) for t in texts if t)
    return sum(weight for pattern, weight in _patterns() if pattern.search(haystack))


def search_urls(template: str, base: str) -> list[str]:
    """A site's own search page for each of the lexicon's queries: `template` has `{query}`, and may be a
    path, resolved against `base`."""
    return [urljoin(base, template.replace("{query}", quote_plus(q))) for q in _lexicon()[1]]
