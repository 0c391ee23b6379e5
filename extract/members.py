"""Cluster members: enumerations after "gồm", and units acting in chair and proposal statements."""

from __future__ import annotations

import itertools
import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from corpus import textkeys
from extract import anaphora, gazetteer, tables
from extract.dates import one_year
from extract.facts import make, per_sentence
from extract.lexicon import CAP, compiled, entries, grammar, load
from extract.models import MemberFact
from extract.registry import rule
from extract.sentences import BULLET, INLINE_BULLET
from extract.units import (
    NAME,
    Unit,
    bracket_abbreviation,
    is_org,
    mask,
    parse,
    starts_unit,
    unit_before,
    unmask,
)

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_CLUSTER_WINDOW = 160
_MAX_BULLETS = 60
_GOVERNING = frozenset({None, "UBND", "HĐND", "cấp ủy"})  # bodies that always stand for their locality
_CLAUSE = re.compile(
    r"(?<![\w])(?:trong đó|đơn vị|là|làm|được|đã|đang|sẽ|có|do|với|gồm|tại|nhằm|để|(?<![Nn]goại )giao)"
    r"(?![\w])"
)
_DUTY_WORDS = 4  # a lower-case piece this short after an agency's comma is the rest of its name
_COLON_REACH = 90  # "gồm 8 Đài Phát thanh - Truyền hình các tỉnh Trung du miền núi phía Bắc là: …"
_HEADED = grammar("members.headed-list")
_HEADED_BRACKET = grammar("members.headed-bracket")
_ABSENT = grammar("members.absence-note")
_INLIST_HEAD = grammar("members.inlist-head")
_HEAD_BEFORE = grammar("members.head-before-cluster")
_KIND_HEAD = grammar("members.numbered-kind-head")
_COUNTED_PLACES = grammar("members.counted-places-colon")
_PLACE_KINDS = grammar("members.place-kinds-pair")
_GROUP_HEAD = grammar("members.counted-group-head")
_ROLE_HEAD = grammar("members.role-head")
_TEAM = grammar("members.team-composition")
_AREA_WIDE = grammar("members.area-wide")
_HONOURED = grammar("members.honoured-lead")
_PEOPLE_TAIL = grammar("members.people-tail")
_COVENANT_PARTIES = grammar("members.covenant-parties")
_UNITS_LEAD = grammar("members.units-lead")
_TRADE_HEAD = grammar("members.trade-head")
_BODIES_OF = grammar("members.bodies-of")
_PEOPLE_LIST = grammar("members.people-list")
_COUNT_STATED = grammar("members.count-stated")
_GROUPS_FOLLOW = grammar("members.groups-follow")
# a clause after a list's semicolon ("; các đơn vị đã thống nhất …") is no item
_GROUP_JOINT = re.compile(r"\s*[,;]?\s*(?:và\s+)?(?=\d)")
_GENERIC = re.compile(r"(?:các|những)\s+(?:đơn vị|cơ quan|thành viên)(?![\w])", re.IGNORECASE)
# the rest of a list named by kind alone, in lower case ("và các đoàn thể chính trị - xã hội", "và
# các hội quần chúng khác")
_UNNAMED_REST = re.compile(rf"(?:các|những)(?:\s+(?!{CAP})\S+)+")
# a colon opening a clause in lower case ("…, Vĩnh Long: tại hội nghị …"): what holds it is no list item
_COLON_CLAUSE = re.compile(rf":\s*(?!{CAP}|\d)\w")
# "A; ; B" (an item left empty) and "A; B; …" (an "and so on" that ends the list)
_EMPTY_ITEM = re.compile(r";[\s;]*(?=;)")
_AND_SO_ON = re.compile(r"[;,]\s*(?:…|\.{3}|v\.\s?v\b\.?)[.…]*")
# a note in brackets on one item of a list, opening in lower case ("Sở Tài chính (trên cơ sở hợp nhất
# Sở A và Sở B), Sở Xây dựng (tiếp nhận chức năng của Sở C), …"): no part of the list
_ITEM_NOTE = grammar("members.item-note")
_KIND_SUBLIST = grammar("members.kind-sublist")
_PLACES_HEAD = re.compile(
    r"^\s*các\s+(?:huyện|tỉnh|thành phố|thị xã|quận|xã|phường)"
    r"(?:\s*,\s*(?:huyện|tỉnh|thành phố|thị xã|quận))*\s*:?\s*",
    re.IGNORECASE,
)
_AT_PLACE = re.compile(r"\s*(?:tại|ở)\s", re.IGNORECASE)  # a piece telling where, no list item
_BRAND_NOTE = re.compile(r"\s*\([A-ZĐ][a-zđ]{4,}\)\s*$")  # "Tập đoàn … Quân đội (Viettel)": its brand
_FOUNDING = grammar("members.founding-clause")
_COUNTED_PLACE_GROUP = grammar("members.counted-place-group")
_RATED_BY = grammar("units.rated-by")
_HONOURED_BY = grammar("units.honoured-by")
_SYLLABLE = 6  # letters of the longest syllable a shared first word is followed by ("Thượng")
# "12 đơn vị (các trường sư phạm)": a count alone, maybe with a note
_BETWEEN_NAME_AND_INTRO = grammar("members.name-to-intro")
# an award, a title or a rank named around a labelled list: its units are recipients, not members
_RANKED_OR_AWARDED = re.compile(
    r"cờ|bằng khen|giấy khen|huân chương|danh hiệu|(?<![\w])(?:nhất|nhì|ba)\s+(?:cụm|khối)"
    r"|xếp|dẫn đầu|đề nghị|tặng",
    re.IGNORECASE,
)
_LOCATED_LABEL = re.compile(r"\s+đóng(?:\s+chân)?\s+trên\s+địa\s+bàn(?:\s+tỉnh)?\s*:\s*([^.;()]{3,300})")
_PLACE_LIKE = re.compile(rf"{CAP}[^\W\d_]*(?: {CAP}[^\W\d_]*){{1,2}}")
_CELL_HEAD = re.compile(r"^[^:,;]{1,30}:\s*")
# the cluster as the sentence's bare subject ("Cụm hiện có …", "Khối năm 2023 có …")
_BARE_HEAD_SUBJECT = re.compile(
    r"\s*(?:Cụm|Khối)(?:\s+thi\s+đua)?(?:\s+(?:hiện nay|hiện tại|hiện|nay|năm\s+(?:19|20)\d{2}),?)?\s*"
)
# "Cụm A (gồm …) và đồng bằng (gồm …)": a list after a closed bracket and "và" is another's
_ANOTHER_AFTER_BRACKET = re.compile(r"\)\s*(?:,\s*)?và\s")
_COUNT_ONLY = re.compile(r"\s*(?:có\s+)?\d{1,3}\s+[^\d():;.,]{1,40}(?:\([^()]{0,80}\))?\s*")
_COUNTED_IS = re.compile(r"\s+là\s+(?=[A-ZĐ])")  # the list after a counted cluster's name
_BARE_WORDS = 4  # words of a bare department name in a counted list ("Tham mưu", "Kế hoạch - Tài chính")
# a count of its units closing a cluster's name ("Cụm thi đua 4 phòng", "Khối 5 đơn vị")
_COMPANIONS_REACH = 320  # characters after "thành viên (của) Khối …" its companions' list may run to
_NAME_COUNT = re.compile(r"(?<![\w])(\d{1,2})\s+\w+$")
_PLACES_COUNTED = re.compile(
    r"(?<![\w])(\d{1,2})\s+(?:tỉnh|thành phố|huyện|quận|thị xã)(?![\w])", re.IGNORECASE
)
# "(09 tỉnh Phú Yên, Bình Định, …)": the count opening a bracketed list, its kind left to the first item
_COUNT_OPENING = re.compile(r"^\s*\d{1,3}\s+(?=(?:tỉnh|thành phố|huyện|quận|thị xã)\s)")


@cache
def _pattern(key: str) -> re.Pattern[str]:
    return compiled(str(load("clusters")[key]))


@lru_cache(maxsize=1)
def _intro() -> re.Pattern[str]:
    return compiled(str(load("clusters")["member_intro"]))


@lru_cache(maxsize=1)
def _end() -> re.Pattern[str]:
    return compiled(str(load("clusters")["member_list_end"]))


_UNCLOSED_NOTE = re.compile(r"\s*\([^()]*$")
_NUMBERS_IN_ITEM = grammar("members.numbers-in-item")


def _numbers_spelled_out(m: re.Match[str]) -> str:
    head = m.group("head")
    numbers = re.findall(r"\d{1,3}", m.group("nums"))
    return ", ".join(f"{head.strip() if i else head} {n}" for i, n in enumerate(numbers))


def _items(text: str, province: str | None, headed: bool = False) -> list[Unit]:
    """Split a list on commas and "và"; a "và" inside a name (Sở Kế hoạch và Đầu tư) is kept.
    Items separated by semicolons are whole names: only the last one may join two with "và". In a
    `headed` list ("các trường: Chính trị Tiền Giang, Trung cấp Nghề Gò Công") the head is not copied
    onto the items (ANNOTATION.md): a capitalised item is a member as written."""

    written: list[tuple[str, Unit | None]] = []
    text = _pattern("member_role_note").sub("", _sublists_expanded(text))
    text = grammar("members.unnamed-others").sub("", grammar("members.rest-label").sub(", ", text))
    text = _UNCLOSED_NOTE.sub("", text)  # "…, xã C (phường A được hình thành từ …": a note the list's end cut
    if ";" in text:  # "Sư đoàn 4, 330; Lữ đoàn 596": a semicolon item numbering several units of one kind
        text = _NUMBERS_IN_ITEM.sub(_numbers_spelled_out, text)
    if ";" in text and any(_INLIST_HEAD.match(p) for p in text.split(";")):
        # "…; các Sở Xây dựng; Công Thương; …": the head is not copied onto its run's items
        text, headed = ";".join(_INLIST_HEAD.sub("", p) for p in text.split(";")), True
    pieces = re.split(r"\s*;\s*", text) if ";" in text else _continued(re.split(r"\s*,\s*", text))
    pieces = _first_word_shared(pieces)
    commas = _continued(re.split(r"\s*,\s*", pieces[-1]))
    if ";" in text and all(starts_unit(c) or c[:1].isdigit() for c in commas[1:]):
        # the last item of a semicolon list may itself be a comma list ("…; A, B và C"), not a
        # name going on after a comma ("…; Cục Cảnh sát quản lý tạm giữ, tạm giam và …")
        pieces[-1:] = commas
    last = len(pieces) - 1 if ";" not in text else len(re.split(r"\s*;\s*", text)) - 1
    for n, piece in enumerate(pieces):
        if ";" in text and n < last:
            # "A, B và C; D": three before D ("…; Cục A, Cục B và cải cách hành chính, tư pháp; …": the
            # lower-case piece goes on B's name)
            commas = _continued(re.split(r"\s*,\s*", piece))
            if len(commas) > 1 and all(starts_unit(c) for c in commas):
                written += [(c, parse(c, province)) for c in commas[:-1]]
                written += [(p, parse(p, province)) for p in _joined(commas[-1], province, headed)]
                continue
            written.append((piece, parse(piece, province)))
            continue
        written += [(p, parse(p, province)) for p in _joined(piece, province, headed)]
    # "Công đoàn ngành Giáo dục, ngành Y tế": the second, its head left out, as written
    written = [
        (p, Unit(p) if u is None and n and p[:1].islower() and _parallel(written[n - 1][0], p) else u)
        for n, (p, u) in enumerate(written)
    ]
    if headed:
        written = [(p, u or _as_written_item(p)) for p, u in written]
    units = _as_written_when_mixed(_other_bodies_as_written([(p, u) for p, u in written if u is not None]))
    return _numbered([v for u in units for v in _two_places(u, province)], text)


def _first_word_shared(pieces: list[str]) -> list[str]:
    """ "Tiên Lộc, Lập, Phong và Mỹ": after a two-word place, a one-word item that names nothing on
    its own shares the place's first word (Tiên Lập, Tiên Phong, Tiên Mỹ), as "Phường 1, 2 và 4"
    shares "Phường" (ANNOTATION.md)."""
    out: list[str] = []
    first: str | None = None
    for piece in pieces:
        words_ = piece.split()
        alone = list(grammar("members.and").split(piece)) if first else []
        if first and alone and all(_one_word_part(w) for w in alone):
            out.append(" và ".join(f"{first} {w.strip()}" for w in alone))
            continue
        place = (  # a commune's name: two words, no district or province of the gazetteer
            len(words_) == 2
            and all(_one_word_part(w) for w in words_)
            and not is_org(piece)
            and gazetteer.lookup(piece) is None
        )
        first = words_[0] if place else None
        out.append(piece)
    return out


def _one_word_part(word: str) -> bool:
    """A capitalised syllable that names no unit by itself ("Đakrông", two syllables written as one
    word, is a name)."""
    word = word.strip()
    return (
        word.isalpha()
        and len(word) <= _SYLLABLE
        and word[:1].isupper()
        and gazetteer.lookup(word) is None
        and not is_org(word)
    )


def _two_places(unit: Unit, province: str | None) -> list[Unit]:
    """A list item of two known places with the comma between them missing ("Đồng Nai Ninh
    Thuận") as the two places; any other unit as it is."""
    if unit.known or unit.kind or unit.body:
        return [unit]
    words_ = unit.name.split()
    for k in range(1, len(words_)):
        first, second = " ".join(words_[:k]), " ".join(words_[k:])
        if gazetteer.lookup(first) is not None and gazetteer.lookup(second) is not None:
            pair = [parse(first, province), parse(second, province)]
            return [u for u in pair if u is not None] if all(pair) else [unit]
    return [unit]


_COUNTED_ITEM = re.compile(r"^\s*0?[2-9]\s+(?=\S)")


def _joined(piece: str, province: str | None, headed: bool) -> list[str]:
    """One list piece split on "và" where both sides name units ("Châu Pha và xã Hạ Long"), kept
    whole where "và" is inside a name ("Sở Kế hoạch và Đầu tư")."""
    parts = grammar("members.and").split(piece)
    merged = [parts[0]]
    for part in parts[1:]:
        if _UNNAMED_REST.fullmatch(part.strip()):
            continue  # "A, B và các đoàn thể chính trị - xã hội": the rest, named by none
        counted = _COUNTED_ITEM.match(part)
        if counted and starts_unit(part[counted.end() :]):
            part = part[counted.end() :]  # "A và 02 Đảng ủy Khối X, Y": the count of the items that follow
        left = parse(merged[-1], province)
        known_left = left is not None and left.known and re.fullmatch(NAME, part)
        joins_units = left is not None and not is_org(merged[-1]) and parse(part, province) is not None
        written = headed and not is_org(merged[-1]) and _as_written_item(part) is not None
        if starts_unit(part) or known_left or joins_units or written:
            merged.append(part)
        else:
            merged[-1] = f"{merged[-1]} và {part}"
    return merged


def _sublists_expanded(text: str) -> str:
    """ "Agribank (các chi nhánh: Đồng Nai, Bình Phước)" -> "Agribank chi nhánh Đồng Nai; Agribank chi
    nhánh Bình Phước": an item naming its own members in brackets stands for each of them."""

    def expand(m: re.Match[str]) -> str:
        items = [i for i in re.split(r"\s*,\s*|\s+và\s+", m.group("items").strip()) if i]
        return "; ".join(f"{m.group('head')} {m.group('kind')} {item}" for item in items)

    return _pattern("member_sublist").sub(expand, text)


def _as_written_item(piece: str) -> Unit | None:
    """A capitalised item of a headed list that names no known unit, kept as written."""
    name = _written(piece)
    capitalised = name[:1].isupper() or grammar("members.lower-qualifier").match(name)
    if not capitalised or len(name.split()) > 12 or _CLAUSE.search(name):
        return None
    return Unit(name)


def _continued(pieces: list[str]) -> list[str]:
    """A piece that starts in lower case, starts no unit and still names something capitalised
    continues the name before it ("Ban Bảo vệ, chăm sóc sức khỏe cán bộ Tỉnh ủy"); a clause such as
    "nâng tổng số thành viên lên 12" or "trong đó Đài … làm Cụm trưởng" does not."""
    out: list[str] = []
    for piece in pieces:
        named = any(w[:1].isupper() for w in piece.split()[1:]) and not _CLAUSE.search(piece)
        # "Cơ quan Thanh tra, giám sát ngân hàng": a short lower-case piece goes on an agency's name
        duty = piece.islower() and len(piece.split()) <= _DUTY_WORDS and not _CLAUSE.search(piece)
        if (
            out
            and piece[:1].islower()
            and (named or (duty and is_org(out[-1])))
            and not starts_unit(piece)
            and not _parallel(out[-1], piece)
        ):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def _parallel(before: str, piece: str) -> bool:
    """Whether a lower-case piece names a unit alongside the one before it, its head left out:
    it opens with a word the name before it uses ahead of a capitalised name ("Công đoàn ngành
    Giáo dục, ngành Y tế": the union of the health sector)."""
    first = piece.split()[0].casefold()
    words_ = before.split()
    return any(w.casefold() == first and nxt[:1].isupper() for w, nxt in itertools.pairwise(words_))


def _as_written_when_mixed(items: list[tuple[str, Unit]]) -> list[Unit]:
    """A list that mixes agencies in their own right ("Sở Y tế", "Báo Nghệ An") with bodies of a
    locality ("Đài Phát thanh - Truyền hình Nghệ An") keeps every name as written (ANNOTATION.md:
    the locality stands for a body only in a cluster made of such bodies)."""
    agencies = [u for p, u in items if u.body is None and not u.known and is_org(p)]
    if len(agencies) < 2 or 3 * len(agencies) < len(items) or all(u.body is None for _, u in items):
        return [u for _, u in items]
    # "Hội LHPN A, B, C, Hội PN Bộ Tư lệnh …": a body heading bare places is theirs too, each the place
    pairs = enumerate(itertools.pairwise(items))
    heads = {i for i, ((_, u), (_, nxt)) in pairs if u.body and _bare_place(nxt)}
    return [
        u if u.body in _GOVERNING or i in heads else Unit(_written(p), None, None, None, False)
        for i, (p, u) in enumerate(items)
    ]


def _bare_place(unit: Unit) -> bool:
    return unit.known and unit.body is None


def _other_bodies_as_written(items: list[tuple[str, Unit]]) -> list[tuple[str, Unit]]:
    """A body of a locality the list already names ("Công an các tỉnh: Đắk Lắk, Lâm Đồng và Cảnh sát
    PCCC tỉnh Đắk Lắk") is another unit: written as it stands, not as the locality again."""
    seen: set[str] = set()
    out: list[tuple[str, Unit]] = []
    for piece, unit in items:
        if unit.body and unit.name in seen:
            unit = Unit(_written(piece))
        seen.add(unit.name)
        out.append((piece, unit))
    return out


def _written(piece: str) -> str:
    """A list piece as written, a union inside an agency dropped ("Hội PN Bộ Tư lệnh Thủ đô")."""
    return " ".join(grammar("units.inner-body").sub("", unmask(piece).strip(" \t,;:.-–()“”\"'")).split())


def _numbered(units: list[Unit], text: str) -> list[Unit]:
    """ "Quận 1, 3, 5 và 10", "Đoàn Trinh sát số 1, 2": bare numbers after a numbered unit are units of
    the same kind."""
    if not re.search(r"(?:^|[,;]|\svà)\s*\d{1,3}\s*(?:[,;]|\svà|$)", text):
        return units
    out: list[Unit] = []
    for piece in re.split(r"\s*[,;]\s*|\s+và\s+", text):
        last = out[-1] if out else None
        numbered = last is not None and re.fullmatch(r"\w+(?: \w+)? \d{1,3}|.+\ssố \d{1,3}", last.name)
        if re.fullmatch(r"\d{1,3}", piece.strip()) and last and numbered:
            name = f"{last.name.rsplit(' ', 1)[0]} {int(piece)}"
            out.append(Unit(name, last.kind, last.body, last.province))
            continue
        out.extend(u for u in units if u not in out and piece.strip() and _ends_with(piece, u.name))
    return out + [u for u in units if u not in out]  # a name holding "và" ends no piece


def _numbers_of_kind(intro: str, listed: str) -> str:
    """ "các quận: 1, 3, 10, Tân Bình": bare numbers under a numbered kind's head are that kind's
    units ("Quận 1", "Quận 3", "Quận 10"), as ANNOTATION.md writes numbered urban units."""
    head = _KIND_HEAD.search(intro[: intro.find(":") + 1]) if ":" in intro else None
    if head is None:
        return listed
    kind = head.group("kind").capitalize()
    return re.sub(r"(?:^|(?<=,)|(?<=\svà))(\s*)(\d{1,3})(?=\s*(?:,|\svà\s|$))", rf"\1{kind} \2", listed)


def _a_place(unit: Unit) -> bool:
    return unit.known or bool(unit.kind and re.fullmatch(rf"{unit.kind} \d{{1,3}}", unit.name, re.IGNORECASE))


def _ends_with(piece: str, name: str) -> bool:
    """True when a list piece ends with a unit's name, whatever the case ("các phường 6": Phường 6)."""
    return piece.strip().casefold().endswith(name.casefold())


def _mostly_units(pieces: list[str], named: list[bool]) -> bool:
    """A semicolon list of four or more items, two in three starting a unit, whose other items are
    short capitalised names ("…; Viettel Bình Phước; Bảo Việt Bình Phước; Bưu điện tỉnh …"): a brand
    no lexicon knows does not break the list."""
    if len(pieces) < 4 or 3 * sum(named) < 2 * len(pieces):
        return False
    return all(ok or _brand(piece) for ok, piece in zip(named, pieces, strict=True))


def _brand(piece: str) -> bool:
    piece = piece.strip()
    short = piece[:1].isupper() and len(piece.split()) <= 8
    return short and not _CLAUSE.search(piece) and not _GENERIC.match(piece)


def _colon_clause_first(piece: str) -> bool:
    """True when a colon opening a clause in lower case comes before any verb of the piece ("A, B,
    C: tại hội nghị …, các đơn vị đã …"): it is a list with its comment, not one item."""
    colon = _COLON_CLAUSE.search(piece)
    if colon is None:
        return False
    end = _end().search(piece, 1)
    return end is None or colon.start() < end.start()


# a clause naming a role's holder ("Trường A là đơn vị Cụm trưởng năm học …", "B làm Khối phó")
_ROLE_CLAUSE = re.compile(
    r"[^,;:]{2,80}?\s(?:là|làm|giữ vai trò|được phân công làm)\s+(?:đơn vị\s+)?"
    r"(?:(?:cụm|khối)\s+(?:trưởng|phó)|(?:phó\s+)?trưởng\s+(?:cụm|khối))",
    re.IGNORECASE,
)


def _semicolon_list(after: str, headed: bool = False) -> str | None:
    """A list whose items are separated by semicolons ("gồm: Công ty A; Công ty B.", "gồm A làm Cụm
    trưởng; B làm Cụm phó; C và D là thành viên"); under a head ("các Bộ: Y tế; Ngoại giao") the
    items are capitalised names."""
    stop = re.search(r"(?<!TP)(?<!TX)\.(?![\w])", after)
    segment = after[: stop.start()] if stop else after
    pieces = [p.strip(' “”"') for p in segment.split(";")]  # a list may be quoted whole: “ A; B; C”

    def item(piece: str) -> bool:
        named = starts_unit(piece) or (headed and _as_written_item(piece) is not None)
        closed = piece.count(")") > piece.count("(")  # "…, D), năm 2022 …": the bracket's list ended
        return (
            bool(piece)
            and named
            and not _GENERIC.match(piece)
            and not _colon_clause_first(piece)
            and not closed
            and not _LEADER_CLAUSE.search(piece)  # "A, B, đơn vị dẫn đầu là C; D đạt Hạng Nhì": clauses
        )

    named, under_head = [], False
    for piece in pieces:  # "…; các Sở Xây dựng; Công Thương; …": capitalised items after an in-list head
        under_head = bool(_INLIST_HEAD.match(piece)) or (under_head and not starts_unit(piece))
        named.append(item(piece) or (under_head and _as_written_item(piece) is not None))
    if len(pieces) > 1 and (all(named) or _mostly_units(pieces, named)):
        last = segment.rfind(";") + 1
        end = _end().search(segment, last + 1)  # the last item ends where the sentence goes on
        if _ROLE_CLAUSE.match(pieces[-1]) and any(p.count(",") >= 2 for p in pieces[:-1]):
            # "gồm các trường: A, B, C và D; Trường A là đơn vị Cụm trưởng": a comma list, then a clause
            return segment[: last - 1]
        while end is not None and _branch_located(segment, end):  # "…; Phân hiệu X tại Ninh Thuận"
            end = _end().search(segment, end.end())
        return segment[: end.start()] if end else segment
    if len(pieces) > 3 and all(named[:-1]):
        last = segment.rfind(";")
        end = _end().search(segment, last + 2)  # "…; C; D đã tổ chức …": the last item runs into the verb
        if end is not None and item(segment[last + 1 : end.start()].strip(' “”"')):
            return segment[: end.start()]
        return segment[:last]  # "A; B; C; Năm 2021, C là Trưởng khối": a clause after the list
    return _list_before_verb(segment, named)


def _list_before_verb(segment: str, named: list[bool]) -> str | None:
    """A list whose last item runs into the sentence's verb, the sentence then going on with semicolons
    of its own ("gồm: A; B; C và D đã hoàn thành …: X được chú trọng; Y …"): the items up to the verb."""
    raw = segment.split(";")
    for k, piece in enumerate(raw[1:], start=1):
        end = _end().search(piece, 1)
        if end is not None and end.group(0).strip().isalpha():
            return ";".join([*raw[:k], piece[: end.start()]]) if all(named[: k + 1]) else None
    return None


def _reads_as_place(item: str) -> bool:
    """True when a list's first item, a body of several localities, already reads as its first place
    ("Liên đoàn Lao động các huyện Phù Cát" -> Phù Cát, the body kept)."""
    unit = parse(item.split(" và ")[0], None)
    return unit is not None and unit.body is not None and " các " not in f" {unit.name} "


def _list_text(after: str, colon: bool = True, headed: bool = False) -> str:
    after = _AND_SO_ON.sub(".", _EMPTY_ITEM.sub("", _sublists_expanded(INLINE_BULLET.sub(r"\1 ", after))))
    # "MTTQ 4 phường A, B và 5 xã C": "MTTQ các phường A, B và các xã C" (a count opening the list stays)
    after = _COUNTED_PLACE_GROUP.sub(lambda c: "các " if after[: c.start()].strip() else c.group(0), after)
    bracketed = (
        _pattern("member_count_bracket").match(after) or re.match(r"\s*\(", after) or _headed_bracket(after)
    )
    if bracketed:  # "với 6 đơn vị thành viên (A, B, C)", "các đơn vị trong Khối (A, B; C)": up to ")"
        inner, _, rest = after[bracketed.end() :].partition(")")
        inner = _COUNT_OPENING.sub("", _ABSENT.sub("", inner))
        head_end = inner.find(":", 0, 60)  # "(TAND các tỉnh: A, B)"
        return ", ".join([inner[head_end + 1 :] if head_end >= 0 else inner, *_counted_groups(rest)])
    after = _ITEM_NOTE.sub("", after)
    found = after.find(":", 0, _COLON_REACH) if colon else -1
    # a far colon only after a long kind head (the comma of "tỉnh, thành phố" is the head's own)
    if found >= 60 and re.search(r"[,;]", _PLACE_KINDS.sub("", after[:found])):
        found = found if grammar("members.colon-restates-kind").search(after[:found]) else -1
    # a list closed by a colon and a clause ("A, B, C: tại hội nghị …"): the colon leads no list
    if found >= 0 and _colon_clause_first(after[found:]) and "," in _PLACE_KINDS.sub("", after[:found]):
        found = -1
    if found >= 0:
        grouped = bool(_GROUP_HEAD.fullmatch(after[: found + 1]))
        headed = headed or grouped or bool(_HEADED.match(after[: found + 1]))
        after = after[found + 1 :]
        if grouped:  # "gồm 3 Công ty TNHH: A, B; 4 Công ty cổ phần: C, D": one list, the heads dropped
            after = _GROUP_HEAD.sub(", ", after)
        places = _COUNTED_PLACES.match(after)  # ": Ban Quản lý các KCN của các tỉnh: A, B": the places
        if places:
            after = after[places.end() :]
        listed = _semicolon_list(after, headed)
        if listed:
            return listed
    body = grammar("members.bodies-of-places").match(after)  # "Mặt trận các huyện A, B": the places
    if body and not _reads_as_place(after[: after.find(",")] if "," in after else after):
        after = after[body.end() :]  # a body read as its place ("LĐLĐ các huyện A") keeps its reading
    lead = _pattern("member_list_lead").match(after) or _UNITS_LEAD.match(after) or _BODIES_OF.match(after)
    lead = lead or _TRADE_HEAD.match(after)  # "gồm các nông trường A, B và C": the head is no item's
    if lead is not None:
        after = after[lead.end() :]
    named_after = grammar("members.counted-described-then-named").match(after) if found < 0 else None
    if named_after:  # "gồm 8 quỹ thuộc các huyện A, B là QTDND X, QTDND Y": named after "là"
        after = after[named_after.end() :]
    among = grammar("members.counted-then-among").match(after) if found < 0 else None
    if among:  # "gồm 15 cơ quan, ban ngành trong đó có X": X is named among them
        after = after[among.end() :]
    elif found < 0 and _pattern("member_count_only").match(after):  # "gồm có 10 đơn vị, X được …"
        return ""
    listed = _semicolon_list(after) if found < 0 else None
    if listed:  # "gồm A làm Cụm trưởng; B làm Cụm phó; C và D là thành viên"
        return listed
    count = re.match(r"\s*(?:\d{1,3}|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+(?=\S)", after)
    if count and starts_unit(after[count.end() :]):  # "gồm 8 Tỉnh hội Ninh Bình …", "gồm có năm tỉnh A, B"
        after = after[count.end() :]
    end = _end().search(after, 1)
    while end is not None and (_branch_located(after, end) or _dash_in_item(after, end)):
        end = _end().search(after, end.end())
    return after[: end.start()] if end else after


_LEADER_CLAUSE = grammar("members.leader-clause")


def _counted_groups(rest: str) -> list[str]:
    """The further counted groups after a first one's ")": "gồm 4 sở (A, B, C, D) và 3 ban (E, F, G)",
    "04 trường (A, B); 01 trường thuộc Bộ X (C)": each group's items, in order."""
    groups = []
    while joint := _GROUP_JOINT.match(rest):
        group = _pattern("member_count_bracket").match(rest, joint.end())
        if group is None:
            break
        inner, closed, rest = rest[group.end() :].partition(")")
        if not closed:
            break
        groups.append(inner)
    return groups


def _headed_bracket(text: str) -> re.Match[str] | None:
    """ "Thanh tra các sở (A; B; C)": the head's items in the brackets after it."""
    opening = text.find("(", 0, 60)
    return _HEADED_BRACKET.match(text[: opening + 1]) if opening > 0 else None


def _branch_located(text: str, end: re.Match[str]) -> bool:
    """ "tại X" after a branch's head is part of its name ("Phân hiệu Trường Đại học Lâm nghiệp tại
    Gia Lai", "Chi nhánh Công ty … tại Ninh Thuận"), not the end of the list."""
    item = re.split(r"[,;]|\svà\s", text[: end.start()])[-1]
    return end.group(0).strip() == "tại" and bool(grammar("members.branch-head").match(item))


def _dash_in_item(text: str, end: re.Match[str]) -> bool:
    """A dash inside one item of a comma list, the list going on after it ("…, Hội Người khuyết tật -
    Bảo trợ trẻ mồ côi, Hội Khuyến học, …"): the item before the dash starts a unit, and so does
    the next item after the dash's own piece; a role or clause after the dash ends the list."""
    if end.group(0).strip() not in ("–", "-"):
        return False
    item = re.split(r"[,;]|\svà\s", text[: end.start()])[-1]
    rest = text[end.end() :]
    comma = rest.find(",", 0, 80)
    stop = _end().search(rest[:comma]) if comma >= 0 else None
    if comma < 0 or not starts_unit(item) or starts_unit(rest) or (stop and stop.group(0)):
        return False
    return starts_unit(rest[comma + 1 :])


def _bullet_items(ctx: Context, lead: Sentence) -> list[str]:
    """The bullet or numbered lines a list introduction ending in ":" leads, one unit each, or one
    kind's units each ("+ Các phường: A, B, C;")."""
    lines = [
        mask(BULLET.sub("", s.text, count=1)).rstrip(" ;.,")
        for s in ctx.sentences[lead.index + 1 : lead.index + 1 + _MAX_BULLETS]
        if s.lead == lead.index and BULLET.match(s.text)
    ]
    return [item for line in lines for item in _kind_sublist(line)]


def _kind_sublist(line: str) -> list[str]:
    """ "Các phường: A, B (sáp nhập từ …) và C" -> ["phường A", "phường B", "phường C"]; a line of
    one unit as it is. A head of several kinds ("Xã, thị trấn:") leaves the names bare."""
    head = _KIND_SUBLIST.match(line)
    if head is None:  # "• Công ty A (sáp nhập từ …)", "• CĐCS Công ty B (DAWACO);": the name alone
        return [_BRAND_NOTE.sub("", bracket_abbreviation().sub("", _ITEM_NOTE.sub("", line)))]
    kind = head.group("kind") or head.group("kind2")
    kind = "" if head.group("kinds") else f"{kind.casefold()} "
    names = re.split(r"\s*,\s*|\s+và\s+", _ITEM_NOTE.sub("", line[head.end() :]))
    return [f"{kind}{name}" for name in names if name.strip()]


def _leads_counted(ctx: Context, sentence: Sentence, rest: str) -> bool:
    """ "Cụm 1: Gồm 12 đơn vị (các trường sư phạm)" above numbered lines: the count ends the sentence and
    the lines under it are its list."""
    following = ctx.sentences[sentence.index + 1] if sentence.index + 1 < len(ctx.sentences) else None
    return bool(_COUNT_ONLY.fullmatch(rest)) and following is not None and following.lead == sentence.index


def _line_after(ctx: Context, lead: Sentence) -> str:
    """The plain line under a list introduction ending in ":" when it opens with a unit ("Cụm số 2
    gồm:" / "A, B, C và D."): the list, written on a line of its own."""
    after = ctx.sentences[lead.index + 1] if lead.index + 1 < len(ctx.sentences) else None
    if after is None or after.line == lead.line or after.bullet or not starts_unit(after.text):
        return ""
    return mask(after.text).rstrip(" ;.,")


def _attendance(before: str, intro: str = "") -> bool:
    """A list of who attended ("Tham dự hội nghị gồm: …") or of an award's recipients is no
    membership statement, unless it
    names the cluster's own units ("đại diện các sở trong Khối thi đua số 3, gồm: …", "Thành phần
    gồm đại diện của 09 đơn vị trong Khối: …"); `intro` is the text from "gồm" to the list's colon."""
    clause = re.split(r"[.;]", before)[-1]
    if _pattern("member_awarded").search(clause):
        return True  # the recipients of an award: "tặng Bằng khen cho 3 đơn vị gồm: …"
    cue = _pattern("member_attendance").search(clause)
    own = _pattern("member_of_cluster")
    return cue is not None and not own.search(clause[cue.end() :]) and not own.search(intro)


_LOCATOR_END = re.compile(r"\s+(?:tỉnh|thành phố|huyện|quận|thị xã)[\s(]*$", re.IGNORECASE)  # "… thành phố ("
_OF_COUNTED = re.compile(
    r"\s*(?<![\w])của\s+\d+\s+(?:tỉnh|huyện|thành phố|quận|thị xã|địa phương|đơn vị)", re.IGNORECASE
)
_COUNT_BEFORE = grammar("members.count-before-intro")
_LEADS_TO = re.compile(r"[\s:]{0,3}")  # what stands between an intro and a bloc it opens with
_SUBCLUSTERS = re.compile(r"\s*(?:các|những|\d+)\s+(?:khối|cụm)(?:\s+thi\s+đua)?\s*:", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _tail_words(name: str) -> tuple[str, ...]:
    """A cluster's name without its head, folded to words ("Cụm thi đua LĐLĐ các tỉnh …" -> ldld cac …)."""
    return tuple(textkeys.words(re.sub(r"^(?:cụm|khối)(?:\s+thi\s+đua)?\s+", "", name, flags=re.IGNORECASE)))


def _described(ctx: Context, before: str) -> str | None:
    """The article's cluster that the words before a list describe without its head ("LĐLĐ các
    tỉnh Bắc sông Hậu gồm: …" in a report on the Cụm thi đua LĐLĐ các tỉnh Bắc sông Hậu)."""
    words_before = textkeys.words(_LOCATOR_END.sub("", before))
    for name in dict.fromkeys(c.name for c in ctx.clusters):  # each distinct name once
        tail = _tail_words(name)
        if len(tail) >= 3 and tuple(words_before[-len(tail) :]) == tail:
            return ctx.display(name)
    return None


_RESTATED = re.compile(r"[^.;:]{0,120}?,\s*")  # a description of the members up to a second "gồm"


def _from_sentence(ctx: Context, sentence: Sentence) -> list[MemberFact]:
    out = []
    held: str | None = None
    intros = list(_intro().finditer(sentence.text))
    restated: int | None = None  # where a first "gồm" that only names the kinds opened
    for i, m in enumerate(intros):
        after = intros[i + 1] if i + 1 < len(intros) else None
        if after is not None and _RESTATED.fullmatch(sentence.text, m.end(), after.start()):
            restated = m.start()
            continue  # "gồm 08 Đài Phát thanh, Đài Truyền hình, gồm: A, B": the kinds, then the list
        absolute = sentence.start + m.start()
        before = [
            c for c in ctx.mentions_in(sentence) if c.start < absolute and absolute - c.end < _CLUSTER_WINDOW
        ]
        last = before[-1] if before else None
        while last is not None and (outer := ctx.enclosing(last)) is not None:
            last = outer
        if last is not None and _ANOTHER_AFTER_BRACKET.search(ctx.text, last.end, absolute):
            continue
        cluster = last.name if last else _described(ctx, sentence.text[: m.start()]) or held
        if cluster is None and not sentence.text[: m.start()].strip():
            cluster = _named_just_before(ctx, sentence)  # "Khối X ký giao ước. Bao gồm: A, B, C."
        held = cluster  # "Khối … gồm có 17 đơn vị, chủ yếu là …, bao gồm: A; B": the second intro goes on
        # "Cụm được thành lập theo Quyết định số …, gồm 7 phường:": the founding between head and list
        adverb = grammar("members.subject-adverb")
        subject = adverb.sub("", _FOUNDING.sub("", adverb.sub("", sentence.text[: m.start()])))
        subject = grammar("members.founding-opening").sub("", subject)  # "Thành lập năm 2008, Khối có …"
        refers = _pattern("reference_before").search(subject.rstrip(" ,("))
        opening = re.compile(r"[:(]").search(sentence.text, m.end(), m.end() + _COLON_REACH)
        through = opening.end() if opening else m.end()
        counted = _pattern("member_count_intro").search(sentence.text[:through])
        intro = sentence.text[m.end() : opening.start()] if opening and opening.group(0) == ":" else ""
        intro = m.group(0) + intro  # "… 9 đơn vị trong Khối:", "… các đơn vị trong Khối (A, B)"
        # "… 9 đơn vị trong Khối:", "đại diện các đơn vị thành viên gồm: …": the cluster's own units
        # "bao gồm 09 đơn vị trong cụm theo công văn …, gồm:": the kinds' description says whose
        near_start = min(restated, m.start() - 40) if restated is not None else m.start() - 40
        near = f"{sentence.text[max(0, near_start) : m.start()]}{intro}"
        clause = re.split(r"[.;]", sentence.text[: m.start()])[-1]  # "… 09 đơn vị thành viên và … gồm:"
        refers = (
            refers
            or _pattern("member_of_cluster").search(near)
            or _pattern("members_named").search(clause)
            or _COVENANT_PARTIES.search(clause)
        )
        if cluster is None and not refers and not counted:
            continue
        if _SUBCLUSTERS.match(sentence.text, m.end()):
            continue  # "bao gồm các khối thi đua: Khối số 1 (A, B); Khối số 2 (…)": each bloc lists its own
        if any(
            _LEADS_TO.fullmatch(sentence.text, m.end(), c.start - sentence.start)
            for c in ctx.mentions_in(sentence)
        ):
            continue  # "06 khối thi đua, gồm: Khối các Ban …, MTTQ …; Khối …": blocs, not members
        # "… Cụm thi đua số 3 gồm có 7 phường …", "… Cụm thi đua số 3 hiện có 3 đơn vị là …"
        between = _FOUNDING.sub("", ctx.text[last.end : absolute]) if last is not None else ""
        adjacent = last is not None and bool(_BETWEEN_NAME_AND_INTRO.fullmatch(between))
        bare_subject = _BARE_HEAD_SUBJECT.fullmatch(subject)
        if m.group("adjacent") and not adjacent and bare_subject:
            # "Cụm hiện có 6 đơn vị thành viên là A, B, …": the cluster told just before, of that head
            told = cluster or _named_just_before(ctx, sentence) or ctx.cluster_at(absolute)
            head = bare_subject.group(0).split()[0].casefold()
            if told is not None and told.split()[0].casefold() == head:
                adjacent, cluster = True, told
        if m.group("adjacent") and not adjacent:
            continue  # "… có các đơn vị A, B" with no colon is a list of members only right after the name
        attended = not adjacent and _attendance(sentence.text[: m.start()], intro)
        if attended or _ROLE_HEAD.search(sentence.text[: m.start()]):
            continue  # "Khối phó khối thi đua gồm các đơn vị: A; B" lists the vice-chairs (extract/chairs.py)
        if _TEAM.search(sentence.text[: m.start()]):
            continue  # "Đoàn kiểm tra của Khối … gồm: A, B": who makes up the team
        if _AREA_WIDE.search(sentence.text[: m.start()]):
            continue  # "toàn tỉnh có 4 đơn vị gồm: A, B": a whole province's units, no cluster's
        if _HONOURED.search(sentence.text[: m.start()]):
            continue  # "3 đơn vị được tặng Bằng khen, gồm: A, B": recipients (or ranks), not members
        rest = sentence.text[m.end() :]
        if _PEOPLE_LIST.match(rest):
            continue  # "… gồm các đồng chí: A - Giám đốc X, …" lists people, not units
        colon = rest.find(":", 0, _COLON_REACH)  # "… thành viên Cụm số II là Sở Ngoại vụ các tỉnh: A, B"
        opens_list = starts_unit(rest.lstrip(" :(")) or (colon >= 0 and starts_unit(rest[colon + 1 :]))
        counted_only = _leads_counted(ctx, sentence, rest)
        if rest.strip() == ":" or counted_only:  # a colon (or a count) ends it: the bullets after it
            opens_list = opens_list or bool(_bullet_items(ctx, sentence) or _line_after(ctx, sentence))
        if _pattern("member_of_cluster").match(m.group(0)) and not opens_list:
            continue  # "… các tỉnh trong cụm: trong năm 2016, …" opens a clause, not a list
        cluster = cluster or (ctx.cluster_at(absolute) if refers or counted else None)
        year = one_year(sentence.text)
        notes_out = _pattern("member_role_note").sub("", sentence.text[m.end() :])
        notes_out = _pattern("member_bracket_note").sub("", notes_out)
        # "lãnh đạo các Sở, ngành thuộc Khối gồm: Y tế; Tư pháp": the head stands before "thuộc Khối"
        head_before = bool(_HEAD_BEFORE.search(sentence.text, 0, m.start()))
        listed = _PEOPLE_TAIL.sub("", _list_text(mask(notes_out), headed=head_before))
        if counted_only or (not listed.strip() and sentence.text.rstrip().endswith(":")):
            listed = "; ".join(_bullet_items(ctx, sentence)) or _line_after(ctx, sentence)
        first_head = notes_out[: notes_out.find(":") + 1] if ":" in notes_out else ""
        headed = (
            head_before
            or (bool(_HEADED.match(first_head) or _GROUP_HEAD.fullmatch(first_head)) if first_head else False)
            or bool(_headed_bracket(notes_out))
        )
        listed = _numbers_of_kind(notes_out, listed)
        if _OF_COUNTED.match(notes_out, len(listed.rstrip())) or _OF_COUNTED.search(listed):
            continue  # "gồm Ban Quản lý các KCN, KKT của 11 tỉnh": the bodies of eleven provinces, unnamed
        stated = _COUNT_BEFORE.search(sentence.text, max(0, m.start() - 80), m.start())
        count = int(stated.group(1)) if stated else None
        units = _within_count(_items(listed, ctx.province, headed), count, listed)
        if count and len(units) < count and ";" in notes_out:
            # "có 11 thành viên, gồm A, B, C; D, E, …": a semicolon among the commas ends no list
            # the count vouches for, when reading through it gives more, and no more than it counts
            read_on = _PEOPLE_TAIL.sub("", _list_text(mask(notes_out.replace(";", ",")), headed=head_before))
            more = _within_count(_items(read_on, ctx.province, headed), count, read_on)
            units = more if len(units) < len(more) <= count else units
        out += _listed_members(ctx, sentence, cluster, units, year)
    return out


def _named_just_before(ctx: Context, sentence: Sentence) -> str | None:
    """The cluster the sentence before names last, for a list opening its own sentence."""
    if sentence.index == 0:
        return None
    named = ctx.mentions_in(ctx.sentences[sentence.index - 1])
    return named[-1].name if named else None


def _listed_members(
    ctx: Context, sentence: Sentence, cluster: str | None, units: list[Unit], year: int | None
) -> list[MemberFact]:
    return [
        make(
            MemberFact,
            ctx,
            sentence,
            "members.enumeration.v1",
            0.9,
            cluster=cluster,
            member=unit.name,
            year=year,
            **unit.extra(),
        )
        for unit in units
    ]


_WORD_START = re.compile(r"(?<![\w])\w")


def _credited(text: str) -> bool:
    """True when `text` ends with a caption's label and its colon ("… năm 2024 - Ảnh:")."""
    label = grammar("units.caption-label")
    starts = (w.start() for w in _WORD_START.finditer(text, max(0, len(text) - 16)))
    return any((m := label.match(text[at:])) is not None and at + m.end() == len(text) for at in starts)


def _named_lists(ctx: Context, sentence: Sentence) -> list[tuple[str | None, str, bool, int | None]]:
    """(cluster, list text, gazetteer names only) of lists that follow a cluster's own name: "N đơn
    vị trong Khối …: A; B", "Cụm thi đua số 2 (A, B, C)", "cụm thi đua các tỉnh A, B, C"."""
    out = []
    for c in ctx.mentions_in(sentence):
        at, end = c.start - sentence.start, c.end - sentence.start
        name = None if c.partial else ctx.display(c.name)
        after = sentence.text[end:]
        described = _DESCRIBED_BRACKET.match(after)
        if described:  # "Cụm số 2 (kinh tế - kỹ thuật): A, B": the cluster's field in brackets, then its list
            after = " " * described.end() + after[described.end() :]
        before = _pattern("member_count_before").search(sentence.text[:at])
        stated = re.match(r"\d+", before.group(0)) if before else None
        count = int(stated.group(0)) if stated else None
        if before:
            colon = re.match(r"[^:.;()]{0,80}?[:(]", after)
            if colon and colon.group(0)[-1] == "(" and bracket_abbreviation().match(after, colon.end() - 1):
                colon = None  # "… trong Khối thi đua … (CT-XH) tỉnh": the name's abbreviation, no list
            if colon and (_credited(colon.group(0)) or _PEOPLE_LIST.match(colon.group(0))):
                continue  # a photo's credit ("- Ảnh: Tú Linh") or people ("gồm các đồng chí: …"), not a list
            if colon and colon.group(0).endswith(
                ":"
            ):  # the roles in brackets go before the list's end is sought
                out.append(
                    (
                        name,
                        _list_text(_pattern("member_role_note").sub("", after[colon.end() - 1 :])),
                        False,
                        count,
                    )
                )
                continue
            if colon:
                out.append((name, after[colon.end() :].split(")", 1)[0], False, count))
                continue
            if linked := _COUNTED_IS.match(after):  # "7 đơn vị thuộc Khối thi đua Nội chính là A, B, …"
                out.append((name, _list_text(after[linked.end() :], colon=False), False, count))
                continue
        if re.search(r"(?:thuộc|trong)\s+$", sentence.text[:at]) and (colon := re.match(r"\s*:\s*", after)):
            listed = _pattern("member_role_note").sub("", after[colon.end() :])
            # "thuộc Cụm X: A (Cụm trưởng), B, C"
            out.append((name, _list_text(listed, colon=False), True, None))
            continue
        counted = _COUNTED_PLACES.match(after)  # "Cụm thi đua 3 NHNN chi nhánh 06 tỉnh biên giới: A, B, C"
        if counted and not _intro().search(after, 0, counted.end()) and not _attendance(sentence.text[:at]):
            out.append((name, _list_text(after[counted.end() :], colon=False), True, None))
            continue
        colon = _COLON_LIST.match(after)
        if colon and _pattern("member_role_note").search(colon.group(1)):  # "Khối số IV: A - Khối trưởng, B"
            notes_out = _pattern("member_role_note").sub("", colon.group(1))
            items = [p for p in re.split(r"[,;]", mask(notes_out)) if p.strip()]
            if len(_pattern("member_role_note").findall(colon.group(1))) >= len(items):
                continue  # "Khối các quận: quận A (Khối trưởng), quận B (Khối phó)": its holders only
            out.append((name, _list_text(notes_out, colon=False), False, None))
            continue
        lead = ctx.lead_of(sentence)
        previous = ctx.sentences[sentence.index - 1].text if sentence.index else ""
        colon = colon or _LOCATED_LABEL.match(after)  # "Khối … Trung ương đóng trên địa bàn: A, B"
        # "… của cụm thi đua 4 tỉnh X: tỉnh A, tỉnh B, tỉnh C và tỉnh D": as many as its name counts
        told = _PLACES_COUNTED.search(name or "")
        as_told = (
            colon is not None
            and told is not None
            and len(_items(mask(colon.group(1)), ctx.province)) == int(told.group(1))
        )
        if colon and (
            as_told
            or not _RANKED_OR_AWARDED.search(f"{lead.text if lead else ''} {previous} {sentence.text}")
        ):
            # "2. Khối thi đua kinh tế - kỹ thuật: Sở Công Thương, Sở Xây dựng, …": a label and its
            # units, in a report naming no award or rank there (else the units are its recipients)
            out.append((name, _list_text(colon.group(1), colon=False), True, None))
            continue
        located = grammar("members.province-before-bracket").match(after)
        if located:  # "Cụm thi đua số I của tỉnh Quảng Ninh (A, B, C)": the province, then the list
            after = " " * located.end() + after[located.end() :]
        parent = _PARENT_BEFORE_BRACKET.match(after)
        if parent and _a_body_of_a_place(parse(parent.group("parent"), ctx.province)):
            after = after[parent.end() :]  # "Khối thi đua số 3 Công an tỉnh X (Công an các huyện A, B)"
        bracket = re.match(r"\s*\(([^()]{3,800})\)", after)
        if bracket:  # a list holding a role ("Khối số 1 (Vụ I - Khối trưởng, Vụ II)") names members
            roled = _pattern("member_role_note").search(bracket.group(1)) is not None
            out.append((name, _COUNT_OPENING.sub("", bracket.group(1)), not roled, None))
            continue
        head = re.match(r"(?:cụm|khối)(?:\s+thi\s+đua)?", sentence.text[at:], re.IGNORECASE)
        named = _pattern("member_named_list").match(sentence.text, at + head.end()) if head else None
        listed = _list_text(sentence.text[named.end() :], colon=False) if named else ""
        if named and ":" not in listed:  # "… các tỉnh Nam Bộ: A và B được …" is a headline, not a list
            out.append((name, listed, True, None))
    return [
        (c, _PEOPLE_TAIL.sub("", _ABSENT.sub("", _pattern("member_role_note").sub("", t))), p, n)
        for c, t, p, n in out
    ]


# a list after a cluster's name and its colon, short brackets inside it ("Sở A (Cụm trưởng), Sở B")
_COLON_LIST = re.compile(r"\s*:\s*((?:[^.;()]|\([^().;]{1,40}\)){3,300})")
# a cluster's field or kind in lower-case words in brackets before its list's colon or dash
_DESCRIBED_BRACKET = re.compile(r"\s*\((?:các\s+)?(?-i:[a-zđà-ỹ])[^(),]{1,50}\)(?=\s*(?::|[–-]\s*\d))")
_PARENT_BEFORE_BRACKET = re.compile(r"\s*[-–]?\s*(?P<parent>[^()\s][^().,;:]{2,60}?)\s*(?=\()")


def _a_body_of_a_place(unit: Unit | None) -> bool:
    """True for the body of a known locality ("Công an tỉnh X"): the force a numbered bloc belongs to."""
    return unit is not None and unit.body is not None and unit.known


def _from_named_lists(ctx: Context, sentence: Sentence) -> list[MemberFact]:
    out = []
    for cluster, listed, places_only, count in _named_lists(ctx, sentence):
        units = _within_count(_items(mask(listed), ctx.province), count)
        # A bracket or a name's tail is a list of members only when it reads as one: two or more
        # units, most of them places the gazetteer knows or numbered wards and districts ("Phường 6"),
        # or two or more agencies ("Cụm thi đua số 8 (Phòng CSGT, Phòng Cảnh sát bảo vệ)").
        agencies = len(units) >= 2 and all(is_org(u.name) for u in units)
        places = len(units) >= 2 and 3 * sum(map(_a_place, units)) >= 2 * len(units)
        counted = _NAME_COUNT.search(cluster or "")  # "Cụm thi đua 4 phòng (A, B, C, D)": as many as it says
        if counted and not units:  # "… 4 phòng (Tham mưu, Chính trị, …)": bare names a count vouches for
            units = _bare_names(listed)
        as_counted = counted is not None and len(units) == int(counted.group(1)) >= 2
        # three or more names written as places are ("Cụm thi đua số 2 (Văn Sơn, Thịnh Sơn, Hòa Sơn)"):
        # communes the gazetteer does not hold
        named_places = len(units) >= 3 and all(_PLACE_LIKE.fullmatch(u.name) for u in units)
        if places_only and not agencies and not places and not as_counted and not named_places:
            continue
        out += [
            make(
                MemberFact,
                ctx,
                sentence,
                "members.named-list.v1",
                0.85,
                cluster=cluster,
                member=u.name,
                year=one_year(sentence.text),
                **u.extra(),
            )
            for u in units
        ]
    return out


def _within_count(units: list[Unit], count: int | None, listed: str = "") -> list[Unit]:
    """A list one longer than the count before it: in a list split by semicolons, a regiment joined
    to its division by a comma ("…; Trung đoàn 3, Sư đoàn 9 và Lữ đoàn 22" for 10 units) is one unit;
    else the last unit, one past the count, came along (a guest: "6 đơn vị gồm: A, …, F và G")."""
    if count is None or len(units) != count + 1:
        return units
    for i, (unit, parent) in enumerate(itertools.pairwise(units)):
        low, high = _echelon(unit.name), _echelon(parent.name)
        joined = f"{unit.name}, {parent.name}"
        if low is not None and high is not None and low < high and ";" in listed and joined in listed:
            return [*units[:i], Unit(joined, province=unit.province), *units[i + 2 :]]
    return units[:-1]


def _echelon(name: str) -> int | None:
    """The armed-forces echelon a unit's name opens with ("Trung đoàn 3" → 2), or None."""
    for echelon in entries("units", "echelons"):
        if compiled(rf"(?:{echelon['pattern']})\s+\d").match(name):
            return int(echelon["rank"])
    return None


def _bare_names(listed: str) -> list[Unit]:
    """The pieces of a short list as written, when each is a capitalised name of a few words."""
    pieces = [p.strip() for p in re.split(r",|\s+và\s+", listed)]
    if all(p[:1].isupper() and len(re.findall(r"\w+", p)) <= _BARE_WORDS for p in pieces):
        return [Unit(p) for p in pieces]
    return []


def _group_items(text: str, province: str | None) -> list[Unit] | None:
    """Every counted group's units in `text` ("02 trường (A, B); 01 trường thuộc Bộ X (C)"), or None
    when a group holds other than its count or no group is found."""
    units: list[Unit] = []
    for group in _pattern("member_count_bracket").finditer(text):
        inner, closed, _ = text[group.end() :].partition(")")
        listed = _items(inner, province)
        if not closed or not listed or int(re.findall(r"\d{1,3}", group.group(0))[-1]) != len(listed):
            return None
        units += listed
    return units or None


def _from_split_count(ctx: Context, sentence: Sentence) -> list[MemberFact]:
    """ "Khối X hiện có 09 trường thành viên. Trong đó, … 04 trường (A, B, C, D); 01 trường … (E) …":
    the groups of a sentence opening "Trong đó" name the members when each holds its count and they add up."""
    before = ctx.sentences[sentence.index - 1] if sentence.index else None
    stated = _COUNT_STATED.search(before.text) if before else None
    mentions = ctx.mentions_in(before) if before and stated else []
    if not mentions:
        return []
    units = _group_items(mask(sentence.text), ctx.province)
    if units is None or stated is None or len(units) != int(stated.group(1)):
        return []
    return _listed_members(ctx, sentence, mentions[0].name, units, one_year(sentence.text))


@rule("members.enumeration.v1")
def extract(ctx: Context) -> list[MemberFact]:
    """Members listed after "gồm" next to a cluster name, or right after the cluster's name."""
    named = [s for s in ctx.sentences if ctx.mentions_in(s)]
    follow = [s for s in ctx.sentences[1:] if _GROUPS_FOLLOW.match(s.text)]
    return (
        per_sentence(ctx.gated("members"), lambda s: _from_sentence(ctx, s))
        + per_sentence(named, lambda s: _from_named_lists(ctx, s))
        + per_sentence(follow, lambda s: _from_split_count(ctx, s))
        + _from_tables(ctx)
    )


def _from_tables(ctx: Context) -> list[MemberFact]:
    """A table's members column ("Cụm | Đơn vị thành viên | …"): the units of the row's cluster."""
    out = []
    for row in tables.rows(ctx):
        cluster = tables.cluster_of(ctx, row)
        for column in ("members", "leader"):  # the unit leading a row's cluster is one of its members
            cell = row.cells.get(column)
            if cluster is not None and cell is not None and not _NONE_CELL.fullmatch(cell.text):
                year = tables.year_of(ctx, row, column)
                listed = _CELL_HEAD.sub("", cell.text)  # "LĐLĐ: thành phố A, huyện B": the list's head
                out += _listed_members(ctx, row.sentence, cluster, _items(mask(listed), ctx.province), year)
    return out


_COUNT_APPOSITION = grammar("members.count-apposition")
_NONE_CELL = grammar("members.none-cell")


def _closes_a_bracket(piece: str) -> bool:
    """True for a comma piece that closes a bracket it did not open ("huyện A)")."""
    return piece.rfind(")") > piece.rfind("(")


def _last_clause(text: str) -> str:
    """The list of units ending `text`: comma pieces read backwards while each names a unit
    ("Năm 2015, Hội CCB các huyện Hải Hà, Đầm Hà và Tiên Yên" -> from "Hội CCB …")."""
    pieces = re.split(r"([,;])", mask(text))
    start = len(pieces) - 1
    if not _items(pieces[start], None):
        return pieces[start]
    while start >= 2 and pieces[start - 1] == "," and not _AT_PLACE.match(pieces[start - 2]):
        if not _items(pieces[start - 2], None) or _closes_a_bracket(pieces[start - 2]):
            break  # "… (xã Trà Tân, huyện A), Công an các tỉnh B, C thuộc Cụm …": an address in brackets
        start -= 2  # "Chiều 23/2, tại hội trường Huyện ủy A, B và C thuộc Cụm …": the meeting's place is none
    return "".join(pieces[start:])


def belonging_units(text: str, province: str | None) -> list[Unit] | None:
    """The units of a subject that ends in a membership clause ("X và Y thuộc Cụm …"), or None
    when `text` has no such clause."""
    m = _pattern("member_of").search(text)
    if m is None:
        return None
    before = grammar("awards.leader-adverb").sub("", text[: m.start()])  # "X cũng là đơn vị dẫn đầu Cụm"
    # "X được suy tôn là đơn vị dẫn đầu Cụm": the vote's passive is no part of X's name
    rated = _RATED_BY.search(before) or _HONOURED_BY.search(before)
    return _items(_last_clause(before[: rated.start()] if rated else before), province)


def _acting_unit(fact: Any) -> bool:
    """A chair or award fact whose holder is a unit (a kind, a body or an agency), not a person."""
    unit = fact.unit if fact.type == "chair" else fact.recipient if fact.type == "award" else None
    return unit is not None and bool(
        getattr(fact, "unit_kind", None) or getattr(fact, "body", None) or is_org(unit)
    )


_GIVEN_TO = re.compile(r"(?<![\w])(?:tặng|trao|cho|khen thưởng)(?![\w])", re.IGNORECASE)


def _belonging(ctx: Context, s: Sentence, facts: list[Any]) -> list[MemberFact]:
    m = _pattern("member_of").search(s.text)
    if m is None:
        return []
    at = s.start + m.end()
    named = next((c for c in ctx.clusters if c.start == at), None)
    cluster = ctx.display(named.name) if named else ctx.cluster_at(at)
    if (
        named is None
        and cluster is not None
        and cluster.split()[0].casefold() != s.text[m.end() :].split(maxsplit=1)[0].strip(".,;:").casefold()
    ):
        return []  # "dẫn đầu khối" where the cluster in force is a Cụm: another bloc, not named
    subject = _last_clause(_COUNT_APPOSITION.sub("", s.text[: m.start()]))  # "A và B – hai đơn vị thuộc …"
    if "dẫn đầu" in m.group(0).casefold():  # "… bầu X là đơn vị dẫn đầu khối thi đua …"
        before = s.text[: m.start()]
        # "X được Sở GD-ĐT xếp loại dẫn đầu khối …", "X được Bộ tặng Cờ, là đơn vị dẫn đầu …": X leads
        rated = _RATED_BY.search(before) or _HONOURED_BY.search(before)
        before = before[: rated.start()] if rated else before
        named_award = grammar("awards.award-noun-end").search(before)  # "tặng cờ dẫn đầu khối …"
        if grammar("members.plural-leaders").search(before):
            return []  # "… cho các đơn vị dẫn đầu cụm, khối": the leaders of many clusters, none named
        if grammar("members.lead-as-reason").search(before):
            # "X đón nhận Cờ thi đua của Y vì đã dẫn đầu Khối": X, the recipient, leads; not the giver Y
            units = _recipients_before(facts, s, before[before.rfind(";") + 1 :])
        else:
            leader = None if named_award else unit_before(before, ctx.province)
            units = [(leader.name, {"unit_kind": leader.kind, "body": leader.body})] if leader else []
    elif _pattern("anaphora").match(subject):
        if _pattern("member_attendance").search(s.text[: m.start()]):
            return []  # "Tham gia hội nghị có …, các cơ quan thuộc khối": guests, not the units just named
        names = [
            (f.unit if f.type == "chair" else f.recipient, f)
            for f in facts
            if _acting_unit(f) and (prev := ctx.sentence_at(f.evidence.start)) and prev.index == s.index - 1
        ]
        units = [(n, {k: getattr(f, k, None) for k in ("unit_kind", "body")}) for n, f in names]
    else:
        # "Ban Tổ chức tặng cờ cho các nhóm … thuộc Khối": what belongs is the groups
        given = list(_GIVEN_TO.finditer(subject))
        subject = subject[given[-1].end() :] if given else subject
        subject = grammar("awards.one-of").sub("", subject)  # "X là một trong năm đơn vị thuộc Khối …": X
        body = grammar("members.bodies-of-places").match(subject)  # "UBND các huyện A, B thuộc Cụm …"
        subject = _PLACES_HEAD.sub("", subject[body.end() :]) if body else subject
        head = body.group(0).strip() if body else None  # each locality's body, as the list's head has it
        units = [
            (u.name, {"unit_kind": u.kind, "body": u.body or head}) for u in _items(subject, ctx.province)
        ]
    stated = "dẫn đầu" not in m.group(0).casefold()  # "Trường dẫn đầu cụm là X": X leads, no anaphor
    if not units and stated and (itself := anaphora.standing_for(ctx, subject)) is not None:
        units = [(itself.name, {"unit_kind": itself.kind, "body": itself.body})]  # "Trường là thành viên …"
    along = grammar("members.companions").search(s.text, m.end(), m.end() + _COMPANIONS_REACH)
    if units and along:  # "A là thành viên khối thi đua số 2 (cùng B, C)": B and C belong with A
        listed = _list_text(mask(along.group("list")), colon=False)
        units += [(u.name, {"unit_kind": u.kind, "body": u.body}) for u in _items(listed, ctx.province, True)]
    return [
        make(
            MemberFact, ctx, s, "members.belonging.v1", 0.8, cluster=cluster, member=name, year=None, **extra
        )
        for name, extra in units
    ]


def _recipients_before(facts: list[Any], s: Sentence, clause: str) -> list[tuple[str, dict[str, Any]]]:
    """The one unit of sentence `s` receiving an award named in `clause`, as (name, unit_kind and body)."""
    in_sentence = [f for f in facts if f.type == "award" and s.start <= f.evidence.start < s.end]
    found = [f for f in in_sentence if _acting_unit(f) and f.recipient in clause]
    names = {f.recipient for f in found}
    if len(names) != 1:
        return []
    f = found[0]
    return [(f.recipient, {"unit_kind": getattr(f, "unit_kind", None), "body": getattr(f, "body", None)})]


# "… cho các đơn vị dẫn đầu cụm, khối thi đua, cụ thể: - Cụm thi đua số 1: thị xã A;": each label's unit
# leads the cluster the label names (ANNOTATION.md: "X dẫn đầu <cụm/khối>" states membership)
_LEADERS_LISTED = re.compile(r"(?<![\w])dẫn đầu\s+(?:các\s+)?(?:cụm|khối)(?![\w])", re.IGNORECASE)
_LABEL_OPENS = re.compile(r"(?:^|[;\n:|])[\s\-–+•*\d.)]*$")
_LABEL_TO_UNIT = re.compile(r"\s*[:|]\s*(?:[^\W\d][\w.]*\s+){0,3}$")


def _labelled_leaders(ctx: Context, facts: list[Any]) -> list[MemberFact]:
    out: list[MemberFact] = []
    awards = [f for f in facts if f.type == "award"]
    for s in {id(x): x for f in awards if (x := ctx.sentence_at(f.evidence.start))}.values():
        lead = ctx.lead_of(s)
        mine = [f for f in awards if s.start <= f.evidence.start < s.end]
        for c in ctx.mentions_in(s):
            at = c.start - s.start
            told = f"{lead.text if lead else ''} {s.text[:at]}"
            if c.partial or not _LEADERS_LISTED.search(told) or not _LABEL_OPENS.search(s.text[:at]):
                continue
            # the label as written ends the name (an enumeration's item spans its list too)
            after = at + len(c.written) if s.text.startswith(c.written, at) else c.end - s.start
            stop = re.compile(r"[;\n]").search(s.text, after)
            item = s.text[after : stop.start() if stop else len(s.text)]
            units = [
                f for f in mine if (i := item.find(f.recipient)) >= 0 and _LABEL_TO_UNIT.fullmatch(item[:i])
            ]
            if len({f.recipient for f in units}) == 1:
                f = units[0]
                extra = {k: getattr(f, k, None) for k in ("unit_kind", "body")}
                cluster = ctx.display(c.name)
                out.append(
                    make(
                        MemberFact,
                        ctx,
                        s,
                        "members.belonging.v1",
                        0.8,
                        cluster=cluster,
                        member=f.recipient,
                        year=None,
                        **extra,
                    )
                )
    return out


@rule("members.belonging.v1")
def belonging(ctx: Context, facts: list[Any]) -> list[MemberFact]:
    """Units said to belong to a cluster ("X và Y thuộc Cụm …"; "Cả hai đơn vị đều thuộc Cụm …"
    pointing back at the recipients and chairs of the sentence before). A unit the article lists as a
    member of another cluster is that cluster's ("dẫn đầu Cụm" read against a guest's cluster named
    last)."""
    found = per_sentence(ctx.gated("members"), lambda s: _belonging(ctx, s, facts))
    found += _labelled_leaders(ctx, facts)
    listed: dict[str, set[str | None]] = {}
    for f in facts:
        if f.type == "member":
            listed.setdefault(f.member, set()).add(f.cluster)
    return [f for f in found if f.member not in listed or f.cluster in listed[f.member]]
