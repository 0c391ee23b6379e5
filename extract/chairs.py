"""Chairs and vice-chairs of a cluster by year, including Cờ luân lưu hand-overs."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from corpus import textkeys
from extract import anaphora, gazetteer, people, tables
from extract.dates import date_year, nearest_year, one_year, years
from extract.facts import clause_at, make, per_sentence
from extract.lexicon import compiled, entries, grammar, words
from extract.models import ChairFact
from extract.registry import rule
from extract.units import (
    Unit,
    bare_head,
    in_own_right,
    is_org,
    mask,
    parse,
    starts_unit,
    unit_after,
    unit_before,
    unmask,
)

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_YEAR_AFTER = grammar("chairs.year-after")
_PERIOD = grammar("dates.period")
_NOT_A_UNIT = grammar("chairs.not-a-unit")  # a verb or a duty read into a holder's name
_MEMBERSHIP = re.compile(r"(?:ủy viên|tỉnh ủy viên|thành ủy viên|huyện ủy viên)(?![\w])", re.IGNORECASE)
_ROLE_OVERLAP = 6  # "khối" of "Trưởng khối" may open the cluster's name
_ALIAS_AFTER = re.compile(r"\s*\((?-i:[A-ZĐ])[\w&-]*(?:\s+(?-i:[A-ZĐ])\w*){0,3}\)\s*$")
_NAMED_YEAR = re.compile(r"\s+năm\s+(?P<y>(?:19|20)\d{2})(?![\d/-])", re.IGNORECASE)
_NAMED_TERM = re.compile(r"\s+năm(?:\s+học)?\s+(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?", re.IGNORECASE)
_APPOSITION = grammar("chairs.apposition")
_SEAT_AFTER = grammar("chairs.seat-after")
_BARE_KIND = grammar("chairs.bare-kind")
_REVIEWED = grammar("chairs.reviewed-year")
_REVIEW_BEFORE = grammar("context.reviewed")
_COVENANT = grammar("context.covenant")
_MONTHS_OF = grammar("chairs.months-of-year")
_RESULT = grammar("chairs.result")
_ASSIGNING = grammar("chairs.assigning")
_HANDOVER_REACH = 120  # "bàn giao nhiệm vụ cụm trưởng Cụm thi đua Hội Nhà báo các tỉnh … năm 2025 cho X"
_SUBJECT_START = grammar("chairs.subject-start")
_SPEECH = grammar("chairs.speech")
_DATE_BEFORE = re.compile(r"tháng\s+\d{1,2}\s*$")  # "ngày 25 tháng 10 năm 2021": a date, not a year named
_NAMING = grammar("chairs.naming-verb")
_THIS_YEAR = re.compile(r"(?<![\w])năm nay(?![\w])", re.IGNORECASE)
_OFFICIAL = grammar("chairs.official-named")
_PARENT_AFTER = grammar("chairs.parent-after")
_COUNCIL = grammar("chairs.council-title")
_COUNCIL_OF = grammar("chairs.council-of")
_ROLE_LIST = grammar("chairs.role-list")
_ROLE_OBJECT = grammar("chairs.role-object")
_SHARED_YEAR = grammar("chairs.shared-year")
_ON_BEHALF = grammar("chairs.on-behalf")


@lru_cache(maxsize=1)
def _roles() -> list[tuple[re.Pattern[str], str]]:
    items = sorted(entries("roles", "roles"), key=lambda e: len(str(e["pattern"])), reverse=True)
    return [(compiled(words([e])), str(e["role"])) for e in items]


@lru_cache(maxsize=1)
def _role_any() -> re.Pattern[str]:
    return compiled(words(entries("roles", "roles")))


@lru_cache(maxsize=1)
def _linker() -> re.Pattern[str]:
    return compiled(rf"{words(entries('roles', 'linkers'))}\s+(?:vai trò\s+|chức\s+|đơn vị\s+)?$")


@lru_cache(maxsize=1)
def _flag() -> re.Pattern[str]:
    return compiled(words(entries("roles", "rotating_flag")))


def _role_of(text: str) -> str:
    for pattern, role in _roles():
        if pattern.fullmatch(text):
            return role
    # a role read in its context ("(Phó Khối thi đua)"): a deputy's is the vice-chair
    return "vice_chair" if "phó" in text.lower() else "chair"


def _year(ctx: Context, s: Sentence, end: int) -> int | None:
    """The role's year: after the role word, else the only year of its clause or sentence, else the
    year of the list heading the sentence ("… năm 2022 như sau:"). Never the article's year alone:
    ANNOTATION.md attaches a year to a role only within its own sentence."""
    stated = _stated_year(ctx, s, end)
    if stated is not None:
        return stated
    headings = list(grammar("chairs.heading-year").finditer(s.text, 0, end))
    if headings:  # the last "… năm 2019 như sau:" before the role heads its list
        return int(headings[-1].group("y"))
    start, clause = clause_at(s.text, end)
    said = _without_successor_year(s.text, end)
    clause = said[start : start + len(clause)]
    opened, closed = s.text.rfind("(", 0, end), s.text.find(")", end)
    if (
        opened > s.text.rfind(")", 0, end)
        and closed > 0
        and grammar("chairs.year-led").match(s.text, closed + 1)
    ):
        # "A (Cụm trưởng Cụm thi đua X), năm 2009, …": a role told in brackets is the unit's note; the
        # clause the year leads after the bracket goes on to another matter, its year none of the role's
        said = s.text[: closed + 1]
        clause = clause[: max(0, closed + 1 - start)]
    speech = _SPEECH.search(s.text, end)
    if speech and one_year(s.text[speech.start() :]) != ctx.covenant_year:
        # what the holder goes on to say ("…, nhấn mạnh, năm 2025 là năm …") dates no term, unless it
        # is the year the meeting signs for
        said, clause = s.text[: speech.start()], clause[: max(0, speech.start() - start)]
    lead = ctx.lead_of(s)
    # "năm 2024 giao A làm Cụm trưởng; năm nay, B đảm nhận …": the role's own clause says "this year"
    own = one_year(clause) or _this_year(ctx, clause)
    year = one_year(said[end:]) if _owned_by_other_role(s.text, end) else own or one_year(said)
    if year is None and not years(said) and not _PERIOD.search(said):
        # the date of the meeting opening the sentence (ANNOTATION.md), unless the sentence gives the
        # term as a period ("… Khối phó … ký giao ước năm học 2023-2024": null)
        year = date_year(said[:end])
    if year is None and len(years(said)) > 1:
        year = _own_year_among_others(said, end) or _segment_year(said, end)
    if year is not None and _reviewed_only(s.text, year):
        return None  # a chair presiding over the review of year X holds no year from it (ANNOTATION.md)
    return (
        year
        or (one_year(lead.text) if lead else None)
        or _result_year(ctx, s)
        or _this_year(ctx, clause)
        or ctx.assigned_year  # a list of the year's assignment (ANNOTATION.md: a list under a year)
    )


def _stated_year(ctx: Context, s: Sentence, end: int) -> int | None:
    """The year written right after the role (or after the cluster's name that follows it)."""
    m = (
        _YEAR_AFTER.match(s.text[end:])
        or grammar("chairs.bare-year-after").match(s.text[end:])
        or _year_after_name(ctx, s, end)
        or _SHARED_YEAR.match(s.text[end:])
    )
    if m is not None:
        return int(m.group("y"))
    relative = grammar("chairs.relative-year-after").match(s.text[end:]) if ctx.pub_date else None
    if relative is None or ctx.pub_date is None:
        return None
    return ctx.pub_date.year + (0 if relative.group("rel").lower() == "nay" else 1)


def _handed_year(ctx: Context, s: Sentence, start: int, end: int, year: int | None) -> int | None:
    """The year of a role handed over without a year of its own, where the sentence's year is written
    after the giver's role ("A – đơn vị Khối trưởng năm 2023 – đã bàn giao nhiệm vụ Khối trưởng cho
    B"): that is the giver's term, and B holds the role the year after (as with the rotating flag)."""
    if year is None or _stated_year(ctx, s, end) is not None:
        return year
    given = any(_stated_year(ctx, s, r.end()) == year for r in _role_any().finditer(s.text, 0, start))
    return year + 1 if given else year


def _year_after_name(ctx: Context, s: Sentence, end: int) -> re.Match[str] | None:
    """ "Khối trưởng khối thi đua Ban Quản lý KCN, KKT các tỉnh Tây Nguyên năm 2017": the year right
    after the cluster's own name that follows the role, however long the name."""
    stop = _own_name_end(ctx, s, end)
    return _NAMED_YEAR.match(s.text, stop) if stop is not None else None


def _own_name_end(ctx: Context, s: Sentence, end: int) -> int | None:
    """Where the cluster's own name that follows the role ending at `end` ends (in the sentence)."""
    for c in ctx.mentions_in(s):
        at, stop = c.start - s.start, c.end - s.start
        # the name follows the role, or begins inside it ("Trưởng khối thi đua …")
        if end - _ROLE_OVERLAP <= at <= end + 2 < stop and not s.text[end:at].strip():
            return stop
    return None


def _past_own_name(ctx: Context, s: Sentence, end: int) -> int:
    """Where the cluster's own name that follows a role ends, with its year or school year ("Khối
    trưởng Khối thi đua các trường … năm học 2021-2022"); `end` when no name follows."""
    stop = _own_name_end(ctx, s, end)
    if stop is None:
        return end
    term = _NAMED_TERM.match(s.text, stop)
    return term.end() if term else stop


def _first_post(ctx: Context, pre: str) -> Unit | None:
    """The unit of an official's first post when one named official holds several before the role
    ("Trưởng Ban Tuyên giáo Tỉnh ủy, Hiệu trưởng Trường Chính trị tỉnh Nguyễn Văn A - Khối trưởng",
    "đồng chí A - Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo, Trưởng Đoàn ĐBQH tỉnh (Trưởng Khối)"):
    reports name the principal post first. A membership ("Ủy viên …") is no post."""
    if not re.search(r"(?:\(|\s[–-])\s*$", pre):
        return None
    clause = re.split(r"[;.:]", pre)[-1]
    official = _OFFICIAL.match(clause.lstrip())
    named = official is not None or people.known_end().search(re.sub(r"[\s(–-]+$", "", clause))
    pieces = [p.strip() for p in mask(clause.lstrip()[official.end() :] if official else clause).split(",")]
    posts = [p for p in pieces if _title_start().match(p + " ") and not _MEMBERSHIP.match(p)]
    if not named or len([p for p in pieces if _title_start().match(p + " ")]) < 2 or not posts:
        return None
    units = (unit_before(unmask(p), ctx.province, titled=True) for p in posts)
    board = grammar("chairs.internal-board")
    return next((u for u in units if u is None or not board.fullmatch(u.name)), None)


def _without_successor_year(said: str, end: int) -> str:
    """`said` with the year of a hand-over's nameless receiver blanked after the role ("A, Trưởng Khối
    …, trao Cờ cho đơn vị trưởng khối năm 2026": 2026 is the next holder's term, not A's), offsets
    kept."""
    kept = said
    for m in grammar("chairs.successor-year").finditer(said):
        if m.start() >= end:
            kept = kept[: m.start()] + " " * (m.end() - m.start()) + kept[m.end() :]
    return kept


def _own_year_among_others(said: str, end: int) -> int | None:
    """The one year left once other roles' own years are set aside ("A - đơn vị Cụm trưởng năm 2019
    bàn giao nhiệm vụ Cụm trưởng cho B trong năm 2020": B's is 2020; "Năm 2017, B nhận bàn giao
    nhiệm vụ Cụm trưởng từ A (Cụm trưởng năm 2016)": B's is 2017). A role after this one with its year
    and no bracket closes the same assignment and dates both ("A làm Khối trưởng, B làm Khối phó năm
    2024, thay C (Khối trưởng năm 2023)": A's is 2024)."""
    kept = said
    for m in grammar("chairs.other-role-year").finditer(said):
        if m.start() < end <= m.end():
            continue  # the role's own year stays
        shared = m.start() >= end and said[m.start()] != "("
        if shared and grammar("chairs.same-assignment").fullmatch(said[end : m.start()]):
            continue
        kept = kept[: m.start()] + " " * (m.end() - m.start()) + kept[m.end() :]
    return one_year(kept)


def _segment_year(said: str, end: int) -> int | None:
    """The one year of the comma-bounded piece the role ends ("Năm 2021 A giữ vai trò trưởng cụm, sang
    năm 2022 nhiệm vụ này được bàn giao cho B": A's is 2021)."""
    start = max(said.rfind(c, 0, end) for c in ",;") + 1
    stops = [i for i in (said.find(c, end) for c in ",;") if i >= 0]
    return one_year(said[start : min(stops) if stops else len(said)])


def _owned_by_other_role(text: str, end: int) -> bool:
    """True when the sentence's one year follows an earlier role and "và" or a semicolon then brings in
    this role's holder as another person ("ông A, Cụm trưởng Cụm … năm 2024 và đồng chí B, Cụm phó …",
    "bà A, … – đơn vị Khối trưởng năm 2017 …; ông B, … (đơn vị Khối phó)"): it dates
    that term, not this one. ("Trưởng cụm năm 2024 là A và Phó trưởng cụm là B" dates both.)"""
    found = [m.start() for m in re.finditer(r"(?<!\d)(?:19|20)\d{2}(?!\d)", text[:end])]
    if len(found) != 1:
        return False
    at = found[0]
    earlier = list(_role_any().finditer(text, 0, at))
    person = re.search(r"(?:\svà|;)\s+(?:đồng chí|đ/c|ông|bà)\s", text[at:end], re.IGNORECASE)
    # "…, Khối trưởng … năm 2024 chủ trì; Phòng B (Khối phó) điều hành …": a unit with its role in
    # brackets in the next clause (a list under the year's heading, "… năm 2021 như sau: A (khối
    # trưởng), …; B (khối trưởng)", keeps it)
    bracketed = (
        ";" in text[at:end]
        and ":" not in text[at:end]
        and text.rfind("(", 0, end) > max(text.rfind(")", 0, end), end - _NOTE_REACH)
    )
    return bool(earlier) and (person is not None or bracketed) and ":" not in text[earlier[-1].end() : at]


_NOTE_REACH = 25  # "(đơn vị Khối phó": a role's bracket opens so near it


def _this_year(ctx: Context, clause: str) -> int | None:
    """ "Năm nay huyện A là đơn vị trưởng khối": the year of the report's dateline."""
    return ctx.pub_date.year if ctx.pub_date and _THIS_YEAR.search(clause) else None


def _result_year(ctx: Context, s: Sentence) -> int | None:
    """ "Kết quả, A làm Cụm trưởng" right after "… bầu Cụm trưởng, Cụm phó năm 2021.": the result
    of an election or assignment the sentence before dates (a heading, as "… năm 2022 như sau:"), and
    the sentence that goes on with the result's list."""
    at = s.index
    if at > 1 and not _RESULT.match(s.text) and _RESULT.match(ctx.sentences[at - 1].text):
        if one_year(s.text) is not None or not _role_any().search(ctx.sentences[at - 1].text):
            return None
        at -= 1  # the list goes on in the next sentence ("Cụ thể, A …. Đối với B, C làm Khối trưởng …")
    if at == 0 or not _RESULT.match(ctx.sentences[at].text):
        return None
    before = ctx.sentences[at - 1].text
    return one_year(before) if _ASSIGNING.search(before) else None


def _reviewed_only(text: str, year: int) -> bool:
    """True when every "năm <year>" of `text` is the year a review looks back on."""
    stated = [
        m.start()
        for m in re.finditer(rf"năm\s+{year}(?!\d)", text)
        if not _DATE_BEFORE.search(text[: m.start()])
    ]
    return bool(stated) and all(
        _REVIEWED.search(text[max(0, at - 140) : at]) and not _MONTHS_OF.search(text[max(0, at - 30) : at])
        for at in stated
    )  # "sơ kết … 3 tháng cuối năm 2017" looks at the year under way, not back at a past one


def _a_place(pre: str, unit: Unit) -> bool:
    """True when the unit before a role is a bare place after "tại" ("Phó Giám đốc Trung tâm Y tại
    Campuchia, đại diện Khối trưởng", "Tại Khu di tích … tại Bời Lời, đại diện đơn vị trưởng khối"):
    where something stands holds no role. A body, a locality's body or an agency there is the host, and
    the host is often the chair ("tại Xí nghiệp X - Khối trưởng", "tại UBND huyện Y, đơn vị Cụm trưởng")."""
    if unit.known or unit.kind or unit.body or is_org(unit.name):
        return False
    tail = _REPRESENTING.sub("", pre).rstrip(" ,(–-:")
    return bool(
        re.search(rf"(?<![\w])tại\s+(?:[^\s,;.]+\s+){{0,4}}?{re.escape(unit.name)}$", tail, re.IGNORECASE)
    )


_REPRESENTATIVE_ITEM = grammar("chairs.representative-item")
_REPRESENTING = re.compile(r"[\s,]*(?:(?:là\s+)?đại diện(?:\s+cho)?(?:\s+đơn vị)?|đơn vị)\s*$", re.IGNORECASE)


def _holder(ctx: Context, pre: str, after_role: bool = False) -> Unit | None:
    """The unit holding a role named right after `pre` (the text since the previous role, when
    `after_role`); a bare word standing for the report's own subject ("năm 2018, trường giữ vai trò
    Cụm trưởng") is that subject."""
    named = _named_holder(ctx, pre, after_role)
    if named is not None:
        return named
    link = _linker().search(pre)
    if link is None:
        return anaphora.standing_for(ctx, pre.rstrip(" ,(–-:"))
    return anaphora.standing_for(ctx, _bare_subject(_how_often(pre[: link.start()])))


def _how_often(text: str) -> str:
    """`text` without the adverbs before a verb, how often and how long included ("huyện A 2 lần (năm
    2017, 2019) …", "Sở B hai năm liền …")."""
    return grammar("awards.verb-adverbs").sub("", text)


def _bare_subject(text: str) -> str:
    """`text` without a passive's agent and the adverbs around it ("công ty 2 lần được các doanh nghiệp
    trong Khối tín nhiệm bầu" -> "công ty")."""
    return _how_often(grammar("chairs.passive-agent").sub("", text))


_BODY_OF_A_KIND = grammar("chairs.body-of-a-kind")
_LISTED_BEFORE = re.compile(r"\([^()]*,[^()]*\)\s*,\s*$")  # a bracketed list, then a comma, before the verb


def _named_holder(ctx: Context, pre: str, after_role: bool = False) -> Unit | None:
    """The unit a role's text names before it (`_holder`)."""
    if _REPRESENTATIVE_ITEM.search(pre):
        return None  # "…, Bộ Công an; đại diện đơn vị Cụm trưởng …": an item of guests names no holder
    link = _linker().search(pre)
    if link:
        # "huyện A 2 lần (năm 2017, 2019) đảm nhận vai trò …": how often is no part of the name
        pre = _how_often(pre[: link.start()])
        if _LISTED_BEFORE.search(pre):
            return None  # "Công an tỉnh, … Cụm số 5 (gồm … A, B), 2 năm đảm nhận …": the list names no holder
        unit = unit_before(
            _bare_subject(_SEAT_AFTER.sub("", _APPOSITION.sub("", pre))), ctx.province, titled=True
        )
        if unit is None and re.search(r"\svà\s*$", pre):
            # "X đã đạt thành tích … năm 2015 và là đơn vị khối trưởng …": the clause's subject holds it
            return unit_after(re.split(r"[;:.]", pre)[-1].lstrip(" ,"), ctx.province)
        return unit
    apposition = _APPOSITION.search(pre)
    if apposition:
        return unit_before(pre[: apposition.start()], ctx.province, titled=True)
    elided = re.fullmatch(r"\s*(?:và|[,;])\s+(?P<unit>[^,;]{2,60}?)\s+", pre)
    if elided and after_role:
        # "X làm Khối trưởng và Y Khối phó": the verb of the first role serves the second
        unit = parse(elided.group("unit"), ctx.province)
        if unit is not None and (unit.known or unit.kind or is_org(unit.name)):
            return unit
    tail = _SEAT_AFTER.sub("", pre).rstrip(" ,(–-:")  # "X, Cụm trưởng", "X - Cụm trưởng", "X: Cụm trưởng"
    alias = _ALIAS_AFTER.search(tail)
    if alias is not None:  # "… Ngân hàng A – Chi nhánh X (A X), Trưởng Khối": the name, not its short form
        named_in_full = unit_before(tail[: alias.start()][-160:], ctx.province, titled=True)
        if named_in_full is not None and in_own_right(named_in_full.name):
            return named_in_full
    # "Chủ tịch Ủy ban MTTQ tỉnh, Phó Chủ tịch Hội đồng thi đua …, Khối trưởng": the council is no member
    council = _COUNCIL.search(tail)
    if council:
        # "Đồng chí X, Chủ tịch Hội đồng Thi đua – Khen thưởng Học viện Y, Cụm trưởng": Y's own council
        own = unit_before(_COUNCIL_OF.sub("", council.group(0)), ctx.province)
        earlier = unit_before(tail[: council.start()][-120:], ctx.province, titled=True)
        # "…, Chủ tịch HĐQT, Chủ tịch Hội đồng Thi đua Ngân hàng A, Trưởng Khối": no board holds it
        if own is not None and (earlier is None or grammar("chairs.internal-board").fullmatch(earlier.name)):
            return own
        tail = tail[: council.start()]
    named = re.search(rf",\s*{people.surname_name()}\s*$", tail)
    if named is not None and gazetteer.lookup(tail[named.start() :].strip(" ,")) is not None:
        named = None  # "…, Minh Long, Sơn Hà (Cụm trưởng)": a district, not a person
    if named is not None:  # "Chủ tịch Hội Luật gia tỉnh X, Nguyễn Văn A, Cụm phó": the post names the unit
        tail = tail[: named.start()].rstrip(" ,")
    parent = _PARENT_AFTER.search(tail)
    if parent is not None:  # "Cục Đầu tư nước ngoài (Bộ Tài chính), Trưởng Khối …": not the parent
        unit = unit_before(tail[: parent.start()][-120:], ctx.province, titled=True)
        if unit is not None:
            return unit
    if grammar("chairs.issuer").search(pre):
        return None  # "Theo quyết định của LĐLĐ quận X, Cụm trưởng là …": X issued it, it holds nothing
    if tail != pre.rstrip():
        unit = unit_before(tail[-120:], ctx.province, titled=True)
        bare = _BARE_KIND.search(tail)
        if (
            unit is None
            and bare
            and ctx.host
            and ctx.host.kind
            and ctx.host.kind.startswith(bare.group("kind").lower()[:2])
        ):
            return ctx.host
        return unit
    official = mask(pre).rsplit(",", 1)[-1].strip()
    if _title_start().match(official):  # "…, Chủ tịch Hội CCB tỉnh X Cụm trưởng …": no comma before the role
        return unit_before(unmask(official), ctx.province, titled=True)
    return None


def _at_venue(pre: str, after: str) -> bool:
    """True when the role follows the meeting's venue ("Ngày …, tại Sở Y tế tỉnh X, Trưởng Khối … đã tổ
    chức", "tại Vườn quốc gia Y, tỉnh Z, Cụm trưởng …"): the host chairing is implied, not stated
    (ANNOTATION.md: inferred). A dash or brackets after the venue ("tại X - đơn vị Cụm trưởng") state it."""
    pre = re.sub(r"(?i),\s*đơn vị\s*$", ", ", pre)  # "tại UBND huyện X, đơn vị Cụm trưởng … tổ chức"
    if not pre.rstrip().endswith(",") or re.match(r"\s*[–:-]", after):
        return False  # "tại X - Cụm trưởng …", "tại X, Cụm trưởng – Sở Y": stated by the dash
    pieces = [unmask(p).strip() for p in mask(pre.rstrip(" ,–-")).split(",")]

    def venue(piece: str) -> bool:  # "tại Sở Y tế tỉnh X", not "Tại hội nghị, đồng chí …"
        m = grammar("chairs.venue-start").match(piece)
        return m is not None and parse(piece[m.end() :]) is not None

    return venue(pieces[-1]) or (
        len(pieces) > 1 and venue(pieces[-2]) and bool(grammar("chairs.bare-locality").match(pieces[-1]))
    )


def _bracketed_after(ctx: Context, after: str) -> Unit | None:
    """The holder in brackets after a role opening its clause, its cluster and its year ("đơn vị
    Trưởng khối thi đua năm 2023 (Sở Xây dựng) tổng hợp …")."""
    m = grammar("chairs.bracketed-holder").match(after)
    return parse(m.group("unit"), ctx.province) if m else None


def _bracketed_title(ctx: Context, s: Sentence, end: int) -> Unit | None:
    """The holder named through its head's title in brackets right after the role and its cluster's
    name ("Cụm trưởng (Trưởng Ban Dân vận Tỉnh ủy Bến Tre) và Cụm phó Cụm 3 (Phó trưởng …)")."""
    m = re.match(r"\s*\(([^()]{3,120})\)", s.text[_past_own_name(ctx, s, end) :])
    return _titled_unit(ctx, m.group(1)) if m else None


_CLUSTER_HEAD = re.compile(r"\s*(?:cụm|khối)(?![\w])", re.IGNORECASE)


def _unit_right_after(after: str) -> bool:
    """True when a unit's name follows a role with nothing between ("Cụm trưởng Công an huyện A")."""
    return bool(re.match(r" (?=\w)", after)) and not _CLUSTER_HEAD.match(after) and starts_unit(after)


def _named_after(ctx: Context, after: str) -> Unit | None:
    """The unit a role opening the sentence introduces: "Với vai trò Cụm trưởng (Cụm …), X đã …",
    "với vai trò là đơn vị Khối phó Khối thi đua các Viện, Trường, X đã …", "…, thay mặt X, ông Y …"."""
    comma = _comma_outside_brackets(after, 80)
    if comma < 0:
        return None
    behalf = _ON_BEHALF.match(after, comma + 1)
    if behalf is not None:
        return unit_after(after[behalf.end() :].split(",", 1)[0], ctx.province)
    verb = grammar("chairs.role-first-verb").search(after, comma, comma + 160)
    if verb is not None:  # the unit is the piece before its verb; the cluster's name may hold commas
        piece = comma + 1 + mask(after[comma + 1 : verb.start()]).rfind(",") + 1
        unit = unit_after(after[piece:], ctx.province)
        if unit is not None:
            return unit
    return unit_after(after[comma + 1 :], ctx.province)


def _comma_outside_brackets(text: str, reach: int) -> int:
    """The first comma of `text` outside brackets, within `reach` characters not counting a bracketed
    part (a member list in brackets after the cluster's name: "Với vai trò Khối trưởng Khối thi đua
    số 4 (gồm A (AB), B, C …), X đã …"); -1 when there is none or a bracket stays open."""
    depth = counted = 0
    for at, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            if char == ",":
                return at
            counted += 1
            if counted > reach:
                return -1
    return -1


def _through_official(ctx: Context, after: str) -> Unit | None:
    """The unit of the official a role names ("Trưởng khối là bà Nguyễn Thị Mỹ, Cục trưởng Cục
    Thống kê tỉnh"): the unit in the title after the person's name."""
    person = _OFFICIAL.match(after)
    if person is None or not _title_start().match(after[person.end() :]):
        return None
    return _titled_unit(ctx, after[person.end() :])  # "… PGĐ Công ty X đã báo cáo …"


def _titled_unit(ctx: Context, text: str) -> Unit | None:
    """The unit of a title that opens `text` ("Tổng Biên tập Báo Nghệ An chủ trì"), up to its verb."""
    if not _title_start().match(text):
        return None
    title = re.split(r"[,;.(]", text, maxsplit=1)[0]
    verbs = [v.start() for v in (grammar("chairs.role-first-verb").search(title), _SPEECH.search(title)) if v]
    return unit_before(title[: min(verbs)] if verbs else title, ctx.province, titled=True)


def _listed(ctx: Context, text: str) -> list[Unit]:
    """The units of a list of holders, one per semicolon item, each as its item names it ("Vụ Pháp
    chế (khối thi đua số I)"); an item that names no unit is skipped."""
    items = re.split(r";", re.split(r"(?<!TP)(?<!TX)\.(?:\s|$)", text, maxsplit=1)[0])
    units = [parse(mask(re.sub(r"\s*\([^()]*\)", "", item)), ctx.province) for item in items]
    return [u for u in units if u is not None]


def _handed_to(ctx: Context, text: str, pre: str, end: int) -> Unit | None:
    """The unit a role is handed to: "bàn giao nhiệm vụ Cụm trưởng năm 2022 cho X" -> X; a later
    role of the same hand-over reads alike ("…, Cụm phó cho Y"); so does the passive ("nhiệm vụ Cụm
    trưởng được bàn giao từ W sang X") and a role held by a unit ("Khối trưởng do X đảm nhận")."""
    rest = text[end:]
    passive = grammar("chairs.handed-passive").match(rest) or grammar("chairs.held-by").match(rest)
    if passive:
        return unit_after(text[end + passive.end() :], ctx.province)
    if not grammar("chairs.handover-role").search(pre):
        earlier = grammar("chairs.handover-role").pattern.replace("\\s*$", "")
        if not (re.match(r"\s+cho\s", text[end:]) and re.search(earlier, text[:end], re.IGNORECASE)):
            return None
    link = grammar("chairs.handover-link").search(text, end)
    # the role may carry its cluster and term before "cho" ("giao Cụm trưởng, Cụm số 1 năm 2023 cho X")
    if link is None or link.group(0).lower() == "từ" or link.start() - end > _HANDOVER_REACH:
        return None
    if re.search(r"[;:]", text[end : link.start()]):
        return None
    after = text[link.end() :]  # "… cho bà Trần Thị B – Giám đốc Quỹ tín dụng X": the official's unit
    return unit_after(after, ctx.province) or _through_official(ctx, after.lstrip())


def _role_cluster(ctx: Context, s: Sentence, at: int) -> str | None:
    """The cluster a role at `at` is held in: the one its own name right after it gives ("Cụm
    trưởng Cụm thi đua số 6", a guest's), else the one in force there."""
    role = _role_any().match(s.text, at)
    stop = _own_name_end(ctx, s, role.end()) if role else None
    own = next((c for c in ctx.mentions_in(s) if c.end - s.start == stop and not c.partial), None)
    return ctx.display(own.name) if own else ctx.cluster_at(s.start + at)


def _fact(
    ctx: Context,
    s: Sentence,
    rule_id: str,
    unit: Unit,
    role: str,
    year: int | None,
    at: int,
    inferred: bool = False,
) -> ChairFact:
    """A chair fact; an `inferred` one (implied, not stated) carries the mark and a lower confidence."""
    extra: dict[str, Any] = {"inferred": True} if inferred else {}
    return make(
        ChairFact,
        ctx,
        s,
        rule_id,
        0.5 if inferred else 0.9,
        cluster=_role_cluster(ctx, s, at),
        year=year,
        role=role,
        unit=unit.name,
        **unit.extra(),
        **extra,
    )


def _roles_in(ctx: Context, s: Sentence) -> list[ChairFact]:
    out = []
    previous = 0
    last_holder: Unit | None = None
    for m in _role_any().finditer(s.text):
        role = _role_of(m.group(0))
        pre = s.text[previous : m.start()]
        after = grammar("chairs.role-copula").match(s.text[m.end() :])
        # "Khối trưởng năm 2021 là X, Khối phó là Y": a role opening its clause names its holder after it.
        leads = not pre.strip() or pre.rstrip()[-1] in ",;:(" or bool(_NAMING.search(pre))
        opens = after is not None and leads
        listed = _ROLE_LIST.match(s.text, m.end())
        if listed is not None:  # "Khối phó khối thi đua gồm các đơn vị: A; B; C"
            year = _year(ctx, s, m.end())
            holders = _listed(ctx, s.text[listed.end() :])
            out += [_fact(ctx, s, "chairs.role.v1", u, role, year, m.start()) for u in holders]
            previous = m.end()
            continue
        if grammar("chairs.generic-holders").search(pre):
            previous = m.end()
            continue  # "Các đơn vị trưởng cụm, khối hoàn thiện hồ sơ …": the role in general, no holder
        plural = _plural_holders(ctx, s, m.end()) if _PLURAL_ROLE.search(pre) else []
        if plural:  # "2 Cụm phó là tỉnh A và tỉnh B"
            year = _year(ctx, s, m.end())
            out += [_fact(ctx, s, "chairs.role.v1", u, role, year, m.start()) for u in plural]
            previous = m.end()
            continue
        unit = unit_after(s.text[m.end() + after.end() :], ctx.province) if opens and after else None
        if unit is None and opens and after:
            unit = _through_official(ctx, s.text[m.end() + after.end() :])
        if unit is None and leads and after is None and _unit_right_after(s.text[m.end() :]):
            unit = unit_after(s.text[m.end() :], ctx.province)  # "…: Cụm trưởng Ban CHQS huyện A, Cụm phó …"
        if unit is None and grammar("chairs.role-first").search(pre):
            unit = _named_after(ctx, s.text[m.end() :])
        if unit is None and last_holder is not None and grammar("chairs.same-holder-next-role").match(pre):
            unit = last_holder  # "chọn A làm Cụm phó năm 2016 và là đơn vị Cụm trưởng năm 2017": A again
        handed = unit is None
        if unit is None:
            unit = _handed_to(ctx, s.text, pre, m.end())
        handed = handed and unit is not None
        hosted = False
        # a unit across a semicolon is another clause's; an assigned role ("phân công Cụm trưởng") has
        # no holder before it
        if unit is None and not pre.rstrip().endswith(";") and not _ROLE_OBJECT.search(pre):
            unit = _first_post(ctx, pre) or _holder(ctx, pre, after_role=previous > 0)
            if unit is not None and _a_place(pre, unit):
                unit = None
            unit = unit or people.speaker_unit(ctx, s, m.start())  # "…: “Năm 2021, chúng tôi được giao làm …"
            hosted = unit is not None and _at_venue(pre, s.text[m.end() :])
        if unit is None and (official := re.match(r"\s*,\s*", s.text[m.end() :])):
            # "Khối trưởng, bà X – PGĐ Y đã …"; "Đồng chí X - Khối trưởng, Tổng Biên tập Báo Y chủ trì"
            unit = _through_official(ctx, s.text[m.end() + official.end() :]) or _titled_unit(
                ctx, s.text[m.end() + official.end() :]
            )
        if unit is None and (label := re.match(r"\s*:\s*", s.text[m.end() :])):
            # "đại diện đơn vị khối trưởng: Phó Tổng Giám đốc Kho bạc Nhà nước X; khối phó: Thứ trưởng Bộ Y Z"
            item = re.split(r"[;.]", s.text[m.end() + label.end() :], maxsplit=1)[0]
            unit = next((u for post in item.split(",") if (u := _titled_unit(ctx, post.strip()))), None)
        if unit is None and (named := _past_own_name(ctx, s, m.end())) > m.end():
            # "PGS. TS. Nguyễn Văn A, Khối trưởng Khối thi đua các trường … năm học 2021-2022, Hiệu
            # trưởng Trường B phát biểu": the holder's post after the cluster's name gives the unit
            official = re.match(r"[^,.;:()]{0,60}?,\s*", s.text[named:])  # its place or term, then the post
            unit = _titled_unit(ctx, s.text[named + official.end() :]) if official else None
        if unit is None:
            unit = unit_after(s.text[m.end() + after.end() :], ctx.province) if after else None
        if unit is None and (dashed := grammar("chairs.role-dash").match(s.text[m.end() :])):
            unit = unit_after(s.text[m.end() + dashed.end() :], ctx.province)  # "Cụm trưởng Cụm số 2 – X"
        if unit is None:
            unit = _bracketed_title(ctx, s, m.end())
        if unit is None and (leads or grammar("chairs.unit-word").search(pre)):
            unit = _bracketed_after(ctx, s.text[m.end() :])
        if unit is None and (held := _bracketed_after(ctx, s.text[m.end() :])) is not None and held.known:
            unit = held  # "… phối hợp Cụm phó (Triệu Sơn) theo dõi": a known place in brackets holds it
        if unit is not None and _BODY_OF_A_KIND.fullmatch(unit.name):
            # "giao LĐLĐ huyện làm Cụm trưởng" in the district federation's own report: that district
            unit = anaphora.standing_for(ctx, unit.name.rsplit(maxsplit=1)[-1]) or unit
        if unit is not None and not bare_head(unit.name) and not _NOT_A_UNIT.search(unit.name):
            year = _year(ctx, s, m.end())
            year = _handed_year(ctx, s, m.start(), m.end(), year) if handed else year
            each_year: list[int | None] = [*_years_held(s.text, m.start(), m.end())] or [year]
            for holder in _coordinated(ctx, pre, unit, s.text[m.end() :]):
                out += [
                    _fact(ctx, s, "chairs.role.v1", holder, role, held, m.start(), inferred=hosted)
                    for held in each_year
                ]
            last_holder = unit
        previous = m.end()
    return out


def _years_held(text: str, start: int, end: int) -> list[int]:
    """The years of a role held in several ("Cụm trưởng (năm 2017 và năm 2019)", "2 năm (2012, 2014)
    đảm nhận cương vị Trưởng Cụm"); none for one year."""
    listed = grammar("chairs.years-after").match(text, end)
    listed = listed or grammar("chairs.years-before").search(text[:start])
    return [int(y) for y in re.findall(r"\d{4}", listed.group("years"))] if listed else []


_PLURAL_ROLE = re.compile(r"(?<![\w])(?:0?[2-5]|hai|ba|các)\s+$", re.IGNORECASE)


def _plural_holders(ctx: Context, s: Sentence, end: int) -> list[Unit]:
    """The holders a role in the plural names after its copula ("các Khối phó là A, B và C"; "2 Cụm
    phó của Cụm thi đua … là A, B"): the list's items up to the clause's end, each a unit; none unless
    there are two or more."""
    owner = re.match(r"\s+của(?=\s)", s.text[end:])
    start = _past_own_name(ctx, s, end + owner.end() if owner else end)
    after = grammar("chairs.role-copula").match(s.text[start:])
    if after is None:
        return []
    clause = re.split(r"[;:(]|\.(?:\s|$)", mask(s.text[start + after.end() :]), maxsplit=1)[0]
    units: list[Unit] = []
    for piece in re.split(r"\s*,\s*|\s+và\s+", clause):
        unit = unit_after(piece, ctx.province)
        if unit is None:
            break
        units.append(unit)
    return units if len(units) > 1 else []


def _coordinated(ctx: Context, pre: str, unit: Unit, after: str = "") -> list[Unit]:
    """The holders of one role joined by "và" ("A và B là Cụm phó"): each names a unit, the last `unit`."""
    link = _linker().search(pre)
    if link is None and (bracket := _BRACKET_ROLE.search(pre)):
        if _LIST_GOES_ON.match(after):  # "A, B, C (Cụm trưởng), D, E (Cụm phó)": each item noted alone
            return [unit]
        return _listed_places(ctx, pre[: bracket.start()], unit)
    if link is None or link.group(0).lower().startswith("kiêm"):  # "A và B kiêm Trưởng khối": B alone
        return [unit]
    segments = re.split(r"([;:,()])", mask(pre[: link.start()]))
    # "… do huyện A làm Cụm trưởng": the subject follows "do"
    subject = _SUBJECT_START.split(segments[-1])[-1]
    parts = re.split(r"\s+và\s+", subject.strip())
    if len(parts) == 2 and len(segments) > 2 and segments[-2] == "," and starts_unit(segments[-3].strip()):
        return [unit]  # "gồm A, B, C và D là đơn vị Cụm trưởng": a list's last item alone holds it
    if len(parts) == 1 and len(segments) > 3 and segments[-2] == "," and segments[-4] in {";", ":"}:
        # "…: A là Trưởng khối; B, C là Phó trưởng khối": a pair opening its own item holds the role
        pair = segments[-3]
        first = unit_before(pair, ctx.province, titled=True) if starts_unit(pair.strip()) else None
        return [first, unit] if first is not None and first.name != unit.name else [unit]
    if len(parts) == 1:
        return _titled_holders(ctx, pre[: link.start()], unit)
    if len(parts) != 2 or not starts_unit(parts[1]):
        # "Công ty TNHH cao su và lâm nghiệp X", "Trung tâm Điều dưỡng và Phục hồi chức năng": one name
        return [unit]
    first = unit_before(parts[0], ctx.province, titled=True)
    return [first, unit] if first is not None and first.name != unit.name else [unit]


_PLACE_WORDS = 5
_LIST_GOES_ON = re.compile(r"[^()]*\)\s*,\s*\S")  # the role's bracket closes, then the list goes on
_BRACKET_ROLE = re.compile(r"\(\s*(?:(?:là\s+)?đơn vị\s+)?$", re.IGNORECASE)


def _listed_places(ctx: Context, subject: str, unit: Unit) -> list[Unit]:
    """Localities listed by comma before one role in brackets ("… Hưng Yên, Quảng Ninh (đơn vị
    cụm phó năm 2019)"): each holds it, `unit` the last. Only places: "Phòng X, Công an tỉnh
    (đơn vị Cụm trưởng)" is one unit and its address."""
    if unit.kind is None or not unit.known:
        return [unit]
    masked = mask(subject)
    opened = max(masked.rfind(c) for c in ";:()")
    if opened >= 0 and masked[opened] == ")" and masked[opened + 1 :].lstrip().startswith(","):
        return [unit]  # "A (Cụm phó), B, C và D (Cụm trưởng)": the list notes its items one by one
    pieces = [p for p in re.split(r",|\s+và\s+", re.split(r"[;:()]", masked)[-1]) if p.strip()]
    if len(pieces) < 2 or any(len(p.split()) > _PLACE_WORDS for p in pieces):
        return [unit]  # "… A, B đến kiểm tra tại C (đơn vị Cụm trưởng)": C alone
    holders = [unit_before(p, ctx.province) for p in pieces[:-1]]
    if not holders or any(h is None or not h.known or h.body for h in holders):
        return [unit]
    return [h for h in holders if h is not None and h.name != unit.name] + [unit]


def _titled_holders(ctx: Context, subject: str, unit: Unit) -> list[Unit]:
    """Officials listed by comma before one role ("Giám đốc Sở A tỉnh X, Cục trưởng Cục B tỉnh Y được cử
    là Phó trưởng Khu vực"): each names a holder, `unit` the last."""
    pieces = [p.strip() for p in re.split(r"[;:()]", mask(subject))[-1].split(",") if p.strip()]
    if len(pieces) < 2 or not all(_title_start().match(p) for p in pieces):
        return [unit]
    holders = [unit_before(p, ctx.province, titled=True) for p in pieces[:-1]]
    return [h for h in holders if h is not None and h.name != unit.name] + [unit]


@lru_cache(maxsize=1)
def _title_start() -> re.Pattern[str]:
    return compiled(rf"^{words(entries('titles', 'titles'))}\s")


def _handover(ctx: Context, s: Sentence) -> list[ChairFact]:
    flag = _flag().search(s.text)
    if flag is None:
        return []
    out = []
    for item in entries("roles", "handover"):
        verb = compiled(rf"(?<![\w]){item['pattern']}(?![\w])").search(s.text, max(0, flag.start() - 40))
        if verb is None or verb.start() > flag.start():
            continue
        subject = unit_before(people.without_name(ctx, s, verb.start()), ctx.province)
        link = grammar("chairs.handover-link").search(s.text, flag.end())
        other = unit_after(s.text[link.end() :], ctx.province) if link else None
        receiver, giver = (subject, other) if item["receiver_first"] else (other, subject)
        onward = _onward(s.text, link) if not item["receiver_first"] else None
        if onward is not None:  # "chuyển giao Cờ luân lưu từ A sang B": A gives, B receives
            receiver, giver = unit_after(s.text[onward:], ctx.province), other
        year = _handover_year(ctx, s.text, flag.start(), verb.start(), bool(item["receiver_first"]))
        giver_term = _GIVER_TERM.search(s.text, flag.end(), link.start()) if link else None
        if link is not None and giver_term is not None and not item["receiver_first"]:
            # "A (Cụm trưởng năm 2013) trao cờ cho B": 2013 is A's term; B's is the one after it
            year = nearest_year(s.text[link.end() :], 0) or int(giver_term.group("y")) + 1
        if receiver is not None:
            out.append(_fact(ctx, s, "chairs.handover.v1", receiver, "chair", year, flag.start()))
        if giver is not None and year is not None:
            # The giver chaired the year before: implied by the hand-over, not stated (ANNOTATION.md).
            out.append(
                _fact(
                    ctx,
                    s,
                    "chairs.handover.v1",
                    giver,
                    "chair",
                    year - 1 if year else None,
                    flag.start(),
                    True,
                )
            )
        break
    return out


_GIVER_TERM = grammar("chairs.giver-term")


def _onward(text: str, link: re.Match[str] | None) -> int | None:
    """Where the receiver's name starts when the flag goes "từ A sang B" (or "từ A cho B"): after the
    second link; None when the first link is not "từ"."""
    if link is None or not link.group(0).lower().startswith("từ"):
        return None
    onward = grammar("chairs.handover-link").search(text, link.end())
    if onward is None or onward.group(0).lower().startswith("từ"):
        return None
    return onward.end()


def _handover_year(ctx: Context, text: str, flag: int, verb: int, receiver_first: bool) -> int | None:
    """The receiver's year: named after the flag; else the subject's year before the verb
    ("Y, Trưởng cụm năm 2009, trao Cờ luân lưu cho X" -> X 2010); else the year after the
    reviewed one; else the sentence's only year."""
    after = nearest_year(text[flag:], 0)
    if after:
        return after
    before = one_year(text[:verb])
    if before:
        # "Cụm … tổng kết năm 2024, X nhận Cờ luân lưu": the year reviewed is the one before X's term
        reviewed = _REVIEW_BEFORE.search(text, 0, verb)
        if receiver_first and reviewed is not None and int(reviewed.group("y")) == before:
            return before + 1
        signed = _COVENANT.search(text, 0, verb)
        if signed is not None and int(signed.group("y")) == before:
            return before  # "ký kết giao ước thi đua năm 2019 và A trao Cờ luân lưu cho B": B's term is 2019
        return before if receiver_first else before + 1
    return one_year(text)


def _respectively(ctx: Context, s: Sentence) -> list[ChairFact] | None:
    """ "A và B lần lượt làm Cụm trưởng, Cụm phó năm 2024": units paired with roles in order;
    None when the sentence has no such pairing."""
    m = grammar("chairs.respectively").search(s.text)
    roles_first = _roles_then_holders(ctx, s) or _role_per_cluster(ctx, s)
    if m is None or roles_first is not None:
        return roles_first
    listed = re.split(r"[;:]", s.text[: m.start()])[-1]
    listed = grammar("chairs.adverbs-before-roles").sub("", listed)  # "A và B tiếp tục giữ vai trò …"
    split = grammar("awards.split")
    units: list[Unit] = []
    for piece in reversed(split.split(mask(listed.rstrip()))):
        unit = parse(piece, ctx.province)
        if unit is None:
            unit = unit_before(piece, ctx.province)
            units[:0] = [unit] if unit else []
            break
        units.insert(0, unit)
    roles = [_role_any().search(r) for r in split.split(m.group("roles"))]
    if len(units) != len(roles) or not any(roles):
        return None
    year = _year(ctx, s, m.end())
    return [
        _fact(ctx, s, "chairs.role.v1", unit, _role_of(role.group(0)), year, m.start("roles"))
        for unit, role in zip(units, roles, strict=True)
        if role is not None
    ]


def _roles_then_holders(ctx: Context, s: Sentence) -> list[ChairFact] | None:
    """ "Cụm trưởng, Cụm phó năm 2017 lần lượt là A và B": the roles first, then their holders in
    order; None when the sentence has no such pairing."""
    m = grammar("chairs.roles-then-holders").search(s.text)
    if m is None:
        return None
    roles = [_role_any().search(r) for r in grammar("awards.split").split(m.group("roles"))]
    units = [parse(p, ctx.province) for p in grammar("awards.split").split(mask(m.group("holders").strip()))]
    if len(units) != len(roles) or not all(roles) or not all(units):
        return None
    year = _year(ctx, s, m.end("roles"))
    # "Cụm trưởng, Cụm phó năm 2021 của Cụm thi đua số 2 lần lượt là …": the roles of the cluster named
    named = [c for c in ctx.mentions_in(s) if m.end("roles") <= c.start - s.start < m.start("holders")]
    at = named[-1].end - s.start if named else m.start("roles")
    return [
        _fact(ctx, s, "chairs.role.v1", unit, _role_of(role.group(0)), year, at)
        for unit, role in zip(units, roles, strict=True)
        if unit is not None and role is not None
    ]


def _role_per_cluster(ctx: Context, s: Sentence) -> list[ChairFact] | None:
    """ "Cụm trưởng năm 2015 lần lượt là A (Cụm 1), B (Cụm 2), C (Cụm 3)": one role, each holder in the
    cluster its bracket names; None when the sentence has no such list or a bracket names no cluster."""
    m = grammar("chairs.role-per-cluster").search(s.text)
    if m is None:
        return None
    role = _role_of(m.group("roles"))
    year = _year(ctx, s, m.end("roles"))
    out = []
    for piece in re.finditer(r"(?P<unit>[^,()]+?)\s*\((?P<cluster>[^()]+)\)", m.group("holders")):
        unit = parse(re.sub(r"^\s*và\s+", "", piece.group("unit")), ctx.province)
        bracket = m.start("holders") + piece.start("cluster")
        named = [c for c in ctx.mentions_in(s) if c.start - s.start == bracket and not c.partial]
        if unit is None or bare_head(unit.name) or not named:
            return None
        fact = _fact(ctx, s, "chairs.role.v1", unit, role, year, m.start("roles"))
        out.append(fact.model_copy(update={"cluster": ctx.display(named[0].name)}))
    return out or None


def _bracketed_pair(ctx: Context, s: Sentence) -> list[ChairFact] | None:
    """ "A phối hợp với B (Trưởng/Phó Khối thi đua năm 2022)": two units, then their two roles in
    one bracket, in order; None when the sentence has no such pairing."""
    m = grammar("chairs.paired-bracket").search(s.text)
    if m is None:
        return None
    subject = re.split(r"[;:,()]", mask(s.text[: m.start()]))[-1]
    parts = grammar("chairs.paired-join").split(subject.strip())
    if len(parts) != 2:
        parts = re.split(r"\s+và\s+", subject.strip())
    if len(parts) != 2:
        return None
    chair, vice = (unit_before(unmask(p), ctx.province, titled=True) for p in parts)
    if chair is None or vice is None or bare_head(chair.name) or bare_head(vice.name):
        return None
    year = _year(ctx, s, m.end("vice"))
    return [
        _fact(ctx, s, "chairs.role.v1", chair, "chair", year, m.start()),
        _fact(ctx, s, "chairs.role.v1", vice, "vice_chair", year, m.start()),
    ]


def _labelled_holders(ctx: Context, s: Sentence) -> list[ChairFact] | None:
    """ "… các đơn vị cụm trưởng năm 2015: Cụm số 1 – Sở A; Cụm số 2 – Sở B": one role, then each
    cluster with its holder after a dash; None when the sentence has no such list."""
    m = grammar("chairs.role-colon").search(s.text) if ":" in s.text else None
    if m is None:
        return None
    named = [c for c in ctx.mentions_in(s) if c.start - s.start >= m.end() and not c.partial]
    out = []
    split = grammar("awards.split")
    # "Cụm trưởng, Khối trưởng năm 2014 như sau: …": one role, named for clusters and blocs alike
    roles = list(dict.fromkeys(_role_of(r.group(0)) for r in _role_any().finditer(m.group("roles"))))
    year = one_year(s.text[: m.end()])
    for k, c in enumerate(named):
        end = named[k + 1].start - s.start if k + 1 < len(named) else len(s.text)
        semicolon = s.text.find(";", c.end - s.start, end)  # an item ends at its semicolon
        end = end if semicolon < 0 else semicolon
        item = grammar("chairs.labelled-holder").match(s.text[c.end - s.start : end])
        if item is None:
            return None  # every item "cluster – unit(s)", or it is no such list
        # one role: the item is one unit, commas and all; two: as many units, in the roles' order
        texts = [item.group("unit")] if len(roles) == 1 else split.split(mask(item.group("unit")))
        units = [parse(unmask(p), ctx.province) for p in texts]
        if len(units) != len(roles) or any(u is None or bare_head(u.name) for u in units):
            return None
        out += [
            _fact(ctx, s, "chairs.role.v1", u, role, year, c.end - s.start)
            for u, role in zip(units, roles, strict=True)
            if u is not None
        ]
    return out if len(named) >= 2 else None


def _clauses_before(ctx: Context, s: Sentence) -> list[ChairFact]:
    """The roles of the clauses before a pairing's own, read one by one ("Năm 2014, A là đơn vị
    Khối trưởng; theo phân công, B, C lần lượt giữ vai trò Khối trưởng, Khối phó năm 2015")."""
    found = (grammar(g).search(s.text) for g in _PAIRINGS)
    at = min((m.start() for m in found if m is not None), default=0)
    cut = s.text.rfind(";", 0, at)
    return _roles_in(ctx, replace(s, text=s.text[:cut], end=s.start + cut)) if cut > 0 else []


_PAIRINGS = (
    "chairs.respectively",
    "chairs.roles-then-holders",
    "chairs.role-per-cluster",
    "chairs.paired-bracket",
    "chairs.role-colon",
)


def _over_the_years(ctx: Context, s: Sentence) -> list[ChairFact]:
    """A role's holders year by year: "vai trò Khối trưởng lần lượt do A (2019), B (2020) đảm nhận",
    "Cụm trưởng năm 2021 là A; năm 2022 là B, năm 2023 là C" (the role left out after the first),
    "Các năm 2021, 2022, Khối trưởng là A" (one fact a year)."""
    roles = list(_role_any().finditer(s.text))
    out: list[ChairFact] = []
    for r in roles:
        role = _role_of(r.group(0))
        history = grammar("chairs.history").search(s.text, r.end(), r.end() + _HISTORY_REACH)
        if history is not None and not re.search(r"[;.:]", s.text[r.end() : history.start()]):
            held = []
            at = history.end()
            while (item := grammar("chairs.history-item").match(s.text, at)) is not None:
                unit = parse(item.group("unit").strip(), ctx.province)
                if unit is None or bare_head(unit.name):
                    break
                years: list[int | None] = [int(y) for y in re.findall(r"\d{4}", item.group("year") or "")]
                held += [(unit, y) for y in years or [None]]  # "A (các năm 2011, 2014)": A held it in each
                joint = re.match(r"\s*(?:,|và)\s*", s.text[item.end() :])
                if joint is None:
                    break
                at = item.end() + joint.end()
            if len(held) >= 2:
                out += [_fact(ctx, s, "chairs.role.v1", u, role, y, r.start()) for u, y in held]
        lead = grammar("chairs.years-lead").search(s.text[: r.start()])
        copula = grammar("chairs.role-copula").match(s.text[r.end() :])
        if lead is not None and copula is not None:
            unit = unit_after(s.text[r.end() + copula.end() :], ctx.province)
            if unit is not None:
                years = [int(y) for y in re.findall(r"\d{4}", lead.group("years"))]
                out += [_fact(ctx, s, "chairs.role.v1", unit, role, y, r.start()) for y in years]
    for m in grammar("chairs.year-holder").finditer(s.text):
        before = [r for r in roles if r.end() <= m.start()]
        unit = parse(m.group("unit").strip(), ctx.province) if before else None
        if unit is not None and not bare_head(unit.name):
            role = _role_of(before[-1].group(0))
            out.append(_fact(ctx, s, "chairs.role.v1", unit, role, int(m.group("year")), m.start()))
    return out


_HISTORY_REACH = 60  # "vai trò Khối trưởng Khối thi đua số 8 lần lượt do …"


def _from_sentence(ctx: Context, s: Sentence) -> list[ChairFact]:
    handed = _handover(ctx, s)
    # a role handed over for a year has its holder there ("X nhận Cờ luân lưu Cụm trưởng Cụm thi đua
    # III - Ban Y năm 2021": Y, after the cluster's name, is its parent, not a second holder)
    told = [f for f in handed if not getattr(f, "inferred", False)]
    units, terms = {(f.unit, f.role) for f in told}, {(f.role, f.year) for f in told}
    paired = _respectively(ctx, s)
    if paired is None:
        paired = _bracketed_pair(ctx, s)
    if paired is None:
        paired = _labelled_holders(ctx, s)
    found = _roles_in(ctx, s) if paired is None else _clauses_before(ctx, s) + paired
    found += _over_the_years(ctx, s)
    stated = [f for f in found if (f.unit, f.role) not in units and (f.role, f.year) not in terms]
    named = {(f.unit, f.role) for f in stated}
    # A giver the sentence itself calls Cụm trưởng is stated there; its implied fact goes.
    return [f for f in handed if (f.unit, f.role) not in named or not getattr(f, "inferred", False)] + stated


def _from_tables(ctx: Context) -> list[ChairFact]:
    """A table's chair and vice-chair columns ("Cụm | … | Cụm trưởng | Cụm phó"), in the year of the line
    introducing it ("… Cụm trưởng, Cụm phó năm 2023 như sau:")."""
    out = []
    for row in tables.rows(ctx):
        if tables.cluster_of(ctx, row) is None and "year" not in row.cells:
            continue  # a row of one cluster's years is the cluster the report is about
        for role in ("chair", "vice_chair"):
            year = tables.year_of(ctx, row, role)
            cell = row.cells.get(role)
            unit = parse(cell.text, ctx.province) if cell else None
            if cell and unit is not None and not bare_head(unit.name):
                out.append(_fact(ctx, row.sentence, "chairs.role.v1", unit, role, year, cell.start))
    return out


def _pair(text: str) -> tuple[str, str] | None:
    """The two units of "A – B": split on the one long dash, else on the one spaced hyphen (a name's
    own hyphen, "Sở Lao động - Thương binh và Xã hội", stays where a long dash splits)."""
    for dash in (r"\s[–—]\s", r"\s-\s"):
        parts = re.split(dash, text)
        if len(parts) == 2:
            return parts[0].strip(), parts[1].strip()
        if len(parts) > 2:
            return None
    return None


def _pair_line(ctx: Context, s: Sentence) -> tuple[str, str, int] | None:
    """A line pairing the cluster that opens it with two units ("Khối I: Sở A – Sở B;"): the two
    units' texts and where the cluster's name ends."""
    m = grammar("chairs.pair-line").match(s.text)
    if m is None:
        return None
    named = [c for c in ctx.mentions_in(s) if c.start - s.start <= 3 and not c.partial]
    pair = _pair(m.group("pair"))
    if not named or pair is None or named[0].end - s.start > m.end("label") + 1:
        return None
    return pair[0], pair[1], named[0].end - s.start


def _paired_lines(ctx: Context) -> list[ChairFact]:
    """Lines pairing each cluster with its two units ("Khối I: Sở A – Sở B;") in the order a line next
    to them states ("… khối trưởng, khối phó năm 2024 (theo thứ tự khối trưởng – khối phó):" before,
    "(lần lượt là cụm trưởng và cụm phó)" after), in the year of the line introducing them."""
    order = grammar("chairs.pair-order")
    out: list[ChairFact] = []
    sentences = ctx.sentences
    for i, lowered in enumerate(ctx.lowered()):
        if "thứ tự" not in lowered and "lần lượt" not in lowered and "như sau" not in lowered:
            continue  # a cheap look first: most reports state no order
        s = sentences[i]
        m = order.search(s.text)
        roles = (
            (
                _role_of(m.group("first") or m.group("first2")),
                _role_of(m.group("second") or m.group("second2")),
            )
            if m
            else None
        )
        if roles is None or roles[0] == roles[1]:
            continue
        if s.text.rstrip().endswith(":"):  # the order told before the lines
            lead, first, last = s, i + 1, i + 1
            while last < len(sentences) and _pair_line(ctx, sentences[last]):
                last += 1
        elif s.text.lstrip().startswith("("):  # the order told after them
            first = last = i
            while first > 0 and _pair_line(ctx, sentences[first - 1]):
                first -= 1
            lead = sentences[first - 1] if first > 0 else s
        else:
            continue
        year = one_year(lead.text) if lead.text.rstrip().endswith(":") else None
        for row in sentences[first:last]:
            paired = _pair_line(ctx, row)
            assert paired is not None
            for text, role in zip(paired[:2], roles, strict=True):
                unit = parse(text, ctx.province)
                if unit is not None and not bare_head(unit.name):
                    out.append(_fact(ctx, row, "chairs.role.v1", unit, role, year, paired[2]))
    return out


@rule("chairs.role.v1")
def extract(ctx: Context) -> list[Any]:
    """Chair and vice-chair facts of every sentence naming a role or a hand-over; a role stated
    without a year where the article also states it with one (the unit written with or without its
    administrative words) is the same statement."""
    found = per_sentence(ctx.gated("chairs"), lambda s: _from_sentence(ctx, s)) + _from_tables(ctx)
    found += _paired_lines(ctx)
    dated = {(textkeys.unit_key(f.unit), f.role) for f in found if f.year is not None}
    return [f for f in found if f.year is not None or (textkeys.unit_key(f.unit), f.role) not in dated]
