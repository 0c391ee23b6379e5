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
# A line break between two letters; the words around it are read from there (searching for the break
# first keeps the pass cheap: a pattern that starts with a word would be tried at every letter).
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-?\n(?=[^\W\d_])")  # "Đ-\nầu": a hyphen may mark the cut
_WORD_AFTER = re.compile(r"[^\W\d_]{2,}+|[^\W\d_](?![.)])")  # not a list's letter ("b)")
_MAX_UNESCAPE_PASSES = 4
# A year a line break cut after its century ("năm 20" / "22", "11/11/20" / "22"): one number again.
_BROKEN_YEAR = re.compile(r"(?P<c>[12][09])\n(?=\d{2}(?!\d))(?<=(?:19|20)\n)(?:(?<=[Nn]ăm ..\n)|(?<=/..\n))")


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    """The character table of data/normalize.yaml as a str.translate map."""
    entries = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["replacements"]
    return {ord(ch): entry["to"] for entry in entries for ch in entry["chars"]}


@lru_cache(maxsize=1)
def _sequences() -> tuple[re.Pattern[str], dict[str, str]]:
    """The pairs of marks typed for one (data/normalize.yaml `sequences`) and what each becomes."""
    entries = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["sequences"]
    table = {str(entry["text"]): str(entry["to"]) for entry in entries}
    return re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))), table


def _paired_marks(text: str) -> str:
    pattern, table = _sequences()
    return pattern.sub(lambda m: table[m.group(0)], text) if any(k in text for k in table) else text


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
    """Each syllable the token map knows in its one placement; the words are collected first, so an
    article with none to mend (most) costs one scan and no call per word."""
    tones = _tone_map()
    found = tones.keys() & set(_WORD.findall(text))
    if not found:
        return text
    words = "|".join(re.escape(w) for w in sorted(found, key=len, reverse=True))
    return re.sub(rf"(?<![^\W\d_])(?:{words})(?![^\W\d_])", lambda m: tones[m.group(0)], text)


def normalize_text(text: str) -> str:
    """NFC, one tone-mark placement, entities unescaped, quote/dash/space variants unified.

    Runs of spaces collapse to one; line breaks are kept (at most one blank line in a row).
    Idempotent and linear in the length of the text.
    """
    return _normalized(_plain(text))


def normalize_with_spellings(text: str) -> tuple[str, dict[str, str]]:
    """normalize_text(text) and tone_spellings(text), their shared first pass made once."""
    plain = _plain(text)
    return _normalized(plain), _spellings(plain)


def _plain(text: str) -> str:
    """Entities unescaped, NFC, the character variants unified: the first pass of both readings. A tab
    between two cells of a line (a table copied with its tabs) becomes a cell mark " | "."""
    text = unicodedata.normalize("NFC", _unescape(text))
    return (_CELL_TAB.sub(" | ", text) if "\t" in text else text).translate(_translation())


_CELL_TAB = re.compile(r"(?<=[^\s|])[ ]*\t[\t ]*(?=[^\s|])")


def _normalized(plain: str) -> str:
    """normalize_text after its first pass (`_plain`)."""
    text = _SPACES.sub(" ", _paired_marks(plain))
    text = _digits_unglued(_unglued(_mended(_BROKEN_YEAR.sub(r"\g<c>", _LINE_EDGES.sub("\n", text)))))
    text = unicodedata.normalize("NFC", _fix_tones(text))
    return _BLANK_LINES.sub("\n\n", text).strip()


@lru_cache(maxsize=1)
def _vowels() -> frozenset[str]:
    """Every Vietnamese vowel letter, with each tone mark, in both cases."""
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    bases = "aăâeêioôơuưy"
    return frozenset(
        unicodedata.normalize("NFC", b + t) for base in (bases, bases.upper()) for b in base for t in tones
    )


def _fragment(part: str, *, head: bool) -> bool:
    """True when `part` cannot be a Vietnamese word: letters without a vowel, in lower case (a head may
    start with a capital: "Th" of "Thanh"). Abbreviations (UBND, TP) are capitals and stay words."""
    if any(ch in _vowels() for ch in part):
        return False
    rest = part[1:] if head else part
    return rest == rest.lower() and (head or part[:1].islower())


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Vietnamese syllables, lower case: those that occur in at least two words of underthesea's bundled
    word list (Viet74K; a syllable seen once is mostly a loanword's piece). Empty if the list is missing."""
    import underthesea

    path = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    if not path.exists():
        return frozenset()
    seen: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        seen.update(set(unicodedata.normalize("NFC", line.lower()).split()))
    return frozenset(word for word, n in seen.items() if n >= 2)


def _mended(text: str) -> str:
    """The text with every word a line break cut made whole again (see `_joins`)."""
    out, last = [], 0
    for m in _BROKEN_WORD.finditer(text):
        start = m.start()
        while start > last and text[start - 1].isalpha():  # back over the word before the break
            start -= 1
        tail = _WORD_AFTER.match(text, m.end())
        if tail and _joins(text[start : m.start()], tail.group(0)):
            out.append(text[last : m.start()])
            last = m.end()
    return "".join(out) + text[last:] if out else text


_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_MAX_SYLLABLE = 7  # letters of the longest Vietnamese syllable ("nghiêng")


@lru_cache(maxsize=1)
def _glued_mark() -> re.Pattern[str]:
    """What no Vietnamese syllable holds: two tone marks, or "đ" after a letter (a syllable carries
    one tone and "đ" only opens it). Found without reading whole words: most text has none."""
    toned = "".join(sorted(v for v in _vowels() if any(t in unicodedata.normalize("NFD", v) for t in _TONES)))
    plain = "a-zA-ZđĐ" + "".join(sorted(v for v in _vowels() if v not in toned))
    return re.compile(rf"đ(?<=[{plain}{toned}]đ)|[{toned}][{plain}]*[{toned}]")  # a literal first: cheaper


def _unglued(text: str) -> str:
    """Words run together by a lost space ("tỉnhký", "thiđua") split back into their syllables, where
    the syllables of underthesea's word list make the whole word; anything else stays as written, and
    so does a word with a capital inside ("nghiệpBản": a lost line break, which the extractors read
    as such)."""
    out, last = [], 0
    for m in _glued_mark().finditer(text):
        if m.start() < last:
            continue
        start = m.start()
        while start > last and text[start - 1].isalpha():
            start -= 1
        end = m.end()
        while end < len(text) and text[end].isalpha():
            end += 1
        split = _split_syllables(text[start:end])
        if split is not None:
            out += [text[last:start], split]
            last = end
    return "".join(out) + text[last:] if out else text


_AFTER_DIGIT = re.compile(r"\d(?P<word>[^\W\d_]+)")


def _digits_unglued(text: str) -> str:
    """A number run into the word after it by a lost space ("Cụm thi đua 1và 38 …", "năm 2023tại")
    split from it where the word is Vietnamese: lower case, with a letter outside ASCII, made of known
    syllables. Units ("12h", "5km", "3ha") and codes ("2B") stay as written."""

    def split(m: re.Match[str]) -> str:
        word = m.group("word")
        if word.isascii() or word != word.lower():
            return m.group(0)
        tones = _tone_map()
        if word in _syllables() or tones.get(word) in _syllables():
            return f"{m.group(0)[0]} {word}"
        pieces = _split_syllables(word)
        return f"{m.group(0)[0]} {pieces}" if pieces else m.group(0)

    return _AFTER_DIGIT.sub(split, text)


def _split_syllables(word: str) -> str | None:
    """`word` as known syllables joined by spaces (fewest pieces), or None when none cover it."""
    if word[1:] != word[1:].lower():
        return None
    syllables, tones, low = _syllables(), _tone_map(), word.lower()
    best: list[list[int] | None] = [[]] + [None] * len(low)
    for end in range(1, len(low) + 1):
        for start in range(max(0, end - _MAX_SYLLABLE), end):
            piece, before = low[start:end], best[start]
            known = (piece in syllables or tones.get(piece) in syllables) and not _fragment(piece, head=False)
            if before is not None and known and (best[end] is None or len(before) + 1 < len(best[end] or [])):
                best[end] = [*before, end]
    cuts = best[-1]
    if cuts is None or len(cuts) < 2:
        return None
    return " ".join(word[a:b] for a, b in zip([0, *cuts[:-1]], cuts, strict=True))


def _joins(head: str, tail: str) -> bool:
    """True when a line break cut one word: a piece without a vowel ("thự" / "c", "Th" / "anh"), or a
    piece that is no syllable of a whole that is one ("huy" / "ện"). Two words stay two lines."""
    if tail != tail.lower():
        return False
    if _fragment(head, head=True) or _fragment(tail, head=False):
        return True
    syllables = _syllables()
    whole = (head + tail).lower()
    if whole not in syllables:
        return False
    if head.lower() not in syllables or tail not in syllables:
        return True
    # both pieces are syllables, but the break splits a run of vowels that the whole makes one ("cu" /
    # "ộc", "Vi" / "ệt", "tu" / "yên"): two words written so would be two vowel runs, no syllable
    return head[-1:] in _vowels() and tail[:1] in _vowels()


def tone_spellings(text: str) -> dict[str, str]:
    """The article's own spelling of each word normalize_text gives another tone placement, where the
    article writes it more often than the normalised one ("Hòa" -> "Hoà" in a page writing "Hoà
    Thành"): values read from the normalised text are given back as the page writes them."""
    return _spellings(_plain(text))


def _spellings(plain: str) -> dict[str, str]:
    tones = _tone_map()
    words = _WORD.findall(plain)
    if tones.keys().isdisjoint(words):  # most articles: no word the map spells another way
        return {}
    written = Counter(words)
    best: dict[str, tuple[int, str]] = {}
    for word, n in written.items():
        fixed = tones.get(word)
        if fixed is not None and fixed != word and n > best.get(fixed, (0, ""))[0]:
            best[fixed] = (n, word)
    return {fixed: word for fixed, (n, word) in best.items() if n > written.get(fixed, 0)}
