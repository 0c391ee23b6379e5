"""Crawl damage done on purpose: copies of an article's text hurt the way copied pages are (flattened
to one line, hard-wrapped, words broken across lines, …), to measure how extraction holds up on them
(`thidua eval --damage`). Pure and seeded: the same article is damaged the same way every run."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

_WRAP_COLUMNS = 70
_BREAK_SHARE = 0.10  # of the spaces inside a line, for hard breaks
_BROKEN_SHARE = 0.025  # of the words of four letters or more, for broken words
_IMAGE_SHARE = 0.3  # of the paragraphs, for image file names after them
_CUT_FROM, _CUT_TO = 0.35, 0.9  # of the text's length, where a truncated copy ends
_WORD = re.compile(r"\w{4,}")
_LINE_BREAKS = re.compile(r"\s*\n\s*")


def _flat(text: str, _: random.Random) -> str:
    """Every line break a space: a page copied without its paragraphs."""
    return _LINE_BREAKS.sub(" ", text)


def _wrap(text: str, _: random.Random) -> str:
    """Every paragraph hard-wrapped at about 70 columns, as a text dump is."""
    out: list[str] = []
    for line in text.split("\n"):
        current = ""
        for word in line.split(" "):
            if current and len(current) + len(word) + 1 > _WRAP_COLUMNS:
                out.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        out.append(current)
    return "\n".join(out)


def _hard_breaks(text: str, rng: random.Random) -> str:
    """A line break in place of about one space in ten, anywhere in a sentence."""
    return "".join("\n" if c == " " and rng.random() < _BREAK_SHARE else c for c in text)


def _broken_words(text: str, rng: random.Random) -> str:
    """About one longer word in forty broken by a line break after its second letter."""
    return _WORD.sub(lambda m: f"{m[0][:2]}\n{m[0][2:]}" if rng.random() < _BROKEN_SHARE else m[0], text)


def _image_names(text: str, rng: random.Random) -> str:
    """An image's file name on a line of its own after about a third of the paragraphs."""
    out: list[str] = []
    for line in text.split("\n"):
        out.append(line)
        if line.strip() and rng.random() < _IMAGE_SHARE:
            out.append(f"IMG_{rng.randint(1000, 9999)}.jpg")
    return "\n".join(out)


def _repeated_title(text: str, _: random.Random) -> str:
    """The first line printed twice more above the text, as page templates repeat a title."""
    first = text.strip().split("\n", 1)[0]
    return f"{first}\n{first}\n{text}"


def _truncated(text: str, rng: random.Random) -> str:
    """The text cut off inside a word somewhere between a third and nine tenths of its length, as
    excerpts and interrupted crawls end. What the cut takes is lost, so only precision compares with
    the whole text's."""
    cut = int(len(text) * rng.uniform(_CUT_FROM, _CUT_TO))
    while cut < len(text) and not (text[cut - 1].isalpha() and text[cut].isalpha()):
        cut += 1
    return text[:cut]


DAMAGE: dict[str, Callable[[str, random.Random], str]] = {
    "flat": _flat,
    "wrap": _wrap,
    "hard-breaks": _hard_breaks,
    "broken-words": _broken_words,
    "image-names": _image_names,
    "repeated-title": _repeated_title,
    "truncated": _truncated,
}


def damage(text: str, kind: str, seed: str) -> str:
    """`text` damaged the `kind` way (a key of DAMAGE), the random choices seeded by `seed` (the
    article's id)."""
    return DAMAGE[kind](text, random.Random(seed))
