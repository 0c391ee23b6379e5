"""Cluster and bloc names (Cụm thi đua số 1, Khối thi đua các cơ quan Đảng) and cluster facts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from extract import gazetteer
from extract.facts import make
from extract.lexicon import alternation, compiled, entries, grammar, load, words
from extract.models import ClusterFact
from extract.registry import rule

if TYPE_CHECKING:
    from extract.context import Context

_MAX_NAME_WORDS = 18


@dataclass(frozen=True)
class ClusterMention:
    """A cluster name as found in the text, normalised, with its span."""

    name: str
    start: int
    end: int
    province: str | None = None


@lru_cache(maxsize=1)
def _head() -> re.Pattern[str]:
    return compiled(rf"(?<![\w])(?P<head>{alternation(entries('clusters', 'heads'))})(?![\w])")


@lru_cache(maxsize=1)
def _number() -> re.Pattern[str]:
    return re.compile(r"\s+(?P<num>" + str(load("clusters")["number"]) + ")", re.IGNORECASE)


@lru_cache(maxsize=1)
def _stop() -> re.Pattern[str]:
    return compiled(rf"\s+{words(entries('clusters', 'stops'))}|[,.;:()\[\]“”\"!?/]")


@lru_cache(maxsize=1)
def _descriptive() -> re.Pattern[str]:
    return compiled(words(entries("clusters", "descriptive_words")))


_PROVINCE_TAIL = grammar("cluster.province-tail")
_DISTRICT_TAIL = grammar("cluster.district-tail")


def _head_name(head: str) -> str:
    for item in entries("clusters", "heads"):
        if compiled(f"^(?:{item['pattern']})$").match(head):
            return str(item["name"])
    return head


def _split_province(tail: str) -> tuple[str, str | None]:
    for m in _PROVINCE_TAIL.finditer(tail):
        words_ = m.group("p").split()
        for k in (4, 3, 2, 1):
            if gazetteer.is_province(" ".join(words_[:k])):
                return tail[: m.start()], " ".join(words_[:k])
    return _bare_province(_district_locator(tail))


def _district_locator(tail: str) -> str:
    """The name without a trailing district it is located in ("… đoàn thể huyện Bố Trạch")."""
    m = _DISTRICT_TAIL.search(tail)
    if m and m.start() > 0 and gazetteer.lookup(m.group("d")) is not None:
        return tail[: m.start()]
    return tail


def _bare_province(tail: str) -> tuple[str, str | None]:
    """A province named without "tỉnh" after a Party committee ending the name
    ("… giúp việc Tỉnh ủy Quảng Bình" -> "… giúp việc Tỉnh ủy", Quảng Bình)."""
    words_ = tail.split()
    for k in (4, 3, 2, 1):
        committee = len(words_) > k + 1 and words_[-k - 1].casefold() == "ủy"
        if committee and gazetteer.is_province(" ".join(words_[-k:])):
            return tail[: tail.rstrip().rfind(words_[-k])].rstrip(), " ".join(words_[-k:])
    return tail, None


def find(text: str) -> list[ClusterMention]:
    """Every cluster name in `text`, in order."""
    out = []
    for m in _head().finditer(text):
        head = _head_name(m.group("head"))
        num = _number().match(text, m.end())
        if num:
            number = num.group("num").split()
            name = f"{head} {'số ' if len(number) > 1 else ''}{number[-1].upper()}"
            after = text[num.end() : num.end() + 60]
            prov = _PROVINCE_TAIL.match(after)
            province = prov.group("p") if prov and gazetteer.is_province(prov.group("p")) else None
            if prov and province is None:
                words_ = prov.group("p").split()
                province = next(
                    (" ".join(words_[:k]) for k in (3, 2, 1) if gazetteer.is_province(" ".join(words_[:k]))),
                    None,
                )
            out.append(ClusterMention(name, m.start(), num.end(), province))
            continue
        mention = _descriptive_mention(text, m, head)
        if mention is not None:
            out.append(mention)
    return out


@lru_cache(maxsize=1)
def _name_comma() -> re.Pattern[str]:
    return compiled(str(load("clusters")["name_comma"]))


@lru_cache(maxsize=1)
def _dangling() -> re.Pattern[str]:
    return compiled(str(load("clusters")["dangling_locator"]))


def _descriptive_mention(text: str, m: re.Match[str], head: str) -> ClusterMention | None:
    window = text[m.end() : m.end() + 200]
    stop = _stop().search(window)
    while stop and stop.group(0) == "," and _name_comma().match(window, stop.start()):
        stop = _stop().search(window, stop.end())
    tail = (window[: stop.start()] if stop else window).rstrip()
    tail = _dangling().sub("", tail)
    first = tail.strip()
    if (
        not first
        or len(tail.split()) > _MAX_NAME_WORDS
        or not (_descriptive().match(first) or first[0].isdigit() or first[0].isupper())
    ):
        return None
    tail, province = _split_province(tail)
    if not tail.strip():
        return None
    return ClusterMention(f"{head} {tail.strip()}", m.start(), m.end() + len(tail), province)


def canonical(name: str) -> str:
    """Comparable form of a cluster name (case and spacing folded)."""
    folded = re.sub(r"\s+", " ", name.replace("–", "-")).casefold().strip()
    return re.sub(r" số (?=[\divxl]+$)", " ", folded)


@rule("cluster.names.v1")
def extract(ctx: Context) -> list[ClusterFact]:
    """One cluster fact per distinct cluster named in the article."""
    facts: list[ClusterFact] = []
    seen: set[str] = set()
    for mention in ctx.clusters:
        key = canonical(mention.name)
        if key in seen:
            continue
        seen.add(key)
        sentence = ctx.sentence_at(mention.start)
        if sentence is None:
            continue
        province = mention.province or ctx.province
        facts.append(
            make(ClusterFact, ctx, sentence, "cluster.names.v1", 0.95, name=mention.name, province=province)
        )
    return facts
