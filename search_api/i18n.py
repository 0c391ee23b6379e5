"""UI strings for the web pages in Vietnamese and English, loaded from `i18n/*.yaml`."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

LANGUAGES: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"
LANG_COOKIE = "lang"
_DIR = Path(__file__).parent / "i18n"


@lru_cache
def catalog(lang: str) -> dict[str, str]:
    """The strings of one language, NFC-normalised; raises ValueError for an unknown language."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown UI language {lang!r}; expected one of {LANGUAGES}")
    data = yaml.safe_load((_DIR / f"{lang}.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): unicodedata.normalize("NFC", str(v)) for k, v in data.items()}


def resolve_lang(query: str | None, cookie: str | None) -> str:
    """The language to render: an explicit `?lang=` first, then the cookie, then Vietnamese."""
    for candidate in (query, cookie):
        if candidate and candidate.lower() in LANGUAGES:
            return candidate.lower()
    return DEFAULT_LANG


@dataclass(frozen=True)
class Translator:
    """Looks up UI strings for one language; a missing key falls back to Vietnamese, then the key."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        text = catalog(self.lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
        return text.format(**values) if values else text

    @property
    def other(self) -> str:
        """The language the toggle switches to."""
        return next(code for code in LANGUAGES if code != self.lang)
