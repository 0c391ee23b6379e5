"""A search query's words of several syllables (issue 14): Vietnamese writes a word of two syllables
as two ("Bảo Lộc", "tổng kết"), and folded, each syllable alone is in a large share of the articles.
A query's syllables that make a word of the dictionary, found left to right, longest first, are
matched as written together; the others stay words of their own."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from importlib import resources

from corpus.textkeys import fold
from extract import gazetteer

MAX_SYLLABLES = 4
# underthesea's word list (in its wheel: nothing is downloaded)
_DICTIONARY = ("underthesea", "corpus/data/Viet74K.txt")
# tantivy's simple tokenizer: runs of letters and digits
_SYLLABLE = re.compile(r"[^\W_]+")


def syllables(text: str) -> list[str]:
    """The folded syllables of `text` as the full-text index splits them."""
    return _SYLLABLE.findall(fold(text))


@lru_cache(maxsize=1)
def dictionary() -> dict[str, bool]:
    """The folded words of two to four syllables (space-joined), each True when it names a place:
    Viet74K's and the gazetteer's provinces and districts."""
    package, path = _DICTIONARY
    words: dict[str, bool] = {}
    for entry in resources.files(package).joinpath(path).read_text(encoding="utf-8").splitlines():
        if 2 <= len(parts := syllables(entry)) <= MAX_SYLLABLES:
            words.setdefault(" ".join(parts), False)
    for name in gazetteer.index():
        if 2 <= len(parts := syllables(name)) <= MAX_SYLLABLES:
            words[" ".join(parts)] = True
    return words


def words_of(terms: list[str]) -> list[list[str]]:
    """The folded syllables `terms` grouped into the words they write: the grouping that puts the
    most syllables in words of the dictionary, then the most places ("cum truong lam ha": "lam ha",
    not "truong lam"), then the fewest words; a syllable in no such word is a word of its own."""
    known = dictionary()
    # best[i]: (syllables in words, places, -words) of terms[i:] and the size of its first word
    best: list[tuple[tuple[int, int, int], int]] = [((0, 0, 0), 0)] * (len(terms) + 1)
    for i in range(len(terms) - 1, -1, -1):
        (covered, places, count), _ = best[i + 1]
        options = [((covered, places, count - 1), 1)]
        for n in range(2, min(MAX_SYLLABLES, len(terms) - i) + 1):
            place = known.get(" ".join(terms[i : i + n]))
            if place is not None:
                (c, p, k), _ = best[i + n]
                options.append(((c + n, p + place, k - 1), n))
        best[i] = max(options, key=lambda o: o[0])
    out, i = [], 0
    while i < len(terms):
        size = best[i][1]
        out.append(terms[i : i + size])
        i += size
    return out


def pair_terms(syllables_: list[str]) -> list[str]:
    """Each two adjacent syllables as the one term the index holds for them ("bao", "loc" -> "bao_loc")."""
    return [f"{a}_{b}" for a, b in itertools.pairwise(syllables_)]
