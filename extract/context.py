"""What the whole article tells each sentence: clusters, province, meeting date and place, years."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from corpus import textkeys
from extract import gazetteer, nlp
from extract.cluster import ClusterMention, find
from extract.dateline import dateline_span, day_first_dates, without_stamp
from extract.dates import find_dates, parse_iso
from extract.debris import without_related
from extract.lexicon import compiled, grammar, load, lowered_grammar
from extract.sentences import Sentence, gated_extractors, split, trigger_openings, triggers
from extract.units import Unit, mention, name_of, parse

if TYPE_CHECKING:
    from extract.tables import Row

_CONTEXT_SENTENCES = 60
_REVIEWED = lowered_grammar("context.reviewed")  # searched in the lower-cased text
_QUOTED_TITLE = re.compile(r"“[^“”\n]{1,150}”")
_COVENANT = lowered_grammar("context.covenant")  # searched in the lower-cased text
_ASSIGNED = lowered_grammar("context.assigned")  # searched in the lower-cased text
_ASSIGNING_WORDS = ("giao nhiệm vụ", "thành lập", "chia", "kiện toàn", "phân công")  # context.assigned's
_CROSS_NAME = grammar("context.cross-province")
_YEAR_HEADING = grammar("context.year-heading")
_HEADING_REACH = 4
_LEAD_REACH = 8
_DAY_FIRST = grammar("context.day-first")
_PRINT_STAMP = grammar("context.print-stamp")
_PRINT_STAMP_BEFORE = grammar("context.print-stamp-before")
_CROSS_NEAR = grammar("context.cross-province-near")
_GENERAL_WORK = grammar("events.general-work")
_DEFENCE_WORK = grammar("events.defence-work")
_NEAR = 100
_BARE_PERSON_NAMES = frozenset(str(n) for n in load("units")["bare_person_names"])


@dataclass
class Context:
    """The article as the extractors see it: `text` with the line breaks inside a sentence read as spaces
    (a hard-wrapped line cuts no name), `written` as given (evidence quotes it)."""

    text: str
    sentences: list[Sentence]
    published: str | None = None
    url: str | None = None
    article_id: str | None = None
    pub_date: date | None = None
    clusters: list[ClusterMention] = field(default_factory=list)
    province: str | None = None
    host: Unit | None = None
    subject: tuple[Unit | None] | None = None  # the unit the report is about (extract/anaphora.py), once read
    focal: Unit | None = None
    reviewed_year: int | None = None
    covenant_year: int | None = None
    assigned_year: int | None = None  # "Giao nhiệm vụ cụm, khối thi đua năm 2018": its roles
    event_date: str | None = None
    dateline: tuple[int, int] | None = None
    _gated: dict[str | None, list[Sentence]] = field(default_factory=dict, repr=False)
    _triggered: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _lower: list[str] | None = field(default=None, repr=False)
    _whole: str = field(default="", repr=False)
    _lower_starts: list[int] = field(default_factory=list, repr=False)  # where each one starts in _whole
    _dated: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _named_cache: tuple[list[ClusterMention], list[int]] | None = field(default=None, repr=False)
    _ends: dict[int, ClusterMention] | None = field(default=None, repr=False)
    _spellings: dict[str, str] | None = field(default=None, repr=False)
    _by_sentence: dict[int, list[ClusterMention]] | None = field(default=None, repr=False)
    table_rows: list[Row] | None = field(default=None, repr=False)  # extract/tables.py `rows`, read once
    analysed: set[int] = field(default_factory=set)
    written: str = ""  # the text as given; `text` itself when no line break was read as a space

    def __post_init__(self) -> None:
        self.written = self.written or self.text

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding character `offset` (a binary search over their starts, read once)."""
        if self._starts is None:
            self._starts = [s.start for s in self.sentences]
        starts = self._starts
        i = bisect.bisect_right(starts, offset) - 1
        return self.sentences[i] if i >= 0 and offset <= self.sentences[i].end else None

    def in_dateline(self, offset: int) -> bool:
        """True when `offset` falls inside the report's own dateline (its publication stamp)."""
        return self.dateline is not None and self.dateline[0] <= offset < self.dateline[1]

    def dates_in(self, sentence: Sentence) -> list[str]:
        """The dates `sentence` gives, outside the dateline, in order; none when its first day cannot
        be yeared ("Tối 12/9, …" with no dateline): that is the meeting's day, a later date
        ("… tháng 11/2019") another one. Read once per sentence of the article."""
        if sentence.index not in self._dated:
            self._dated[sentence.index] = self._read_dates(sentence)
        return self._dated[sentence.index]

    def _read_dates(self, sentence: Sentence) -> list[str]:
        own = [
            (at, iso)
            for at, iso in find_dates(sentence.text, self.pub_date)
            if not self.in_dateline(sentence.start + at) and not _printed(sentence.text, at)
        ]
        # a date a meeting was moved from ("dự kiến ngày 20/12, nay dời sang ngày 27/12") is no date of it
        nexts: list[tuple[int, str | None] | None] = [*own[1:], None]
        own = [
            d
            for d, after in zip(own, nexts[: len(own)], strict=True)
            if not _moved_from(sentence.text, d, after)
        ]
        return [iso for _, iso in own if iso] if not own or own[0][1] else []

    def cluster_at(self, offset: int) -> str | None:
        """The cluster in force at `offset`: the last one named before it, else the first one."""
        named, starts = self._named()  # a cut name ("Cụm thi đua các") names nothing
        i = bisect.bisect_right(starts, offset) - 1
        found = named[i] if i >= 0 else named[0] if named else None
        while found is not None and (outer := self.enclosing(found)) is not None:
            found = outer
        return self.display(found.name) if found else None

    def mentions_in(self, sentence: Sentence) -> list[ClusterMention]:
        """The cluster mentions that start inside `sentence` (grouped once per article)."""
        if self._by_sentence is None:
            self._by_sentence = {}
            for c in self.clusters:
                holder = self.sentence_at(c.start)
                if holder is not None and c.start < holder.end:
                    self._by_sentence.setdefault(holder.index, []).append(c)
        return self._by_sentence.get(sentence.index, [])

    def _named(self) -> tuple[list[ClusterMention], list[int]]:
        """The mentions that put a cluster in force: not a cut name, nor another cluster named among a
        meeting's guests ("Tham dự hội nghị có … đơn vị Cụm trưởng Cụm thi đua số 6")."""
        if self._named_cache is None:
            named = [c for c in self.clusters if not c.partial]
            hosts = [c for c in named if not self._a_guests(c, named[0])] if named else []
            self._named_cache = (hosts, [c.start for c in hosts])
        return self._named_cache

    def _a_guests(self, mention: ClusterMention, first: ClusterMention) -> bool:
        sentence = self.sentence_at(mention.start)
        if sentence is None or _name_key(mention.name) == _name_key(first.name):
            return False
        return _GUEST.search(sentence.text, 0, mention.start - sentence.start) is not None

    def enclosing(self, mention: ClusterMention) -> ClusterMention | None:
        """The cluster a mention qualifies when it follows another's name at once ("Cụm thi đua
        số 1 khối các huyện", "Cụm thi đua số 4 - Khối các đơn vị trực thuộc Bộ": the khối locates
        Cụm số 1, Cụm số 4)."""
        named, _ = self._named()
        if self._ends is None:
            self._ends = {}
            for c in named:
                self._ends.setdefault(c.end, c)
        for gap in (3, 2, 1, 0):
            outer = self._ends.get(mention.start - gap)
            if outer is not None and _JOINER.fullmatch(self.text, outer.end, mention.start):
                return outer
        return None

    def display(self, name: str) -> str:
        """The first spelling the article gives a cluster name."""
        if self._spellings is None:
            self._spellings = {}
            for c in self.clusters:
                self._spellings.setdefault(_name_key(c.name), c.name)
        return self._spellings.get(_name_key(name), name)

    def gated(self, extractor: str | None = None) -> list[Sentence]:
        """Sentences holding a trigger word of `extractor` (of any extractor when None); computed once.
        Any extractor's sentences are the union of each one's, which every article computes anyway:
        one scan with the union of all triggers would cost as much again."""
        if extractor not in self._gated:
            names = gated_extractors() if extractor is None else (extractor,)
            found = (self._hits(trigger, pattern) for name in names for trigger, pattern in triggers(name))
            held = {i for hits in found for i in hits}
            self._gated[extractor] = [s for s in self.sentences if s.index in held]
        return self._gated[extractor]

    def lowered(self) -> list[str]:
        """Each sentence's text lower-cased, in order (computed once): searching lower-cased text with
        a lower-case pattern is several times faster than a case-insensitive search."""
        if self._lower is None:
            self._lower = [textkeys.lower_in_place(s.text) for s in self.sentences]
            self._whole = "\n".join(self._lower)
            at = 0
            for low in self._lower:
                self._lower_starts.append(at)
                at += len(low) + 1
        return self._lower

    def _holding(self, words: tuple[str, ...]) -> list[int]:
        """Indexes, in order, of the sentences whose lower-cased text may hold one of `words`: each
        word is found in the whole text, not tested sentence by sentence (a superset: a word across
        two sentences' joint counts too, and the trigger's own search decides)."""
        whole, starts, held = self._whole, self._lower_starts, set()
        for word in words:
            at = whole.find(word)
            while at >= 0:
                i = bisect.bisect_right(starts, at) - 1
                held.add(i)
                at = whole.find(word, starts[i + 1]) if i + 1 < len(starts) else -1
        return sorted(held)

    def _hits(self, trigger: str, pattern: re.Pattern[str]) -> list[int]:
        """Indexes of the sentences one trigger finds; each trigger is searched once per article."""
        if trigger not in self._triggered:
            lowered = self.lowered()
            words = trigger_openings(trigger)
            # only the sentences holding one of the trigger's opening words are searched
            candidates = range(len(lowered)) if words is None else self._holding(words)
            self._triggered[trigger] = [i for i in candidates if pattern.search(lowered[i])]
        return self._triggered[trigger]

    def heading_year(self, sentence: Sentence) -> int | None:
        """The year heading the passage of `sentence`: "Năm 2020, …" opening it or one of the few
        sentences before it."""
        for s in reversed(self.sentences[max(0, sentence.index - _HEADING_REACH) : sentence.index + 1]):
            m = _YEAR_HEADING.match(s.text)
            if m:
                return int(m.group("y"))
        return None

    def only_heading_year(self, sentence: Sentence) -> int | None:
        """The year every passage up to `sentence` is headed by ("Năm 2015, …"), if they agree on one."""
        years = {
            int(m.group("y"))
            for s in self.sentences[: sentence.index + 1]
            if (m := _YEAR_HEADING.match(s.text))
        }
        return years.pop() if len(years) == 1 else None

    def names(self, sentence: Sentence) -> list[nlp.Name]:
        """Name candidates of the NLP layer (extract/nlp.py); the sentence is counted as analysed."""
        self.analysed.add(sentence.index)
        return nlp.names(sentence.text, use_ner=nlp.ner_enabled())

    def lead_of(self, sentence: Sentence) -> Sentence | None:
        """The line ending in ':' that introduces a bullet sentence."""
        return self.sentences[sentence.lead] if sentence.lead is not None else None


_GUEST = grammar("context.guest")
_JOINER = re.compile(r"\s*[-–,]?\s*")  # between a cluster's name and the bloc that locates it


def _name_key(name: str) -> str:
    return textkeys.spaced_lower(name.replace("–", "-"))


@lru_cache(maxsize=1)
def _event_trigger() -> tuple[str, re.Pattern[str]]:
    """The gate's trigger for any event mention (review, signing, launch), searched in lower-cased text."""
    return next(t for t in triggers("events") if t[0] == "events")


@lru_cache(maxsize=1)
def place_pattern() -> re.Pattern[str]:
    return compiled(str(load("events")["place"]))


def place_in(text: str, province: str | None) -> Unit | None:
    """The unit after "tại" in `text`, if it names one."""
    for m in place_pattern().finditer(text):
        found = mention().search(m.group("place"))
        if found and found.start() < 25:
            return parse(found.group(0), province)
    return None


def _province_kind(kind: str | None) -> bool:
    """ "tỉnh X", or "thành phố X" / "TP X" naming a city of province rank (Hà Nội, Cần Thơ)."""
    return kind is not None and kind.lower().rstrip(".") in {"tỉnh", "thành phố", "tp"}


def _province(found: list[re.Match[str]], clusters: list[ClusterMention]) -> str | None:
    counts: Counter[str] = Counter(c.province for c in clusters if c.province)
    for m in found:
        place = gazetteer.lookup(name_of(m))
        if place is None:
            continue
        if _province_kind(m.group("kind")) and gazetteer.is_province(place.name):
            counts[place.name] += 3
        elif (
            place.kind != "tỉnh"
            and place.name != place.province
            and len(gazetteer.index()[place.name.casefold()]) == 1
        ):
            counts[place.province] += 1
    return counts.most_common(1)[0][0] if counts else None


def _cross_province(
    text: str, found: list[tuple[Sentence, re.Match[str]]], clusters: list[ClusterMention]
) -> bool:
    """A cluster of several provinces: its name says so ("các tỉnh Tây Nguyên", "5 tỉnh …") or the
    article names two provinces or more. Its units are then read without a home province."""
    if any(_CROSS_NAME.search(c.name) for c in clusters):
        return True
    for c in clusters:  # described beside its name ("Cụm thi đua số 4 - Hội Chữ thập đỏ các tỉnh …")
        for m in _CROSS_NEAR.finditer(text, max(0, c.start - _NEAR), c.end + _NEAR):
            if not any(_own_number(other, m) for other in clusters):
                return True
    named = set()
    for _, m in found:
        name = name_of(m)
        place = gazetteer.lookup(name)
        if m.group("kind") is None and name in _BARE_PERSON_NAMES:
            continue  # "tư tưởng Hồ Chí Minh" names a person, not the city
        if gazetteer.is_province(name) and (m.group("kind") is None or _province_kind(m.group("kind"))):
            named.add(place.province if place else name)
    return len(named) >= 2


def _own_number(cluster: ClusterMention, m: re.Match[str]) -> bool:
    """True when "7 tỉnh" is the bloc's own number before its province ("khối thi đua 7 tỉnh Kiên
    Giang": bloc 7 of one province), no count of provinces."""
    return (
        cluster.start <= m.start() < cluster.end and m.group(0).split()[0] == cluster.name.rsplit(" ", 1)[-1]
    )


def _focal(found: list[tuple[Sentence, re.Match[str]]], province: str | None) -> Unit | None:
    counts: Counter[str] = Counter()
    for s, m in found:
        place = gazetteer.lookup(name_of(m), province)
        if place and place.name != place.province and (province is None or place.province == province):
            counts[place.name] += 3 if s.line <= 4 else 1
    if not counts:
        return None
    return parse(counts.most_common(1)[0][0], province)


def unwrapped(text: str, sentences: list[Sentence]) -> str:
    """`text` with each line break inside a sentence a space (offsets kept): the breaks `split` joins."""
    starts, inside = [s.start for s in sentences], []
    at = text.find("\n")
    while at != -1:
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and at < sentences[i].end:
            inside.append(at)
        at = text.find("\n", at + 1)
    if not inside:
        return text
    pieces, last = [], 0
    for at in inside:
        pieces += [text[last:at], " "]
        last = at + 1
    return "".join(pieces) + text[last:]


def build(text: str, published: str | None, url: str | None, article_id: str | None) -> Context:
    """Read the article once for the context every extractor shares."""
    text = without_related(text)  # other pages' headlines listed under "Tin liên quan": no facts
    sentences = split(without_stamp(text))
    pub_date = given = parse_iso(published)
    dateline = dateline_span(text) or _printed_near_top(text)
    if pub_date is None and dateline is not None:
        pub_date = dateline[0]
        published = pub_date.isoformat()
    ctx = Context(unwrapped(text, sentences), sentences, published, url, article_id, pub_date, written=text)
    ctx.dateline = (dateline[1], dateline[2]) if dateline else None
    text = ctx.text
    ctx.clusters = find(text)
    found = [(s, m) for s in ctx.gated()[:_CONTEXT_SENTENCES] for m in mention().finditer(s.text)]
    cross = _cross_province(text, found, ctx.clusters)
    ctx.province = None if cross else _province([m for _, m in found], ctx.clusters)
    ctx.focal = _focal(found, ctx.province)
    lowered = textkeys.lower_in_place(text)
    # "tổng kết … “Tên” năm X": the quoted title is read through
    m = _REVIEWED.search(_QUOTED_TITLE.sub("“”", lowered) if "“" in lowered else lowered)
    ctx.reviewed_year = int(m.group("y")) if m else None
    m = _COVENANT.search(lowered)
    ctx.covenant_year = int(m.group("y")) if m else None
    if given is None and _stamp_before_its_year(ctx):
        ctx.pub_date, ctx.published = None, None  # a header's or clock's date, not the report's
    m = _ASSIGNED.search(lowered) if any(w in lowered for w in _ASSIGNING_WORDS) else None  # cheap look first
    ctx.assigned_year = int(m.group("y")) if m else None
    mentioned = set(ctx._hits(*_event_trigger()))  # the gate's own search for event mentions
    for s in sentences:
        if s.index not in mentioned or general_work(s.text):
            continue
        dated = [d for d in ctx.dates_in(s) if len(d) == 10]  # a month alone may be a meeting planned
        if dated:
            ctx.event_date = dated[0]
            ctx.host = place_in(s.text, ctx.province)
            break
    if ctx.event_date is None:
        ctx.event_date = _day_opening_a_cluster_sentence(ctx) or _time_line(text)
    if ctx.host is None:
        ctx.host = next((u for s in sentences[:6] if (u := place_in(s.text, ctx.province))), None)
    return ctx


def _moved_from(text: str, date: tuple[int, str | None], after: tuple[int, str | None] | None) -> bool:
    """True when the next date is the one the meeting was moved to from this one."""
    if after is None:
        return False
    words_end = text.find(" ", date[0] + 1)  # past the date's own first word ("20/12")
    between = text[words_end if 0 <= words_end < after[0] else date[0] : after[0]]
    return grammar("dates.moved").match(between) is not None


def _stamp_before_its_year(ctx: Context) -> bool:
    """Whether the date read from the text is older than the year the report reviews, or more than a
    year older than the covenant it signs ("Thứ 6 - 26/02/2016" above a review of 2024 and a covenant
    for 2025): no report is written before its meeting's year, so the date is a page header's."""
    if ctx.pub_date is None:
        return False
    year = ctx.pub_date.year
    return (ctx.reviewed_year is not None and year < ctx.reviewed_year) or (
        ctx.covenant_year is not None and year < ctx.covenant_year - 1
    )


def general_work(text: str, start: int = 0, end: int | None = None) -> bool:
    """True for a review (between `start` and `end`) of a body's general work, no emulation meeting:
    the sentence names no emulation at all, or the review is of military and defence work and names
    none ("UBND huyện tổ chức hội nghị tổng kết công tác quốc phòng, quân sự năm 2021")."""
    defence = _DEFENCE_WORK.search(text, start)
    return bool(_GENERAL_WORK.match(text)) or (defence is not None and defence.start() <= (end or len(text)))


def _day_opening_a_cluster_sentence(ctx: Context) -> str | None:
    """The meeting's day where no event sentence gives one: a lead that opens with a day and names
    the cluster ("Sáng 8/12, Cụm thi đua số 4 …, Dự Hội nghị có …"), within the first sentences."""
    for s in ctx.sentences[:_LEAD_REACH]:
        if _DAY_FIRST.match(s.text) and ctx.mentions_in(s):
            dated = ctx.dates_in(s)
            if dated:
                return dated[0]
    return None


def _time_line(text: str) -> str | None:
    """The meeting's day a plan or minutes give on their own line ("Thời gian: 08 giờ 00, ngày
    25/01/2024", "Vào hồi 08 giờ 00, ngày 09/01/2026, tại …"), when the document gives one such day."""
    days = {_iso_day(m) for m in grammar("context.time-line").finditer(text)} - {None}
    return days.pop() if len(days) == 1 else None


def _iso_day(m: re.Match[str]) -> str | None:
    try:
        return date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:
        return None


_TOP = 400  # a flattened page's title, byline and stamp come first


def _printed_near_top(text: str) -> tuple[date, int, int] | None:
    """The page's print stamp at the top of a text flattened to one line ("… Hội thao Khối … 09:15 - Thứ
    Hai, 10/04/2023 ĐBP - Ngày 8/4, …"), where no dateline opens a line: the report's timestamp, which
    ANNOTATION.md reads as its dateline."""
    return next((found for found in day_first_dates(text, _TOP) if _printed(text, found[1])), None)


def _printed(text: str, at: int) -> bool:
    """True when the date at `at` is a page's print stamp (with a clock time or a views counter),
    found mid-line where a text was flattened: no meeting's date."""
    if _PRINT_STAMP.match(text, at):
        return True
    # a date led by its word ("Sáng 13-3", "Ngày 5/1") opens a sentence the stamp's clock only precedes
    return not text[at : at + 1].isalpha() and bool(_PRINT_STAMP_BEFORE.search(text, max(0, at - 24), at))
