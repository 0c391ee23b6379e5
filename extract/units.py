"""Unit phrases: "UBND huyện Tây Sơn" -> Tây Sơn (huyện, body UBND), agencies kept whole."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract import gazetteer
from extract.lexicon import CAP, alternation, compiled, entries, find_entry, grammar, load, words
from extract.sentences import BULLET

NAME = rf"(?:{CAP}[\w'’]*|\d{{1,2}})(?:[ -](?:{CAP}[\w'’]*|\d{{1,2}}))" + "{0,4}"
_MAX_WORDS = 18


_MASK = str.maketrans({",": "\ue000", "-": "\ue001", "–": "\ue002"})
_UNMASK = str.maketrans(
    {"\ue000": ",", "\ue001": "-", "\ue002": "–", "\ue003": "và", "\ue004": "với", "\ue005": "của"}
)


@lru_cache(maxsize=1)
def _compound() -> re.Pattern[str]:
    """Compound agency names of the data, and gazetteer names holding a dash (Bà Rịa - Vũng Tàu)."""
    dashed = {p.name for places in gazetteer.index().values() for p in places if " - " in p.name}
    places = [{"pattern": r"\s*[–-]\s*".join(re.escape(part) for part in n.split(" - "))} for n in dashed]
    return compiled(words(entries("units", "compound_names") + places))


def mask(text: str) -> str:
    """Hide the commas, dashes and linking words ("và", "với", "của") inside compound agency names
    from list splitting."""
    if not _MASKED.search(text):
        return text
    return _compound().sub(lambda m: _MASKED_WORD.sub(_hidden, m.group(0).translate(_MASK)), text)


_MASKED = re.compile(r"[,–-]|và|với|của")
_MASKED_WORD = re.compile(r"\b(?:và|với|của)\b")
_HIDDEN = {"và": "\ue003", "với": "\ue004", "của": "\ue005"}


def _hidden(m: re.Match[str]) -> str:
    return _HIDDEN[m.group(0)]


def unmask(text: str) -> str:
    """Undo mask()."""
    return text.translate(_UNMASK)


@dataclass(frozen=True)
class Unit:
    """A unit as SCHEMA.md writes it: bare name plus kind, body and province where known."""

    name: str
    kind: str | None = None
    body: str | None = None
    province: str | None = None
    known: bool = False

    def extra(self) -> dict[str, str]:
        """The extra fields a fact carries for this unit (unit_kind, body, province, unit_today)."""
        out = {"unit_kind": self.kind, "body": self.body, "province": self.province}
        if self.known and self.province:
            out["unit_today"] = gazetteer.today(self.name, self.province)
        return {k: v for k, v in out.items() if v}


@lru_cache(maxsize=1)
def _delegation() -> re.Pattern[str]:
    """ "đoàn X", "đội X": a locality's team at a games, the locality itself."""
    entry = next(e for e in entries("units", "item_descriptors") if e["id"] == "doan-dia-phuong")
    return compiled(str(entry["pattern"]))


@lru_cache(maxsize=1)
def _prefix() -> re.Pattern[str]:
    body = alternation(entries("units", "bodies"))
    kind = alternation(entries("units", "kinds"))
    desc = alternation(entries("units", "item_descriptors"))
    return compiled(
        rf"^(?:(?P<desc>{desc})\s*:?\s+)?(?:(?P<body>{body})(?:\s+|$))?(?:(?:các\s+|những\s+)?(?P<kind>{kind})(?:\s+|(?<=\.)|$))?(?P<rest>.*)$"
    )


_NUMBERED = frozenset({"quận", "phường", "khu vực"})
_COUNTED = re.compile(
    r"(?<![\w/])\d+\s+(?:tỉnh|huyện|quận|thị xã|xã|phường|đơn vị|thành viên|cơ quan)(?![\w])", re.IGNORECASE
)


@lru_cache(maxsize=1)
def _person() -> re.Pattern[str]:
    """A person named with an honorific ("Ông Lương Văn A"): never a unit."""
    return compiled(rf"^{words(entries('units', 'person_honorifics'))}\s+(?-i:{CAP})")


@lru_cache(maxsize=1)
def _not_name() -> re.Pattern[str]:
    return compiled(alternation(entries("units", "not_names")))


@lru_cache(maxsize=1)
def _alias() -> list[tuple[re.Pattern[str], str]]:
    return [(compiled(rf"^(?:{e['pattern']})$"), str(e["name"])) for e in entries("units", "aliases")]


@lru_cache(maxsize=1)
def _org_head() -> re.Pattern[str]:
    return compiled(rf"^{words(entries('units', 'org_heads'))}")


@lru_cache(maxsize=1)
def mention() -> re.Pattern[str]:
    """A locality mention: optional body, then a kind and a capitalised name, or a gazetteer name."""
    body = alternation(entries("units", "bodies"))
    kind = alternation(entries("units", "kinds"))
    gaz = gazetteer.name_pattern().pattern
    suffix = alternation(entries("units", "name_suffixes"))
    return re.compile(
        rf"(?<![\w])(?:(?:(?i:{body}))\s+)?"
        rf"(?:(?P<kind>(?i:{kind}))(?:\s+|(?<=\.))(?P<kname>(?:{gaz})(?:\s(?:{suffix})(?![\w]))?|{NAME})"
        rf"|(?P<gname>{gaz}))(?![\w])"
    )


def name_of(m: re.Match[str]) -> str:
    """The name part of a mention() match."""
    return str(m.group("kname") or m.group("gname"))


def name_start(m: re.Match[str]) -> int:
    """Where the name part of a mention() match starts."""
    return m.start("kname") if m.group("kname") else m.start("gname")


def kind_of(word: str | None) -> str | None:
    """The kind a kind word names ("TP" -> thành phố), None for none."""
    if not word:
        return None
    item = find_entry("units", "kinds", word)
    return str(item["kind"]) if item else None


def _implied_kind(body: str | None) -> str | None:
    """The kind a locality's body names by itself: "Thành đoàn" a city, "Huyện ủy" a district."""
    if not body:
        return None
    m = re.fullmatch(r"(thành|thị|huyện|quận|tỉnh)\s+(?:đoàn|ủy)", body.strip().casefold())
    return kind_of({"thành": "thành phố", "thị": "thị xã"}.get(m.group(1), m.group(1))) if m else None


def _body_of(word: str | None) -> str | None:
    if not word:
        return None
    item = find_entry("units", "bodies", word)
    return str(item["name"]) if item else None


def _too_long(phrase: str) -> bool:
    """More words than a unit's name has; a company's legal form spelled out ("Trách nhiệm hữu hạn
    một thành viên") counts as its abbreviation (TNHH MTV)."""
    n = len(phrase.split())
    return n > _MAX_WORDS and len(grammar("units.legal-form").sub("X", phrase).split()) > _MAX_WORDS


def parse(phrase: str, province: str | None = None) -> Unit | None:
    """Parse one unit phrase (a list item, a recipient); None when it names no unit."""
    phrase = grammar("units.venue").sub("", unmask(phrase).strip(" \t,;:.-–()“”\"'"))
    phrase = grammar("units.rank-tail").sub("", phrase)
    if grammar("units.caption-label").match(phrase):  # "(Ảnh: Nga Sơn)" credits a photographer
        return None
    phrase = grammar("units.inner-body").sub("", phrase)  # "CĐCS Công ty A", "Ban CHQS Sở B": the agency
    if ": " in phrase:  # a sub-list's head is not copied onto its first item ("… doanh nghiệp: Công ty A")
        phrase = phrase.rsplit(": ", 1)[1]
    if not phrase or _too_long(phrase) or _not_name().fullmatch(phrase):
        return None
    if phrase.count("(") != phrase.count(")"):  # a piece cut across a bracket names nothing whole
        return None
    address = grammar("units.dash-address").search(phrase)
    if address and is_org(phrase) and _locality_alone(phrase[address.end() :]):
        phrase = phrase[: address.start()]  # "Công ty Cao su X – tỉnh Gia Lai": the company
    if _COUNTED.search(phrase) or grammar("units.plural-group").search(phrase):
        # "Công an 12 quận nội thành", "Công an các tỉnh" name a group, not a unit
        return None
    if grammar("units.located-group").search(phrase):  # "các trường … trên địa bàn tỉnh X": a description
        return None
    if grammar("units.decision-subject").search(phrase):  # a document's issuer and subject
        return None
    if _person().match(phrase) and gazetteer.lookup(phrase, province) is None:  # not "Bà Rịa", "Anh Sơn"
        return None
    for pattern, name in _alias():
        if pattern.match(phrase):
            return Unit(name, "thành phố", None, name, True)
    m = _prefix().match(phrase)
    if m is None:
        return None
    department = _department(phrase, province)
    if department is not None:
        return department
    rest = m.group("rest").strip(" ,.:")
    kind, body = kind_of(m.group("kind")) or _implied_kind(m.group("body")), _body_of(m.group("body"))
    if kind in _NUMBERED and re.fullmatch(r"\d{1,3}", rest):  # numbered urban units keep the word
        return Unit(f"{kind[0].upper()}{kind[1:]} {int(rest)}", kind, body, province, False)
    for pattern, name in _alias() if kind not in _BELOW_CITY else ():  # "phường Sài Gòn" is a ward
        if pattern.match(rest):
            return Unit(name, "thành phố", body, name, True)
    if rest and re.match(CAP, rest):
        place = gazetteer.lookup(rest, province, kind)
        if place is not None:
            return Unit(place.name, kind or place.kind, body, place.province, True)
    delegation = m.group("desc") and _delegation().match(phrase)
    core = phrase[m.end("desc") :].lstrip() if delegation else phrase  # "đoàn X": X's delegation, X
    if is_org(core) and (not kind or not rest or not re.fullmatch(NAME, rest)):
        if not re.search(rf"{CAP}|\d", core):  # "trường học", "các cơ quan": a common noun
            return None
        return _agency(core, province)
    if not rest or not re.match(CAP, rest):
        return None
    if kind and re.fullmatch(NAME, rest):
        if _a_persons_name(rest) and kind not in _COMMUNES:
            return None  # "… tỉnh Trần Văn Hùng": an official's name after his unit (communes and wards
            # are often named for people: "phường Trần Hưng Đạo", "xã Kim Song Trường")
        return Unit(rest, kind, body, province if kind != "tỉnh" else rest, False)
    dashed = re.fullmatch(rf"{NAME}\s[–-]\s(?P<old>{NAME})", rest)
    if dashed and (kind or gazetteer.lookup(dashed.group("old"))):
        return Unit(rest, kind, body, province, False)  # post-2025 wards: "phường Xuân Hương - Đà Lạt"
    caption = rest.isupper() and " " in rest and not kind and not body  # "THÀNH TÍCH", not an acronym (THACO)
    if re.fullmatch(NAME, rest) and len(rest.split()) <= 4 and not caption:
        return Unit(rest, kind, body, province, False)
    return None


def _province_level(place: gazetteer.Place) -> bool:
    """The province itself, not a district-level city of the same name (Bắc Kạn, Quảng Trị)."""
    return place.name == place.province and (
        place.kind == "tỉnh" or len(gazetteer.index()[place.name.casefold()]) == 1
    )


def _agency(phrase: str, province: str | None) -> Unit:
    """An agency under its own name; one that names another province than the article's ("Sở Văn hóa
    tỉnh Bà Rịa - Vũng Tàu" in a cluster of several provinces) stands for that province, unless it is
    a member in its own right (a bank's branch, a company, a school)."""
    tail = _province_tail().search(phrase)
    if (
        in_own_right(phrase)
        or grammar("units.sub-unit-of-body").search(phrase)  # "Phòng … Công an tỉnh X": not X's force
        or (tail and re.search(r"(?<![\w])tại\s*$", phrase[: tail.start()]))
    ):
        tail = None  # a bank's branch, a company; "… cấp cao tại thành phố X" is located there, not X's
    if tail and tail.start() > 0 and gazetteer.is_province(tail.group("p")) and tail.group("p") != province:
        name = tail.group("p")
        return Unit(name, "tỉnh", _tidy(phrase[: tail.start()]), name, True)
    return Unit(_tidy(phrase), None, None, province, False)


@lru_cache(maxsize=1)
def _province_tail() -> re.Pattern[str]:
    return compiled(rf"\s(?:tỉnh|thành phố|tp\.?)\s+(?P<p>{gazetteer.name_pattern().pattern})\s*$")


@lru_cache(maxsize=1)
def _bare() -> re.Pattern[str]:
    """A body and a kind without a name ("UBND huyện")."""
    body, kind = alternation(entries("units", "bodies")), alternation(entries("units", "kinds"))
    return compiled(rf"\s*(?:{body})?\s*(?:{kind})?\s*")


@lru_cache(maxsize=1)
def _governing() -> re.Pattern[str]:
    """A body that governs its locality (UBND, HĐND, the Party committee) at the start of a phrase."""
    items = [e for e in entries("units", "bodies") if e.get("name") in {"UBND", "HĐND", "cấp ủy"}]
    return compiled(rf"\s*(?:{alternation(items)})")


@lru_cache(maxsize=1)
def _title() -> re.Pattern[str]:
    """An official's title at the start of a phrase (data/titles.yaml)."""
    return compiled(rf"^{words(entries('titles', 'titles'))}\s+")


@lru_cache(maxsize=1)
def _dash_before_title() -> re.Pattern[str]:
    """A dash written without a space before it between a name and a title, or at the end ("Văn B-Phó
    Tổng Biên tập Báo X-", "Văn C– Phó Viện trưởng"): it separates them as " - " does."""
    return compiled(rf"(?<=\w)[–-]\s*(?={words(entries('titles', 'titles'))}\s)|(?<=\w)[–-]\s*$")


@lru_cache(maxsize=1)
def _committee() -> re.Pattern[str]:
    committees = alternation(entries("units", "party_committees"))
    # "Ban Dân vận Quận ủy các quận 1, 3": the first item of a list of the committees' places
    plural = r"(?:(?:các|những)\s+(?:quận|huyện|thị xã|thành phố|tỉnh)\s+)?"
    return compiled(rf"^(?P<body>\S.*?\s(?P<c>{committees}))\s+{plural}(?P<name>(?:{CAP}|\d).*)$")


def _department(phrase: str, province: str | None) -> Unit | None:
    """A department of a locality's Party committee: "Ban Dân vận Huyện ủy Phú Lương" -> Phú Lương."""
    m = _committee().match(phrase)
    if m is None:
        return None
    item = find_entry("units", "party_committees", m.group("c"))
    kind = str(item["kind"]) if item else None
    numbered = re.fullmatch(r"(?:(?i:quận)\s+)?(\d{1,3})", m.group("name").strip())
    if numbered and kind == "quận":  # "Ban Tuyên giáo Quận ủy Quận 9": a numbered unit keeps its word
        return Unit(f"Quận {int(numbered.group(1))}", kind, m.group("body"), province, False)
    place = gazetteer.lookup(m.group("name"), province, kind)
    if place is None:
        return None
    return Unit(place.name, kind, m.group("body"), place.province, True)


def starts_unit(text: str) -> bool:
    """True when `text` starts with an agency head, a kind, a body or a gazetteer name."""
    text = text.strip()
    if is_org(text) or mention().match(text) or any(p.match(text) for p, _ in _alias()):
        return True
    union = grammar("units.union-of-org").match(text)
    if union and union.end() < len(text) and starts_unit(text[union.end() :]):
        return True  # "CĐCS Xí nghiệp Chế biến gỗ Tam An": the union of a unit
    m = _prefix().match(text)
    return bool(m and (m.group("kind") or m.group("body") or m.group("desc")))


@lru_cache(maxsize=1)
def _own_right() -> re.Pattern[str]:
    """A member in its own right at the start, or joined to another body by "và"."""
    marked = [e for e in entries("units", "org_heads") if e.get("own_right")]
    heads = words(entries("units", "own_right_heads") + marked)
    return compiled(rf"^{heads}|\svà\s+{heads}")


def in_own_right(name: str) -> bool:
    """True when the name starts like a member in its own right (company, bank, school, newspaper,
    hospital), or joins another body to one ("Đài Phát thanh - Truyền hình và Báo Bình Phước")."""
    return bool(_own_right().search(name))


def bare_head(name: str) -> bool:
    """True when the name is a generic agency word and nothing else ("Tổng công ty", "Sở"): no unit."""
    return bool(grammar("units.generic-head").fullmatch(name.strip()))


def is_org(name: str) -> bool:
    """True when the name starts like an agency, association or company."""
    return bool(_org_head().match(name))


def _tidy(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" ,;:./")


@lru_cache(maxsize=1)
def _starts() -> re.Pattern[str]:
    return compiled(rf"(?:^|[,;:(]|\s[–-]\s|{words(entries('units', 'phrase_starts'))})\s*")


@lru_cache(maxsize=1)
def _aux() -> re.Pattern[str]:
    return compiled(str(load("units")["trailing_aux"]))


@lru_cache(maxsize=1)
def bracket_abbreviation() -> re.Pattern[str]:
    """An abbreviation in brackets inside a name ("Cục Quản lý thị trường (QLTT) tỉnh X")."""
    return compiled(str(load("units")["bracket_abbreviation"]))


@lru_cache(maxsize=1)
def _org_end() -> re.Pattern[str]:
    heads = alternation(entries("units", "org_heads")) + "|" + alternation(entries("units", "kinds"))
    return compiled(str(load("units")["org_end"]).replace("{heads}", heads))


def _named_person_dropped(segment: str, province: str | None) -> str:
    """A head's unit without the head's name after it ("UBND phường Hạc Thành Mai Văn Xuân" ->
    "UBND phường Hạc Thành"): cut where a surname of the lexicon starts a capitalised run of three
    or four words ending the segment, when the rest still names a unit."""
    whole = parse(segment, province)
    if whole is not None and whole.known:
        return segment
    words_ = segment.split()
    cuts = []
    for i in range(1, len(words_) - 1):
        rest = words_[i:]
        if words_[i] in _surnames() and 3 <= len(rest) <= 4 and all(re.match(CAP, w) for w in rest):
            if gazetteer.lookup(" ".join(rest)) is not None:
                continue  # "… Thành phố Hồ Chí Minh": a place named for a person ends the unit's name
            if compiled(str(load("units")["named_for_a_person_head"])).search(" ".join(words_[:i])):
                continue  # "Trường Chính trị Nguyễn Văn Cừ": a school named for a person
            head = grammar("units.union-of-org").sub("", " ".join(words_[:i]), count=1)  # "CĐCS Công ty A"
            if in_own_right(head) and any(
                gazetteer.lookup(" ".join(rest[k : k + 2])) is not None for k in range(len(rest) - 1)
            ):
                continue  # "Công ty CP May Thái Bình Xanh": a company's name holding a place's
            unit = parse(" ".join(words_[:i]), province)
            if unit is not None:
                cuts.append((not unit.known, i))
    # "UBND quận Hoàng Mai Nguyễn Minh Tâm": Mai is a surname too; a cut leaving a known place wins
    return " ".join(words_[: min(cuts)[1]]) if cuts else segment


def _a_persons_name(words_: str) -> bool:
    """Three or four capitalised words opened by a surname of the lexicon that no place is called."""
    parts = words_.split()
    return 3 <= len(parts) <= 4 and parts[0] in _surnames() and gazetteer.lookup(words_) is None


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return frozenset(str(e["text"]) for e in entries("names", "surnames"))


def unit_before(text: str, province: str | None = None, titled: bool = False) -> Unit | None:
    """The unit named at the very end of `text` (the subject of a following verb). With `titled`,
    an official's title before it is read through ("Viện trưởng VKSND tỉnh Cà Mau" -> Cà Mau). A
    locality written after a comma or a dash as the address of a smaller unit ("Hội Nông dân xã A,
    huyện B", "TAND khu vực 15 - TP.HCM") or of an agency ("HTX Phú Lộc, xã Tân Hòa") gives way to it."""
    unit = _unit_at_end(text, province, titled)
    stripped = text.rstrip(" –-,")
    # the last comma or dash that a locality's kind word follows ("… – tỉnh Bà Rịa – Vũng Tàu")
    cut = [c for c in re.finditer(r",|\s[–-]\s", stripped) if _locality_alone(stripped[c.end() :])]
    if unit is None or not unit.kind or not cut:
        return unit
    inner = _unit_at_end(stripped[: cut[-1].start()], province, titled)
    if inner is None:
        return unit
    # "HTX Phú Lộc, xã Tân Hòa", "Trường THCS A, huyện B": the locality is the agency's address too
    return inner if inner.kind in _WITHIN.get(unit.kind, ()) or is_org(inner.name) else unit


def is_address(unit: Unit, before: Unit | None) -> bool:
    """True when `unit` is the larger locality written after a smaller one as its address
    ("xã Mỹ Lạc, huyện Thủ Thừa": the district)."""
    return before is not None and unit.kind in _WITHIN and before.kind in _WITHIN[unit.kind]


_COMMUNES = ("xã", "phường", "đặc khu", "thị trấn", "khu vực")
_BELOW_CITY = (*_COMMUNES, "huyện", "quận", "thị xã")  # kinds a city's other name cannot be
# The kinds of locality found within each kind: an address names the larger after the smaller.
_WITHIN = {
    "huyện": _COMMUNES,
    "quận": _COMMUNES,
    "thị xã": _COMMUNES,
    "thành phố": _COMMUNES,
    "tỉnh": (*_COMMUNES, "huyện", "quận", "thị xã", "thành phố"),
}


def _locality_alone(text: str) -> bool:
    """True when `text` is a locality's kind word and its name alone ("huyện Kiên Lương", "tỉnh Bà Rịa
    – Vũng Tàu": a known name may hold a dash), no body before it."""
    if _kind_start().match(text):
        return True
    if not _KIND_ALONE.match(text):
        return False
    unit = parse(text)
    return unit is not None and unit.known and unit.kind is not None and not unit.body


@lru_cache(maxsize=1)
def _kind_start() -> re.Pattern[str]:
    """A locality's kind word and its name alone ("huyện Kiên Lương"), no body before it."""
    return compiled(rf"^\s*(?:{alternation(entries('units', 'kinds'))})(?:\s+|(?<=\.)){NAME}\s*$")


_ROW_NUMBER = re.compile(rf"^\s*\d{{1,3}}\s+(?={CAP})")
_HELD_TOO = re.compile(r"\s*kiêm\s+")  # a second post the same official holds
_KIND_ALONE = re.compile(r"\s*(?:tỉnh|thành phố|huyện|quận|thị xã)\s*")


_AREA_BEFORE_DASH = grammar("units.area-before-dash")


def _org_name_end(text: str) -> re.Match[str] | None:
    """Where an agency's name opening `text` ends; a dash between the two places of one area ("Chi
    cục Thuế khu vực Long Thành – Nhơn Trạch") ends nothing."""
    end = _org_end().search(text, 1)
    while (
        end is not None
        and end.group(0).strip() in "–-"
        and text[end.end() : end.end() + 1].isupper()  # "khu vực XIX – đơn vị Khối trưởng": a note
        and _AREA_BEFORE_DASH.search(text, 0, end.start())
    ):
        end = _org_end().search(text, end.end())
    return end


def _unit_at_end(text: str, province: str | None, titled: bool) -> Unit | None:
    text = grammar("units.former-name").sub("", text)  # "A (trước đây là B)": A
    text = mask(_aux().sub("", _dash_before_title().sub(" - ", text).rstrip(" –-,")))
    text = bracket_abbreviation().sub("", text)
    starts = [m for m in _starts().finditer(text) if m.end() < len(text)]
    i = len(starts) - 1
    while i > 0 and (
        (_and(starts[i]) and not _opens(text[starts[i].end() :], titled)) or _located_branch(text, starts, i)
    ):
        i -= 1
    while i > 0 and _dash(starts[i]) and _AREA_BEFORE_DASH.search(text, 0, starts[i].start()):
        i -= 1  # "Chi cục Thuế khu vực Long Thành – Nhơn Trạch": one area named by two places
    if i > 0 and _dash(starts[i]) and _placed(text[starts[i].end() :]):
        company = _unit_at_end(text[: starts[i].start()], province, titled)
        if company is not None and in_own_right(company.name):  # "Cao su Đồng Phú – Đăk Nông"
            return Unit(f"{company.name}{unmask(text[starts[i].start() :]).rstrip()}")
    segment = text[starts[i].end() :].strip() if starts else text.strip()
    segment = BULLET.sub("", segment, count=1)  # "* Báo Đà Nẵng được tặng …": the newspaper, not the city
    segment = _ROW_NUMBER.sub("", segment, count=1)  # "1 Công ty Điện lực X (khối trưởng)": a table's row
    segment = grammar("units.venue").sub("", segment)  # "tại cơ quan Tỉnh đoàn X (đơn vị …)"
    segment = grammar("units.representative").sub("", segment)  # "năm 2022 đơn vị X làm Trưởng khối"
    title = _title().match(segment) if titled else None
    joined = _HELD_TOO.match(segment, title.end()) if title else None
    if joined and (second := _title().match(segment[joined.end() :])):
        segment, title = segment[joined.end() :], second  # "Chủ tịch kiêm Giám đốc Công ty X": X's title
    if title:
        segment = _named_person_dropped(_with_unit_head(title.group(0), segment[title.end() :]), province)
        if _bare().fullmatch(segment):  # "Chủ tịch UBND huyện": the unit is named elsewhere
            # "Hiệu trưởng Trường Chính trị tỉnh" in a one-province article: the agency as written
            return None if _governing().match(segment) else parse(segment, province)
    if "\ue001" in segment or "\ue002" in segment:
        unit = parse(segment, province)
        if unit is not None:
            return unit
    union = grammar("units.union-of-org").match(segment)  # "CĐCS Công ty A": the company's union
    if is_org(segment) or (union is not None and is_org(segment[union.end() :])):
        end = _org_name_end(segment)
        branch = grammar("members.branch-head").match(segment)
        if end is not None and end.group(0).strip() == "tại" and branch:
            end = _org_end().search(segment, end.end())  # "Trung tâm Văn hóa Việt Nam tại Lào"
        unit = parse(segment[: end.start()] if end else segment, province)
        if unit is not None:
            return unit
    tail = None
    for m in mention().finditer(text):
        if m.end() >= len(text) - 1:
            tail = m
    if tail is not None:
        if _inside_person_name(text[: tail.start()]):  # "ông Bùi Hoàng Mai" names a person, not Hoàng Mai
            return None
        if tail.group("gname") and _ends_in_given_names(text[: tail.start()]):
            return None  # "… Tỉnh ủy Trần Xuân Vinh": a bare place name ending a person's name
        if compiled(str(load("units")["named_for_a_person"])).search(text[: tail.end()]):
            return None  # "Lăng Chủ tịch Hồ Chí Minh"
        return parse(tail.group(0), province)
    return parse(segment, province)


def _located_branch(text: str, starts: list[re.Match[str]], i: int) -> bool:
    """ "tại X" after a branch's or a centre's head is part of its name ("Trung tâm Văn hóa Việt Nam
    tại Lào"), not the place the unit is at."""
    if starts[i].group(0).strip().lower() != "tại":
        return False
    return bool(grammar("members.branch-head").match(text[starts[i - 1].end() : starts[i].start()]))


def _and(start: re.Match[str]) -> bool:
    return start.group(0).strip().lower() == "và"


def _dash(start: re.Match[str]) -> bool:
    return start.group(0).strip() in {"–", "-"}


def _placed(after: str) -> bool:
    """True when the words after a dash are one or two capitalised words, a place a company's name
    may end with ("Công ty TNHH Cao su Phước Hòa – ĐakLak"), or a branch in a place ("Ngân hàng … Việt
    Nam - Chi nhánh tỉnh Tây Ninh")."""
    return bool(
        re.fullmatch(rf"\s*{CAP}\w*(?:\s+{CAP}\w*)?\s*", after)
        or grammar("units.branch-in-place").fullmatch(after)
    )


def _opens(text: str, titled: bool) -> bool:
    """True when the words after "và" begin a unit, or (`titled`) an official's title before one."""
    text = grammar("units.representative").sub("", text)  # "và đơn vị Phòng PC07 làm Khối phó"
    return starts_unit(text) or (titled and _title().match(text) is not None)


def _with_unit_head(title: str, rest: str) -> str:
    """The unit after a title that ends with its head ("Phó Trưởng Ban" + "Tổ chức Tỉnh ủy" ->
    "Ban Tổ chức Tỉnh ủy"); other titles leave it as it is."""
    item = find_entry("titles", "titles", title.strip())
    head = item.get("unit_head") if item else None
    written = head and re.match(rf"\s*{head}(?![\w])", rest, re.IGNORECASE)  # "… Thường trực Ban Tuyên giáo"
    # "Giám đốc Công an tỉnh": the head and a bare kind, the province's agency as written
    named = re.match(CAP, rest) or _KIND_ALONE.fullmatch(rest)
    return f"{head} {rest}" if head and named and not written else rest


def _inside_person_name(before: str) -> bool:
    """True when `before` ends with an honorific and up to two capitalised words: the place
    mention that follows is the end of a person's name."""
    return bool(_person_prefix().search(before))


def _ends_in_given_names(before: str) -> bool:
    """True when `before` ends with a surname of the lexicon and one or two capitalised words, with no
    stop between them and the end ("… Hà Nội: Thường Tín" ends in no person's name)."""
    words_ = re.split(r"[,:;.()]", before)[-1].split()[-3:]
    for i in range(max(0, len(words_) - 3), len(words_) - 1):
        if words_[i] in _surnames() and all(re.match(CAP, w) for w in words_[i:]):
            return True
    return False


@lru_cache(maxsize=1)
def _person_prefix() -> re.Pattern[str]:
    return compiled(rf"{words(entries('units', 'person_honorifics'))}\s+(?-i:(?:{CAP}\w*\s+){{1,2}})$")


def unit_after(text: str, province: str | None = None) -> Unit | None:
    """The unit named at the start of `text` (up to a delimiter or verb)."""
    text = mask(text)
    text = grammar("units.representative").sub("", text.lstrip(" :–-"))
    text = bracket_abbreviation().sub("", text)
    if is_org(text):
        end = _org_name_end(text)
        unit = parse(_aux().sub("", text[: end.start()] if end else text), province)
        if unit is not None:
            return unit
    m = mention().match(text)
    if m is not None:
        return parse(m.group(0), province)
    stop = _starts().search(text, 1)
    return parse(text[: stop.start()] if stop else text, province)
