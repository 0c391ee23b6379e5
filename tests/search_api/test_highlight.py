"""Highlighting: the query's words marked as the search matches them (a word of several syllables written
together, search_api.phrases), found lazily in the folded copy, give the same passages as a plain scan of
the whole text's syllables."""

from __future__ import annotations

import html
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.textkeys import fold
from search_api import phrases
from search_api.highlight import highlight

_SYLLABLE = re.compile(r"[^\W_]+")


def _marked_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Left to right over the text's syllables: where the query's next word (its syllables in order, the
    longest first) starts, its span; the scan goes on after it."""
    groups = phrases.words_of([s for w in words for s in phrases.syllables(w)])
    found = [(m.group(), m.span()) for m in _SYLLABLE.finditer(fold(text))]
    spans, i = [], 0
    while i < len(found):
        size = max((len(g) for g in groups if [s for s, _ in found[i : i + len(g)]] == g), default=0)
        if size:
            spans.append((found[i][1][0], found[i + size - 1][1][1]))
        i += max(size, 1)
    return spans


def _reference(text: str, words: list[str], width: int = 160, limit: int = 3) -> list[str]:
    """The straightforward version: fold the whole text, scan every syllable."""
    text = unicodedata.normalize("NFC", text)
    spans = _marked_spans(text, words)
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
@given(_texts, _words, st.integers(1, 200), st.integers(0, 4))
def test_highlight_matches_whole_text_reference(text: str, words: list[str], width: int, limit: int) -> None:
    want = _reference(text, words, width, limit)
    assert highlight(text, words, width=width, limit=limit) == want
    nfc = unicodedata.normalize("NFC", text)
    assert highlight(nfc, words, folded=fold(nfc), width=width, limit=limit) == want


def test_highlight_reaches_matches_far_into_long_texts() -> None:
    filler = "Hội nghị tổng kết công tác năm. " * 400
    text = filler + "Thành phố Đà Lạt làm Cụm trưởng. " + filler + "Đà Lạt nhận Cờ thi đua."
    passages = highlight(text, ["da", "LAT"], limit=2)
    assert passages == _reference(text, ["da", "LAT"], limit=2)
    assert len(passages) == 2
    assert "<mark>Đà Lạt</mark> làm Cụm trưởng" in passages[0]
    assert passages[1].endswith("<mark>Đà Lạt</mark> nhận Cờ thi đua.")


def test_a_word_of_several_syllables_is_marked_only_where_written_together() -> None:
    text = "Huyện bảo đảm an toàn; Bảo\nLộc và thị xã Gia-Nghĩa ký giao ước, lộc non đầy cành."
    passages = highlight(text, ["bao", "loc", "Gia", "Nghia", "giao", "uoc"])
    marked = (
        "Huyện bảo đảm an toàn; <mark>Bảo\nLộc</mark> và thị xã <mark>Gia-Nghĩa</mark> ký "
        "<mark>giao ước</mark>, lộc non đầy cành."
    )
    assert passages == [marked]
    assert passages == _reference(text, ["bao", "loc", "Gia", "Nghia", "giao", "uoc"])


def test_highlight_escapes_and_ignores_non_words() -> None:
    text = "<b>Đà Lạt</b> & Cụm_thi đua"
    marked = "&lt;b&gt;Đà <mark>Lạt</mark>&lt;/b&gt; &amp; <mark>Cụm</mark>_thi đua"
    assert highlight(text, ["lat", "cum", "_"]) == [marked]
    assert highlight(text, ["", "__"]) == []


def test_highlight_keeps_control_characters_in_passages() -> None:
    text = "\x00 Đà\x01Lạt \x02 & lat"
    assert highlight(text, ["lat"]) == ["\x00 Đà\x01<mark>Lạt</mark> \x02 &amp; <mark>lat</mark>"]
    assert highlight(text, ["lat"]) == _reference(text, ["lat"])
