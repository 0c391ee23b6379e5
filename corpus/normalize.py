"""Text normalisation: the one canonical form of article text that offsets point into."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "normalize.yaml"

_AMP_RUN = re.compile(r"&(?:amp;)+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")
_MAX_UNESCAPE_PASSES = 4


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    """The character table of data/normalize.yaml as a str.translate map."""
    entries = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["replacements"]
    return {ord(ch): entry["to"] for entry in entries for ch in entry["chars"]}


@lru_cache(maxsize=1)
def _tone_map() -> dict[str, str]:
    """underthesea's token map: one tone-mark placement per syllable (hoà -> hòa)."""
    from underthesea.pipeline.text_normalize.text_normalizer import token_map

    return {unicodedata.normalize("NFC", k): unicodedata.normalize("NFC", v) for k, v in token_map.items()}


def _unescape(text: str) -> str:
    """Unescape HTML entities, also doubly escaped ones (&amp;nbsp;), to a fixed point."""
    for _ in range(_MAX_UNESCAPE_PASSES):
        if "&" not in text:
            break
        new = html.unescape(_AMP_RUN.sub("&", text))
        if new == text:
            break
        text = new
    return text


def _fix_tones(text: str) -> str:
    tones = _tone_map()
    return _WORD.sub(lambda m: tones.get(m.group(0), m.group(0)), text)


def normalize_text(text: str) -> str:
    """NFC, one tone-mark placement, entities unescaped, quote/dash/space variants unified.

    Runs of spaces collapse to one; line breaks are kept (at most one blank line in a row).
    Idempotent and linear in the length of the text.
    """
    text = _unescape(text)
    text = unicodedata.normalize("NFC", text).translate(_translation())
    text = unicodedata.normalize("NFC", _fix_tones(text))
    text = _SPACES.sub(" ", text)
    text = _LINE_EDGES.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def tone_spellings(text: str) -> dict[str, str]:
    """The article's own spelling of each word normalize_text gives another tone placement, where the
    article writes it more often than the normalised one ("Hòa" -> "Hoà" in a page writing "Hoà
    Thành"): values read from the normalised text are given back as the page writes them."""
    tones = _tone_map()
    written = Counter(_WORD.findall(unicodedata.normalize("NFC", _unescape(text)).translate(_translation())))
    best: dict[str, tuple[int, str]] = {}
    for word, n in written.items():
        fixed = tones.get(word)
        if fixed is not None and fixed != word and n > best.get(fixed, (0, ""))[0]:
            best[fixed] = (n, word)
    return {fixed: word for fixed, (n, word) in best.items() if n > written.get(fixed, 0)}
