"""Highlighting: lazy chunked folding, or the stored folded copy, gives the same passages as folding the
whole text at once."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.textkeys import fold
from search_api import highlight as hl
from search_api.highlight import highlight

_WORD = re.compile(r"[^\W_]+")


def _reference(text: str, words: list[str], width: int = 160, limit: int = 3) -> list[str]:
    """The straightforward version: fold the whole text, scan every word."""
    wanted = {fold(w) for w in words}
    spans = [m.span() for m in _WORD.finditer(fold(text)) if m.group() in wanted]
    passages: list[str] = []
    covered = -1
    for start, end in spans:
        if start < covered:
            continue
        left = max(0, start - width // 2)
        right = min(len(text), max(end, left + width))
        while left > 0 and not text[left - 1].isspace():
            left -= 1
        while right < len(text) and not text[right].isspace():
            right += 1
        out, pos = [], left
        for s, e in spans:
            if s < left or e > right:
                continue
            out.append(html.escape(text[pos:s]) + f"<mark>{html.escape(text[s:e])}</mark>")
            pos = e
        out.append(html.escape(text[pos:right]))
        passages.append(("…" if left > 0 else "") + "".join(out).strip() + ("…" if right < len(text) else ""))
        covered = right
        if len(passages) == limit:
            break
    return passages


_VOCAB = ["Đà", "Lạt", "đà", "lat", "thi", "đua", "Cụm", "cum", "khen", "thưởng", "a_b", "x1", "<b>", "&"]
# Decomposed marks, odd spaces (U+2000 changes under NFC) and punctuation next to words.
_GLUE = [" ", "  ", "\n", "\u2000", "\u00a0", ", ", ". ", "-", "_", "\u0301", " \u0300", "“", "”"]
_texts = st.lists(st.sampled_from(_VOCAB + _GLUE) | st.text(max_size=6), max_size=400).map("".join)
_words = st.lists(st.sampled_from(_VOCAB) | st.text(min_size=1, max_size=4), max_size=4)


@settings(max_examples=400, deadline=None)
@given(_texts, _words, st.integers(1, 200), st.integers(0, 4), st.integers(1, 64))
def test_highlight_matches_whole_text_reference(
    text: str, words: list[str], width: int, limit: int, chunk: int
) -> None:
    old, hl._CHUNK = hl._CHUNK, chunk  # small chunks put many cuts inside the text
    try:
        want = _reference(text, words, width, limit)
        assert highlight(text, words, width=width, limit=limit) == want
        assert highlight(text, words, folded=fold(text), width=width, limit=limit) == want
    finally:
        hl._CHUNK = old


def test_highlight_reaches_matches_far_into_long_texts() -> None:
    filler = "Hội nghị tổng kết công tác năm. " * 400
    text = filler + "Thành phố Đà Lạt làm Cụm trưởng. " + filler + "Đà Lạt nhận Cờ thi đua."
    passages = highlight(text, ["da", "LAT"], limit=2)
    assert passages == _reference(text, ["da", "LAT"], limit=2)
    assert len(passages) == 2
    assert "<mark>Đà</mark> <mark>Lạt</mark> làm Cụm trưởng" in passages[0]
    assert passages[1].endswith("<mark>Đà</mark> <mark>Lạt</mark> nhận Cờ thi đua.")


def test_highlight_escapes_and_ignores_non_words() -> None:
    text = "<b>Đà Lạt</b> & Cụm_thi đua"
    marked = "&lt;b&gt;Đà <mark>Lạt</mark>&lt;/b&gt; &amp; <mark>Cụm</mark>_thi đua"
    assert highlight(text, ["lat", "cum", "_"]) == [marked]
    assert highlight(text, ["", "__"]) == []


def test_highlight_keeps_control_characters_in_passages() -> None:
    text = "\x00 Đà\x01Lạt \x02 & lat"
    assert highlight(text, ["lat"]) == ["\x00 Đà\x01<mark>Lạt</mark> \x02 &amp; <mark>lat</mark>"]
    assert highlight(text, ["lat"]) == _reference(text, ["lat"])
