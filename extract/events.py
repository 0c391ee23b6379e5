"""Events: reviews, covenant signings and launches, dated against the publication date."""

from __future__ import annotations

import re
from datetime import date as date_
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from corpus.textkeys import lower_in_place
from extract import tables
from extract.context import general_work, place_in
from extract.dates import anniversary, calendar_year, find_dates, undated
from extract.facts import fold, make, per_sentence
from extract.lexicon import compiled, entries, grammar, load, words
from extract.models import EventFact
from extract.registry import rule

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_PLAN_REACH = 30
_SPREAD_REACH = 100  # how far after a mention its object may say it spreads over every field
_AT_MEETING = grammar("events.at-the-meeting")
_CHAIR_PRESIDES = grammar("events.chair-presides")
_REVIEW_CONTENT = grammar("events.review-content")
_GREETING = compiled(words([e for e in entries("events", "recap") if e["id"] == "greeting"]))
_YEAR_AFTER = grammar("events.year-after")
_FRAGMENT = grammar("events.date-fragment")
_EARLY_SIGNING = grammar("events.early-signing")
_SUMMING_UP = grammar("events.summing-up")
_LEGAL_BASIS = grammar("events.legal-basis")
_CLOSING = grammar("events.closing")
_SIGNED_BEFORE = grammar("events.signed-before")
_SEVERAL_DONE = compiled(words([e for e in entries("events", "recap") if e["id"] == "several-done"]))
_MEETING_TOLD = grammar("events.cluster-meeting-told")
_LEAD_REACH = 8  # the summary of several clusters' meetings opens the report
_DEPLOYING = re.compile(words([e for e in entries("events", "kinds") if e["id"] == "other-deploying"]))
_CONGRESS = grammar("events.congress")
_YEAR_LATER = re.compile(r"năm (?P<y>(?:19|20)\d{2})(?![\d/-])")


@lru_cache(maxsize=1)
def _kinds() -> list[tuple[re.Pattern[str], str, bool]]:
    """(pattern, kind, alone): an `alone` kind counts only where no other kind is mentioned. The
    kinds are lower case, searched in text lower-cased in place (offsets kept)."""
    return [
        (re.compile(words([e])), str(e["kind"]), bool(e.get("alone"))) for e in entries("events", "kinds")
    ]


@cache
def _marker(section: str) -> re.Pattern[str]:
    return compiled(words(entries("events", section)))


@lru_cache(maxsize=1)
def _ceremony() -> re.Pattern[str]:
    return compiled(str(load("events")["ceremony"]))


def _mentions(text: str) -> dict[str, re.Match[str]]:
    found: dict[str, re.Match[str]] = {}
    alone: set[str] = set()
    lowered = lower_in_place(text)
    for pattern, kind, only in _kinds():
        m = pattern.search(lowered)
        if m and (kind not in found or m.start() < found[kind].start()):
            found[kind] = m
            alone.discard(kind)
            if only:
                alone.add(kind)
    for kind in alone & set(found):
        if len(found) > 1:  # "tổng kết năm 2022, triển khai nhiệm vụ năm 2023" is the review
            del found[kind]
    congress = found.get("other")
    first = congress is not None and all(congress.start() <= m.start() for m in found.values())
    if congress is not None and first and _CONGRESS.match(congress.group(0)) and len(found) > 1:
        return {"other": congress}  # "Đại hội thi đua … để tổng kết …": the congress, `other`
    joined = "signing" in found and grammar("events.launch-and-sign").search(text)
    if "launch" in found and len(found) > 1 and (joined or not _ceremony().search(found["launch"].group(0))):
        del found["launch"]  # "Lễ phát động và ký giao ước thi đua" is one meeting, a signing
    if "review" in found and "signing" in found and found["review"].group(0).lower().startswith("họp"):
        del found["review"]  # "họp Khối thi đua và ký kết giao ước": a bare meeting held to sign
    if "review" in found:
        # "tổng kết … và ký kết giao ước" is one meeting, a review (ANNOTATION.md, Event).
        found.pop("signing", None)
    return found


def _recap(ctx: Context, text: str, m: re.Match[str], kind: str) -> bool:
    before = text[: m.start()]
    if grammar("events.numbered-document").match(text[m.end() :]):
        return True  # "Bản ký kết giao ước thi đua số 05/BGUTĐ-KTĐ ngày …": a numbered paper, no meeting
    if not before.strip() and _SUMMING_UP.match(text):
        return True
    if _LEGAL_BASIS.match(text) and not _gives_a_day(before):
        return True  # "Căn cứ kế hoạch … về tổ chức hội nghị …", unless "…, ngày 16/3, Khối … họp"
    # A clause starts after a comma, or after another event it is joined to ("tổng kết … và ký kết").
    lowered = lower_in_place(before)
    joined = max((e.end() for pattern, _, _ in _kinds() for e in pattern.finditer(lowered)), default=0)
    clause = before[max(before.rfind(","), before.rfind(";"), joined - 1) + 1 :]
    # a recap, unless a day after its words dates this meeting ("Nhằm … các hoạt động, chiều ngày d/m …")
    # "trong khuôn khổ Hội nghị tổng kết, …": the frame's own meeting is no recap of it
    recap = None if _marker("frame").search(before) else _marker("recap").search(before)
    if recap and _GREETING.fullmatch(recap.group(0)) and _ceremony().search(before, 0, recap.start()):
        recap = None  # "Lễ phát động thi đua … chào mừng X và ký kết …": the ceremony's purpose, no recap
    if (recap and not _gives_a_day(before[recap.end() :])) or _marker("plan_near").search(clause):
        return True
    if kind == "launch" and not _ceremony().search(m.group(0)):
        spread = _marker("launch_spread").search(text, m.end(), m.end() + _SPREAD_REACH)
        if spread or _marker("launch_work").search(before):
            return True
    purpose = _marker("purpose").search(before)
    if purpose and not _gives_a_day(text[purpose.end() :]):
        return True
    if _marker("plan").search(clause[-_PLAN_REACH:]) and not undated(text) and not find_dates(text, None):
        # "Năm 2013, Cụm sẽ tổ chức ký kết giao ước …": the cluster announcing a meeting is one planned
        return not grammar("events.planned-meeting").search(text)
    year = _YEAR_AFTER.match(text[m.end() :])
    current = int(ctx.event_date[:4]) if ctx.event_date else ctx.pub_date.year if ctx.pub_date else None
    return kind != "review" and year is not None and current is not None and int(year.group("y")) < current


_QUARTER = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _by_calendar(ctx: Context, text: str, m: re.Match[str], kind: str, dateline: bool = False) -> str | None:
    """A day-month date without a year and without a dateline (or, with `dateline`, despite one),
    dated by the calendar rule from the year the meeting is about ("tổng kết … năm 2023" held on
    25/1 -> 2024-01-25)."""
    if ctx.pub_date is not None and not dateline:
        return None
    days = undated(text)
    if not days:
        return None
    _, day, month = days[0]
    quarter = grammar("events.quarter").search(text)
    if quarter is not None and kind == "review":  # "giao ban … quý III năm 2023" on 22/9: in 2023
        first = 3 * _QUARTER[quarter.group("q").upper()] - 2  # the quarter's first month
        return _iso(int(quarter.group("y")), month, day) if month >= first else None
    half, school = grammar("events.half-year").search(text), grammar("events.school-year").search(text)
    about = half or school or _YEAR_AFTER.match(_names_shortened(ctx, text[m.end() :]))
    year_of = int(about.group("y")) if about else ctx.reviewed_year if kind == "review" else ctx.covenant_year
    if year_of is None:
        return None
    if kind == "other":  # "khai mạc hội thao … năm 2024" on 8/6: a games or congress of its own year
        return _iso(year_of, month, day) if about and not (half or school) else None
    # A "sơ kết" held mid-year reviews the year under way, as "sơ kết 6 tháng đầu năm X" does.
    mid_year = half is not None or ("sơ kết" in m.group(0).lower() and 5 <= month <= 9)
    year = calendar_year(kind, month, year_of, mid_year, school is not None)
    return _iso(year, month, day) if year else None


def _names_shortened(ctx: Context, text: str) -> str:
    """`text` with each cluster name it writes cut to its head, so that the year after a long name is
    the meeting's own ("Hội thao Khối thi đua các cơ quan Đảng, đoàn thể tỉnh năm 2023")."""
    for written in {c.written for c in ctx.clusters if c.written in text}:
        text = text.replace(written, written.split()[0])
    return text


def _by_anniversary(ctx: Context, text: str) -> str | None:
    """A day-month without a year and without a dateline, in a sentence that greets an anniversary
    ("Sáng 25/4, … chào mừng 47 năm Ngày giải phóng (30/4/1975 - 30/4/2022)"): the celebration's
    year, when the day falls within a month of the anniversary's, or when the span gives years only
    ("kỷ niệm 73 năm … (1945 – 2018)"); else none (a 30th anniversary of February greeted in August
    may be the year's before)."""
    if ctx.pub_date is not None:
        return None
    days, greeted = undated(text), anniversary(text)
    if not days or greeted is None:
        return None
    _, day, month = days[0]
    at, year = greeted
    return _iso(year, month, day) if at is None or abs(month - at) <= 1 else None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date_(year, month, day).isoformat()
    except ValueError:
        return None


def _from_sentence(ctx: Context, s: Sentence) -> list[EventFact]:
    out = []
    mentions = _mentions(s.text)
    dates = ctx.dates_in(s) if mentions else []
    for kind, m in mentions.items():
        if _recap(ctx, s.text, m, kind) or (kind == "review" and general_work(s.text, m.start(), m.end())):
            continue  # a recap of the year; a body's review of its general work, no emulation meeting
        date = _against_its_year(ctx, s.text, m, kind, dates[0]) if dates else None
        date = date or _by_calendar(ctx, s.text, m, kind) or _date_fragment(ctx, s, m, kind)
        planned = not dates and grammar("events.planned-meeting").search(s.text)
        # a meeting announced for later takes no day from the meeting the report tells of
        date = date or _by_anniversary(ctx, s.text) or (None if planned else ctx.event_date)
        place = place_in(s.text, ctx.province) or (ctx.host if date and date == ctx.event_date else None)
        inside = next((c.name for c in ctx.clusters if s.start <= c.start < s.end), None)
        cluster = ctx.display(inside) if inside else ctx.cluster_at(s.start)
        out.append(
            make(
                EventFact,
                ctx,
                s,
                "events.mention.v1",
                0.85 if dates else 0.7,
                kind=kind,
                date=date,
                place=place.name if place else None,
                cluster=cluster,
            )
        )
    return out


def _against_its_year(ctx: Context, text: str, m: re.Match[str], kind: str, iso: str | None) -> str | None:
    """A day-month dated by the page's stamp that contradicts the year the meeting is about (a review
    of "năm 2015" put in 2021 by a print page's clock) is dated by the calendar rule instead."""
    about = _YEAR_LATER.search(text, m.end())
    if iso is None or about is None or not undated(text) or kind not in ("review", "signing"):
        return iso
    year_of, year = int(about.group("y")), int(iso[:4])
    fits = year in (year_of, year_of + 1) if kind == "review" else year in (year_of - 1, year_of)
    if kind == "review" and grammar("events.half-year").search(text):
        fits = year == year_of  # "sơ kết 6 tháng đầu năm 2024" on 16/7 is in 2024, whatever the stamp
    return iso if fits else _by_calendar(ctx, text, m, kind, dateline=True)


def _date_fragment(ctx: Context, s: Sentence, m: re.Match[str], kind: str) -> str | None:
    """The date of a sentence that is only a date and a place, cut from the meeting it opens by a
    stray full stop ("Ngày 08 tháng 01 năm 2016, tại Phòng họp UBND xã A. Cụm … họp xét thi đua");
    a day and month alone there take their year by the calendar rule from the meeting's sentence
    ("Sáng ngày 10.4. Cụm … tổ chức hội thao năm 2024")."""
    if s.index == 0:
        return None
    before = ctx.sentences[s.index - 1]
    if not _FRAGMENT.match(before.text) or len(before.text.split()) > 20 or _mentions(before.text):
        return None
    found = find_dates(before.text, ctx.pub_date)
    days = [iso for at, iso in found if not ctx.in_dateline(before.start + at)]
    full = next((iso for iso in days if iso and len(iso) == 10), None)
    if full or not undated(before.text):
        return full
    joined = f"{before.text} {s.text}"
    return _by_calendar(ctx, joined, _mentions(joined)[kind], kind) if kind in _mentions(joined) else None


@rule("events.mention.v1")
def extract(ctx: Context) -> list[Any]:
    """Event facts of sentences that report a review, a signing or a launch happening; an undated
    mention (a title) of a meeting the article dates elsewhere is the same meeting."""
    found = per_sentence(ctx.gated("events"), lambda s: _from_sentence(ctx, s))
    # an activity whose sentence names no cluster (a games, a show, a gathering) is mostly one a body
    # holds on its own, the cluster's units at most taking part: about half of them are the cluster's
    found = [f for f in found if f.kind != "other" or not _bodys_own_activity(ctx, f.evidence.start)]
    # a meeting planned for a month ("sơ kết vào tháng 7/2017") is not the one the report tells of
    dated = {f.kind for f in found if f.date and len(f.date) == 10}
    # A dated review whose sentence also signs or launches ("tổng kết … và ký kết giao ước") is
    # that meeting: an undated signing or launch elsewhere (a caption, a title) is the same one.
    joined = {k for f in found if f.date and f.kind == "review" for k in _all_kinds(f.evidence.sentence)}
    # A report tells of its meeting once with a day; other, undated mentions of a signing or a launch
    # (captions, recaps of what the meeting did) are that meeting again, and so is a mention dated only
    # by the meeting's day that its own sentence does not give.
    own = {id(f) for f in found if f.date and _gives_a_day(f.evidence.sentence)}
    # "Cùng ngày, Khối thi đua B cũng tổng kết …": another cluster's meeting that day, told by it
    told = {(f.date, f.cluster) for f in found if id(f) in own}
    own |= {
        id(f)
        for f in found
        if f.date
        and f.cluster
        and _SAME_DAY.match(f.evidence.sentence)
        and fold(f.cluster) in fold(f.evidence.sentence)
        and all(c != f.cluster for d, c in told if d == f.date)
    }
    days = {f.date for f in found if id(f) in own} | {f.kind for f in found if id(f) in own}
    # a review that day makes a signing that day the same meeting, if the review itself is kept
    reviews = {f.date for f in found if f.kind == "review" and _kept(f, set(), own, days)}
    kept = [f for f in found if _kept(f, reviews, own, days) or _undated_kept(f, dated, joined)]
    if any(f.kind == "review" and (not f.date or len(f.date) == 10) for f in kept):
        # "tổng kết … và ký kết giao ước" is one meeting, a review (ANNOTATION.md): a signing the article
        # names without a day (a caption, a title, "các đơn vị ký kết …") is that meeting again
        kept = [f for f in kept if f.kind != "signing" or f.date or _planned(f)]
    kept = _deploying_that_signed(found, kept)
    kept += _each_clusters_meeting(ctx, kept)
    events = _first_day(ctx, _implied_review(ctx, _without_closing(kept))) + _early_signing(ctx, kept)
    scheduled = {(f.kind, f.date, f.cluster) for f in events}
    lines = _scheduled_lines(ctx)
    if lines:  # "2. Sơ kết 6 tháng đầu năm 2014:" heading the lines is their meetings, no other
        kinds = {f.kind for f in lines}
        events = [f for f in events if f.date or f.kind not in kinds or not f.evidence.sentence.endswith(":")]
    events += [f for f in _scheduled(ctx) + lines if (f.kind, f.date, f.cluster) not in scheduled]
    # a meeting planned for a month ("vào tháng 9/2019") was told apart by its month above; its date
    # is none (ANNOTATION.md: a full date, else null)
    return [f.model_copy(update={"date": None}) if f.date and len(f.date) == 7 else f for f in events]


def _scheduled(ctx: Context) -> list[EventFact]:
    """A schedule of the clusters' meetings ("STT | Cụm, khối thi đua | Thời gian | Địa điểm" under "…
    lịch hội nghị tổng kết … như sau:"): one meeting a row, of the kind its time cell or the line
    introducing the table names, on the row's day (ANNOTATION.md: planned meetings count)."""
    out = []
    for row in tables.rows(ctx):
        cell, cluster = row.cells.get("time"), tables.cluster_of(ctx, row)
        if cell is None or cluster is None:
            continue
        kinds = _mentions(cell.text) or (_mentions(row.lead.text) if row.lead is not None else {})
        if not kinds:
            continue
        kind = "review" if "review" in kinds else next(iter(kinds))
        days = [iso for _, iso in find_dates(cell.text, ctx.pub_date) if iso and len(iso) == 10]
        where = row.cells.get("place")
        place = place_in(where.text, ctx.province) if where is not None else None
        out.append(
            make(
                EventFact,
                ctx,
                row.sentence,
                "events.mention.v1",
                0.85 if days else 0.7,
                kind=kind,
                date=days[0] if days else None,
                place=place.name if place else None,
                cluster=cluster,
            )
        )
    return out


def _scheduled_lines(ctx: Context) -> list[EventFact]:
    """A schedule written as list lines under a heading that names the meeting ("III. THỜI GIAN TỔ
    CHỨC KÝ KẾT GIAO ƯỚC THI ĐUA" / "- Cụm số 1: ngày 24/02/2023, tại huyện A;"): one meeting a
    line that opens with its cluster and gives its day (ANNOTATION.md: planned meetings count)."""
    out = []
    for s in ctx.sentences:
        line = grammar("events.schedule-line").match(s.text) if s.bullet else None
        if line is None or _mentions(s.text):
            continue
        heading = ctx.lead_of(s) or _heading_above(ctx, s)
        kinds = _mentions(heading.text) if heading is not None else {}
        if not kinds or general_work(heading.text if heading else ""):
            continue
        at = s.start + line.start("cluster")
        cluster = next((c for c in ctx.mentions_in(s) if c.start == at and not c.partial), None)
        days = [iso for _, iso in find_dates(s.text, ctx.pub_date) if iso and len(iso) == 10]
        if cluster is None or not days:
            continue
        kind = "review" if "review" in kinds else next(iter(kinds))
        place = place_in(s.text[line.end() :], ctx.province)
        out.append(
            make(
                EventFact,
                ctx,
                s,
                "events.mention.v1",
                0.85,
                kind=kind,
                date=days[0],
                place=place.name if place else None,
                cluster=ctx.display(cluster.name),
            )
        )
    return out


def _heading_above(ctx: Context, s: Sentence) -> Sentence | None:
    """The nearest line above a list line that is no list line itself (a section's heading)."""
    for before in reversed(ctx.sentences[max(0, s.index - _SCHEDULE_REACH) : s.index]):
        if not before.bullet:
            return before
    return None


_SCHEDULE_REACH = 8  # list lines between a schedule's heading and one of its lines, at most


def _each_clusters_meeting(ctx: Context, kept: list[Any]) -> list[Any]:
    """A report summing up several clusters' meetings ("4 cụm thi đua … đã lần lượt tổ chức tổng
    kết …") that then tells each cluster's meeting by its day without naming its kind ("Cụm thi đua
    số 1 (…) họp sáng 2/1"; "Hội nghị tổ chức ngày 6/1 tại huyện A") reports one event per meeting,
    of the kind the summary names."""
    opening = ctx.sentences[:_LEAD_REACH]
    lead = next((s for s in opening if _SEVERAL_DONE.search(lower_in_place(s.text))), None)
    kinds = _mentions(lead.text) if lead is not None else {}
    if lead is None or not kinds:
        return []
    kind = "review" if "review" in kinds else next(iter(kinds))
    told = {(f.kind, f.date) for f in kept}
    out = []
    for s in ctx.sentences[lead.index + 1 :]:
        if not _MEETING_TOLD.search(s.text) or _mentions(s.text) or general_work(s.text):
            continue  # a sentence naming its meeting's kind is read as any other
        day = next((d for d in ctx.dates_in(s) if len(d) == 10), None)
        # the cluster is named in the sentence, or in the one before it on its line ("- Cụm … gồm A,
        # B. Hội nghị tổ chức ngày 6/1 …")
        before = ctx.sentences[s.index - 1] if s.index and ctx.sentences[s.index - 1].line == s.line else s
        cluster = next((c.name for c in ctx.clusters if before.start <= c.start < s.end), None)
        if day is None or cluster is None or (kind, day) in told:
            continue
        told.add((kind, day))
        place = place_in(s.text, ctx.province)
        out.append(
            make(
                EventFact,
                ctx,
                s,
                "events.cluster-meeting.v1",
                0.7,
                kind=kind,
                date=day,
                place=place.name if place else None,
                cluster=ctx.display(cluster),
            )
        )
    return out


def _deploying_that_signed(found: list[Any], kept: list[Any]) -> list[Any]:
    """A dated meeting deploying the year's emulation ("hội nghị triển khai hoạt động thi đua năm …",
    online or not) that the report says, elsewhere and without a day of its own, also signed the
    covenant ("Hội nghị … với việc ký kết giao ước thi đua", a caption) is the signing, as it is when
    one sentence says both; a signing told as done before ("Trước đó, …") is not that meeting."""
    undated_signing = [f for f in found if f.kind == "signing" and not _gives_a_day(f.evidence.sentence)]
    if not undated_signing or any(f.kind == "signing" for f in kept):
        return kept
    if all(_SIGNED_BEFORE.search(f.evidence.sentence) for f in undated_signing):
        return kept
    return [
        f.model_copy(update={"kind": "signing"})
        if f.kind == "other" and f.date and _DEPLOYING.search(lower_in_place(f.evidence.sentence))
        else f
        for f in kept
    ]


_CLUSTER_WORD = re.compile(r"(?<![\w])(?:cụm|khối)(?![\w])", re.IGNORECASE)
_ACTIVITY = grammar("events.activity")
_GUEST_TITLE = grammar("events.guest-title")
_SPAN = grammar("events.span")


def _bodys_own_activity(ctx: Context, start: int) -> bool:
    """True for games, a show or a gathering told in a sentence that names no cluster, or names one
    only in a guest's role ("Đến dự có Cụm trưởng Cụm thi đua 1")."""
    sentence = ctx.sentence_at(start)
    return (
        sentence is not None
        and bool(_ACTIVITY.search(sentence.text))
        and not _CLUSTER_WORD.search(_GUEST_TITLE.sub(" ", sentence.text))
    )


def _without_closing(kept: list[Any]) -> list[Any]:
    """Games told by their opening day and again by their closing day ("… sẽ bế mạc vào ngày 4/6")
    are one event, on the first day (ANNOTATION.md: two-day events take the first day)."""
    games = [f for f in kept if f.kind == "other" and f.date]
    closing = [f for f in games if _CLOSING.search(f.evidence.sentence)]
    opened = [f.date for f in games if f not in closing]
    return [f for f in kept if f not in closing or not any(d < f.date for d in opened)]


def _first_day(ctx: Context, kept: list[Any]) -> list[Any]:
    """A meeting dated by a later day of the span the report gives it ("bế mạc chiều 24/9 …", then "diễn
    ra trong hai ngày (23 - 24/9)") is dated by the span's first day (ANNOTATION.md: events of several
    days take the first)."""
    spans = {
        f"{int(m.group('m')):02d}-{int(m.group('d2')):02d}": (int(m.group("m")), int(m.group("d1")))
        for s in ctx.gated("events")  # the span is told beside the meeting's own words
        for m in _SPAN.finditer(s.text)
        if int(m.group("d1")) < int(m.group("d2"))
    }
    out = []
    for f in kept:
        first = spans.get(f.date[5:]) if f.date and len(f.date) == 10 else None
        out.append(
            f.model_copy(update={"date": f"{f.date[:4]}-{first[0]:02d}-{first[1]:02d}"}) if first else f
        )
    return out


def _early_signing(ctx: Context, kept: list[Any]) -> list[Any]:
    """The covenant signed "ngay từ đầu năm" that a later meeting looks back on is a meeting of its own,
    undated ("Ngay từ đầu năm, các đơn vị trong Khối đã tổ chức ký kết giao ước thi đua.")."""
    if any(f.kind == "signing" for f in kept):
        return []
    s = next((s for s in ctx.gated("events") if _EARLY_SIGNING.search(s.text)), None)
    if s is None:
        return []
    return [
        make(
            EventFact,
            ctx,
            s,
            "events.mention.v1",
            0.7,
            kind="signing",
            date=None,
            place=None,
            cluster=ctx.cluster_at(s.start),
        )
    ]


def _implied_review(ctx: Context, found: list[Any]) -> list[Any]:
    """A report of a cluster's meeting that names no meeting kind at all but tells what a review
    does (votes, proposals for awards, the year's results presented) reports a review, undated
    unless the article dates its meeting; not where the meeting it tells is a body's review of its
    general work ("UBND huyện tổ chức Hội nghị tổng kết công tác năm 2023")."""
    if found or not ctx.clusters or not _REVIEW_CONTENT.search(ctx.text):
        return found
    if any(general_work(s.text) for s in ctx.gated("events") if "review" in _mentions(s.text)):
        return found  # the meeting told is the body's general work conference, where the votes are recalled
    at = next((s for s in ctx.sentences if _AT_MEETING.match(s.text) or _CHAIR_PRESIDES.search(s.text)), None)
    if at is None:
        return found
    review = make(
        EventFact,
        ctx,
        at,
        "events.implied-review.v1",
        0.6,
        kind="review",
        date=ctx.event_date,
        place=None,
        cluster=ctx.cluster_at(at.start),
    )
    return [review]


def _kept(f: Any, reviews: set[str], own: set[int], days: set[str]) -> bool:
    """A dated mention, unless a review that day is the same meeting; a mention that borrows the
    article's date is kept only where no mention of its kind gives its own day (`days` holds the days
    and the kinds of those that do)."""
    kind_ok = f.kind in ("review", "other") or f.date not in reviews
    return bool(f.date) and kind_ok and (id(f) in own or (f.date not in days and f.kind not in days))


def _planned(f: Any) -> bool:
    """True for an undated meeting its sentence announces for later (ANNOTATION.md: planned meetings
    count)."""
    return not f.date and grammar("events.planned-meeting").search(f.evidence.sentence) is not None


def _undated_kept(f: Any, dated: set[str], joined: set[str]) -> bool:
    if _planned(f):
        return True  # a meeting announced for later is none of those the report dates
    return not f.date and f.kind not in dated and f.kind not in joined and not (dated and f.kind != "review")


_SAME_DAY = re.compile(r"\W*(?:(?:sáng|chiều|tối|trưa)\s+)?cùng ngày(?![\w])", re.IGNORECASE)


def _gives_a_day(text: str) -> bool:
    return bool(undated(text)) or any(iso for _, iso in find_dates(text, None))


def _all_kinds(text: str) -> set[str]:
    lowered = lower_in_place(text)
    return {kind for pattern, kind, _ in _kinds() if pattern.search(lowered)}
