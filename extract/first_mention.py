"""One written form per agency in an article: ANNOTATION.md keeps an agency's, company's or
association's name as its first mention writes it, whatever later sentences call it."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from corpus import textkeys
from extract import gazetteer
from extract.facts import fold
from extract.lexicon import alternation, entries, grammar
from extract.models import UNIT_FIELDS

_SHORT_FORMS = ((re.compile(r"\s*&\s*"), " và "), (re.compile(r"\bptnt\b"), "phát triển nông thôn"))
_KIND_TAIL = re.compile(r"\s+(?:tỉnh|huyện|thành phố|thị xã|quận)$")
_LEGAL_TAIL = re.compile(
    r"\s*[–-]\s*(?:công ty\s+)?(?:tnhh|cổ phần)(?:\s+(?:mtv|một thành viên|hai thành viên))?$"
)
# a company's legal form inside its name, which later mentions leave out (folded text)
_LEGAL_FORM = re.compile(
    r"(?<=^công ty)(?:\s+(?:tnhh|mtv|cp|cổ phần|một thành viên|hai thành viên|nn|nhà nước))+(?=\s)"
)
_INITIALISM = re.compile(r"(?![IVXL]+$)[A-ZĐ][A-ZĐƯ&,-]*[A-ZĐƯ]")  # a Roman numeral ("Cục IV") is none


@lru_cache(maxsize=1)
def _school_head() -> re.Pattern[str]:
    """The word "Trường" before a school's level written short (units.yaml `org_heads` `truong-viet-tat`)."""
    short = next(e for e in entries("units", "org_heads") if e["id"] == "truong-viet-tat")
    return re.compile(rf"^Trường\s+(?={short['pattern']})", re.IGNORECASE)


@lru_cache(maxsize=1)
def _written_forms() -> list[tuple[re.Pattern[str], str]]:
    """units.yaml `written_forms`: an agency's written forms and the one each folds to."""
    return [(re.compile(str(e["pattern"])), str(e["form"])) for e in entries("units", "written_forms")]


@lru_cache(maxsize=8192)
def variant_key(name: str) -> str:
    """A name with its written variants folded: '&' for 'và', 'PTNT', a bank's or a service's
    brand, a branch's "chi nhánh", a trailing bare kind, a company's legal form after a dash
    ("Tổng Công ty X – Công ty TNHH Một thành viên"), "Trường" before a school's level written
    short ("Trường THPT Lê Lợi" is "THPT Lê Lợi")."""
    key = fold(_school_head().sub("", name))
    for short, long in _SHORT_FORMS:
        key = short.sub(long, key)
    key = _LEGAL_FORM.sub(" ", key)  # "Công ty TNHH MTV Lâm nghiệp X", later "Công ty Lâm nghiệp X"
    for written, form in _written_forms():  # "Ngân hàng Nông nghiệp và PTNT chi nhánh X", later "Agribank X"
        key = written.sub(form, key)
    return _LEGAL_TAIL.sub("", _KIND_TAIL.sub("", re.sub(r"\s+", " ", key).strip()))


def abbreviates(short: str, full: str) -> bool:
    """True when `short` writes `full` with initialisms for some of its words ("Hội KH Lịch sử
    Việt Nam" for "Hội Khoa học Lịch sử Việt Nam", "Quỹ BV&PTR" for "Quỹ Bảo vệ và Phát triển
    rừng"); the first word, the head, is written out in both."""
    shorts, fulls = short.split(), full.split()
    if len(shorts) >= len(fulls) or textkeys.fold(shorts[0]) != textkeys.fold(fulls[0]):
        return False
    at = 0
    for token in shorts:
        if at < len(fulls) and textkeys.fold(token) == textkeys.fold(fulls[at]):
            at += 1
            continue
        if not _INITIALISM.fullmatch(token):
            return False
        for letter in token:
            if letter == ",":  # "VH,TT&DL": "Văn hóa, Thể thao và Du lịch"
                continue
            if letter == "-":  # "LĐ-TB&XH": "Lao động - Thương binh và Xã hội"
                at += at < len(fulls) and fulls[at] in ("-", "–")
                continue
            if at >= len(fulls):
                return False
            wanted = "va" if letter == "&" else textkeys.fold(letter)
            word = textkeys.fold(fulls[at])
            if (word != "va") if letter == "&" else not word.startswith(wanted):
                return False
            at += 1
    return at == len(fulls)


def written_out(name: str, text: str) -> str | None:
    """The article's earlier form of `name` with its initialisms written out, if any: each initial
    the first letter of a word ("TƯ" -> "Trung ương", "W" standing for "ương" as in "TW", "&" for
    "và"); the head word and the other words as they stand."""
    tokens = name.split()
    if len(tokens) < 2 or not any(_INITIALISM.fullmatch(t) for t in tokens[1:]):
        return None
    parts = [re.escape(tokens[0])]
    for token in tokens[1:]:
        if _INITIALISM.fullmatch(token):
            words = r"\s+".join(_INITIAL_WORD.get(c, f"[{c}{c.lower()}]\\w*") for c in token)
            parts.append(rf"{words}(?:\s*\(\s*{re.escape(token)}\s*\))?")  # "Hợp tác xã (HTX)"
        else:
            parts.append(re.escape(token))
    spaced = r"\s+".join(parts)
    full = re.search(rf"(?<![\w]){spaced}(?![\w])", text)
    first = text.find(name)
    if full is None or (0 <= first < full.start()):
        return None
    if any(_INITIALISM.fullmatch(t) and t in full.group(0).split() for t in tokens[1:]):
        return None  # "VTC tổ chức": the initialism itself and the words after it, nothing written out
    return " ".join(_GLOSS.sub("", full.group(0)).split())


_GLOSS = re.compile(r"\s*\([^()]*\)")
_INITIAL_WORD = {"&": "và", "Đ": "[Đđ]\\w*", "W": "[ƯưUu]\\w*", "Ư": "[Ưư]\\w*"}


def same_agency(a: str, b: str, province: str | None = None) -> bool:
    """True when two written forms name one agency: their variants fold alike, one abbreviates
    the other, or one is the other with the name of the article's one province after it ("Cục
    Thuế Quảng Ninh", later "Cục Thuế tỉnh" or "Cục Thuế"; a digest of several provinces has none)."""
    if variant_key(a) == variant_key(b):
        return True
    short, long = sorted((a, b), key=len)
    bare_short, bare_long = (_KIND_TAIL.sub("", n) for n in (short, long))  # "Liên hiệp các Hội KH&KT tỉnh"
    if abbreviates(bare_short, bare_long):
        return True
    return _with_province(variant_key(short), variant_key(long), province)


def _with_province(short: str, long: str, province: str | None) -> bool:
    """True when `long` is `short` (an agency's head and at least one more word) followed by
    `province`'s name, with or without "tỉnh" / "thành phố" (folded keys)."""
    if province is None or len(short.split()) < 2 or not long.startswith(short + " "):
        return False
    tail = re.sub(r"^(?:tỉnh|thành phố|tp\.?)\s+", "", long[len(short) + 1 :])
    place = gazetteer.lookup(tail, province)
    return place is not None and place.province == province and gazetteer.is_province(tail)


def as_first_written(
    facts: list[Any], is_agency: Callable[[str], bool], text: str, province: str | None = None
) -> list[Any]:
    """Every member, chair and award recipient that names an agency takes the form of the
    agency's first mention among the article's facts (in text order); a name with initialisms the
    article wrote out before it first abbreviates them ("Văn phòng Trung ương Đảng", later "Văn phòng
    TƯ Đảng") takes the written-out form; a name the article defines with its short form in brackets
    ("Công ty Cổ phần Cấp nước Vị Thanh (CNVT)") and the short form are one agency, written as the
    article first writes either."""
    facts = _as_defined(facts, is_agency, text)
    for fact in facts:
        name = _agency_name(fact, is_agency)
        full = written_out(name, text) if name else None
        if full is not None:
            setattr(fact, UNIT_FIELDS[fact.type], full)
    named = [
        (f.evidence.start, n, f, name) for n, f in enumerate(facts) if (name := _agency_name(f, is_agency))
    ]
    if len(named) < 2:
        return facts
    firsts: list[str] = []
    for _, _, fact, name in sorted(named, key=lambda item: (item[0], item[1])):
        first = next((f for f in firsts if same_agency(f, name, province)), None)
        if first is None:
            firsts.append(name)
        elif first != name:
            setattr(fact, UNIT_FIELDS[fact.type], first)
    return facts


_SHORT_FORM = re.compile(r"(?-i:[A-ZĐ][\wĐ&.-]*(?:\s+[A-ZĐ][\wĐ&.-]*){0,3})")
_SHORT_FORM_LONGEST = 20
_BRAND = re.compile(r"[A-ZĐ][a-zđ]{4,}")


def _short_form(inner: str) -> bool:
    """True for a bracket's short name of an agency: up to four capitalised words, one of them written
    in capitals, no longer than twenty characters ("CNVT", "Ban QLDA GT", "LM HTX", "HEPZA")."""
    inner = inner.strip()
    capitals = sum(c.isupper() for c in inner)
    # a word of capitals at least: "(Nam Trà My)", a locality in brackets, is an address, no short form;
    # a brand of one word is one too ("Tập đoàn Công nghiệp - Viễn thông Quân đội (Viettel)")
    initials = any(sum(c.isupper() for c in word) >= 2 for word in inner.split())
    return (
        len(inner) <= _SHORT_FORM_LONGEST
        and _SHORT_FORM.fullmatch(inner) is not None
        and ((capitals >= 2 and initials) or _brand(inner))
    )


def _brand(inner: str) -> bool:
    """One capitalised word of five letters or more that names no place ("Viettel", "Petrovietnam")."""
    return bool(_BRAND.fullmatch(inner)) and gazetteer.lookup(inner) is None


def _as_defined(facts: list[Any], is_agency: Callable[[str], bool], text: str) -> list[Any]:
    """Facts naming an agency by the full name the article gives its short form to ("A (AB)"), or by
    that short form, all take whichever of the two the article writes first (ANNOTATION.md: the
    first mention's form)."""
    names = {name for f in facts if (name := _agency_name(f, is_agency))}
    pairs: dict[str, str] = {}
    for name in names:
        for m in re.finditer(rf"(?<![\w]){re.escape(name)}\s*\(([^()]{{1,30}})\)", text):
            if _short_form(m.group(1)):
                pairs[name] = m.group(1).strip()
                break
    for name in names - set(pairs.values()):
        # the name is itself the short form a bracket gives an agency named only there ("tại hội trường
        # Công ty Xăng dầu Nghệ An (Petrolimex Nghệ An/Công ty)"): that agency, written out
        for m in re.finditer(rf"\(\s*{re.escape(name)}\s*(?:[/;,][^()]{{0,30}})?\)", text):
            full = _named_before(text[max(0, m.start() - _BEFORE_BRACKET) : m.start()], is_agency)
            if full is not None and full != name and _brand_for(name, full):
                pairs[full] = name
                break
    if not pairs:
        return facts
    fulls: dict[str, list[str]] = {}
    for full, short in sorted(pairs.items()):
        fulls.setdefault(short, []).append(full)
    chosen: dict[str, str] = {}
    for short, named in fulls.items():
        # a short form in brackets after several names ("Ngân hàng Nhà nước Việt Nam (NHNN)", "Vụ Tín dụng
        # (NHNN)", the parent's): the one whose words it abbreviates, else none of them
        if len(named) > 1:
            named = [full for full in named if _initials(full).startswith(_initials(short))][:1]
        for full in named:
            at_full, at_short = _first_at(full, text), _first_at(short, text)
            form = short if at_short < at_full else full
            chosen[full] = chosen[short] = form
    for fact in facts:
        field = UNIT_FIELDS.get(fact.type)
        name = getattr(fact, field, None) if field else None
        if isinstance(name, str) and name in chosen and field:  # the short form may be no agency's shape
            setattr(fact, field, chosen[name])
    return facts


_BEFORE_BRACKET = 160


def _brand_for(short: str, full: str) -> bool:
    """True for a brand standing for an agency of one place ("Petrolimex Nghệ An" for "Công ty Xăng dầu
    Nghệ An"): a brand word opens it, it has four words at most and ends as the full name does (a
    bracket holding a parent, "Ban Thi đua – Khen thưởng (Sở Nội vụ)", is none)."""
    words = short.split()
    return len(words) <= 4 and _brand(words[0]) and words[-1] == full.split()[-1]


def _named_before(before: str, is_agency: Callable[[str], bool]) -> str | None:
    """The agency named right before a bracket: the longest run of its last words that starts with a
    capital and names an agency, a company's office standing for the company ("… tại hội trường Văn
    phòng Công ty Xăng dầu Nghệ An" -> "Công ty Xăng dầu Nghệ An")."""
    words = before.rstrip().split(" ")
    found = None
    for n in range(1, min(len(words), 24) + 1):
        run = " ".join(words[-n:])
        if re.search(r"[,.;:()“”\"]", run):
            break
        if run[:1].isupper() and is_agency(run):
            found = run  # the longest: "Ngân hàng X Chi nhánh Y", not "Chi nhánh Y"
    # "hội trường Văn phòng Công ty X (Petrolimex X)": the company, not its office
    return grammar("units.office-of").sub("", found) if found else None


def _initials(name: str) -> str:
    """A name's initials, folded ("Ngân hàng Nhà nước Việt Nam" -> "nhnnvn"); a word in capitals gives
    all its letters ("NHNN" -> "nhnn")."""
    return "".join(w if w.isupper() else w[:1] for w in name.split()).casefold()


def _first_at(name: str, text: str) -> int:
    found = re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text)
    return found.start() if found else len(text)


_UNION_OF_COMPANY = grammar("awards.union-of-company")  # "CĐCS Seojin Vina": the company's union


def _agency_name(fact: Any, is_agency: Callable[[str], bool]) -> str | None:
    field = UNIT_FIELDS.get(fact.type)
    name = getattr(fact, field, None) if field else None
    return name if isinstance(name, str) and (is_agency(name) or _UNION_OF_COMPANY.match(name)) else None


@lru_cache(maxsize=1)
def _school_level() -> re.Pattern[str]:
    """A school's head and level before its name: "Trường THPT ", "THCS ", "Trường Tiểu học ", "trường "."""
    short = next(e for e in entries("units", "org_heads") if e["id"] == "truong-viet-tat")
    levels = "Trung học phổ thông|Trung học cơ sở|Tiểu học|Mầm non|Mẫu giáo"
    # "trường Duy Tân" after "các trường THPT: Duy Tân, …": the head alone, its level left off too
    headed = rf"^(?:Trường\s+)?(?:{short['pattern']}|(?<=Trường )(?:{levels})\s)\s*"
    return re.compile(rf"{headed}|^(?-i:trường)\s+(?=\S)", re.IGNORECASE)


def _listed_head(name: str) -> re.Match[str] | None:
    """The head a list leaves off its items ("Trường THPT ", "Phòng ", "HTX "), at the start of `name`."""
    return _school_level().match(name) or grammar("units.listed-head").match(name)


def as_listed_bare(facts: list[Any]) -> list[Any]:
    """A unit first listed bare under its head ("các trường THPT: Lê Lợi, Quang Trung", "gồm các phòng:
    PC02, PC03", "7 HTX: Song An, Việt Hùng") keeps that form when a later chair, award or membership
    names it with its head ("Trường THPT Lê Lợi làm Cụm trưởng" -> Lê Lợi, "Phòng PC03" -> PC03):
    ANNOTATION.md writes a unit as its first mention does and copies no list head."""
    listed: dict[str, tuple[int, str]] = {}
    for f in facts:
        if f.type == "member" and not _listed_head(f.member):
            listed.setdefault(fold(f.member), (f.evidence.start, f.member))
    if not listed:
        return facts
    for fact in facts:
        field = UNIT_FIELDS.get(fact.type)
        if field is None:
            continue  # a member too: "Trường THPT A … dẫn đầu Cụm" after "các trường THPT: A, B" is A
        name = getattr(fact, field, None)
        level = _listed_head(name) if isinstance(name, str) else None
        first = listed.get(fold(name[level.end() :])) if level and isinstance(name, str) else None
        if first is not None and first[0] <= fact.evidence.start:
            setattr(fact, field, first[1])
    return facts


def as_named_before(facts: list[Any], text: str, is_agency: Callable[[str], bool]) -> list[Any]:
    """A member listed by its sector under the list's head ("các Sở, ngành gồm: Giáo dục và Đào tạo,
    Y tế") that the text named whole before the list ("tại Sở Giáo dục và Đào tạo, Khối …") takes
    that first form (ANNOTATION.md: the name as its first mention writes it)."""
    head = grammar("units.sector-head").pattern  # "Sở"
    for fact in facts:
        if fact.type != "member" or f"{head} {fact.member}" not in text[: fact.evidence.start]:
            continue  # (a plain look first: most articles name no sector twice)
        if is_agency(fact.member) or not fact.member[:1].isupper():
            continue
        whole = re.search(rf"(?<![\w]){head} {re.escape(fact.member)}(?![\w])", text[: fact.evidence.start])
        if whole is not None:
            fact.member = whole.group(0)
    return facts


def as_members_write(facts: list[Any], parse: Callable[[str], Any]) -> list[Any]:
    """A chair or recipient read as a locality's body ("Ban Quản lý các KCN Bắc Ninh" -> Bắc Ninh)
    takes the written name when the article lists that body as a member under it: the bloc mixes
    agencies in their own right, so the member list kept it whole (ANNOTATION.md)."""
    written: dict[tuple[str, str], str] = {}
    for fact in facts:
        if fact.type == "member" and _field(fact, "body") is None:
            unit = parse(fact.member)
            if unit is not None and unit.body and unit.name != fact.member:
                written[(fold(unit.name), unit.body)] = fact.member
    for fact in facts:
        field = UNIT_FIELDS.get(fact.type)
        body = _field(fact, "body")
        if field is None or not body or fact.type == "member":
            continue
        name = written.get((fold(getattr(fact, field)), body))
        if name is not None:
            setattr(fact, field, name)
            for extra in ("body", "unit_kind", "unit_today"):
                setattr(fact, extra, None)
    return facts


@lru_cache(maxsize=1)
def _body_word() -> str:
    return alternation(entries("units", "bodies"))


def _field(fact: Any, name: str) -> Any:
    """A fact's field or extra field, None when it has neither (no AttributeError raised and caught:
    this runs over every fact of every article)."""
    if name in fact.__dict__:
        return fact.__dict__[name]
    extra = fact.__pydantic_extra__
    return extra.get(name) if extra else None


@lru_cache(maxsize=1)
def _bare_body() -> re.Pattern[str]:
    return re.compile(rf"(?:{_body_word()})", re.IGNORECASE)


def as_agencies_of_one_place(facts: list[Any], parse: Callable[[str], Any]) -> list[Any]:
    """In a bloc of one place's agencies, listed bare ("các thành viên Khối: Công an, Tòa án, Ban
    Chỉ huy Quân sự …") or with the one place ("Chi cục Thuế Hoằng Hóa, Kho bạc Nhà nước Hoằng Hóa"),
    a member, chair or recipient written with a body and its locality ("Viện kiểm sát nhân dân huyện
    Khánh Sơn – Trưởng Khối") is that agency, not the locality: ANNOTATION.md writes a body as its
    locality only when the cluster is made of such bodies of several places."""
    bodied = {_field(fact, "cluster") for fact in facts if _field(fact, "body")}
    if not bodied:
        return facts  # no unit was read as a locality's body: nothing to write back
    bare = _bare_body()
    listed: dict[str | None, int] = {}
    bodies: dict[tuple[str | None, str], set[str]] = {}
    for fact in facts:
        if fact.type != "member":
            continue
        body = _field(fact, "body")
        if body is None and bare.fullmatch(fact.member):
            listed[fact.cluster] = listed.get(fact.cluster, 0) + 1
        elif body is not None:
            bodies.setdefault((fact.cluster, fold(fact.member)), set()).add(body)
        elif fact.cluster in bodied and (unit := parse(fact.member)) is not None and unit.body:
            # a member the list kept whole
            bodies.setdefault((fact.cluster, fold(unit.name)), set()).add(unit.body)
    agencies = {cluster for cluster, count in listed.items() if count >= 2}
    # "Chi cục Thuế Hoằng Hóa, Kho bạc Nhà nước Hoằng Hóa, …": one place with several kinds of body
    agencies |= {cluster for (cluster, _), kinds in bodies.items() if len(kinds) >= 2}
    if not agencies:
        return facts
    # an award names no cluster: the article's only cluster, when that is a bloc of agencies
    only = {c for f in facts if (c := _field(f, "cluster"))} == agencies and len(agencies) == 1
    for fact in facts:
        field = UNIT_FIELDS.get(fact.type)
        if field is None or not _field(fact, "body"):
            continue
        if _field(fact, "cluster") not in agencies and not (fact.type == "award" and only):
            continue
        kind = _field(fact, "unit_kind")
        place = r"\s+".join(map(re.escape, getattr(fact, field).split()))
        written = re.search(
            rf"(?<![\w])(?:{_body_word()})\s+(?:{re.escape(kind)}\s+)?{place}(?![\w])"
            if kind
            else rf"(?<![\w])(?:{_body_word()})\s+{place}(?![\w])",
            fact.evidence.sentence,
            re.IGNORECASE,
        )
        if written is not None:
            setattr(fact, field, re.sub(r"\s+", " ", written.group(0)))
            for extra in ("body", "unit_kind", "unit_today"):
                setattr(fact, extra, None)
    return facts
