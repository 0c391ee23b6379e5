"""Sentence splitting with exact character offsets, bullets tied to the line that leads them."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from extract.dateline import is_stamp_line
from extract.gazetteer import index
from extract.lexicon import alternation, entries, load
from extract.literals import openings

# A run of stops (". ", "…", "?!", "......") then closing quotes, before a space and a word. Possessive and
# anchored at the run's first stop: a long run of dots or quotes is read once (the former
# `(?:\.{3}|[.!?…])+` tried every way to split a run into threes and ones: 40 dots took 1.7 s).
_GLUED_HINT = re.compile(r"[^\W\d_]\.[^\W\d_]")  # a cheap look first: a stop between two letters
_GLUED_STOP = re.compile(r"(?<![\w.])(?P<word>[^\W\d_]{2,})\.(?=(?P<next>[^\W\d_]{2,})[ ,])")
_STOP = re.compile(r"(?<![.!?…])[.!?…]++(?:[”\"’)]++)?(?= +[\"“‘(\-–+•]?[\w])")
BULLET = re.compile(r"^\s*(?:[-–+•*]|\d{1,2}[.)]|[a-zđ][.)])\s+")
_BARE_MARK = re.compile(r"\s*(?:[-–+•*]|\d{1,2}[.)]|[a-zđ][.)])\s*")  # a bullet's mark and nothing else
INLINE_BULLET = re.compile(r"(^|[:;])\s*[-–+•*]\s+(?=\S)")  # ": - A; - B": a list a page flattened
# A list line without a bullet mark, a short capitalised label then a colon ("Cờ thi đua của UBND
# tỉnh: Sở Y tế", "Cụm phó: huyện A"): under a line ending in ':', it is one of that line's items.
_LABELLED = re.compile(r"^\s*[A-ZĐÀ-Ỹ][^\s:.;!?]*(?:\s+[^\s:.;!?]+){0,9}\s*:\s*\S")
# A flattened table under a lead line: its header ("STT Tên đơn vị Hình thức …"), then rows that
# open with their number and no mark ("1 Công ty A Cờ thi đua UBND tỉnh"), each one of the lead's items.
_TABLE_HEAD = re.compile(r"^\s*(?:STT|TT|Số TT)\s+\S")
_TABLE_ROW = re.compile(r"^\s*\d{1,3}(?:\s+|\s*\|\s*)(?=[A-ZĐÀ-Ỹ])")  # "1 Công ty A …", "1 | Khối … | Sở A"
# a table row flattened with its cells kept apart: "Cờ thi đua | Sở A; Sở B"
_CELLS = re.compile(r"\S\s*\|\s*\S")
_MAX_SENTENCE = 3000
_JOINED = re.compile(r"[-–(/]")
_ENDS = (".", "!", "?", ":", ";", "…", '"', "”", ")", "|")
_GOES_ON = (";", ")", "|", ":")  # in a hard-wrapped text a filled line ending so goes on (a list, a bracket)
_DANGLING = re.compile(r"(?<![\w])(?:và|của|các|cho|là|gồm|tại|với|những|hoặc|cùng|do)$", re.IGNORECASE)
_WRAP_MIN = 50  # lines this long or longer tell whether a text was hard-wrapped
_WRAP_LINES = 3  # so many long lines ending inside a sentence, most of one width
_BROKEN_LINES = 2  # lines going on a sentence in lower case that show a text broken anywhere
_IMAGE = re.compile(  # "DSC_0412.JPG", "1.jpg (187 KB)"
    r"\s*[\w.%()-]+\.(?:jpe?g|png|gif|webp|bmp|tiff?)(?:\s*\(\d+(?:[.,]\d+)?\s*[KMG]?B\))?\s*", re.IGNORECASE
)


def content_end(text: str) -> str:
    """`text` without the image file names and blanks after its last line of words: where a page's
    text ends, for telling a name the end cut ("… Khối Văn hóa - Xã h" / "IMG_0412.jpg"). Read from
    the end, line by line: a search of the whole text would try every line break."""
    end = text.rstrip()
    while (cut := end.rfind("\n")) >= 0 and _IMAGE.fullmatch(end, cut + 1):
        end = end[:cut].rstrip()
    return end


_FIRST_LETTER_TEST = 300  # a trigger pattern this long: see _trigger
_KIND_WORDS = frozenset({"tỉnh", "huyện", "quận", "thị xã", "thành phố", "thị trấn"})  # before a place's name
_OPENING_QUOTE = re.compile(r"\s*[“\"]\s*\w")
_LISTED_ITEMS = 2  # semicolons in a line after a colon's that make it the colon's run-on list
_WANTS_NUMBER = re.compile(r"(?<![\w])(?:năm|ngày|tháng|số|lúc)$", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """One sentence: its text, span in the normalised text, line number and bullet role. `text` is
    the span with any hard line break inside it read as a space (`split` joins the lines a break cut)."""

    text: str
    start: int
    end: int
    line: int
    index: int
    bullet: bool = False
    lead: int | None = None
    heading: bool = False


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(str(e["text"]) for e in entries("sentences", "abbreviations"))


@lru_cache(maxsize=1)
def _count_lead() -> re.Pattern[str]:
    return re.compile(str(load("sentences")["count_lead"]), re.IGNORECASE)


@lru_cache(maxsize=1)
def gated_extractors() -> tuple[str, ...]:
    """Every extractor that has trigger words."""
    return tuple(sorted({str(name) for e in entries("sentences", "triggers") for name in e["for"]}))


@cache
def triggers(extractor: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(id, pattern) of each trigger of one extractor, searched in lower-cased text. Extractors
    share triggers (an award sentence gates awards and award counts): each is searched once."""
    items = [e for e in entries("sentences", "triggers") if extractor in e["for"]]
    if not items:
        raise KeyError(f"no trigger words for extractor {extractor}")
    return tuple((str(item["id"]), _trigger(str(item["id"]))) for item in items)


@cache
def _trigger_source(item_id: str) -> str:
    item = next(e for e in entries("sentences", "triggers") if e["id"] == item_id)
    if "from" not in item:
        return alternation([item])
    name, section = str(item["from"]).split(":")
    reused = entries(name, section)
    if "after" in item:  # "[“\"]" before a reused section: the gate opens with a rare character
        return f"{item['after']}{alternation(reused)}"
    return alternation(reused)


@cache
def _trigger(item_id: str) -> re.Pattern[str]:
    """A trigger's pattern. A long alternation whose branches open with different letters gets a test
    of its first letter: the regex engine has none of its own for it and would try every branch at
    every position (the events gate: twice as fast)."""
    source = _trigger_source(item_id)
    words = trigger_openings(item_id)
    if words and len(source) >= _FIRST_LETTER_TEST:
        first = "".join(sorted({w[0] for w in words}))
        return re.compile(f"(?=[{re.escape(first)}])(?:{source})")
    return re.compile(source)


@cache
def trigger_openings(item_id: str) -> tuple[str, ...] | None:
    """The words every match of a trigger opens with (None: no cheap test): a sentence holding none
    of them is not searched. A word holding another of them is left out: the other finds it too."""
    words = openings(_trigger_source(item_id))
    if words is None:
        return None
    return tuple(w for w in words if not any(v != w and v in w for v in words))


def passes_gate(extractor: str, lowered: str) -> bool:
    """True when lower-cased text holds one of the extractor's trigger words."""
    return any(pattern.search(lowered) for _, pattern in triggers(extractor))


def _cuts(line: str) -> list[int]:
    """Offsets (within the line) where a sentence ends; linear in the line's length."""
    cuts = []
    # The line up to here is a list number only ("1. ", "12. "): its stop ends no sentence.
    number_end = len(line) - len(line.lstrip(" 0123456789"))
    for m in _STOP.finditer(line):
        word = line[line.rfind(" ", 0, m.start()) + 1 : m.start()]
        word = _JOINED.split(word)[-1]  # "Nguyên-TP." ends in the abbreviation "TP"
        if word in _abbreviations() or (word.isdigit() and len(word) <= 2 and m.start() <= number_end):
            continue
        cuts.append(m.end())
    if _GLUED_HINT.search(line):  # "… Tân Lễ.Dịp này, …": the space after a stop lost
        short = {a.casefold() for a in _abbreviations()}
        for m in _GLUED_STOP.finditer(line):
            word, after = m.group("word"), m.group("next")
            if (
                word[-1].islower()
                and word.casefold() not in short
                and after[0].isupper()
                and after[1:].islower()
            ):
                cuts.append(m.end())
    if "Thứ " in line or "Chủ " in line:  # a date stamp glued inside the line: cut before and after it
        for m in _glued_stamp().finditer(line):
            cuts += [m.start("stamp"), m.end()]
    return sorted(set(cuts))


@lru_cache(maxsize=1)
def _glued_stamp() -> re.Pattern[str]:
    return re.compile(str(load("sentences")["glued_stamp"]))


def _pieces(line: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for cut in [*_cuts(line), len(line)]:
        while cut - start > _MAX_SENTENCE:  # run-on text: pieces end at a space near the limit
            end = line.rfind(" ", start + _MAX_SENTENCE // 2, start + _MAX_SENTENCE)
            end = end if end >= 0 else start + _MAX_SENTENCE
            if line[start:end].strip():
                spans.append((start, end))
            start = end
        if line[start:cut].strip():
            spans.append((start, cut))
        start = cut
    return spans


def _wrapped(before: str, line: str) -> bool:
    """True when `line` goes on the sentence a hard line break cut: the line before ends inside a
    sentence and this one starts in lower case ("… các đơn vị gồm Liên" / "đoàn lao động tỉnh"), or
    with a number after a word that wants one ("năm" / "2016"), or the line before ends with a comma
    or a word that cannot end a sentence ("và", "của", "gồm" …)."""
    before = before.rstrip()
    if not before or before.endswith(_ENDS) or BULLET.match(line):
        return False
    first = line.lstrip()[:1]
    # "… Hội Nông dân tỉnh và" / "Hội Liên hiệp …", "… các tỉnh Quảng" / "Bình", "… gồm các huyện" / "A, …"
    if (
        before.endswith(",")
        or _DANGLING.search(before)
        or _list_open().search(before)
        or _name_cut(before, line)
    ):
        return bool(first)
    return first.islower() or (first.isdigit() and bool(_WANTS_NUMBER.search(before)))


def _blank_inside(before: str, line: str, lines: list[str], start: int) -> bool:
    """True for a blank line between a line ending with a comma and one going on in lower case (a
    caption cut in two: "Giám đốc Sở X," / "" / "đơn vị Trưởng khối năm 2020 phát biểu")."""
    if line.strip() or not before.rstrip().endswith(","):
        return False
    following = next((n for n in itertools.islice(lines, start, None) if n.strip()), "").lstrip()
    return following[:1].islower() or _caption_role().match(following) is not None


@lru_cache(maxsize=1)
def _regions() -> frozenset[str]:
    return frozenset(str(r).lower() for r in load("sentences")["regions"])


@lru_cache(maxsize=1)
def _list_open() -> re.Pattern[str]:
    return re.compile(str(load("sentences")["list_open"]), re.IGNORECASE)


@lru_cache(maxsize=1)
def _caption_role() -> re.Pattern[str]:
    return re.compile(str(load("sentences")["caption_role"]), re.IGNORECASE)


def _wrap_width(lines: list[str]) -> int | None:
    """The width a text was hard-wrapped at, when it was: most of its long lines end inside a
    sentence (a text of paragraphs ends them with a full stop) and most of those are about one
    length. Such a text wraps every line that reaches near the width; a shorter line ends its
    paragraph (a caption, a title, a last line)."""
    long = [line.rstrip() for line in lines if len(line) >= _WRAP_MIN and not BULLET.match(line)]  # no list
    open_ = sorted(len(line) for line in long if not line.endswith(_ENDS))
    if len(open_) < _WRAP_LINES or 2 * len(open_) < len(long):
        return None
    median = open_[len(open_) // 2]
    even = sum(1 for n in open_ if abs(n - median) * 100 <= 15 * median)  # within 15 % of it
    # a wrapped text has no line far past its width: paragraphs of hundreds of characters between
    # captions of one length are a text of paragraphs
    over = sum(1 for line in long if len(line) * 100 > 130 * median)
    if 5 * over > len(long):
        return None
    return median * 4 // 5 if 10 * even >= 6 * len(open_) else None  # titles and captions vary


def _broken(lines: list[str]) -> bool:
    """True for a text whose lines were broken anywhere: of its lines that follow a line with no stop,
    two at least and a quarter or more go on a sentence in lower case ("… tổ chức hội nghị" / "tổng
    kết …"), which a text of paragraphs, titles and captions almost never does (none of the 186
    committed articles and 27 real reports of the twenty-ninth session; a short broken report, its
    names in capitals, has few lower-case lines to show). In such a text a capital after a line with
    no stop goes on the sentence too ("… gồm các huyện" / "Lạc Sơn, …")."""
    pairs = [(a.rstrip(), b.lstrip()) for a, b in itertools.pairwise(lines) if a.strip() and b.strip()]
    open_ = [b for a, b in pairs if not a.endswith(_ENDS) and not BULLET.match(b)]
    lower = sum(1 for b in open_ if b[:1].islower())
    return lower >= _BROKEN_LINES and lower * 4 >= len(open_)


_LISTED_KIND = re.compile(
    r"(?:\svà|,)\s+(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)$", re.IGNORECASE
)


def _name_cut(before: str, line: str) -> bool:
    """True when the break falls inside a place's name ("… các tỉnh Quảng" / "Bình, Quảng Trị …"): the
    words on both sides of it make a province or district of the gazetteer, or a kind ("tỉnh", "huyện")
    ends the line and a place of the gazetteer opens the next ("… số III tỉnh" / "Bình Thuận gồm …").
    Real reports end many lines
    without a stop (titles, datelines, captions, paragraphs), so a capital after a break starts anew
    unless it completes a name."""
    tail, head = before.split()[-2:], line.split()[:3]
    if not tail or not head or not head[0][:1].isupper():
        return False
    names, regions = index(), _regions()
    if _LISTED_KIND.search(before):
        return True  # a kind joined to a list ("xã A và thị trấn" / "B được tặng …") wants its name
    if tail[-1].lower() in _KIND_WORDS or " ".join(tail).lower() in _KIND_WORDS:
        # "… Cụm thi đua số III tỉnh" / "Bình Thuận gồm …": the break between a kind and its place
        return any(" ".join(head[:h]).strip(",.;:").lower() in names for h in (1, 2, 3) if h <= len(head))
    head = head[:2]
    if not tail[-1][:1].isupper():
        return False
    return any(
        (joined := " ".join([*tail[-t:], *head[:h]]).strip(",.;:").lower()) in names or joined in regions
        for t in (1, 2)
        for h in (1, 2)
        if t <= len(tail) and h <= len(head)
    )


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(line number, offset, text) of each line, lines a hard break cut joined again (the break
    read as a space, so offsets stay those of `text`)."""
    out: list[tuple[int, int, list[str]]] = []  # the pieces of a joined line, joined once (linear)
    pos = 0
    lines = text.split("\n")
    width = _wrap_width(lines)
    broken = _broken(lines)
    for line_no, line in enumerate(lines):
        before = out[-1][2][-1] if out else ""
        end = before.rstrip()
        filled = (
            width is not None
            and len(before) >= width
            and (not end.endswith(_ENDS) or (end.endswith(_GOES_ON) and not BULLET.match(line)))
        )
        if _IMAGE.fullmatch(line) or _blank_inside(before, line, lines, line_no + 1):
            pos += len(line) + 1  # an image's file name, or a blank line inside a sentence: transparent
            continue
        cut = (
            broken
            and bool(end)
            and (not BULLET.match(line) or _dash_inside(out, line))
            and (not end.endswith(_ENDS) or _inside_list(out))
            and not is_stamp_line(before)
        )
        # "Bưu điện TP." / "Hồ Chí Minh": a line ending with an abbreviation's stop goes on
        abbreviated = end.endswith(".") and re.split(r"[\s(]", end[:-1])[-1] in _abbreviations()
        # "9." / "Viện Thú y": a list's mark alone on its line goes on with its item
        marked = _BARE_MARK.fullmatch(before) is not None and len(out[-1][2]) == 1
        # "Chủ đề năm 2024:" / "“Đoàn kết, …”": a quote on the line after a colon is what it introduces
        quoted = end.endswith(":") and _OPENING_QUOTE.match(line) is not None
        joins = filled or cut or abbreviated or marked or quoted or _run_on_list(end, line, broken)
        tabled = bool(_CELLS.search(before) and _CELLS.search(line))  # a table's header and rows: a line each
        if out and line.strip() and not tabled and (joins or _wrapped(before, line)):
            out[-1][2].append(line)
        else:
            out.append((line_no, pos, [line]))
        pos += len(line) + 1
    return [(no, start, " ".join(pieces)) for no, start, pieces in out]


def _run_on_list(end: str, line: str, broken: bool) -> bool:
    """True for a line of items between semicolons after a line ending with its colon ("… 14 đơn vị trong
    Khối …:" / "Viện A; Văn phòng B; …"): the run-on list goes on the colon's line. Two semicolons show
    it, one in a text broken anywhere (the list's line is cut too)."""
    items = line.count(";") >= (1 if broken else _LISTED_ITEMS)
    return end.endswith(":") and items and not BULLET.match(line)


def _dash_inside(out: list[tuple[int, int, list[str]]], line: str) -> bool:
    """True when a line opening with a dash goes on a sentence a broken text cut before a spaced dash
    ("Khối thi đua Mặt" / "trận" / "- Đoàn thể gồm …"): the line it would follow already goes on
    another, so the dash is inside a sentence, not a list's bullet."""
    going_on = bool(out) and len(out[-1][2]) > 1 and not BULLET.match(out[-1][2][0])
    return going_on and _DASH_LINE.match(line) is not None


_DASH_LINE = re.compile(r"\s*[-–]\s")


def _inside_list(out: list[tuple[int, int, list[str]]]) -> bool:
    """True when the joined line so far ends with a semicolon inside a bracket it opened or inside a
    list of items run on one line ("… (A; B;" / "C; D)", "gồm: A; B;" / "C; D."): in a text broken
    anywhere, such a line goes on (a list written one item a line has one item a line)."""
    pieces: list[str] = []
    for piece in reversed(out[-1][2] if out else []):  # the last pieces only: linear in the text
        pieces.insert(0, piece)
        if sum(map(len, pieces)) >= _LIST_REACH:
            break
    tail = " ".join(pieces)[-_LIST_REACH:]
    if not tail.rstrip().endswith(";"):
        return False
    return tail.rfind("(") > tail.rfind(")") or tail.count(";") >= 2


_LIST_REACH = 800  # how far back an open bracket or a run of items is looked for
_INLINE_RUN = 3  # numbered items in a run that marks a list flattened into one line
# a numbered item inline ("… Trường A 2. Trường B"), or opening a line
_INLINE_NUMBER = re.compile(r"(?:(?<=\S) |^)(?=(\d{1,2})\. +[A-ZĐÀ-Ỹ])", re.MULTILINE)


def _numbered_in_line(text: str) -> str:
    """`text` with a numbered list flattened into its line ("… Gồm 12 đơn vị: 1. Trường A 2. Trường B
    3. Trường C …", its first item inline or opening the line) set back on lines of its own: the space
    before each number of a run counting up from 1, three long at least (two right after a colon),
    becomes a line break (offsets kept)."""
    if " 2. " not in text or text.count(". ") < _INLINE_RUN:
        return text  # no run goes on inline (the cheap look first: most texts have no inline "2. ")
    breaks: list[int] = []
    run: list[int] = []

    def listed(run: list[int]) -> bool:  # three long, or two right after a colon ("đề nghị: 1. … 2. …")
        return len(run) >= _INLINE_RUN or (len(run) == 2 and text[: run[0]].rstrip().endswith(":"))

    for m in _INLINE_NUMBER.finditer(text):
        number = int(m.group(1))
        if run and number == len(run) + 1 and "\n" not in text[run[-1] : m.start()]:
            run.append(m.start())
        else:
            breaks += run if listed(run) else []
            run = [m.start()] if number == 1 else []
    breaks += run if listed(run) else []
    if not breaks:
        return text
    chars = list(text)
    for at in breaks:
        chars[at] = "\n" if chars[at] == " " else chars[at]  # a run's first item may open its line
    return "".join(chars)


# a dash item inline after a colon or a semicolon ("…: - Tặng A; - Tặng B"), the space before it
_INLINE_DASH = re.compile(r"[:;]( )[-–+•] +(?=\S)")


def _bulleted_in_line(text: str) -> str:
    """`text` with a dash list flattened into its line ("… đề nghị: - Tặng Cờ thi đua cho A; - Tặng
    Bằng khen cho B; - Bầu C làm Cụm trưởng năm 2022") set back on lines of its own: where a line
    holds an item after its colon and another after a semicolon, the space before each item's dash
    becomes a line break (offsets kept), so each item is read as its own bullet under its lead."""
    if "; -" not in text and ";-" not in text and "; –" not in text:
        return text  # the cheap look first: most texts have no inline run
    chars: list[str] | None = None
    for line in re.finditer(r"[^\n]+", text):
        items = list(_INLINE_DASH.finditer(line.group(0)))
        if len(items) < 2 or line.group(0)[items[0].start()] != ":":
            continue
        chars = chars if chars is not None else list(text)
        for m in items:
            chars[line.start() + m.start(1)] = "\n"
    return "".join(chars) if chars is not None else text


_SECTION_NUMBER = re.compile(r"^\s*(\d{1,2})[.)]\s")


def split(text: str) -> list[Sentence]:
    """Split normalised text into sentences; offsets index into `text`."""
    text = _bulleted_in_line(_numbered_in_line(text))
    out: list[Sentence] = []
    lead = None
    table = False
    numbered: tuple[int, int] | None = None  # the lead of a numbered list and its last number
    for line_no, pos, line in _lines(text):
        number = _SECTION_NUMBER.match(line)
        if number and lead is None and numbered and int(number.group(1)) == numbered[1] + 1:
            lead = numbered[0]  # "2. Khối …" after a paragraph under "1. Cụm …": the list goes on
        head = lead is not None and bool(_TABLE_HEAD.match(line))  # the table's header keeps its lead
        table = head or (table and lead is not None)
        bullet = bool(BULLET.match(line)) or (table and not head and bool(_TABLE_ROW.match(line)))
        item = bullet or bool(_LABELLED.match(line)) or (lead is not None and bool(_CELLS.search(line)))
        if not item and not head and line.strip():
            lead, table = None, False
        if number and item and lead is not None:
            numbered = (lead, int(number.group(1)))
        for a, b in _pieces(line):
            raw = line[a:b]
            left = len(raw) - len(raw.lstrip())
            body = raw.strip()
            start = pos + a + left
            heading = line_no == 0 or (len(line) < 160 and not line.rstrip().endswith((".", ":", ";")))
            out.append(
                Sentence(
                    body,
                    start,
                    start + len(body),
                    line_no,
                    len(out),
                    bullet,
                    lead if item else None,
                    heading,
                )
            )
        if out and (line.rstrip().endswith(":") or _count_lead().search(line)):
            lead = out[-1].index  # a line ending in ":" (or counting a list's units) leads the items under it
    return out
