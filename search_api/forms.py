"""The web pages' form values: whole numbers, years, page numbers, a minimum confidence and the
fact-check's claim, each checked and turned into a FormError the page shows in its language."""

from __future__ import annotations

import re

from search_api.i18n import Translator
from search_api.params import CONFIDENCE_MAX, CONFIDENCE_MIN

MAX_PAGE = 500  # the API caps offsets at 10,000
_ASCII_NUMBER = re.compile(r"[0-9]{1,9}")


class FormError(ValueError):
    """A form value the page cannot use: a UI string key and the values it quotes."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def message(self, t: Translator) -> str:
        return t(self.key, **self.values)


def whole_number(raw: str) -> int | None:
    """A form field's whole number in ASCII digits (`²`, `①` or `٢` are not: `str.isdigit()` takes
    them, `int()` fails on some and reads others), else None."""
    text = raw.strip()
    return int(text) if _ASCII_NUMBER.fullmatch(text) else None


def parse_year(raw: str | None, field: str) -> int | None:
    """A year from a form field; a FormError for anything but 1900–2100."""
    if raw is None or not raw.strip():
        return None
    year = whole_number(raw)
    if year is None or not 1900 <= year <= 2100:
        raise FormError("error_year", field=field, value=raw)
    return year


def parse_confidence(raw: str | None) -> float | None:
    """A minimum confidence from a form field (a decimal comma is fine); a FormError outside 0–1."""
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        raise FormError("error_confidence", value=raw) from None
    if not CONFIDENCE_MIN <= value <= CONFIDENCE_MAX:  # NaN too
        raise FormError("error_confidence", value=raw)
    return value


def parse_page(raw: str | None) -> int:
    """A results page number from the query string; a FormError outside 1–MAX_PAGE."""
    if raw is None or not raw.strip():
        return 1
    number = whole_number(raw)
    if number is None or not 1 <= number <= MAX_PAGE:
        raise FormError("error_page", value=raw, max=MAX_PAGE)
    return number


def claim_parts(claim: str | None, role: str | None, award: str | None) -> tuple[str | None, str | None]:
    """(role, award) from the form's `claim` (`role:chair`, `award:Cờ thi đua`) or direct parameters;
    a claim of neither form is an error (it was read as chair)."""
    if claim and claim.strip():
        kind, _, value = claim.partition(":")
        if kind == "role" and value in ("chair", "vice_chair"):
            return value, None
        if kind == "award" and value.strip():
            return None, value.strip()
        raise FormError("error_claim", value=claim)
    if role and role not in ("chair", "vice_chair"):
        raise FormError("error_claim", value=role)
    return role, award
