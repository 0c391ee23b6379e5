"""Personal names: the surname lexicon first, underthesea's proper nouns where the lexicon falls short."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from extract import gazetteer
from extract.lexicon import CAP, alternation, entries, grammar
from extract.units import Unit, bare_head, is_org, unit_before

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

WORD = rf"{CAP}[\w'’]*"
FREE = rf"{WORD}(?:\s+{WORD}){{1,4}}"


@lru_cache(maxsize=1)
def surname_name() -> str:
    """A name that starts with a listed surname (the cheap, lexicon path)."""
    return rf"{alternation(entries('names', 'surnames'), key='text')}(?:\s+{WORD}){{1,4}}"


@lru_cache(maxsize=1)
def _known() -> re.Pattern[str]:
    return re.compile(rf"{surname_name()}$")


@lru_cache(maxsize=1)
def _cue() -> str:
    cues = []
    for item in entries("nlp", "person_cues"):
        if "from" in item:
            name, section = str(item["from"]).split(":")
            cues.extend(entries(name, section))
        else:
            cues.append(item)
    return alternation(cues)


@lru_cache(maxsize=1)
def _cued_end() -> re.Pattern[str]:
    """A cue word and a capitalised name ending the text, maybe with a title after a dash: "… ông
    Rơ Mah Tuấn", "Thầy Lê Văn A - TPT Đội"."""
    titles = alternation(entries("titles", "titles"))
    return re.compile(
        rf"(?:^|(?<=[\s,;:(]))(?i:{_cue()})\s+(?P<name>{FREE})(?:\s[–-]\s*(?i:{titles})(?![\w])[^,;]{{0,60}})?\s*$"
    )


@lru_cache(maxsize=1)
def _cued_subject() -> re.Pattern[str]:
    """A cued name closing a subject, maybe followed by appositions: "Anh Siu Hương, công nhân …,"."""
    return re.compile(
        rf"(?:^|(?<=[\s,;:(]))(?i:{_cue()})\s+(?P<name>{FREE})(?:\s*,[^,;]{{1,90}}){{0,2}},?\s*$"
    )


@lru_cache(maxsize=1)
def known_end() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])(?P<name>{surname_name()})\s*$")


@lru_cache(maxsize=1)
def _apposition() -> re.Pattern[str]:
    """An appositive title closing a subject: ", Chủ tịch UBND huyện Cư M'gar,"."""
    titles = alternation(entries("titles", "titles"))
    return re.compile(
        rf",\s*(?i:{titles})(?![\w])[^,;]{{0,90}}(?:,\s*(?i:{titles})(?![\w])[^,;]{{0,90}})*,?\s*$"
    )


def opens_with_cue(text: str) -> bool:
    """True when `text` opens with a person's cue word ("bà", "ông", "đồng chí" …)."""
    return bool(_cue_start().match(text.lstrip()))


@lru_cache(maxsize=1)
def _cue_start() -> re.Pattern[str]:
    return re.compile(rf"^(?i:{_cue()})\s")


def cue_led(name: str) -> bool:
    """True when the capitalised run starts with a cue word ("Ông Nguyễn Văn A"): not a bare name."""
    return bool(_cue_start().match(name))


def is_known(name: str) -> bool:
    """True when the name starts with a surname of the lexicon."""
    return bool(_known().match(name))


def plausible(name: str) -> bool:
    """A personal name of 2-5 capitalised syllables that is no place of the gazetteer."""
    words = name.split()
    not_persons = {str(e["text"]).casefold() for e in entries("names", "not_persons")}
    return 2 <= len(words) <= 5 and name.casefold() not in not_persons and gazetteer.lookup(name) is None


def company_tail(name: str, before: str) -> bool:
    """True when a "name" ending in a province goes on a body's name: right after a company's or
    agency's bare head ("… của CTCP Tập đoàn" / "Hoàng Sơn Nghệ An"), or after a capitalised word, one
    word being left without the province ("… Tập đoàn Tiên" / "Sơn Thanh Hóa")."""
    words, previous = name.split(), before.split()
    province = next(
        (k for k in (2, 3) if len(words) > k and _is_province(" ".join(words[-k:]))),
        None,
    )
    if province is None or not previous:
        return False
    if any(bare_head(" ".join(previous[-k:])) for k in (1, 2) if len(previous) >= k):
        return True
    cued = any(cue_led(" ".join(previous[-k:]) + " ") for k in (1, 2))  # "Ông" / "Đồng chí" before it
    return previous[-1][:1].isupper() and not cued and len(words) == province + 1


def _is_province(text: str) -> bool:
    place = gazetteer.lookup(text)
    return place is not None and place.kind in _PROVINCE_KINDS


_PROVINCE_KINDS = frozenset({"tỉnh", "thành phố"})


def confirmed(ctx: Context, s: Sentence, name: str) -> bool:
    """True when the lexicon knows the surname of `name`, or the NLP layer reads it in `s` as a
    proper-noun run (Np) outside domain terms; only the second way costs an analysis."""
    if is_known(name):
        return True
    start = s.text.find(name)
    end = start + len(name)
    return start >= 0 and any(n.start <= start and end <= n.end for n in ctx.names(s))


def cued(ctx: Context, s: Sentence, phrase: str) -> str | None:
    """The name of a phrase that is a cue word and a personal name ("ông Rơ Mah Tuấn"), if confirmed."""
    m = _cued_end().match(phrase.strip())
    if m is None or not plausible(m.group("name")):
        return None
    return m.group("name") if confirmed(ctx, s, m.group("name")) else None


def place_split(before: str, name: str) -> tuple[str, str]:
    """Give back leading words of a surname-led name that complete the place named just before it:
    ("… thị xã Tân", "Châu Lê Văn Phước") -> ("Lê Văn Phước", "Châu")."""
    words, previous = name.split(), before.split()[-2:]
    for k in (1, 2):
        rest = " ".join(words[k:])
        if len(words) - k < 2 or not is_known(rest):
            continue
        moved = words[:k]
        if any(gazetteer.lookup(" ".join(previous[len(previous) - j :] + moved)) for j in (0, 1, 2)):
            return rest, " ".join(moved)
    return name, ""


def without_name(ctx: Context, s: Sentence, end: int) -> str:
    """s.text[:end] without the personal name that ends it: "Chủ tịch UBND huyện Phú Tân Trần
    Văn Hùng" -> "Chủ tịch UBND huyện Phú Tân" (the official's unit then acts)."""
    text = s.text[:end].rstrip()
    m = known_end().search(text)
    if m is None:
        return text
    name, _ = place_split(text[: m.start()], m.group("name"))
    if not plausible(name) or not confirmed(ctx, s, name):
        return text
    return text[: m.end() - len(name)].rstrip(" ,–-")


@lru_cache(maxsize=1)
def _titled_end() -> re.Pattern[str]:
    """A title and a surname-led name ending the text: "Giám đốc Sở Tư pháp Nguyễn Văn Hòa"."""
    titles = alternation(entries("titles", "titles"))
    return re.compile(
        rf"(?:^|(?<=[\s,;:(]))(?i:{titles})(?![\w])[^,;]{{0,90}}?\s(?P<name>{surname_name()})\s*$"
    )


def subject_person(ctx: Context, s: Sentence, end: int, appositions: bool = True) -> str | None:
    """The person named right before s.text[:end] (the subject of a verb), skipping appositions
    ("ông X, Chủ tịch UBND huyện Y,") when allowed, or led by a title ("Giám đốc Sở Tư pháp X");
    None when the subject is no personal name."""
    text = s.text[:end]
    m = (_cued_subject().search(text) if appositions else None) or _cued_end().search(text)
    if m is None and appositions:
        appositive = _apposition().search(text)
        m = known_end().search(text[: appositive.start()]) if appositive else None
    name = m.group("name") if m else None
    if m is None:
        titled = _titled_end().search(text)
        name = place_split(text[: titled.start("name")], titled.group("name"))[0] if titled else None
    if name is None or not plausible(name):
        return None
    return name if confirmed(ctx, s, name) else None


def speaker_unit(ctx: Context, s: Sentence, at: int) -> Unit | None:
    """The unit of the official whose words hold s.text[:at], when those words call it in the first
    person ("đồng chí A, Chủ tịch LĐLĐ huyện B cho biết: “Năm 2021, chúng tôi được giao làm Cụm
    trưởng”"; "– Ông C, Giám đốc Sở D: Năm nay, chúng tôi …"): the unit of the speaker's title, told in
    the sentence or the one before it; None when the words are not a speaker's in the first person."""
    text = s.text[:at]
    if not grammar("persons.first-person").search(text):
        return None
    told: list[tuple[Sentence, int]] = [(s, at)]
    if s.index:
        told.append((ctx.sentences[s.index - 1], len(ctx.sentences[s.index - 1].text)))
    for sentence, end in told:
        intro = grammar("persons.speech-intro").search(sentence.text[:end])
        if intro is None:
            continue
        unit = unit_before(without_name(ctx, sentence, intro.start()), ctx.province, titled=True)
        if unit is not None and (unit.kind or unit.body or is_org(unit.name)):
            return unit
    return None
