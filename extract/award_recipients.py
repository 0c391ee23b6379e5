"""Award recipients: lists after the award, subjects before its verb, units only (never people)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from extract import anaphora, gazetteer, people
from extract.lexicon import alternation, compiled, entries, grammar
from extract.members import belonging_units
from extract.sentences import INLINE_BULLET
from extract.units import Unit, is_address, is_org, mask, parse, starts_unit, unit_before, unmask

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_SEPARATOR = re.compile(r"(\s*[,;]\s*|\s+và\s+)")
_LISTED_IN_BRACKETS = re.compile(r"\((?=[^()]*(?:,|gồm))[^()]*\)")  # a cluster's members listed in brackets
_LIST_END = grammar("awards.list-end")
_LEAD_WORDS = grammar("awards.recipient-lead")
_PERSON_PIECE = grammar("awards.person-piece")
_OPENER = grammar("awards.discourse-opener")
_PARENT_TAIL = grammar("awards.parent-tail")
_CLAUSE_WORD = grammar("awards.clause-word")
_NAMELESS = grammar("awards.nameless")
_LIST_OPENER = grammar("awards.list-opener")
_PARENT_APPOSITION = grammar("awards.parent-apposition")
_PARENT_NOTE = grammar("awards.parent-note")
_VERB_ADVERBS = grammar("awards.verb-adverbs")
_YEAR_OPENER = grammar("awards.year-opener")  # "năm 2016 A và B được …"
_OF_CLUSTER = grammar("awards.of-cluster")
_WHY = re.compile(r"vì|nhân dịp|năm \d{4}", re.IGNORECASE)  # what the award is for, after its last recipient
_ANOTHER_NAME = re.compile(r",|\svà\s+(?!\w*[a-zđ])")  # a comma or "và" opening a capitalised name


@lru_cache(maxsize=1)
def _recipient_verb() -> re.Pattern[str]:
    """A verb between a recipient and its award ("X nhận", "X được … tặng", "X đạt danh hiệu: “")."""
    verbs = alternation(entries("award_verbs", "recipient_verbs"))
    return compiled(rf"(?<![\w]){verbs}(?:\s+|\s*[:“\"][\s:“\"]*)$")


@lru_cache(maxsize=1)
def _titled() -> re.Pattern[str]:
    """A list piece led by an official's title or an honorific: a person, not a unit."""
    heads = entries("titles", "titles") + entries("titles", "honorifics")
    return compiled(rf"^{alternation(heads)}(?![\w])")


def is_person_piece(piece: str) -> bool:
    """True when a list piece names a person ("cá nhân ông X", "Chủ tịch UBND huyện Y")."""
    piece = piece.strip(" \t,;:.-–()")
    return bool(_PERSON_PIECE.match(piece) or _titled().match(piece))


def as_unit(piece: str, province: str | None) -> Unit | None:
    """The unit a list piece names: lead words dropped ("đơn vị X", "Nhân dân và cán bộ xã Y"),
    and a parent locality after a numbered ward dropped ("Phường 9 Quận 5" -> Phường 9)."""
    piece = _LEAD_WORDS.sub("", piece.strip(" \t,;:.-–()“”\"'"))
    if _CLAUSE_WORD.search(piece):
        return None
    tail = _PARENT_TAIL.search(piece)
    head = parse(piece[: tail.start()], province) if tail and tail.start() > 0 else None
    if head is not None and not head.kind and not is_org(head.name) and not is_org(piece) and _locality(tail):
        return named(head)  # "Điện Hồng thị xã Điện Bàn" in a list of communes: the commune
    return named(head if head is not None and head.kind else parse(piece, province))


def _locality(tail: re.Match[str] | None) -> bool:
    """True when a parent tail names a district or province of the gazetteer ("huyện Phú Ninh")."""
    if tail is None:
        return False
    kind = r"^\s*(?:quận|huyện|thị xã|thành phố|tp\.?|tỉnh)\s+"
    name = re.sub(kind, "", tail.group(0), flags=re.IGNORECASE)
    return gazetteer.lookup(name.strip()) is not None


def named(unit: Unit | None) -> Unit | None:
    """The unit, unless it is a body and a kind without a name ("UBND huyện")."""
    return None if unit is None or _NAMELESS.match(unit.name) else unit


def pieces(text: str) -> list[str]:
    """List pieces split on commas, semicolons and "và"; "và" inside an agency's or company's name
    ("Công ty TNHH SX và TM Phúc Hưng") does not split: the piece after it must start a unit."""
    parts = _SEPARATOR.split(mask(text))
    out = [parts[0]]
    for sep, part in zip(parts[1::2], parts[2::2], strict=False):
        if sep.strip() == "và" and is_org(out[-1].strip()) and _inside_name(part):
            out[-1] = f"{out[-1]}{sep}{part}"
        else:
            out.append(part)
    return out


def _inside_name(part: str) -> bool:
    """True when the words after "và" go on an agency's name rather than start another unit (a count
    such as "và 1 cá nhân" never does)."""
    return not starts_unit(part) and not _CLAUSE_WORD.search(part) and not part.lstrip()[:1].isdigit()


def solid(unit: Unit) -> bool:
    """A unit named by more than a bare capitalised word: a kind, a body, an agency or a known place."""
    return bool(unit.kind or unit.body or unit.known or is_org(unit.name))


def _item_units(ctx: Context, s: Sentence, item: str, strict: bool) -> list[Unit] | None:
    """The units of one list item, up to the first piece that names none (an apposition such as
    ", VKSND tối cao" ends the item); a district after a commune is its address, no recipient ("xã
    A, huyện B"); None when the item names only people."""
    units: list[Unit] = []
    # "ông A, Phó Trưởng phòng B, Công an tỉnh C": the unit after a person's title is the title's own
    titled = False
    for piece in pieces(item):
        if not piece.strip() or is_person_piece(piece) or people.cued(ctx, s, piece):
            title = _titled().match(piece.strip(" \t,;:.-–()"))
            # a title that names no unit of its own ("Phó Trưởng phòng Tham mưu") goes on in the next piece
            titled = title is not None and not starts_unit(piece.strip(" \t,;:.-–()")[title.end() :].strip())
            continue
        if titled:
            titled = False
            continue
        unit = as_unit(piece, ctx.province)
        if unit is None or (strict and not solid(unit)):
            return units
        # "TP.HCM và tỉnh Đồng Nai": a place joined by "và" is a second recipient, no address
        joined = re.search(rf"\svà\s+{re.escape(piece.strip())}", mask(item)) is not None
        if joined or not is_address(unit, units[-1] if units else None):
            units.append(unit)
    return units or None


def _one_name(ctx: Context, item: str) -> list[Unit] | None:
    """An item of a list whose items are separated by semicolons, when its commas do not separate
    recipients: a name going on in lower case ("Trường Đào tạo, bồi dưỡng cán bộ …") is one name;
    a parent after the unit ("Chi cục X, Tổng cục Y") is dropped. None for any other item."""
    first, comma, rest = item.partition(",")
    if not comma or not starts_unit(first.strip()):
        return None
    if _PARENT_APPOSITION.match(rest):
        unit = as_unit(first, ctx.province)
    elif rest.strip()[:1].islower() and not _CLAUSE_WORD.search(rest) and not _ANOTHER_NAME.search(rest):
        unit = as_unit(f"{first},{rest}", ctx.province)
    else:
        return None
    return [unit] if unit is not None else None


def collect(ctx: Context, s: Sentence, text: str, strict: bool = False) -> list[Unit]:
    """The units of a recipient list, in order; people are skipped. Items separated by semicolons
    are read one by one until one names no unit. `strict` lists (after a colon, a count, in
    bullets) take only solid units."""
    units: list[Unit] = []
    items = text.split(";")
    for item in items:
        found = _one_name(ctx, item) if len(items) > 2 else None
        found = found if found is not None else _item_units(ctx, s, item, strict)
        if found == []:
            break
        units.extend(found or [])
    return units


def listed_after(ctx: Context, s: Sentence, text: str, colon: bool) -> list[Unit]:
    """Units listed at the start of `text` (after "cho" or a colon); a colon list may go on past
    semicolons ("Bằng khen: A; B; C") and takes solid units only; a "cho" list ends at the first
    semicolon."""
    if colon and text.lstrip(" :")[:1] in ("“", '"'):
        return []  # "cờ thi đua: “THÀNH TÍCH XUẤT SẮC DẪN ĐẦU …”": the flag's inscription, not its recipients
    text = grammar("awards.bodies-of-colon").sub(r"\g<head> ", text, count=1)  # "Công an các tỉnh: A, B"
    text = mask(_PARENT_NOTE.sub("", INLINE_BULLET.sub(r"\1 ", text)))
    lead = _LEAD_WORDS.match(text)  # "cho thầy và trò Trường THPT A": the words before the first name
    text = text[lead.end() :] if lead else text
    end = (_LIST_END if colon else grammar("awards.recipient-end")).search(text, 1)
    subject_itself = None if colon else anaphora.standing_for(ctx, text[: end.start()] if end else text)
    if subject_itself is not None:
        return [subject_itself]  # "trao Huân chương … cho công ty": the report's own subject
    units = collect(ctx, s, text[: end.start()] if end else text, strict=colon)
    if units and not colon and end is not None and end.group(0) == ";":
        units += _continued_after_semicolon(ctx, s, text[end.end() :])
    return units


def counted_list(ctx: Context, s: Sentence, text: str, count: int | None) -> list[Unit]:
    """A list after a count ("cùng với 4 tập thể A, B, C và D"): solid units as after a colon, or,
    when fewer than counted, its pieces as written if they are exactly as many as the count says."""
    strict = listed_after(ctx, s, text, True)
    if count is None or len(strict) >= count:
        return strict
    loose = listed_after(ctx, s, text, False)
    return loose if len(loose) == count else items_as_written(ctx, text, count) or strict


_MAX_ITEM_WORDS = 8


def items_as_written(ctx: Context, text: str, count: int, places: bool = False) -> list[Unit]:
    """ "cho 03 đơn vị: Sở Tài chính; Xây dựng; Nông nghiệp và Phát triển nông thôn": a colon list of
    exactly as many capitalised items, one a semicolon (or a comma where none is), as counted; an
    item that names its agency by its sector only (the "Sở" elided) is a recipient as written. In a
    count of `places` ("cho 03 xã: …") no item is a person ("La Bằng" is a commune)."""
    body = re.split(r"\.(?:\s|$)", mask(text).lstrip(" :"), maxsplit=1)[0]
    # one a semicolon, or, with none, one a comma or "và" ("cho 03 xã …: Phục Linh, La Bằng và Văn Yên")
    parts = body.split(";") if ";" in body else re.split(r",|\s+và\s+", body)
    first = re.split(r",|\s+và\s+", body.split(";")[0])
    if ";" in body and len(first) == count:  # "… là A và B; C nhận …": the count's items before the ";"
        parts = first
    items = [unmask(item).strip() for item in parts]
    if len(items) != count or not all(i[:1].isupper() and len(i.split()) <= _MAX_ITEM_WORDS for i in items):
        return []
    return [as_unit(item, ctx.province) or Unit(item) for item in items if places or not _a_person(item)]


def _a_person(item: str) -> bool:
    """True for an item naming a person: by a title or honorific, or a surname and given names."""
    return is_person_piece(item) or bool(re.fullmatch(people.surname_name(), item))


def _continued_after_semicolon(ctx: Context, s: Sentence, rest: str) -> list[Unit]:
    """ "tặng Bằng khen cho A; B và C.", "cho xã A, B huyện X; xã C, huyện Y.": the items after a
    semicolon that name units only, with no award, verb or clause of their own, are the same
    award's recipients; a district after a commune is its address, not a recipient."""
    tail = re.split(r"(?<![\w])(?:TP|TX)\.|\.(?![\w])", rest, maxsplit=1)[0]
    units: list[Unit] = []
    for item in tail.split(";"):
        stop = grammar("awards.recipient-end").search(item)
        last = stop if stop is not None and stop.group(0) else None  # a word or mark ending the list
        if last is not None and _WHY.fullmatch(last.group(0).strip()):
            item = item[: last.start()]  # "…; B vì đã dẫn đầu …": the last item, then what it is for
        elif last is not None:
            break
        if not starts_unit(item) or _CLAUSE_WORD.search(item):
            break
        found = [as_unit(p, ctx.province) for p in pieces(item)]
        if not all(u is not None and solid(u) for u in found):
            break
        before: Unit | None = None
        for unit in found:
            if unit is not None and not is_address(unit, before):
                units.append(unit)
            before = unit
        if last is not None:
            break
    return units


def subject(ctx: Context, s: Sentence, pre: str, collective: bool) -> list[Unit] | None:
    """The units written before "nhận" / "được … tặng" / "đạt danh hiệu"; None when no such verb
    runs up to the award or no unit is found before it, [] when the subject is a person (an
    official "nhận" a collective award receives it for the unit, so collective awards look past
    the person)."""
    verb = _recipient_verb().search(pre)
    if verb is None:
        return None
    if grammar("awards.denied-before-verb").search(pre, 0, verb.start()):
        return []  # "X chưa được xét tặng …", "X đăng ký phấn đấu đạt …": no award the unit received
    passive = "được" in verb.group(0).lower()
    # "bà X, Chủ tịch … phường Y nhận Bằng khen": a clause whose one subject is a cued person with
    # her title receives it herself; "A; bà X, … và B đều nhận" lists units around her
    clause = pre[: verb.start()].rsplit(";", 1)[-1]
    if ";" in pre[: verb.start()] and not _VERB_ADVERBS.sub("", clause).strip(" ,"):
        # "Công ty 5 năm liền dẫn đầu Khối; 3 lần được Chính phủ tặng Cờ thi đua (…)": the clause
        # leaves out its subject, the sentence's first
        opening = opening_subject(ctx, pre[: verb.start()].split(";", 1)[0])
        if opening:
            return opening
    one_subject = not re.search(r"\svà\s", clause)
    alone = people.opens_with_cue(_OPENER.sub("", clause).lstrip()) and one_subject  # "Dịp này, bà X, …"
    if not collective and people.subject_person(ctx, s, verb.start(), passive or alone):
        return []
    if not collective and one_subject and _titled().match(_OPENER.sub("", clause).lstrip()):
        return []  # "Phó Bí thư Đoàn xã A giành giải Nhất": a person named by her post
    its_people = (grammar("awards.people-of-unit"), grammar("awards.counted-people-of-units"))
    if any(p.search(clause) for p in its_people):
        return []  # "Hội A có 2 hội viên được … tặng Bằng khen", "2 cá nhân của huyện A …": its people
    cluster = _cluster_just_before(ctx, s, pre[: verb.start()])
    if cluster is not None:
        return [cluster]  # "Cụm thi đua số 2 được UBND tỉnh tặng Bằng khen": a cluster can be a recipient
    text = grammar("awards.ceremony-host").sub("", pre[: verb.start()])
    text = grammar("awards.now-within").sub("", text)  # "xã A (cũ), nay thuộc xã B, đã được …": A's
    text = grammar("awards.trailing-aside").sub("", text)
    text = grammar("awards.merit-clause").sub("", text)  # "A và B có thành tích … được": A and B
    text = _LISTED_IN_BRACKETS.sub(" ", text)  # "Cụm … (gồm các huyện A, B, C), A được suy tôn": no subjects
    text = grammar("awards.dashed-members").sub(", ", text)  # "Khối … – gồm A, B và C – C được …"
    text = grammar("awards.one-of").sub("", text)
    text = grammar("awards.rank-aside").sub("", text).rstrip(" ,")
    text = _VERB_ADVERBS.sub("", text)  # "A và B cũng được …": the adverb is no part of B's name
    # "- Cụm số 2 (các huyện A, B, C): huyện C được …": the label before the colon is no subject
    labelled = text.rpartition(":")[2]
    # "X luôn là đơn vị tiêu biểu: được … tặng": nothing after the colon, the subject is before its predicate
    text = labelled if labelled.strip() else _SUBJECT_PREDICATE.split(text, maxsplit=1)[0]
    second_verb = re.search(r"\s+và\s*$", text)  # "X xếp thứ nhất Cụm … của Bộ CHQS tỉnh và được đề nghị …"
    text = text[: second_verb.start()] if second_verb else text
    subject_itself = anaphora.standing_for(ctx, text) or people.speaker_unit(ctx, s, len(pre[: verb.start()]))
    if subject_itself is not None:
        # "năm 2018, trường được … tặng": the report's own subject; "chúng tôi": the speaker's unit
        return [subject_itself]
    cont = grammar("awards.continuation").search(text)
    if cont:
        return _clause_subject(ctx, text[: cont.start()]) or None
    members = belonging_units(text[text.rfind(";") + 1 :], ctx.province)  # the verb's own clause
    if members:
        return members
    several = _subject_list(ctx, s, text)
    if len(several) > 1:
        return several
    unit = named(unit_before(_LEAD_WORDS.sub("", text), ctx.province))
    if second_verb and (unit is None or text.rstrip().endswith(unit.name)):
        # what comes just before "và" closed the first verb's phrase: the subject is that verb's
        return _clause_subject(ctx, text) or None
    return [unit] if unit else None


_TWO_OF_A_KIND = grammar("awards.two-of-a-kind")


def two_of_one_kind(unit: Unit, province: str | None) -> list[Unit]:
    """ "Ủy ban MTTQ huyện A và B", "Hội Nông dân huyện A và B": one body and kind before two known
    places is a unit each; any other unit as it is."""
    m = _TWO_OF_A_KIND.match(unit.name)
    capitalised = m is not None and all(w[:1].isupper() for k in ("a", "b") for w in m.group(k).split())
    if m is None or not capitalised or not (gazetteer.lookup(m.group("a")) or gazetteer.lookup(m.group("b"))):
        return [unit]  # two capitalised names, one of them a known place at least
    pair = [parse(m.group("head") + m.group(k), province) for k in ("a", "b")]
    return [u for u in pair if u is not None] if all(pair) else [unit]


def opening_subject(ctx: Context, first: str) -> list[Unit] | None:
    """The unit opening a sentence's first clause ("Công ty 5 năm liền …", "Huyện …", "Sở Y tế …"):
    the report's own subject where a bare word stands for it, else the unit named there."""
    words_ = first.split()
    for n in (2, 1):
        itself = anaphora.standing_for(ctx, " ".join(words_[:n])) if len(words_) >= n else None
        if itself is not None:
            return [itself]
    subject = _VERB_ADVERBS.sub("", _SUBJECT_PREDICATE.split(first, maxsplit=1)[0])
    named = parse(subject, ctx.province) or unit_before(subject, ctx.province)  # "Những năm qua, X luôn là …"
    return [named] if named is not None and (named.known or named.kind or is_org(named.name)) else None


_SUBJECT_PREDICATE = grammar("awards.subject-predicate")


def dative(ctx: Context, pre: str) -> list[Unit]:
    """The units named between a giving verb and the award ("UBND tỉnh trao tặng huyện A và huyện B
    Cờ thi đua"), when every piece there is a solid unit (a person, a count or a clause gives none)."""
    m = grammar("awards.dative").search(pre)
    if m is None:
        return []
    found = [as_unit(piece, ctx.province) for piece in pieces(m.group("list"))]
    units = [u for u in found if u is not None and solid(u)]
    return units if len(units) == len(found) else []


def _cluster_just_before(ctx: Context, s: Sentence, before: str) -> Unit | None:
    """The cluster named right before the verb (adverbs such as "đã", "vinh dự" between, and the
    locality its name was left with: "… đoàn thể tỉnh được tặng"), if any."""
    subject = _VERB_ADVERBS.sub("", before)
    ends = {len(subject), len(grammar("awards.cluster-locator").sub("", subject))}
    for c in ctx.mentions_in(s):
        if not c.partial and c.end - s.start in ends and not _OF_CLUSTER.search(before, 0, c.start - s.start):
            return Unit(c.name)
    return None


def _clause_subject(ctx: Context, clause: str) -> list[Unit]:
    """The subject of a clause continued by "; đồng thời …": the first unit its verb follows, or the
    report's subject a bare word stands for ("Năm 2019, trường giữ vai trò Cụm trưởng và được …")."""
    for m in grammar("awards.subject-verb").finditer(clause):
        # "A – gồm B, C – được …": an aside between spaced dashes before the verb is set aside
        before = clause[: m.start()]
        unit = named(unit_before(before, ctx.province)) or anaphora.standing_for(ctx, before)
        if unit is not None:
            return [unit]
    return []


def _subject_list(ctx: Context, s: Sentence, text: str) -> list[Unit]:
    """Several recipients before the verb, read backwards ("A; cá nhân ông X, Chủ tịch …
    và B nhận Bằng khen" -> A, B); people and their titles are skipped."""
    units: list[Unit] = []
    own = text.rpartition(";")
    if own[1] and grammar("awards.award-in-clause").search(own[0]):
        text = own[2]  # "… tặng Cờ thi đua là A, B, C; D được … tặng Bằng khen": D's clause is its own
    for piece in reversed(pieces(text)):
        if is_person_piece(piece) or people.cued(ctx, s, piece):
            continue
        unit = as_unit(piece, ctx.province) or as_unit(_YEAR_OPENER.sub("", piece), ctx.province)
        if unit is None:
            # "đề xuất A và B được", "trong đó A, B được", "hai đơn vị A, B được": A opens it (the last
            # opener: "2 đơn vị dẫn đầu Cụm là A và B được")
            lead = next(reversed(list(_LIST_OPENER.finditer(piece))), None)
            unit = as_unit(piece[lead.end() :], ctx.province) if lead and units else None
            if unit is not None:
                units.insert(0, unit)
            break
        units.insert(0, unit)
    return units
