"""The UI string catalogues: same keys in every language, NFC text, and the language choice."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from search_api.i18n import LANGUAGES, Translator, catalog, resolve_lang

TEMPLATES = Path(__file__).resolve().parents[2] / "search_api" / "templates"


def test_every_language_has_the_same_keys() -> None:
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    assert keys["vi"] == keys["en"], keys["vi"] ^ keys["en"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_strings_are_nfc_and_non_empty(lang: str) -> None:
    for key, text in catalog(lang).items():
        assert text.strip(), key
        assert unicodedata.normalize("NFC", text) == text, key


def test_every_literal_key_used_in_templates_exists() -> None:
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z_]+)'[,)]", path.read_text(encoding="utf-8")))
    assert used, "templates use no UI strings?"
    assert used <= set(catalog("vi")), used - set(catalog("vi"))


@pytest.mark.parametrize(
    ("query", "cookie", "expected"),
    [
        (None, None, "vi"),
        ("en", None, "en"),
        ("EN", "vi", "en"),
        (None, "en", "en"),
        ("xx", "en", "en"),
        ("fr", None, "vi"),
    ],
)
def test_resolve_lang_prefers_query_then_cookie_then_vietnamese(
    query: str | None, cookie: str | None, expected: str
) -> None:
    assert resolve_lang(query, cookie) == expected


def test_translator_formats_and_toggles() -> None:
    t = Translator("en")
    assert t("results_count", n=3) == "3 results"
    assert Translator("vi")("results_count", n=3) == "3 kết quả"
    assert t.other == "vi" and Translator("vi").other == "en"
    assert t("no_such_key") == "no_such_key"


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown UI language"):
        catalog("fr")
