"""Vietnamese text keys: the comparable forms of names and words that every stage uses.

- `lower`: NFC and case folded (`ĐÀ LẠT` ~ `Đà Lạt`), one character per character of NFC text;
- `spaced_lower`: the same with runs of white space made one space;
- `fold`: lower case without diacritics, `đ` as `d`, one character per character of NFC text (so
  offsets found in the fold are offsets in the text);
- `words` / `word_key`: the folded ASCII words (`Đài truyền thanh – Truyền hình` -> `dai truyen
  thanh truyen hinh`), punctuation dropped;
- `unit_key`: a unit's lower-case words without the administrative prefixes wherever they stand
  (`Chi nhánh tỉnh Tây Ninh` ~ `Chi nhánh Tây Ninh`), diacritics kept (`quận` is not `quân`).

`admin_prefixes` is the project's one list of administrative prefixes (`data/prefixes.yaml`).

The scorer keeps its own key (`extract/scoring.py`), which SCHEMA.md specifies, and a fact's dedupe
key keeps diacritics (`extract/facts.py`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

_WORD = re.compile(r"[a-z0-9]+")
PREFIXES_FILE = Path(__file__).parent / "data" / "prefixes.yaml"


def lower(text: str) -> str:
    """NFC and case folded."""
    return unicodedata.normalize("NFC", text).casefold()


def lower_in_place(text: str) -> str:
    """`text` lower-cased with every character kept in its place (one whose lower case is longer,
    "İ", stays as it is): an offset found in it is the same offset in `text`. A lower-case pattern
    searches it several times faster than a case-insensitive one searches `text`."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def spaced_lower(text: str) -> str:
    """NFC, case folded, white space collapsed to single spaces and trimmed."""
    return " ".join(lower(text).split())


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
    """Lower case without diacritics (đ -> d), one character per input character of NFC text."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def words(text: str) -> list[str]:
    """The folded ASCII words of `text`."""
    return _WORD.findall(fold(text))


def word_key(text: str) -> str:
    """The folded ASCII words of `text`, joined by single spaces."""
    return " ".join(words(text))


@lru_cache(maxsize=1)
def admin_prefixes() -> tuple[str, ...]:
    """The administrative prefixes of data/prefixes.yaml, as written ("UBND", "thành phố", "TP" …)."""
    data = yaml.safe_load(PREFIXES_FILE.read_text(encoding="utf-8"))
    return tuple(str(entry["text"]) for entry in data["prefixes"])


_LOWER_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _prefix_words() -> tuple[tuple[str, ...], ...]:
    found = {tuple(_LOWER_WORD.findall(lower(p))) for p in admin_prefixes()}
    return tuple(sorted(found, key=len, reverse=True))


def unit_key(text: str) -> str:
    """The lower-case words of a unit's name, the administrative prefixes dropped wherever they stand."""
    found = _LOWER_WORD.findall(lower(text))
    kept: list[str] = []
    i = 0
    while i < len(found):
        prefix = next((p for p in _prefix_words() if tuple(found[i : i + len(p)]) == p), None)
        if prefix is None:
            kept.append(found[i])
        i += len(prefix) if prefix else 1
    return " ".join(kept)
