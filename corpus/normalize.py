"""Text normalisation: the one canonical form of article text that offsets point into."""

from __future__ import annotations

import html
import unicodedata


def normalize_text(text: str) -> str:
    """NFC, entities unescaped, non-breaking spaces as spaces; idempotent."""
    text = html.unescape(text).replace("\u00a0", " ")
    return unicodedata.normalize("NFC", text)
