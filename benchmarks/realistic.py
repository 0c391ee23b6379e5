"""A realistic bench corpus: Zipf-distributed real Vietnamese words, report-like lengths, emulation
phrases at the rates of the project's real reports (corpus/gold/articles.jsonl)."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

# Word-segmented news text (VLSP 2013, ~57,000 words) and a 74,000-word dictionary, both shipped inside
# underthesea's wheel: the vocabulary's words and, for those the text has, their frequency ranks.
_SAMPLE = "pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt"
_DICTIONARY = "corpus/data/Viet74K.txt"
# Real reports about thi đua (full articles of 563 to 1,589 words): the emulation phrases' rates.
GOLD_REPORTS = Path(__file__).resolve().parents[1] / "corpus" / "gold" / "articles.jsonl"
# Zipf–Mandelbrot rank weights 1 / (rank + Q) ** S: close to the sample's own frequencies (rank 1 2.7 %
# against 3.4 %, rank 1,000 0.010 % against 0.012 %) without its single-topic bulge.
ZIPF_S = 1.0
ZIPF_Q = 2.7
# Article length in syllables: log-normal, median 700 (5th/95th percentiles ≈ 350 / 1,480), long tail.
LENGTH_MEDIAN = 700
LENGTH_SIGMA = 0.45
LENGTH_BOUNDS = (150, 4000)
SENTENCE_WORDS = 17  # mean words per sentence
# Emulation phrases the bench's queries and facts use, inserted at the gold reports' rate per syllable.
PHRASES = (
    "thi đua", "khen thưởng", "tổng kết", "cụm thi đua", "khối thi đua", "giao ước", "cụm trưởng",
    "bằng khen", "cờ thi đua", "phong trào", "hội nghị", "ký kết", "công tác", "đơn vị",
)  # fmt: skip
# Each member unit is named this many more times on average (Poisson) after the lead: the gold reports
# name each member 1 to 3 times.
MEMBER_MENTIONS = 1.8
_WORD = re.compile(r"[^\W_]+")
_ENTRY = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


@dataclass(frozen=True)
class Vocabulary:
    """Words by rank, their cumulative Zipf probabilities and syllable counts."""

    words: npt.NDArray[np.object_]
    cdf: npt.NDArray[np.float64]
    syllables: npt.NDArray[np.int64]


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{package} is not installed (the realistic corpus reads its word lists)")
    return Path(spec.origin).parent / relative


@lru_cache(maxsize=1)
def vocabulary(seed: int = 3) -> Vocabulary:
    """The sample's words by frequency, then the dictionary's other words in a seeded order."""
    counts: Counter[str] = Counter()
    with _package_file("underthesea", _SAMPLE).open(encoding="utf-8") as sample:
        for line in sample:
            word = unicodedata.normalize("NFC", line.split("\t", 1)[0]).lower()
            if _WORD.search(word):
                counts[word] += 1
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    entries = _package_file("underthesea", _DICTIONARY).read_text(encoding="utf-8").splitlines()
    known = set(ranked)
    rest = sorted({e for e in (unicodedata.normalize("NFC", x).lower() for x in entries)
                   if _ENTRY.fullmatch(e) and e not in known})  # fmt: skip
    order = np.random.default_rng(seed).permutation(len(rest))
    words = np.array([*ranked, *(rest[i] for i in order)], dtype=object)
    weights = 1.0 / (np.arange(1, words.size + 1) + ZIPF_Q) ** ZIPF_S
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    syllables = np.array([w.count(" ") + 1 for w in words], dtype=np.int64)
    return Vocabulary(words, cdf, syllables)


@lru_cache(maxsize=1)
def phrase_rates() -> dict[str, float]:
    """Occurrences per syllable of each of PHRASES in the gold reports (longest phrase first, no overlap)."""
    texts = [json.loads(line)["text"] for line in GOLD_REPORTS.read_text(encoding="utf-8").splitlines()]
    text = unicodedata.normalize("NFC", "\n".join(texts)).lower()
    pattern = "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True))
    found = Counter(m.group() for m in re.finditer(rf"(?<![^\W_])(?:{pattern})(?![^\W_])", text))
    syllables = len(_WORD.findall(text))
    return {p: found[p] / syllables for p in PHRASES}


class TextGenerator:
    """Article bodies, deterministic for a seed and the order of calls."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.vocab = vocabulary()
        self.rates = phrase_rates()
        self.mean_syllables = float(np.diff(self.vocab.cdf, prepend=0.0) @ self.vocab.syllables)

    def length(self) -> int:
        """An article's length in syllables."""
        drawn = self.rng.lognormal(np.log(LENGTH_MEDIAN), LENGTH_SIGMA)
        return int(np.clip(drawn, *LENGTH_BOUNDS))

    def body(self, members: list[str]) -> str:
        """Sentences of Zipf-drawn words with the emulation phrases and the members' names mixed in."""
        syllables = self.length()
        extra = [p for p, rate in self.rates.items() for _ in range(self.rng.poisson(rate * syllables))]
        extra += [m for m in members for _ in range(self.rng.poisson(MEMBER_MENTIONS))]
        rest = max(0, syllables - sum(p.count(" ") + 1 for p in extra))
        drawn = np.searchsorted(self.vocab.cdf, self.rng.random(round(rest / self.mean_syllables)))
        words: list[str] = list(self.vocab.words[drawn])
        for phrase, at in zip(extra, self.rng.integers(0, len(words) + 1, len(extra)), strict=True):
            words.insert(int(at), phrase)
        return self._sentences(words)

    def _sentences(self, words: list[str]) -> str:
        cuts = np.cumsum(1 + self.rng.poisson(SENTENCE_WORDS - 1, len(words) // 4 + 1))
        sentences = []
        start = 0
        for end in cuts:
            if start >= len(words):
                break
            sentence = " ".join(words[start : int(end)])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start = int(end)
        return " ".join(sentences)
