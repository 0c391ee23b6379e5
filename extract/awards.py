"""Awards to named recipients: award, conferring body, year achieved, proposed or conferred."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from extract import award_recipients as recipients
from extract import award_records, gazetteer, tables
from extract.dates import nearest_year, one_year
from extract.facts import clause_at, cut_at, fold, make, per_sentence
from extract.lexicon import compiled, entries, grammar, load, words
from extract.models import AwardFact
from extract.registry import rule
from extract.sentences import BULLET
from extract.units import NAME, Unit, bare_head, is_org, mask, parse, unit_after, unit_before

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_TALLY = grammar("awards.tally")
_SPLIT = grammar("awards.split")
_PERIOD = grammar("dates.period")
_BARE_RECIPIENT = grammar("awards.bare-recipient")
_VERB_BEFORE_AWARD = grammar("awards.verb-before-award")
_SCORE_ASIDE = grammar("awards.score-aside")
_REVIEW_OPENER = grammar("awards.review-opener")
_RECEIVED = grammar("awards.received")
_NAMED, _LEADING = "awards.named.v1", "awards.leading.v1"
_ACHIEVED = grammar("awards.achievement-year")
_TITLE_LINES = 5  # a title ("Giải bóng đá …") may follow a site's stamps and banner
_RATED_BY = grammar("units.rated-by")


@lru_cache(maxsize=1)
def award_pattern() -> re.Pattern[str]:
    """Any award name (longest first, whole words)."""
    return compiled(words(entries("awards", "awards")))


@lru_cache(maxsize=1)
def _bodies() -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    items = sorted(entries("bodies", "bodies"), key=lambda e: len(str(e["pattern"])), reverse=True)
    return [(compiled(rf"(?<![\w])(?:{e['pattern']})(?![\w])"), e) for e in items]


@lru_cache(maxsize=1)
def _status_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return compiled(words(entries("award_verbs", "proposed"))), compiled(
        words(entries("award_verbs", "conferred"))
    )


@lru_cache(maxsize=1)
def _leading() -> tuple[re.Pattern[str], str]:
    data = load("award_verbs")["leading"]
    return compiled(str(data["pattern"])), str(data["award"])


@lru_cache(maxsize=1)
def _stated_leading() -> re.Pattern[str]:
    return compiled(str(load("award_verbs")["leading"]["stated"]))


def award_entry(award_id: str | None) -> dict[str, Any]:
    return next((e for e in entries("awards", "awards") if e["id"] == award_id), {})


def _award_id(text: str) -> str | None:
    for item in entries("awards", "awards"):
        if compiled(f"^(?:{item['pattern']})$").match(text):
            return str(item["id"])
    return None


_YEAR_BEFORE_BODY = re.compile(r"^\s+năm\s+(?:19|20)\d{2}(?=\s+(?:của|do)\s)", re.IGNORECASE)


def _award_name(text: str) -> str:
    """The award as written, quote marks and a colon inside it dropped, first letter capitalised."""
    name = " ".join(re.sub(r"[“”\"]|(?<=^cờ)\s*:", " ", text, flags=re.IGNORECASE).split())
    return name[0].upper() + name[1:]


def _body_at_start(text: str) -> str | None:
    text = _YEAR_BEFORE_BODY.sub("", text, count=1)  # "Cờ thi đua năm 2019 của Chính phủ": the year first
    m = grammar("awards.body-intro").match(text)
    if not m:
        return None
    rest = text[m.end() :]
    for pattern, item in _bodies():
        found = pattern.match(rest)
        if found:
            return str(item["name"] or found.group(0))
    return None


def _body_in_verb(pre: str) -> str | None:
    """The body right before the award's verb: "được UBND tỉnh tặng", "đề nghị Chính phủ tặng"."""
    tail = pre[-120:]
    hits = [(m.end(), m, item) for pattern, item in _bodies() for m in pattern.finditer(tail)]
    for _, m, item in sorted(hits, key=lambda h: (h[0], len(h[1].group(0))), reverse=True):
        if _VERB_BEFORE_AWARD.match(tail[m.end() :]):
            return str(item["name"] or m.group(0))
    return None


def _body_from_lead(lead: str, award_id: str | None) -> str | None:
    found = ((m, item) for pattern, item in _bodies() for m in pattern.finditer(lead))
    hits = [(m.start(), m.end(), m.group(0), item) for m, item in found]
    hits = sorted(h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o != h for o in hits))
    for _, _, text, item in hits:
        if award_id in item.get("awards", []):
            return str(item["name"] or text)
    return str(hits[0][3]["name"] or hits[0][2]) if hits else None


def _status(scope: str) -> str | None:
    proposed, conferred = _status_words()
    if proposed.search(scope):
        return "proposed"
    return "conferred" if conferred.search(scope) else None


def _own_clause_status(lead: str, pre: str) -> str | None:
    """ "conferred" for an award its own clause says a unit received ("A được đề nghị tặng Cờ thi đua;
    B được tặng Bằng khen"): a passive conferral with no proposal in the clause after the last ";", and
    no proposal opening a list with a colon before it (under "đề nghị khen thưởng: A được tặng …" all
    is proposed; under "Kết quả: …" each clause says its own)."""
    proposed, _ = _status_words()
    if lead or proposed.search(pre.rpartition(":")[0]):
        return None
    clause = pre[pre.rfind(";") + 1 :]
    return "conferred" if _RECEIVED.search(clause) and not proposed.search(clause) else None


def _links_reviewed_year(text: str) -> bool:
    """Whether the text ties its awards to the reviewed period ("Trong năm qua", "Dịp này", "Kết quả:")."""
    return bool(grammar("awards.year-recap").search(text) or grammar("awards.occasion").search(text))


def _paragraph_opened_by_link(ctx: Context, s: Sentence) -> bool:
    """Whether the paragraph of `s` opens with the words that tie its awards to the reviewed period
    ("Dịp này, … tặng Bằng khen cho 14 tập thể. A và B vinh dự đón nhận Cờ thi đua …")."""
    first = s
    while first.index > 0 and ctx.sentences[first.index - 1].line == s.line:
        first = ctx.sentences[first.index - 1]
    return first is not s and grammar("awards.occasion-opening").match(first.text) is not None


def _year(ctx: Context, s: Sentence, lead: str, at: int, status: str | None) -> int | None:
    start, clause = clause_at(s.text, at)
    if _PERIOD.search(clause):
        return None
    # what the award is for ("vì … dẫn đầu phong trào thi đua năm 2016") holds its year, in the award's
    # clause or after the last of its recipients ("cho A; B vì …")
    achieved = _ACHIEVED.search(clause) or _ACHIEVED.search(s.text, at)
    if achieved:
        return int(achieved.group("y"))
    year = nearest_year(clause, at - start) or one_year(lead)
    # the sentence's one year, not from a clause after a semicolon ("… tặng Cờ thi đua; bầu A làm Cụm
    # trưởng năm 2016": the term's year), before any link to the reviewed year (ANNOTATION.md: the
    # same sentence first)
    semicolon = s.text.find(";", at)
    year = year or one_year(s.text if semicolon < 0 else s.text[:semicolon])
    # a list's line takes the link its lead line makes ("Dịp này, … được khen thưởng, cụ thể:")
    if year is None and (
        status == "proposed"
        or any(_links_reviewed_year(text) for text in (s.text, lead))
        or _paragraph_opened_by_link(ctx, s)
    ):
        year = ctx.reviewed_year or ctx.heading_year(s) or ctx.only_heading_year(s)
    return year


def _voted(ctx: Context, pre: str) -> list[Unit]:
    """Units voted for right before a proposal of the award: "bình chọn A, B đề nghị UBND tỉnh
    tặng Bằng khen" -> A, B (every piece must name a unit)."""
    earlier, _, last = pre.rpartition(";")
    m = grammar("awards.voted-list").search(last)
    if m is None and _status_words()[0].search(earlier):
        # "bình xét A để đề nghị tặng Cờ thi đua; B, C để đề nghị tặng Bằng khen": the vote goes on
        m = grammar("awards.voted-list").search(f"bình xét {last.lstrip()}")
    if m is None:
        return []
    tail = grammar("awards.belonging-tail")
    units = [parse(tail.sub("", piece), ctx.province) for piece in _SPLIT.split(mask(m.group("list")))]
    return [u for u in units if u is not None] if units and all(units) else []


_CLAUSE_START = re.compile(r"(?:^|[;:\n•+])\s*[-–]?\s*$")  # nothing before the award in its clause
_COUNTED_PLACES = re.compile(r"\d+\s+(?:xã|phường|huyện|tỉnh|thị trấn|thị xã|quận)(?![\w])", re.IGNORECASE)


def _recipients(ctx: Context, s: Sentence, m: re.Match[str], leading: list[Unit]) -> list[Unit]:
    """The units an award goes to: a list after it ("cho 03 đơn vị: A, B", ": A, B", "cho A"), else
    the subject before its verb, else units voted for just before; a count before it without a
    list ("28 tập thể được tặng Bằng khen") is a tally, not an award."""
    pre, post = s.text[: m.start()], re.sub(r"^\s*[”\"]", " ", s.text[m.end() :])  # "tặng “Cờ thi đua” cho"
    counted = grammar("awards.counted-list").match(post)
    if counted:
        rest = post[counted.end() :]
        bracketed = counted.group("open") == "("
        listed = recipients.listed_after(ctx, s, rest.split(")", 1)[0] if bracketed else rest, True)
        # fewer than counted: "cho 04 đơn vị: Sở A; Giáo dục và Đào tạo; …", the items as written
        if len(listed) < int(counted.group("n")) and not bracketed:
            of_places = _COUNTED_PLACES.search(counted.group(0)) is not None
            return recipients.items_as_written(ctx, rest, int(counted.group("n")), of_places) or listed
        return listed
    stop = grammar("awards.counted-then-stop").match(post)
    if stop and s.index + 1 < len(ctx.sentences):  # "… cho 8 tập thể … năm 2021." "Cụ thể: A; B; …"
        following = ctx.sentences[s.index + 1]
        if cue := grammar("awards.list-cue").match(following.text):
            named = recipients.listed_after(ctx, following, _unlabelled(following.text[cue.end() :]), True)
            return named if len(named) == int(stop.group("n")) else []
    places = grammar("awards.counted-places-named").match(post)
    if places:  # "cho 2 huyện A và B": as many localities named as counted, else a tally
        named = recipients.listed_after(ctx, s, post[places.end() :], False)
        return named if len(named) == int(places.group("n")) else []
    also = grammar("awards.co-recipients").match(post)  # "X được tặng … cùng với 4 tập thể: A, B"
    if also:
        first = recipients.subject(ctx, s, pre, _collective(m)) or []
        count = int(also.group("n")) if also.group("n") else None
        return first + recipients.counted_list(ctx, s, post[also.end() :], count)
    colon = grammar("awards.colon-list").match(post)
    if colon:
        listed = recipients.listed_after(ctx, s, _unlabelled(post[colon.end() :]), True)
        if listed:
            return listed
    numbered = grammar("awards.counted-award").search(pre[-6:])
    giver = grammar("awards.giver-before-bracket").match(post) if numbered else None
    bracket = post[giver.end() :] if giver else post  # "02 Cờ thi đua của UBND tỉnh (A, B)"
    if numbered and bracket.lstrip().startswith("("):  # "03 giải Nhì (A, B, C)": as many as counted
        inner = bracket.split("(", 1)[1].split(")", 1)[0]
        return recipients.counted_list(ctx, s, inner, int(numbered.group("n")))
    own = pre[pre.rfind(";") + 1 :]  # a count before a ";" is its clause's ("cho 2 đơn vị là A và B;")
    counted_before = grammar("awards.count-before").search(own[-100:])
    named_after = grammar("awards.named-after-count").match(post) if counted_before else None
    if counted_before and named_after:  # "02 đơn vị được đề nghị tặng Bằng khen … là A và B"
        return recipients.counted_list(ctx, s, post[named_after.end() :], int(counted_before.group("n")))
    named_is = grammar("awards.named-after-is").match(post)
    if named_is:  # "… công nhận danh hiệu Tập thể lao động xuất sắc là A"
        listed = recipients.listed_after(ctx, s, post[named_is.end() :], False)
        if listed:
            return listed
    body_m = grammar("awards.body-phrase").match(post)
    after = post[body_m.end() :] if body_m else post
    bare = _BARE_RECIPIENT.match(after)
    if bare and bare.group("back"):  # "cho 02 đơn vị trên": the units voted for, not a tally
        return _referred_to(ctx, s, pre, bare, leading)
    one_of = grammar("awards.one-of-cue").search(own[-80:])  # "A là một trong 5 đơn vị được tặng"
    if (_TALLY.search(own[-60:]) and not one_of) or grammar("awards.counted-recipients").match(post):
        return []
    intro = grammar("awards.recipient-intro").match(after)
    if intro and not re.match(r"\s*\d", after[intro.end() :]):
        cluster = _cluster_at(ctx, s, len(s.text) - len(after) + intro.end())
        if cluster is not None:
            return [cluster]
        listed = recipients.listed_after(ctx, s, after[intro.end() :], False)
        if listed:
            return listed
    counted_leaders = _counted_leaders(ctx, own)
    if (
        counted_leaders is not None
    ):  # "A dẫn đầu Cụm số 1, B dẫn đầu Cụm số 2, hai đơn vị được đề nghị tặng …"
        return counted_leaders
    opening = grammar("awards.award-first").match(post) if _CLAUSE_START.search(pre) else None
    if opening is not None:  # "Bằng khen đề nghị tặng A và B": the award opens its clause
        proposed = recipients.listed_after(ctx, s, post[opening.end() :], False)
        if proposed:
            return proposed
    found = recipients.subject(ctx, s, pre, _collective(m))
    if found is not None:
        return [each for unit in found for each in recipients.two_of_one_kind(unit, ctx.province)]
    labelled = (
        _labelled(ctx, pre)
        or _labelled_proposal(ctx, s, pre)
        or _table_row(ctx, s, pre)
        or _leader_proposed(ctx, pre)
        or recipients.dative(ctx, pre)
    )
    if labelled:
        return labelled
    return _referred_to(ctx, s, pre, bare, leading) if bare else []


def _referred_to(ctx: Context, s: Sentence, pre: str, bare: re.Match[str], leading: list[Unit]) -> list[Unit]:
    """The units an award written with a bare kind refers back to: those voted for just before it,
    or the sentence's leaders, or, where a demonstrative points back ("Hội nghị suy tôn A và B là 02
    đơn vị dẫn đầu. Cụm đề nghị tặng Cờ thi đua cho 02 đơn vị trên"), the sentence before's."""
    units = _voted(ctx, pre) or leading
    if not units and bare.group("back") and s.index > 0:
        found = _leading_units(ctx, ctx.sentences[s.index - 1])
        units = found[1] if found else []
    return units if _as_counted(bare, units) else []


def _counted_leaders(ctx: Context, clause: str) -> list[Unit] | None:
    """The leaders a count as the subject points back to ("A dẫn đầu Cụm số 1, B dẫn đầu Cụm số 2,
    hai đơn vị được đề nghị tặng Bằng khen"): each unit stated to lead before it, as many as counted;
    none when their number differs (the count names other units); None without such a count."""
    m = grammar("awards.counted-subject").search(clause)
    if m is None:
        return None
    n = m.group("n")
    count = int(n) if n.isdigit() else _number_words().get(n.lower())
    before = clause[: m.start()]
    leaders = [
        unit_before(before[: lead.start()].rsplit(",", 1)[-1], ctx.province)
        for lead in _stated_leading().finditer(before)
    ]
    units = [u for u in leaders if u is not None]
    return units if count and len(units) == len(leaders) == count else []


def _as_counted(bare: re.Match[str], units: list[Unit]) -> bool:
    """False when the reference counts other than the units found ("cho 03 đơn vị trên" after two)."""
    n = bare.group("n")
    if n is None or (not n.isdigit() and n not in _number_words()):
        return True
    return len(units) == (int(n) if n.isdigit() else _number_words()[n])


@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    return {str(k): int(v) for k, v in load("counts")["number_words"].items()}


def _labelled(ctx: Context, pre: str) -> list[Unit]:
    """The unit written as a label right before the award ("- Sở Y tế: Cờ thi đua của UBND tỉnh"), when
    the label names a solid unit (a kind, a body, an agency or a known place), not "Kết quả:"."""
    return _solid_unit(ctx, grammar("awards.recipient-label").match(pre), "unit")


def _solid_unit(ctx: Context, m: re.Match[str] | None, group: str) -> list[Unit]:
    """The unit a match's `group` names, when it is solid (a kind, a body, an agency or a known place)."""
    unit = recipients.as_unit(m.group(group), ctx.province) if m else None
    return [unit] if unit is not None and recipients.solid(unit) else []


def _leader_proposed(ctx: Context, pre: str) -> list[Unit]:
    """The leader stated just before its award's proposal ("TP. A dẫn đầu, đề nghị UBND tỉnh tặng")."""
    return _solid_unit(ctx, grammar("awards.leader-proposed").search(pre), "unit")


def _table_row(ctx: Context, s: Sentence, pre: str) -> list[Unit]:
    """The unit of a flattened table's row under a lead line ("1 Công ty A Cờ thi đua UBND tỉnh")."""
    if not s.bullet or s.lead is None:
        return []
    return _solid_unit(ctx, grammar("awards.row-label").match(pre), "unit")


def _labelled_proposal(ctx: Context, s: Sentence, pre: str) -> list[Unit]:
    """Units written as a label with their award's proposal after the colon ("- Công an các tỉnh A,
    B: đề nghị Bộ Công an tặng Cờ thi đua"), when every piece of the label names a solid unit."""
    m = grammar("awards.recipient-label-proposed").match(pre)
    if m is None:
        return []
    units = recipients.collect(ctx, s, m.group("units"), strict=True)
    return units if len(units) == len(recipients.pieces(m.group("units"))) else []


def _collective(m: re.Match[str]) -> bool:
    return bool(award_entry(_award_id(m.group(0))).get("collective"))


def _cluster_at(ctx: Context, s: Sentence, at: int) -> Unit | None:
    """The cluster named at offset `at` of the sentence ("trao giải Nhất cho Cụm thi đua số 1"):
    ANNOTATION.md lets a cluster be a recipient."""
    for c in ctx.mentions_in(s):
        if not c.partial and 0 <= c.start - s.start - at <= 1:
            return Unit(c.name)
    return None


def _shared(s: Sentence, found: list[tuple[re.Match[str], list[Unit]]]) -> list[list[Unit]]:
    """Recipients of awards joined by "và" or a comma ("nhận Cờ thi đua … và Bằng khen …", "tặng
    Cờ thi đua và Bằng khen cho X"): an award without recipients of its own takes its neighbour's."""
    units = [list(u) for _, u in found]
    for i in range(len(found) - 1):
        (a, ua), (b, ub) = found[i], found[i + 1]
        if grammar("awards.joined").match(s.text[a.end() : b.start()]):
            if not ua:
                units[i] = list(ub)
            elif not ub:
                units[i + 1] = list(ua)
    return units


def _respectively(
    s: Sentence, found: list[tuple[re.Match[str], list[Unit]]], units: list[list[Unit]]
) -> list[list[Unit]]:
    """ "A và B lần lượt được đề nghị tặng Cờ thi đua và Bằng khen", "tặng Cờ thi đua và Bằng khen lần
    lượt cho A và B": awards joined one to the next in the clause of "lần lượt" (after it, else right
    before it), as many as the first one's units: the i-th unit receives the i-th."""
    said = grammar("awards.respectively").search(s.text)
    if said is None:
        return units
    after = [
        i
        for i, (m, _) in enumerate(found)
        if m.start() > said.end() and ";" not in s.text[said.end() : m.start()]
    ]
    before = [
        i
        for i, (m, _) in enumerate(found)
        if m.end() <= said.start() and ";" not in s.text[m.end() : said.start()]
    ]
    group = after if len(after) >= 2 else before
    joined = all(
        grammar("awards.joined").match(s.text[found[i][0].end() : found[j][0].start()])
        for i, j in itertools.pairwise(group)
    )
    if len(group) < 2 or not joined or len(units[group[0]]) != len(group):
        return units
    if group is before and any(units[i] != units[group[0]] for i in group):
        return units  # "tặng A và B lần lượt cho X và Y": every award shares the list after "cho"
    paired = list(units)
    for i, unit in zip(group, units[group[0]], strict=True):
        paired[i] = [unit]
    return paired


def counted(entry: dict[str, Any], text: str) -> bool:
    """True unless the award goes only to people or the sentence rules it out (a prize in one
    discipline of a sports day is no emulation award: the entry's `unless`)."""
    unless = entry.get("unless")
    return not entry.get("individual") and not (unless and compiled(str(unless)).search(text))


def _under_title(entry: dict[str, Any], ctx: Context) -> bool:
    """True when a title among the article's first lines rules the award out (a festival's prizes:
    the entry's `unless_titled`), the title may follow a site's date stamps and banner."""
    titled = entry.get("unless_titled")
    return bool(titled) and any(compiled(str(titled)).search(s.text) for s in ctx.sentences[:_TITLE_LINES])


def _unlabelled(listed: str) -> str:
    """A colon list whose items open with their cluster's label ("Cụm thi đua số 1: huyện A; Khối các
    sở: Sở B"): the items without their labels."""
    label = grammar("awards.cluster-label")
    if not (m := label.match(listed)) or not m.group(0).lstrip()[:1].isupper():
        return listed
    return ";".join(label.sub(" ", item, count=1) for item in listed.split(";"))


def _award_facts(
    ctx: Context, s: Sentence, lead: str, leading: list[Unit], voted_at: int = 0
) -> list[AwardFact]:
    found = [
        (m, _recipients(ctx, s, m, _leaders_for(s.text, voted_at, m.start(), leading)))
        for m in award_pattern().finditer(s.text)
        if counted(award_entry(_award_id(m.group(0))), s.text)
        and counted(award_entry(_award_id(m.group(0))), ctx.sentences[0].text)  # "Giải bóng đá …" titles it
        and not _under_title(award_entry(_award_id(m.group(0))), ctx)
    ]
    out: list[AwardFact] = []
    for (m, _), units in zip(found, _respectively(s, found, _shared(s, found)), strict=True):
        award_id = _award_id(m.group(0))
        pre, post = s.text[: m.start()], s.text[m.end() :]
        body = _body_at_start(post) or _body_in_verb(pre) or _body_from_lead(lead, award_id)
        status = _own_clause_status(lead, pre) or _status(lead + " " + pre) or _status(s.text)
        listed = grammar("awards.colon-list").match(post)
        if listed and _status_words()[0].search(listed.group(0)):
            status = "proposed"  # "+ Cờ thi đua của UBND tỉnh: đề nghị tặng A và B"
        year = _year(ctx, s, lead, m.start(), status)
        if year is None and award_id == "giai":  # a contest's prize: the contest's year
            contest = grammar("awards.contest-year").search(ctx.text)
            year = int(contest.group("y")) if contest else None
        name = _award_name(m.group(0))
        # a "recipient" that names an award ("Sở Y tế đạt cờ thi đua …") is a clause misread, not a unit
        named = [u for u in units if not award_pattern().search(u.name) and not bare_head(u.name)]
        named = [
            u for u in named if body is None or fold(u.name) != fold(body)
        ]  # the giver's cell is no recipient
        dated = _dated_recipients(ctx, post)
        if dated:  # "tặng Cờ thi đua: huyện A (các năm 2015, 2018), B (2017)": each unit in its years
            out += [_fact(ctx, s, _NAMED, unit, name, body, y, status) for unit, ys in dated for y in ys]
            continue
        each_year: list[int | None] = [*_years_listed(s, m)] or [year]
        for each in each_year:
            out.extend(_fact(ctx, s, _NAMED, unit, name, body, each, status) for unit in named)
    return out


def _dated_recipients(ctx: Context, post: str) -> list[tuple[Unit, list[int]]]:
    """Recipients listed after the award's colon, each with its own years in brackets ("Cờ thi đua: A
    (các năm 2015, 2018), B (2017), C (2019)"); none unless two or more, every one a unit."""
    colon = grammar("awards.dated-list-open").match(post)
    if colon is None:
        return []
    out: list[tuple[Unit, list[int]]] = []
    at = colon.end()
    while (item := grammar("chairs.history-item").match(post, at)) is not None and item.group("year"):
        unit = parse(item.group("unit").strip(), ctx.province)
        if unit is None:
            return []
        out.append((unit, [int(y) for y in re.findall(r"\d{4}", item.group("year"))]))
        joint = re.match(r"\s*(?:,|;|và)\s*", post[item.end() :])
        if joint is None:
            break
        at = item.end() + joint.end()
    return out if len(out) >= 2 else []


def _years_listed(s: Sentence, m: re.Match[str]) -> list[int]:
    """The years of an award given for each of several: written right after it ("Cờ thi đua của Chính
    phủ năm 2018 và năm 2021") or before its verb in its clause ("hai năm liền 2019, 2020 được tặng
    Cờ thi đua"); none for one year."""
    listed = grammar("awards.years-list").match(s.text, m.end())
    if listed is None:
        start, clause = clause_at(s.text, m.start())
        listed = grammar("awards.years-running").search(clause, 0, m.start() - start)
    return [int(y) for y in re.findall(r"\d{4}", listed.group("years"))] if listed else []


def _fact(
    ctx: Context,
    s: Sentence,
    rule_id: str,
    unit: Unit,
    award: str,
    body: str | None,
    year: int | None,
    status: str | None,
) -> AwardFact:
    confidence = 0.85 if rule_id == _NAMED else 0.8
    return make(
        AwardFact,
        ctx,
        s,
        rule_id,
        confidence,
        recipient=unit.name,
        award=award,
        conferred_by=body,
        year=year,
        status=status,
        **unit.extra(),
    )


def _lead_award(lead: Sentence) -> re.Match[str] | None:
    """The award of a bullet list's lead line when the line introduces its recipients
    ("đề nghị UBND tỉnh tặng Cờ thi đua cho các đơn vị sau:")."""
    found = list(award_pattern().finditer(lead.text))
    if not found or award_entry(_award_id(found[-1].group(0))).get("individual"):
        return None
    rest = lead.text[found[-1].end() :]
    if not grammar("awards.lead-recipients").match(rest):
        return None
    return found[-1]


def _row_unit_cells(ctx: Context, s: Sentence, text: str) -> str:
    """A table row's cells that can name its unit: its number and its bloc's cell left out ("1 | Khối
    các sở | Sở A", "2 UBND huyện B Khối các huyện")."""
    if not re.match(r"\s*\d{1,3}\s", text):
        return text
    cells = [c.strip() for c in re.sub(r"^\s*\d{1,3}\s*\|?", "", text).split("|")]
    kept = [c for c in cells if c and not _BLOC_CELL.match(c)]
    joined = "; ".join(kept)
    # a row without cell marks: the bloc's name closing it ("2 UBND huyện B Khối các huyện")
    return _BLOC_TAIL.sub("", joined) if len(kept) == 1 else joined


_BLOC_CELL = re.compile(r"(?:Khối|Cụm)(?:\s|$)")
_BLOC_TAIL = re.compile(r"\s+(?:Khối|Cụm)\s[^;|]*$")


def _item(ctx: Context, s: Sentence) -> bool:
    """True for a lead's item: a bullet, or a line labelled with a cluster's name ("Khối X: A, B.")."""
    if s.bullet:
        return True
    label = grammar("awards.cluster-label").match(s.text)
    return label is not None and any(c.start - s.start < label.end() for c in ctx.mentions_in(s))


def _bullet_facts(ctx: Context, s: Sentence, lead: Sentence | None) -> list[AwardFact]:
    """A bullet without an award of its own, under a lead line that names the award and ends by
    introducing its recipients: the bullet lists recipients ("- UBND huyện A;" "1. Sở Y tế; …")."""
    if lead is None or not _item(ctx, s) or award_pattern().search(s.text):
        return []
    m = _lead_award(lead)
    if m is None and lead.index > 0 and grammar("awards.bare-introducer").match(lead.text):
        # "… tặng Cờ thi đua của UBND tỉnh cho các tập thể …. Cụ thể:": the sentence before names it
        lead = ctx.sentences[lead.index - 1]
        found = list(award_pattern().finditer(lead.text))
        plural = found and grammar("awards.plural-recipients").match(lead.text[found[-1].end() :])
        m = found[-1] if plural else None
    if m is None:
        return []
    text = _row_unit_cells(ctx, s, BULLET.sub("", s.text))
    label = grammar("awards.cluster-label").match(text)
    if label and (
        text.lstrip()[:1].isupper() or any(c.start - s.start < label.end() for c in ctx.mentions_in(s))
    ):
        text = text[label.end() :]  # "• Khối văn hóa - xã hội: Sở Y tế; Bệnh viện …": the bloc's units
    units = recipients.listed_after(ctx, s, text, True)
    award_id = _award_id(m.group(0))
    body = _body_at_start(lead.text[m.end() :]) or _body_in_verb(lead.text[: m.start()])
    body = body or _body_from_lead(lead.text, award_id)
    status = _status(lead.text)
    year = _year(ctx, s, lead.text, 0, status)
    return [_fact(ctx, s, _NAMED, u, _award_name(m.group(0)), body, year, status) for u in units]


def _leading_units(ctx: Context, s: Sentence) -> tuple[re.Match[str], list[Unit]] | None:
    pattern, _ = _leading()
    # "Qua bình xét thi đua năm 2013, A được … bình chọn là đơn vị dẫn đầu": the review opening the
    # sentence is no vote; the vote is the one after it
    m = pattern.search(s.text)
    while m is not None and _REVIEW_OPENER.search(s.text, 0, m.start()):
        m = pattern.search(s.text, m.start() + 1)
    if m is None:
        return _stated_leader(ctx, s)
    if award_pattern().search(m.group(0)):
        return None
    who = m.group("who")
    if grammar("awards.award-noun-end").search(who):
        return None
    counted = grammar("awards.count-only").fullmatch(who) and grammar("awards.leaders-after").match(
        s.text, m.end()
    )
    if counted:  # "suy tôn 2 đơn vị dẫn đầu là A và B"
        who = counted.group("list")
    listed = [parse(piece, ctx.province) for piece in _SPLIT.split(mask(who.strip()))]
    if len(listed) > 1 and all(listed):
        return m, [u for u in listed if u is not None]
    unit = unit_after(who, ctx.province) or unit_before(who, ctx.province)
    if unit is None:
        before = s.text[: m.start()]
        voters = grammar("awards.voted-by").search(before)  # "A được các đơn vị … suy tôn": A's
        subject = recipients.subject(ctx, s, before[: voters.start() if voters else None] + " nhận ", True)
        return (m, subject) if subject else None
    return m, [unit]


def _stated_leader(ctx: Context, s: Sentence) -> tuple[re.Match[str], list[Unit]] | None:
    """The unit said to lead with no vote and no concrete award in the sentence ("Sở A dẫn đầu
    phong trào thi đua Khối …"): the unit written right before it."""
    m = _stated_leading().search(s.text)
    if m is None or award_pattern().search(s.text):
        return None
    before = s.text[: m.start()]
    rated = _RATED_BY.search(before)  # "X được Sở GD-ĐT xếp loại dẫn đầu …": X leads, not the rater
    unit = recipients.named(unit_before(before[: rated.start()] if rated else before, ctx.province))
    return (m, [unit]) if unit is not None else None


def _leading_facts(
    ctx: Context, s: Sentence, lead: str, found: tuple[re.Match[str], list[Unit]] | None
) -> list[AwardFact]:
    if found is None:
        return []
    cut = cut_at(ctx.text)
    if cut is not None and s.end >= cut:
        return []  # "suy tôn X dẫn đầu …, đề nghị … tặng Cờ t": the cut may have taken the award proposed
    m, units = found
    status = _status(lead + " " + s.text[: m.end()])
    if status is None and m.re is _stated_leading():
        status = "conferred"  # stated as done, not voted for
    year = _year(ctx, s, lead, m.start(), status)
    return [_fact(ctx, s, _LEADING, u, _leading()[1], None, year, status) for u in units]


def _leaders_for(text: str, voted_at: int, at: int, leading: list[Unit]) -> list[Unit]:
    """The leaders voted for, as an award's fallback recipients, unless another subject is named
    between the vote and the award ("A được suy tôn dẫn đầu …, hai huyện B, C đề nghị … tặng Bằng
    khen": the Bằng khen is B's and C's, not A's)."""
    return [] if grammar("awards.new-subject").search(text, voted_at, max(voted_at, at)) else leading


def _from_sentence(ctx: Context, s: Sentence) -> list[AwardFact]:
    lead_sentence = ctx.lead_of(s)
    lead = lead_sentence.text if lead_sentence else ""
    found = _leading_units(ctx, s)
    named = _award_facts(ctx, s, lead, found[1] if found else [], found[0].end() if found else 0)
    told = named + _leading_facts(ctx, s, lead, found) + _bullet_facts(ctx, s, lead_sentence)
    return _year_record_facts(ctx, s) or told or _record_facts(ctx, s, lead_sentence)


def _year_record_facts(ctx: Context, s: Sentence) -> list[AwardFact]:
    """A unit's record told year by year in one sentence (extract/award_records.py): each clause's
    award, conferred, in each of its years; none unless two clauses or more each name an award."""
    out: list[list[AwardFact]] = []
    for entry in award_records.entries(ctx, s.text):
        clause = s.text[entry.start : entry.end]
        facts = []
        for m in award_pattern().finditer(clause):
            award = award_entry(_award_id(m.group(0)))
            if award.get("individual") or not counted(award, clause):
                continue
            pre, post = clause[: m.start()], clause[m.end() :]
            body = _body_at_start(post) or _body_in_verb(pre)
            name = _award_name(m.group(0))
            facts += [_fact(ctx, s, _NAMED, entry.holder, name, body, y, "conferred") for y in entry.years]
        out.append(facts)
    return [f for facts in out for f in facts] if sum(bool(facts) for facts in out) >= 2 else []


def _record_facts(ctx: Context, s: Sentence, lead: Sentence | None) -> list[AwardFact]:
    """A unit's record of awards listed by year under a lead that introduces it ("Một số hình thức
    khen thưởng khác:" / "• Năm 2020: Cờ thi đua xuất sắc của Tổng LĐLĐ Việt Nam."): each award the
    item names, with no recipient of its own, is the record's unit's (the subject of the sentence
    before the lead or the lead's own, else the report's), in the item's year."""
    if not s.bullet or lead is None or not grammar("awards.record-lead").search(lead.text):
        return []
    item = grammar("awards.record-year").match(BULLET.sub("", s.text))
    if item is None or grammar("awards.record-other-holder").search(s.text):
        return []
    holder = _record_holder(ctx, lead)
    if holder is None:
        return []
    year = int(item.group("y"))
    out = []
    for m in award_pattern().finditer(s.text):
        entry = award_entry(_award_id(m.group(0)))
        if entry.get("individual") or not counted(entry, s.text):
            continue
        body = _body_at_start(s.text[m.end() :])
        out.append(_fact(ctx, s, _NAMED, holder, _award_name(m.group(0)), body, year, "conferred"))
    return out


def _record_holder(ctx: Context, lead: Sentence) -> Unit | None:
    """The unit whose record a lead line introduces: the one opening the lead or the sentence before it."""
    for sentence in (lead, ctx.sentences[lead.index - 1] if lead.index else None):
        if sentence is None:
            continue
        opening = recipients.opening_subject(ctx, sentence.text.split(";", 1)[0])
        if opening:
            return opening[0]
    return None


def _first_mention(ctx: Context, fact: AwardFact) -> AwardFact:
    """An agency written with a bare kind at its end ("Liên minh Hợp tác xã tỉnh") takes the
    place its first mention names ("Liên minh Hợp tác xã tỉnh Lâm Đồng")."""
    name = fact.recipient
    if not is_org(name) or not grammar("awards.kind-ending").search(name):
        return fact
    for m in re.finditer(rf"{re.escape(name)}\s+(?P<place>{NAME})", ctx.text):
        found = m.group("place").split()
        for k in range(len(found), 0, -1):
            place = gazetteer.lookup(" ".join(found[:k]))
            if place is not None:
                return fact.model_copy(update={"recipient": f"{name} {' '.join(found[:k])}"})
    return fact


def _longer_names(facts: list[AwardFact]) -> dict[tuple[str, int | None], set[str]]:
    """For each (award, year) and (award, any year): every tail of words of its recipients' names,
    so that a short name repeating a longer one is found in one look-up (linear in the facts)."""
    tails: dict[tuple[str, int | None], set[str]] = {}
    for f in facts:
        words_ = fold(f.recipient).split()
        ends = {" ".join(words_[k:]) for k in range(1, len(words_))}
        for key in ((fold(f.award), f.year), (fold(f.award), -1)):
            tails.setdefault(key, set()).update(ends)
    return tails


def _same_conferral(fact: AwardFact, tails: dict[tuple[str, int | None], set[str]]) -> bool:
    """True when a longer recipient name ends with this one, for the same award and year
    ("Phúc Hưng" after "Công ty TNHH SX và TM Phúc Hưng"): one conferral, named twice."""
    if getattr(fact, "body", None):  # "Kho bạc Nhà nước X" read as X is no short form of "Cục Thống kê X"
        return False
    key = (fold(fact.award), fact.year if fact.year is not None else -1)
    return fold(fact.recipient) in tails.get(key, set())


def proposed_for(facts: list[Any]) -> set[str]:
    """The folded recipients of the concrete awards proposed (or not said to be conferred) in `facts`."""
    return {
        fold(f.recipient)
        for f in facts
        if isinstance(f, AwardFact) and f.evidence.rule == _NAMED and f.status != "conferred"
    }


def _awarded_for_leading(facts: list[AwardFact]) -> set[tuple[str, int | None]]:
    """(recipient, year) of the concrete awards given for a lead ("tặng Cờ thi đua cho các đơn vị dẫn
    đầu các cụm, khối …"): a unit stated to lead that year is recognised by that award alone."""
    return {
        (fold(f.recipient), f.year)
        for f in facts
        if f.evidence.rule == _NAMED and f.status == "conferred" and _FOR_LEADING.search(f.evidence.sentence)
    }


_FOR_LEADING = re.compile(r"dẫn đầu|cờ đầu", re.IGNORECASE)


def resolve(ctx: Context, facts: list[AwardFact]) -> list[AwardFact]:
    """The article's award facts as ANNOTATION.md counts them: a leading-unit vote that proposes a
    concrete award for the same unit gives only the award; one conferral named twice (or again
    without its year) gives one fact; an agency takes the place named at its first mention."""
    proposed, for_leading = proposed_for(facts), _awarded_for_leading(facts)
    kept = [
        f
        for f in facts
        if not (
            f.evidence.rule == _LEADING
            and (fold(f.recipient) in proposed or (fold(f.recipient), f.year) in for_leading)
        )
    ]
    tails = _longer_names(kept)
    kept = [f for f in kept if not _same_conferral(f, tails)]
    # A conferral told again without its year (a photo's caption) is the one the article dates.
    dated = {_told(f) for f in kept if f.year is not None}
    kept = [f for f in kept if f.year is not None or _told(f) not in dated]
    return [_first_mention(ctx, f) for f in kept]


def _told(fact: AwardFact) -> tuple[str, str, str | None]:
    """What makes two award facts one told twice: recipient, award and status; a unit's lead of its
    cluster is one whether a headline states it or the report tells the vote ("X dẫn đầu Cụm …",
    then "Hội nghị bầu chọn X dẫn đầu Cụm …")."""
    status = None if fact.evidence.rule == _LEADING else fact.status
    return fold(fact.recipient), fold(fact.award), status


def _from_tables(ctx: Context) -> list[AwardFact]:
    """A table's award column ("Khối | Đơn vị dẫn đầu | Đề nghị UBND tỉnh tặng Cờ thi đua"): each row's
    cell lists that award's recipients, proposed or conferred as the header says, in the table's year."""
    out: list[AwardFact] = []
    for row in tables.rows(ctx):
        if tables.cluster_of(ctx, row) is None:
            continue
        for column in tables.award_columns(row):
            cell, head = row.cells.get(column), row.header[column]
            m = award_pattern().search(head.text)
            if cell is None or m is None:
                continue
            award_id = _award_id(m.group(0))
            body = _body_at_start(head.text[m.end() :]) or _body_in_verb(head.text[: m.start()])
            body = body or _body_from_lead(head.text, award_id)
            status = _status(head.text) or "conferred"
            year = tables.year_of(ctx, row, column)
            name = _award_name(m.group(0))
            for unit in recipients.listed_after(ctx, row.sentence, cell.text, True):
                out.append(_fact(ctx, row.sentence, _NAMED, unit, name, body, year, status))
    return out


def _without_scores(s: Sentence) -> Sentence:
    """The sentence with its scores and votes in brackets blanked, offsets kept ("tặng Cờ thi đua (đạt
    98,5 điểm)", "cho 02 đơn vị: A (97,25 điểm); B (9/10 phiếu)"): a score is no part of a name or a list."""
    if "điểm" not in s.text and "phiếu" not in s.text:
        return s
    return replace(s, text=_SCORE_ASIDE.sub(lambda m: " " * len(m.group(0)), s.text))


@rule("awards.named.v1")
def extract(ctx: Context) -> list[Any]:
    """Award facts of every sentence naming an award or a leading-unit recognition."""
    found = per_sentence(
        ctx.gated("awards"), lambda s: _from_sentence(ctx, _without_scores(s))
    ) + _from_tables(ctx)
    gated = {s.index for s in ctx.gated("awards")}
    # a lead's items: bullets, and labelled lines naming a bloc ("Khối doanh nghiệp: Công ty A.")
    bullets = [s for s in ctx.sentences if s.lead is not None and s.index not in gated and _item(ctx, s)]
    found += per_sentence(bullets, lambda s: _bullet_facts(ctx, _without_scores(s), ctx.lead_of(s)))
    return resolve(ctx, found)
