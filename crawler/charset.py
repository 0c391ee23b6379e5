"""Decode fetched bytes to Unicode: wrong or missing charsets, and legacy TCVN3/VNI text."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from charset_normalizer import from_bytes

_DATA = Path(__file__).parent / "data" / "legacy_encodings.yaml"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
# Letters of the Latin-1 supplement that Vietnamese uses; every other one is a legacy-encoding smell.
_VIETNAMESE_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_ODD_LATIN1 = re.compile(
    "["
    + "".join(ch for ch in map(chr, range(0xA1, 0x100)) if ch not in _VIETNAMESE_LATIN1 and ch != "\u00b7")
    + "]"
)
_TONE_MARKS = set("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]")
_LEGACY_SHARE = 0.01  # share of letters that must look legacy before a page is treated as legacy
_MIN_LEGACY_HITS = 3


# Signatures of the binary files a link may lead to instead of a page, by the media type they are.
_MAGIC = {
    b"%PDF-": "application/pdf",
    b"\x89PNG": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF8": "image/gif",
    b"PK\x03\x04": "application/zip",
    b"\xd0\xcf\x11\xe0": "application/msword",
    b"\x1f\x8b": "application/gzip",
}
_BINARY_MEDIA = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                 "application/msword", "application/vnd.", "application/gzip", "application/x-")  # fmt: skip


def binary_kind(body: bytes, content_type: str | None = None) -> str | None:
    """What a response is when it is not a text page (a PDF, an image, other binary data), else None:
    its media type when that is a binary one, a known file signature, or NUL bytes in the text."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media.startswith(_BINARY_MEDIA) and "xml" not in media:
        return media
    head = body[:16].lstrip()
    if kind := next((k for magic, k in _MAGIC.items() if head.startswith(magic)), None):
        return kind
    if b"\x00" in body[:4096] and not body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return media or "binary data"
    return None


class LegacyEncodingError(ValueError):
    """The text is in a legacy Vietnamese encoding that could not be converted cleanly."""


@dataclass(frozen=True)
class Decoded:
    """Unicode text and how it was obtained."""

    text: str
    encoding: str
    legacy: str | None = None  # "tcvn3" / "vni" when the text was converted from a legacy encoding


@dataclass(frozen=True)
class _Legacy:
    id: str
    pattern: re.Pattern[str]
    table: dict[str, str]


@lru_cache(maxsize=1)
def _legacy_tables() -> tuple[_Legacy, ...]:
    doc = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    tables = []
    for enc in doc["encodings"]:
        reverse = {legacy: uni for uni, legacy in enc["map"].items() if legacy != uni}
        keys = sorted(reverse, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(k) for k in keys))
        tables.append(_Legacy(enc["id"], pattern, reverse))
    return tuple(tables)


def _norm_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset the HTTP header or the page's <meta> declares, as a Python codec name."""
    if content_type:
        m = re.search(r"charset\s*=\s*([^\s;]+)", content_type, re.I)
        if m and (name := _norm_codec(m.group(1))):
            return name
    meta = _META_CHARSET.search(body[:4096])
    return _norm_codec(meta.group(1).decode("ascii", "ignore")) if meta else None


def _bytes_to_text(body: bytes, declared: str | None) -> tuple[str, str]:
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(name, errors="replace").lstrip("\ufeff"), name
    try:  # valid UTF-8 with non-ASCII bytes is UTF-8 whatever the page claims
        text = body.decode("utf-8")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    legacy_bytes = body.decode("cp1252", errors="replace")  # TCVN3/VNI pages are 8-bit text read as cp1252
    # a "utf-8" declaration is wrong here (the bytes are not UTF-8), so it does not rule legacy text out
    if _looks_legacy(legacy_bytes) and declared in (None, "utf-8", "cp1252", "iso8859-1", "iso8859-15"):
        return legacy_bytes, "cp1252"
    if declared and declared != "utf-8":
        try:
            return body.decode(declared), declared
        except UnicodeDecodeError:
            pass
    best = from_bytes(body).best()
    if best is not None and best.encoding != "utf_8":
        return str(best), _norm_codec(best.encoding) or best.encoding
    return legacy_bytes, "cp1252"


def legacy_hits(text: str) -> int:
    """How many characters look like legacy-encoded Vietnamese (Latin-1 letters Vietnamese never uses)."""
    return len(_ODD_LATIN1.findall(text))


def _multi_tone_words(text: str) -> int:
    """Words with more than one tone mark: impossible in Vietnamese, typical of a wrong conversion table."""
    count = 0
    for word in _WORD.findall(text):
        tones = sum(1 for ch in unicodedata.normalize("NFD", word) if ch in _TONE_MARKS)
        count += tones > 1
    return count


def _looks_legacy(text: str) -> bool:
    hits = legacy_hits(text)
    if hits < _MIN_LEGACY_HITS:
        return False
    letters = len(_LETTERS.findall(text)) or 1
    return hits / letters >= _LEGACY_SHARE


def convert_legacy(text: str) -> tuple[str, str | None]:
    """Text converted from TCVN3 or VNI when it is in one, else unchanged; raises when unconvertible."""
    if not _looks_legacy(text):
        return text, None
    candidates = []
    for enc in _legacy_tables():
        converted = enc.pattern.sub(lambda m, t=enc.table: t[m.group(0)], text)  # type: ignore[misc]
        candidates.append((legacy_hits(converted) + _multi_tone_words(converted), enc.id, converted))
    hits, enc_id, converted = min(candidates)
    if _looks_legacy(converted):
        raise LegacyEncodingError(
            f"text looks legacy-encoded but neither TCVN3 nor VNI converts it ({hits} odd chars)"
        )
    return unicodedata.normalize("NFC", converted), enc_id


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Unicode HTML from raw bytes, trusting the bytes over a wrong declaration; legacy text converted."""
    text, encoding = _bytes_to_text(body, declared_charset(body, content_type))
    converted, legacy = convert_legacy(text)
    return Decoded(converted, encoding, legacy)
