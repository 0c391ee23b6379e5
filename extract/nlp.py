"""The one adapter to underthesea (cached) and the spaCy document layer built on its word segmentation."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from extract.lexicon import alternation, entries, load

CACHE_SIZE = 4096
DOMAIN_KEY = "thidua_domain"
NAMES_KEY = "thidua_names"


# -- underthesea, cached: the only module that calls it --------------------------------------


@lru_cache(maxsize=CACHE_SIZE)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """underthesea's word segmentation with POS tags: ((word, tag), …); multi-syllable words whole."""
    from underthesea import pos_tag

    return tuple((str(w), str(t)) for w, t in pos_tag(text))


@lru_cache(maxsize=CACHE_SIZE)
def entities(text: str) -> tuple[tuple[str, str], ...]:
    """underthesea's CRF NER: ((word, BIO tag), …). Slow (4-12 ms a sentence): used only on request."""
    from underthesea import ner

    return tuple((str(row[0]), str(row[-1])) for row in ner(text))


def clear_caches() -> None:
    """Forget every cached underthesea result (benchmarks measure cold analysis with it)."""
    for func in (tagged, entities, _doc):
        func.cache_clear()


def align(text: str, words: Iterable[str]) -> list[tuple[int, int, int]]:
    """(word index, start, end) of each of `words` found in `text`, in order; others are skipped."""
    spans: list[tuple[int, int, int]] = []
    pos = 0
    for i, word in enumerate(words):
        start = text.find(word, pos)
        if start >= 0:
            spans.append((i, start, start + len(word)))
        else:
            parts = [re.escape(p) for p in word.split()]
            m = re.compile(r"\s+".join(parts)).search(text, pos) if parts else None
            if m is None:
                continue
            spans.append((i, m.start(), m.end()))
        pos = spans[-1][2]
    return spans


# -- the spaCy Language: underthesea tokenizer, POS, domain SpanRuler, names -------------------


@lru_cache(maxsize=1)
def _domain_regex() -> re.Pattern[str]:
    """Domain terms that must stay one token whatever the segmenter says ("Cụm phó", "Bằng khen")."""
    atomic = [e for e in _domain_entries() if e["atomic"]]
    return re.compile(r"(?<![\w])" + alternation(atomic) + r"(?![\w])", re.IGNORECASE)


def _domain_entries() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for spec in load("nlp")["domain"]:
        name, section = str(spec["from"]).split(":")
        out.extend({**e, "label": spec["label"], "atomic": spec["atomic"]} for e in entries(name, section))
    return out


def _cuts(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token spans: the segmenter's, re-cut so that each domain term is exactly one token."""
    domain = [(m.start(), m.end()) for m in _domain_regex().finditer(text)]
    inside = {i for a, b in domain for i in range(a + 1, b)}
    points = {p for span in spans for p in span} | {p for span in domain for p in span}
    cuts = sorted(p for p in points if p not in inside)
    out: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(cuts):
        piece = text[a:b]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((a + lead, a + lead + len(piece.strip())))
    return out


class UndertheseaTokenizer:
    """A spaCy tokenizer: underthesea's words with exact character offsets, domain terms whole."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        found = align(text, (w for w, _ in tagged(text))) if text.strip() else []
        spans = _cuts(text, [(a, b) for _, a, b in found])
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for start, end in spans:
            if start > pos:
                _gap(words, spaces, text[pos:start])
            words.append(text[start:end])
            spaces.append(False)
            pos = end
        if pos < len(text):
            _gap(words, spaces, text[pos:])
        return Doc(self.vocab, words=words, spaces=spaces)


def _gap(words: list[str], spaces: list[bool], gap: str) -> None:
    """Text between tokens: one space becomes the previous token's trailing space, else a token."""
    if gap == " " and words:
        spaces[-1] = True
    else:
        words.append(gap)
        spaces.append(False)


@spacy.util.registry.tokenizers("thidua.underthesea_tokenizer.v1")  # type: ignore[untyped-decorator]
def make_tokenizer() -> Any:
    """Registry entry of the tokenizer (spaCy config: [nlp.tokenizer] @tokenizers = …)."""
    return lambda nlp: UndertheseaTokenizer(nlp.vocab)


@Language.component("thidua_pos_v1")
def pos_component(doc: Doc) -> Doc:
    """Token tags from underthesea's POS tagger (Np = proper noun, N, V, …), by token start."""
    tags = tagged(doc.text)
    tag_at = {start: tags[i][1] for i, start, _ in align(doc.text, (w for w, _ in tags))}
    for token in doc:
        tag = tag_at.get(token.idx)
        if tag:
            token.tag_ = tag
    return doc


@Language.component("thidua_names_v1")
def names_component(doc: Doc) -> Doc:
    """Name candidates: runs of proper nouns (Np) that no domain term overlaps (domain wins)."""
    taken = {i for span in doc.spans.get(DOMAIN_KEY, []) for i in range(span.start, span.end)}
    out, run = [], []
    for token in doc:
        if token.tag_ == "Np" and token.i not in taken and token.text[:1].isupper():
            run.append(token.i)
            continue
        if run:
            out.append(Span(doc, run[0], run[-1] + 1, label="NAME"))
        run = []
    if run:
        out.append(Span(doc, run[0], run[-1] + 1, label="NAME"))
    doc.spans[NAMES_KEY] = out
    return doc


def _ruler_patterns() -> list[dict[str, Any]]:
    return [
        {"label": e["label"], "id": str(e["id"]), "pattern": [{"LOWER": {"REGEX": f"^(?:{e['pattern']})$"}}]}
        for e in _domain_entries()
    ]


@lru_cache(maxsize=1)
def language() -> Language:
    """The pipeline: underthesea tokenizer, POS, domain SpanRuler (data files), name candidates."""
    nlp = spacy.blank("xx")
    nlp.tokenizer = UndertheseaTokenizer(nlp.vocab)
    nlp.add_pipe("thidua_pos_v1")
    ruler = nlp.add_pipe("span_ruler", name="thidua_domain", config={"spans_key": DOMAIN_KEY})
    ruler.add_patterns(_ruler_patterns())  # type: ignore[attr-defined]
    nlp.add_pipe("thidua_names_v1")
    return nlp


@lru_cache(maxsize=CACHE_SIZE)
def _doc(text: str) -> Doc:
    return language()(text)


def doc(text: str) -> Doc:
    """The analysed Doc of one sentence (cached on its text)."""
    return _doc(text)


@dataclass(frozen=True)
class Name:
    """A name candidate in a sentence: its text and character span."""

    text: str
    start: int
    end: int


def ner_enabled() -> bool:
    """Whether name candidates must also be PER for underthesea's NER (data/nlp.yaml `use_ner`)."""
    return bool(load("nlp").get("use_ner", False))


def names(text: str, use_ner: bool = False) -> list[Name]:
    """Proper-noun runs of `text` outside domain terms; with use_ner, only those NER calls PER."""
    found = [Name(s.text, s.start_char, s.end_char) for s in doc(text).spans[NAMES_KEY]]
    if not use_ner:
        return found
    rows = entities(text)
    person = {start for i, start, _ in align(text, (w for w, _ in rows)) if rows[i][1].endswith("PER")}
    return [n for n in found if n.start in person]
