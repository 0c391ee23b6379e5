"""Building facts with their evidence, and de-duplicating one fact per distinct statement."""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import TYPE_CHECKING, Any, TypeVar

from extract import gazetteer
from extract.lexicon import grammar
from extract.models import DEDUPE_KEYS, Evidence, FactBase
from extract.sentences import content_end
from extract.units import starts_unit

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

T = TypeVar("T", bound=FactBase)
log = logging.getLogger("thidua.extract")


def make(
    model: type[T], ctx: Context, sentence: Sentence, rule_id: str, confidence: float, **fields: Any
) -> T:
    """A fact of `model` read from `sentence`, with evidence pointing into the normalised text."""
    evidence = Evidence(
        article_id=ctx.article_id,
        url=ctx.url,
        published=ctx.published,
        sentence=ctx.written[sentence.start : sentence.end],  # as written: a joined line keeps its break
        start=sentence.start,
        end=sentence.end,
        rule=rule_id,
    )
    clean = {k: v for k, v in fields.items() if not (k not in model.model_fields and v is None)}
    return model(evidence=evidence, confidence=confidence, **clean)


_QUOTES = re.compile(r"[“”\"‘’'«»]")
_DASH = re.compile(r"\s*-\s*")
_SPACES = re.compile(r"\s+")


def fold(value: Any) -> Any:
    """Comparable form of a key value: NFC, case-folded, quotes and dashes and spaces unified."""
    if not isinstance(value, str):
        return value
    value = _QUOTES.sub("", unicodedata.normalize("NFC", value).casefold()).replace("–", "-")
    return _SPACES.sub(" ", _DASH.sub(" - ", value)).strip(" .,;:")


def dedupe(facts: list[Any]) -> list[Any]:
    """Keep the first fact of each distinct statement (same type and key fields). One award from two
    givers that neither names the other ("Cờ thi đua của UBND tỉnh", then "Cờ thi đua của Chính
    phủ") is two awards (ANNOTATION.md: separate conferrals to one recipient stay separate)."""
    givers: dict[tuple[Any, ...], list[str | None]] = {}
    meetings: dict[tuple[Any, ...], list[str | None]] = {}
    out = []
    for fact in facts:
        key = (fact.type, *tuple(fold(getattr(fact, k, None)) for k in DEDUPE_KEYS[fact.type]))
        if fact.type == "event":
            # two clusters' meetings on one day, each sentence naming its own cluster, are two events
            named = _own_cluster(fact)
            if key not in meetings or (
                named is not None and all(c not in (None, named) for c in meetings[key])
            ):
                meetings.setdefault(key, []).append(named)
                out.append(fact)
            continue
        giver = fold(getattr(fact, "conferred_by", None)) or None
        if key not in givers or _another_giver(giver, givers[key]):
            givers.setdefault(key, []).append(giver)
            out.append(fact)
    return out


def _own_cluster(fact: Any) -> str | None:
    """The event's cluster, folded, when its own sentence names it; else None."""
    cluster = fold(getattr(fact, "cluster", None))
    evidence = getattr(fact, "evidence", None)
    sentence = fold(evidence.sentence) if isinstance(evidence, Evidence) else ""
    return cluster if cluster and cluster in sentence else None


def _another_giver(giver: str | None, seen: list[str | None]) -> bool:
    """True when `giver` names a conferrer none of the `seen` ones names, all of them named."""
    return giver is not None and all(g is not None and g not in giver and giver not in g for g in seen)


_NAME_FIELDS = ("member", "unit", "recipient", "name")


def _names(fact: Any) -> list[str]:
    """The fact's unit or name fields that hold text (its model's own fields only: asking a pydantic
    model for a field it lacks costs an exception)."""
    fields = type(fact).model_fields
    return [v for k in _NAME_FIELDS if k in fields and isinstance(v := getattr(fact, k), str) and v]


def drop_cut_names(text: str, facts: list[Any]) -> list[Any]:
    """Facts whose unit or name runs into the end of a text cut mid-word ("… cho thành phố Kon Tu")
    are left out: the name is not known whole (ANNOTATION.md skips what truncation cut). A place the
    gazetteer knows whole ends a list with no stop after it ("3. UBND huyện Đức Trọng"): it stays."""
    cut = cut_at(text)
    if cut is None:
        return facts
    tail = text[:cut]
    return [f for f in facts if not any(_cut(tail, f, v) and gazetteer.lookup(v) is None for v in _names(f))]


def cut_at(text: str) -> int | None:
    """Where a text cut mid-word ends (image file names after it aside: `content_end`), or None when
    it ends whole: with a stop, a number ("… năm 2017", a headline), or a last line crediting the
    source ("Nguồn tin: Trường A")."""
    tail = content_end(text)
    if not tail or not tail[-1].isalpha() or grammar("facts.credit-line").search(tail):
        return None
    return None if _credits_a_named_unit(tail) else len(tail)


_CREDIT_LONGEST = 60  # characters of a last line that names its source


def _credits_a_named_unit(tail: str) -> bool:
    """True when the last line, on its own or after its writer's name and a dash, is a name the text wrote
    whole before ("…\nBan Dân vận Tỉnh ủy", "…\nMinh Tâm - Sở Tư pháp" under a report that names it): the
    source credited, not a sentence cut short."""
    before, _, line = tail.rpartition("\n")
    line = line.strip()
    # "Minh Tâm - Sở Tư pháp": the writer, a dash, then the unit the report named before
    parts = re.split(r"\s[-–]\s", line)
    named = [line] + ([parts[1]] if len(parts) == 2 and len(parts[0].split()) <= _WRITER_WORDS else [])
    return bool(before) and any(
        0 < len(name) <= _CREDIT_LONGEST and re.search(rf"{re.escape(name)}(?![\w])", before) is not None
        for name in named
    )


_WRITER_WORDS = 5  # words of a writer's name before the dash of a credit line


_CUT_REST_WORDS = 3  # words at most between a name and the cut for the name to be the front of a cut one


def _cut(tail: str, fact: Any, name: str) -> bool:
    """Whether `name` is one the end cut: it ends the text, or it stands in the last item of the list
    the cut sentence ends in, followed by a few words that go on a name ("…, Sở Lao động - Thương b":
    the front of a longer one). A lower-case word ("là Cụm trưởng", "và An Thắng") or a bracket
    ("… (Khối trưởng nă") after it ends the name whole."""
    if tail.endswith(name):
        return True
    if name == getattr(fact, "name", None) or not _reaches(fact, len(tail)):
        return False  # a person's or a cluster's name ends where it ends: only units are listed
    item = _last_item(tail)
    at = item.rfind(name)
    rest = item[at + len(name) :].split()
    return at >= 0 and len(rest) <= _CUT_REST_WORDS and all(not w[0].islower() for w in rest[:-1])


def _last_item(tail: str) -> str:
    """The last item of the list a cut text ends in: after its last comma, semicolon, colon, bracket
    or line break, or a "và" that opens another unit ("Sở Y tế và Sở Lao động - Thương b")."""
    item = re.split(r"[,;:(\n]", tail)[-1]
    parts = re.split(r"\s+và\s+", item)
    for i in range(len(parts) - 1, 0, -1):
        if starts_unit(parts[i]):
            return " và ".join(parts[i:])
    return item


def _reaches(fact: Any, end: int) -> bool:
    """Whether the fact was read from the sentence that runs on to offset `end` (the cut)."""
    evidence = getattr(fact, "evidence", None)
    return isinstance(evidence, Evidence) and evidence.end >= end


def drop_clause_names(facts: list[Any]) -> list[Any]:
    """Facts whose unit or name holds a verb of its sentence ("Bộ … vừa ban hành quyết định giao
    nhiệm vụ", "Công ty X thực hiện") are left out: the name ran past its end into the clause."""
    clause = grammar("facts.clause-in-name")
    # a name holding a table's cell mark ("Hội Nông dân tỉnh | Khối phó") ran across cells
    return [f for f in facts if not any(clause.search(v) or "|" in v for v in _names(f))]


def per_sentence(sentences: list[Sentence], read: Any) -> list[Any]:
    """Run `read(sentence)` on each sentence; a sentence that fails is logged and skipped."""
    out: list[Any] = []
    for sentence in sentences:
        try:
            out.extend(read(sentence))
        except Exception:  # one odd sentence must not cost the article its other facts
            log.exception("extraction failed on sentence at %d", sentence.start)
    return out


def clause_at(text: str, offset: int) -> tuple[int, str]:
    """The clause (between semicolons) of `text` holding `offset`, with its start."""
    start = text.rfind(";", 0, offset) + 1
    end = text.find(";", offset)
    return start, text[start : end if end >= 0 else len(text)]


# The fields holding words copied from the article (not the gazetteer's `province`, `unit_today`).
_WRITTEN_FIELDS = (
    "name",
    "member",
    "unit",
    "recipient",
    "award",
    "text",
    "cluster",
    "place",
    "conferred_by",
    "scope",
    "title",
)
_WORDS = re.compile(r"[^\W\d_]+")


def as_written(facts: list[Any], spellings: dict[str, str]) -> list[Any]:
    """Each fact's copied words in the article's own tone placement (`corpus.normalize.tone_spellings`):
    ANNOTATION.md keeps spelling variants as written ("Hoà Thành", not the normalised "Hòa Thành")."""
    if not spellings:
        return facts
    for fact in facts:
        for name in _WRITTEN_FIELDS:
            value = getattr(fact, name, None)
            if isinstance(value, str):
                setattr(fact, name, _WORDS.sub(lambda m: spellings.get(m.group(0), m.group(0)), value))
    return facts
