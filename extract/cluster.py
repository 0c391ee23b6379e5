"""Cluster and bloc names (Cụm thi đua số 1, Khối thi đua các cơ quan Đảng) and cluster facts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from corpus import textkeys
from extract import gazetteer, people
from extract.facts import make
from extract.lexicon import CAP, alternation, compiled, entries, grammar, load, words
from extract.models import ClusterFact
from extract.registry import rule
from extract.sentences import content_end
from extract.units import bracket_abbreviation

if TYPE_CHECKING:
    from extract.context import Context

_MAX_NAME_WORDS = 18
_BARE_NUMBER = re.compile(r"\d{1,3}")


@dataclass(frozen=True)
class ClusterMention:
    """A cluster named in the text: the name the article's mentions of it share, its span, and
    the name as this mention writes it. A `partial` mention is a cut name ("Cụm thi đua các"
    before a list of provinces) that no fuller name of the article completes: it gives no fact."""

    name: str
    start: int
    end: int
    province: str | None = None
    written: str = ""
    partial: bool = False


@dataclass(frozen=True)
class _Found:
    """One mention as written: its normalised head, and its number or its description (with a
    number: the description given beside it, which names the same cluster)."""

    head: str
    bare: bool
    start: int
    end: int
    number: str | None = None
    tail: str = ""
    province: str | None = None
    partial: bool = False
    loud: bool = False  # a numbered head in capitals, as a title shouts it ("CỤM THI ĐUA 11")

    @property
    def written(self) -> str:
        if self.number is not None:
            number = self.number.split()
            word = f"{number[0].lower()} " if len(number) > 1 else ""  # "số 3", "thứ 7", or none
            return f"{self.head} {word}{_numeral(number[-1])}"
        return f"{self.head} {self.tail}".strip()

    @property
    def kind(self) -> str:
        return self.head.split()[0].casefold()

    @property
    def tokens(self) -> list[str]:
        """The description's words; an abbreviation in brackets ("(MTTQ)") is none of them."""
        return re.findall(r"\w+", bracket_abbreviation().sub(" ", self.tail))


@cache
def _pattern(key: str) -> re.Pattern[str]:
    """A regex of clusters.yaml by key, with {bodies} standing for the bodies of units.yaml."""
    return compiled(str(load("clusters")[key]).replace("{bodies}", _bodies()))


@lru_cache(maxsize=1)
def _bodies() -> str:
    return alternation(entries("units", "bodies"))


@lru_cache(maxsize=1)
def _surnames() -> str:
    return alternation(entries("names", "surnames"), key="text")


@lru_cache(maxsize=1)
def _head() -> re.Pattern[str]:
    return compiled(rf"(?<![\w])(?P<head>{alternation(entries('clusters', 'heads'))})(?![\w])")


@lru_cache(maxsize=1)
def _number() -> re.Pattern[str]:
    number = str(load("clusters")["number"]).replace("{bodies}", _bodies())
    return re.compile(r"\s+(?P<num>" + number + ")", re.IGNORECASE)


@lru_cache(maxsize=1)
def _stop() -> re.Pattern[str]:
    stops = words(entries("clusters", "stops")).replace("{bodies}", _bodies())
    stops = stops.replace("{surnames}", _surnames())
    # "TP.Hồ Chí Minh" and a one-letter abbreviation ("T.Ư", "H.C.M") go on; a stop ends the name
    abbreviated = r"(?<![\s(.](?-i:[A-ZĐ]))\.|(?<=[\s(.](?-i:[A-ZĐ]))\.(?!\w)"
    glued = grammar("cluster.glued-parent").pattern  # "cơ quan 4 phòng- Bộ CHQS tỉnh"
    return compiled(rf"\s+{stops}|{glued}|[,;:()\[\]“”\"!?/…|]|(?<![\s(]TP)(?:{abbreviated})|\s*\n")


@lru_cache(maxsize=1)
def _holder_dash() -> re.Pattern[str]:
    """A dash before a unit's head: a list item's holder after its bloc ("Khối X – Sở A")."""
    dash = next(e for e in entries("clusters", "stops") if e["id"] == "holder-after-dash")
    return compiled(rf"\s+{dash['pattern']}")


@lru_cache(maxsize=1)
def _descriptive() -> re.Pattern[str]:
    return compiled(words(entries("clusters", "descriptive_words")))


@lru_cache(maxsize=1)
def _body_end() -> re.Pattern[str]:
    return compiled(rf"(?<![\w]){_bodies()}$")


_PROVINCE_TAIL = grammar("cluster.province-tail")
_DISTRICT_TAIL = grammar("cluster.district-tail")


def _head_item(head: str) -> dict[str, Any]:
    for item in entries("clusters", "heads"):
        if compiled(f"^(?:{item['pattern']})$").match(head):
            return item
    return {"name": head}


def _split_province(tail: str) -> tuple[str, str | None]:
    for m in _PROVINCE_TAIL.finditer(tail):
        words_ = m.group("p").split()
        for k in (4, 3, 2, 1):
            if gazetteer.is_province(" ".join(words_[:k])):
                if tail[: m.start()].rstrip().endswith(","):  # "các huyện, thành phố Cà Mau": the kinds go on
                    return tail[: m.start("p")].rstrip(), " ".join(words_[:k])
                return tail[: m.start()], " ".join(words_[:k])
    return _bare_province(_district_locator(tail))


def _district_locator(tail: str) -> str:
    """The name without a trailing district it is located in ("… đoàn thể huyện Bố Trạch")."""
    m = _DISTRICT_TAIL.search(tail)
    joined = m is not None and re.search(r"\svà$", tail[: m.start()].rstrip()) is not None
    if m and m.start() > 0 and gazetteer.lookup(m.group("d")) is not None and not joined:
        return tail[: m.start()]  # "… các phường thành phố Đông Hà", not "… Tây Nam bộ và TP.Hồ Chí Minh"
    return tail


def _bare_province(tail: str) -> tuple[str, str | None]:
    """A province named without "tỉnh" after a Party committee ending the name
    ("… giúp việc Tỉnh ủy Quảng Bình" -> "… giúp việc Tỉnh ủy", Quảng Bình)."""
    words_ = tail.split()
    for k in (4, 3, 2, 1):
        committee = len(words_) > k + 1 and words_[-k - 1].casefold() == "ủy"
        plural = len(words_) > k + 2 and any(w.casefold() in ("các", "những") for w in words_[: -k - 1])
        region = _pattern("region_before_place").search(" ".join(words_[:-k]))  # "… khu vực Hà Nội"
        if (committee or plural) and not region and gazetteer.is_province(" ".join(words_[-k:])):
            return tail[: tail.rstrip().rfind(words_[-k])].rstrip(), " ".join(words_[-k:])
    return tail, None


def _province_after(text: str, at: int) -> str | None:
    """The province right after a numbered name ("Cụm thi đua số 2 tỉnh Kon Tum")."""
    prov = _PROVINCE_TAIL.match(text[at : at + 60])
    if not prov:
        return None
    words_ = prov.group("p").split()
    return next(
        (" ".join(words_[:k]) for k in (4, 3, 2, 1) if gazetteer.is_province(" ".join(words_[:k]))), None
    )


def _found(text: str, m: re.Match[str]) -> _Found | None:
    item = _head_item(m.group("head"))
    head, bare = str(item["name"]), bool(item.get("bare"))
    written = " ".join(m.group("head").split())
    if written.casefold() != head.casefold() and textkeys.fold(written) == textkeys.fold(head):
        head = written[:1].upper() + written[1:].lower()  # "Cụm thị đua": a slip kept (ANNOTATION.md)
    num = _number().match(text, m.end())
    if num and bare and "\n" in text[m.end() : num.start("num")] and not num.group("num")[:1].isalpha():
        return None  # "Nhiệm vụ trong Khối\n1\nCục Thuế …": a table's header, then its row number
    # "Đoàn Khối doanh nghiệp" names a body; "Đoàn Thanh niên cụm số 3" is the cluster's union
    said = (
        num is not None
        and item["id"] in load("clusters")["lower_numbered_heads"]
        and " " in num.group("num").strip()
    )
    if bare and not said and _pattern("bare_not_after").search(text, max(0, m.start() - 40), m.start()):
        return None
    # A bare head with a number ("Cụm 4", "Khối số 2") is a designation when capitalised, with "số"
    # or in an emulation's words (clusters.yaml lower_numbered_*); "học sinh khối 12" is none.
    if num and (
        not bare
        or m.group("head")[0].isupper()
        or " " in num.group("num").strip()
        or _lower_numbered(text, m, num, str(item["id"]))
    ):
        province = _province_after(text, num.end())
        # "Khối thi đua số V tỉnh X (khối các cơ quan …)": the description after the province
        placed = text.find(province, num.end(), num.end() + 60) + len(province) if province else -1
        alias = _alias(text, num.end()) or (_alias(text, placed) if placed > 0 else "")
        loud = _shouted(m.group("head"))
        return _Found(head, bare, m.start(), num.end(), num.group("num"), alias, province, loud=loud)
    if num is None and _pattern("division_before").search(text, max(0, m.start() - 20), m.start()):
        return None  # "hướng dẫn chia cụm thi đua khối các đơn vị …": a division, no name
    return None if num else _descriptive_mention(text, m, head, bare)


def _lower_numbered(text: str, head: re.Match[str], num: re.Match[str], item_id: str) -> bool:
    """A lower-case numbered head that the words around it show to be a cluster."""
    if item_id not in load("clusters")["lower_numbered_heads"]:
        return False
    before = _pattern("lower_numbered_before").search(text, max(0, head.start() - 20), head.start())
    after = _pattern("lower_numbered_after").match(text[num.end() : num.end() + 40])
    return before is not None or after is not None or _counted_before(text, head.start(), num.group("num"))


_WORD_NUMBERS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


def _counted_before(text: str, at: int, number: str) -> bool:
    """True when the report counts its emulation clusters before `at`, at least as many as `number`
    ("chia thành 5 cụm thi đua: cụm 1 gồm …", "… 5 cụm thi đua. … dẫn đầu cụm 3")."""
    if not number.strip().isdigit():
        return False
    counts = [m.group("n").lower() for m in _pattern("lower_numbered_counted").finditer(text, 0, at)]
    return any(int(_WORD_NUMBERS.get(n, n)) >= int(number) >= 1 for n in counts)


def find(text: str) -> list[ClusterMention]:
    """Every cluster name in `text`, in order; the variants of one cluster share one name."""
    heads = list(_head().finditer(text))
    listed = _enumerated(text, heads)
    found: list[_Found] = []
    for m in heads:
        if (found and m.start() < found[-1].end) or any(f.start <= m.start() < f.end for f in listed):
            continue
        f = _found(text, m)
        if f is not None:
            found.append(f)
            found += _second_numbers(text, f) + _second_description(text, f)
    found = [f for f in found if not _sector_of_members(text, f, found)]
    return _merged(sorted(found + listed, key=lambda f: f.start))


_SECTOR_REACH = 160  # characters from a cluster's name to the sector of the units it lists


def _sector_of_members(text: str, f: _Found, found: list[_Found]) -> bool:
    """True for a lower-case bloc word describing the units a cluster named just before lists ("Khối thi
    đua số II gồm 7 cơ quan khối nội chính: …"): their sector, no second cluster."""
    if not text[f.start : f.start + 1].islower():
        return False
    before = [g for g in found if g.end <= f.start and f.start - g.end <= _SECTOR_REACH]
    sector = grammar("cluster.sector-of-members")
    return bool(before) and sector.search(text, before[-1].end, f.start) is not None


def _intros(text: str, heads: list[re.Match[str]]) -> list[re.Match[str]]:
    """The enumerations' intros, sought only around heads with a colon soon after them."""
    found: list[re.Match[str]] = []
    for h in heads:
        if ":" in text[h.end() : h.end() + _INTRO_REACH]:
            intro = _ENUMERATION.search(text, max(0, h.start() - _COUNT_REACH), h.end() + _INTRO_REACH)
            if intro is not None and (not found or intro.start() != found[-1].start()):
                found.append(intro)
    return found


def _enumerated(text: str, heads: list[re.Match[str]]) -> list[_Found]:
    """The blocs a count of blocs enumerates, one per semicolon ("chia thành 04 khối thi đua, gồm:
    Khối các cơ quan Đảng, Mặt trận và đoàn thể; Khối cơ quan chính quyền; …"): each item led by a
    head without a number is a bloc named by the whole item, its commas included."""
    out: list[_Found] = []
    for intro in _intros(text, heads):
        end = _SENTENCE_END.search(text, intro.end())
        at = intro.end()
        for item in text[at : end.start() if end else len(text)].split(";"):
            head = _head().match(item.strip())
            lead = len(item) - len(item.lstrip())
            tail = item.strip()[head.end() :] if head else ""
            listed = _ITEM_MEMBERS.search(tail)  # "Khối … gồm 7 huyện, thành phố: A, B": its members
            tail = tail[: listed.start()] if listed else tail
            held = _holder_dash().search(tail)  # "…; Khối các cơ quan kinh tế – Sở A; …": its holder
            tail = tail[: held.start()] if held else tail
            if _ROLE_AFTER_HEAD.match(tail):
                continue  # "…; Cụm phó lần lượt là A, B": a role, no bloc
            if "|" in tail:
                continue  # "Cụm thi đua | Đơn vị | Cụm trưởng": a table's header after the intro, no bloc
            if head and tail.strip() and not _number().match(item.strip(), head.end()):
                words_ = tail.split()
                name_ = _trimmed(" ".join(words_))
                if len(words_) <= _MAX_NAME_WORDS and name_:
                    entry = _head_item(head.group("head"))
                    start = at + lead
                    out.append(
                        _Found(
                            str(entry["name"]),
                            bool(entry.get("bare")),
                            start,
                            start + (len(item.strip()) if held is None else head.end() + held.start()),
                            tail=name_,
                        )
                    )
            at += len(item) + 1
    return out


def _second_numbers(text: str, first: _Found) -> list[_Found]:
    """ "cụm thi đua số 2 và số 3", "Khối số I, số II": each number after the first names a cluster of
    the same kind."""
    out: list[_Found] = []
    at = first.end
    while first.number is not None and (m := _pattern("second_number").match(text, at)):
        number = m.group("num")
        out.append(_Found(first.head, first.bare, m.start("num"), m.end(), number, province=first.province))
        at = m.end()
    return out


_TWO_BEFORE = re.compile(r"(?<![\w])(?:hai|2|02)\s+$", re.IGNORECASE)
_AND_THEN = re.compile(r"(?:\s*\([^()]{0,400}\))?\s+và\s+(?=\w)")


def _second_description(text: str, first: _Found) -> list[_Found]:
    """ "hai cụm thi đua phía Bắc (A, B) và phía Nam (C, D)": the second of two counted clusters
    told by its description alone, in the words the first description opens with."""
    if first.number is not None or not first.tail or first.partial:
        return []
    if not _TWO_BEFORE.search(text, max(0, first.start - 8), first.start):
        return []
    joint = _AND_THEN.match(text, first.end)
    if joint is None:
        return []
    window = text[joint.end() : joint.end() + 200]
    raw = window[: _tail_end(window, 0)].rstrip()
    words_, opening = raw.split(), first.tail.split()[0].casefold()
    if not words_ or words_[0].casefold() != opening or len(words_) > _MAX_NAME_WORDS:
        return []
    tail = _trimmed(raw)
    if not tail.strip() or tail.strip() == first.tail:
        return []
    start = joint.end()
    return [_Found(first.head, first.bare, start, start + len(tail.rstrip()), tail=" ".join(tail.split()))]


def _tail_end(window: str, start: int) -> int:
    """Where a description starting at `start` of `window` ends: the first stop, a comma that
    joins kinds or abbreviations excepted."""
    stop = _stop().search(window, start)
    commas = []
    while stop and stop.group(0) == "," and _pattern("name_comma").match(window, stop.start()):
        commas.append(stop.start())
        stop = _stop().search(window, stop.end())
    end = stop.start() if stop else len(window)
    if commas and _SUBJECT_AFTER_COMMA.fullmatch(window, commas[-1], end) and _CLAUSE_VERB.match(window, end):
        end = commas[-1]  # "… các bệnh viện tuyến tỉnh, Bệnh viện Mắt làm Cụm phó": the next clause's subject
    glued = next((m for m in _GLUED.finditer(window, start, end) if _run_together(m.group(0))), None)
    return glued.end() if glued else end  # "các đơn vị sự nghiệpBản đăng ký": a line break lost


# A unit named by its head and a capitalised name after a description's comma, the subject of the
# clause that follows it (a role or a verb), is no part of the description.
_SUBJECT_AFTER_COMMA = re.compile(
    rf",\s+{CAP}\w*(?:\s+\w+){{0,2}}\s+{CAP}[\w-]*(?:\s+(?:{CAP}|\d)[\w-]*)*\s*"
)
_CLAUSE_VERB = grammar("cluster.subject-verb")
_ENUMERATION = grammar("cluster.enumeration-intro")
_ITEM_MEMBERS = re.compile(r"\s(?:gồm|bao gồm)\s|:", re.IGNORECASE)
_ROLE_AFTER_HEAD = re.compile(r"\s*(?:trưởng|phó)(?![\w])", re.IGNORECASE)
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n")
_COUNT_REACH, _INTRO_REACH = 12, 100  # characters before a head its count takes, after it to its colon
_NAMED_BLOC_START = grammar("cluster.named-bloc-start")
_BLOCS_TOLD = grammar("cluster.blocs-told")
_OF_ALL = re.compile(r"\s+của(?=\s+(?:các|những)\s)", re.IGNORECASE)

# A lower-case word with a diacritic run into a capitalised one: two words whose space a line
# break took ("nghiệpBản"); brand names in camel case ("PetroVietnam") are written without diacritics.
_GLUED = re.compile(rf"(?<![\w])[^\W\d_]+?(?={CAP})")


def _run_together(word: str) -> bool:
    return word.islower() and not word.isascii()


def _trimmed(tail: str) -> str:
    """The description without a trailing sector, a dangling locality kind or a dash ending it."""
    tail = _pattern("sector_tail").sub("", re.sub(r"\s*[–-]\s*$", "", tail.rstrip()))
    dangling = _pattern("dangling_locator").search(tail)
    if dangling and not _body_end().search(tail[: dangling.start()]):
        tail = tail[: dangling.start()]
    return tail


def _alias(text: str, at: int) -> str:
    """The description given right after a number ("Cụm thi đua số 5 (các tỉnh Tây Nguyên)")."""
    window = text[at : at + 200]
    lead = re.match(r"\s*(?:[,(]|(?<=\s)[–-](?=\s))?\s*", window)
    start = lead.end() if lead else 0
    again = _head().match(window, start)
    if again and lead and lead.group(0).strip() in {"–", "-", "("}:  # "khối IV – Khối các cơ quan …"
        start = again.end()
    raw = window[start : _tail_end(window, start)].rstrip()
    if not raw.strip() or len(raw.split()) > _MAX_NAME_WORDS or not _designates(raw.strip(), False):
        return ""
    return " ".join(_trimmed(_split_province(raw)[0]).split())


def _designates(first: str, bare: bool) -> bool:
    """True when the words after a head read as a cluster's description."""
    if bare:
        return bool(_pattern("bare_tail").match(first))
    if re.match(r"(?:19|20)\d{2}(?!\d)", first):  # "Trưởng khối thi đua 2017 chia sẻ": a year, no name
        return False
    return bool(_descriptive().match(first)) or first[0].isdigit() or first[0].isupper()


def _descriptive_mention(text: str, m: re.Match[str], head: str, bare: bool) -> _Found | None:
    quoted = None if bare else _pattern("quoted_name").match(text, m.end())
    if quoted:  # Cụm thi đua “Điện - Điện tử - Hóa chất”: the name in quotes, without them
        return _Found(head, bare, m.start(), quoted.end(), tail=" ".join(quoted.group("name").split()))
    # An abbreviation in brackets inside a name ("Liên đoàn Lao động (LĐLĐ) các tỉnh …") is read
    # through; the description keeps it as written, one at the end stays out.
    window = text[m.end() : m.end() + 200]
    window = bracket_abbreviation().sub(lambda a: " " * len(a.group(0)), window)
    parent = _pattern("parent_org").match(window) or _pattern("repeated_head").match(window)
    skip = parent.end() if parent else 0
    of_all = _OF_ALL.match(window, skip)  # "Khối thi đua của các bệnh viện …": "của" opens the description
    raw = _without_speaker(window[skip : _tail_end(window, of_all.end() if of_all else skip)].rstrip())
    lead = len(raw) - len(raw.lstrip())
    field = _pattern("bare_field").match(raw, lead) if bare else None
    if bare and field is None and m.group("head")[:1].isupper():
        field = _pattern("bare_field_lower").match(raw, lead)
    if field:  # "Khối Kinh tế - Kỹ thuật đỡ đầu …": the bloc is named by its field alone
        raw = raw[: field.end()]
    elif not raw.strip() or len(raw.split()) > _MAX_NAME_WORDS or not _names(text, m, raw.strip(), bare):
        return None
    tail, province = _split_province(raw)
    # "khối thi đua 7 tỉnh Kiên Giang": bloc 7 of one province, no count of provinces
    if province and _BARE_NUMBER.fullmatch(tail.strip()):
        return _Found(head, bare, m.start(), m.end() + skip + len(raw), tail.strip(), "", province)
    numbered = _pattern("number_end").search(tail)
    if numbered:
        alias = " ".join(tail[: numbered.start()].split())
        return _Found(
            head, bare, m.start(), m.end() + skip + len(raw), numbered.group("num"), alias, province
        )
    tail = _trimmed(tail)
    if not tail.strip():
        return None
    partial = bool(_pattern("partial_end").search(tail))
    end = m.end() + skip + len(raw if province and not partial else tail)
    paren = _pattern("number_in_brackets").match(text, end)
    if paren:  # "Khối thi đua các cơ quan tham mưu … (khối 1)": the number wins, as written
        written = paren.group("head")
        item = _head_item(written.casefold())
        alias = " ".join(tail.split())  # the description names the same cluster wherever it stands alone
        return _Found(
            str(item["name"]), bool(item.get("bare")), m.start(), paren.end(), paren.group("num"), alias
        )
    if _shouted(tail):  # a title in capitals keeps no case to copy: only a fuller variant names it
        partial = True
    whole = content_end(text)
    if end >= len(whole) and whole[-1:].isalnum():  # "… Khối Văn hóa - Xã h": truncated
        partial = True
    tail = text[m.end() + skip : m.end() + skip + len(tail)]  # the blanked abbreviations back
    return _Found(
        head,
        bare,
        m.start(),
        end,
        tail=" ".join(tail.split()),
        province=None if partial else province,
        partial=partial,
    )


def _names(text: str, m: re.Match[str], first: str, bare: bool) -> bool:
    """True when the words after the head name the cluster."""
    return _designates(first, bare) or (bare and _named_bloc(text, m, first))


def _named_bloc(text: str, m: re.Match[str], first: str) -> bool:
    """A capitalised "Khối" before a capitalised description, or before "sở", "cơ quan" or "CĐ", in a
    report that speaks of emulation blocs ("11 khối thi đua … Khối Trường học, Khối CĐ Trường học"):
    the bloc's own name. A lower-case "khối" is left alone ("các đơn vị khối Cảnh sát" of a police
    force is its branch)."""
    return (
        m.group("head") == "Khối"
        and _NAMED_BLOC_START.match(first) is not None
        and _BLOCS_TOLD.search(text) is not None
    )


def _without_speaker(raw: str) -> str:
    """The description without a personal name closing it ("Cụm trưởng Cụm thi đua các tỉnh Tây Nam
    Bộ Phạm Văn A cho biết"): a listed surname and two or three capitalised syllables, no place."""
    m = people.known_end().search(raw)
    if m is None or m.start() == 0 or not 3 <= len(m.group("name").split()) <= 4:
        return raw
    return raw[: m.start()].rstrip() if people.plausible(m.group("name")) else raw


def _shouted(tail: str) -> bool:
    """True for a description in capitals, as a title shouts it; initials alone ("XDLL – TT – HCKT",
    no vowel in any word) are the bloc's written name, and so are dotted initials and Roman
    numbers ("T.Ư III")."""
    words_ = [w for w in tail.split() if any(c.isalpha() for c in w) and not _NOT_SHOUTING.match(w)]
    letters = [c for w in words_ for c in w if c.isalpha()]
    initials = bool(words_) and not any(_VOWEL.search(textkeys.fold(w)) for w in words_)
    return len(letters) > 3 and all(c.isupper() for c in letters) and not initials


_VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)
_NOT_SHOUTING = re.compile(r"^(?:\w{1,2}(?:\.\w{1,3})+\.?|[IVXL]{1,6})$")


def _token(word: str) -> str:
    """A word as variants of one name compare it: without diacritics (typos such as "Nam Bô"), a
    count of units read as "các" ("6 tỉnh" = "các tỉnh")."""
    folded = textkeys.word_key(word)
    return "cac" if folded.isdigit() or folded in {"nhung", "cac"} else folded


_DESCRIPTOR_HEADS = frozenset({"khoi", "cum"})


def _acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


_NEGATING = frozenset({"ngoai", "khong", "phi"})  # folded: ngoài, không, phi


def _covers(long: list[str], short: list[str]) -> bool:
    """True when `short` reads as a subsequence of `long`, an acronym standing for a run of words
    with its initials ("LĐLĐ" for "Liên đoàn Lao động"); a head word written as a descriptor ("Cụm thi
    đua khối MTTQ …") need not read in the longer name. A word that negates ("Khối Doanh nghiệp ngoài
    nhà nước") names the opposite bloc, never a fuller name of the shorter."""
    if any(_token(w) in _NEGATING for w in long) and not any(_token(w) in _NEGATING for w in short):
        return False
    i = 0
    for word in [w for w in short if _token(w) not in _DESCRIPTOR_HEADS] or short:
        while i < len(long):
            run = long[i : i + len(word)]
            if _token(long[i]) == _token(word):
                i += 1
                break
            if (
                _acronym(word)
                and len(run) == len(word)
                and textkeys.word_key("".join(w[0] for w in run)) == textkeys.word_key(word)
            ):
                i += len(word)
                break
            i += 1
        else:
            return False
    return True


def _same(f: _Found, rep: _Found) -> bool:
    """True when `f` names the cluster `rep` names in full: the same number, or a description
    that reads inside its description (the one given beside its number)."""
    if f.kind != rep.kind or rep.partial:
        return False
    if f.number is not None:
        return rep.number is not None and _number_key(f.number) == _number_key(rep.number)
    if rep.number is not None and f.tokens and _number_key(f.tokens[-1]) == _number_key(rep.number):
        return True  # "Khối thi đua Dịch vụ - Thương mại 2" beside "Khối thi đua số 2": the number wins
    if rep.number is not None and not (rep.tokens and f.tokens):
        return False
    return _covers(_words(rep.tokens), _words(f.tokens))


def _words(tokens: list[str]) -> list[str]:
    """A description's words but "và", which a comma may stand for ("Cao đẳng, Trung cấp"), and the
    plural words "các" and "những", which one mention writes and the next leaves out ("Ban Quản lý
    các khu công nghiệp" and "Ban Quản lý khu công nghiệp")."""
    return [t for t in tokens if t.casefold() not in _FUNCTION_WORDS]


_FUNCTION_WORDS = frozenset({"và", "các", "những"})


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_TYPED_L = re.compile(r"[lIVX]*l[lIVX]*")  # "số ll", "số lV": a lower-case "l" typed for the numeral "I"


def _numeral(number: str) -> str:
    """A cluster number as written, in capitals, a lower-case "l" in a Roman numeral read as "I"."""
    return number.replace("l", "I") if _TYPED_L.fullmatch(number) else number.upper()


def _number_key(number: str) -> str:
    """A cluster number as one key however written: "số 02", "2" and "II" are one cluster."""
    last = number.split()[-1]
    if last.isdigit():
        return str(int(last))
    values = [_ROMAN.get(ch, 0) for ch in _numeral(last)]
    if not all(values):
        return _numeral(last)
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    return str(total)


def _fullness(f: _Found, numerals: Counter[str]) -> tuple[bool, bool, int, bool, bool, int]:
    """The order in which a group's name is chosen: whole, numbered (the number wins, in the form the
    article writes most often: "số 3" over a title's "số 03"), most words ("và", "các" and "những"
    are none: `_words`; nor is an abbreviation in brackets: `tokens`), with "thi đua", not in
    capitals (a title's "CỤM THI ĐUA 11" yields to the body's "Cụm thi đua số 11"), with its dashes
    ("chính trị - xã hội" where a title wrote "chính trị xã hội"); ties go to the first mention, as
    ANNOTATION.md keeps a name as its first mention writes it."""
    if f.number is not None:
        return (True, True, numerals[f.number.split()[-1]], not f.bare, not f.loud, 0)
    dashes = len(re.findall(r"[-–—]", f.tail))
    return (not f.partial, False, len(_words(f.tokens)), not f.bare, not _shouted(f.tail), dashes)


def _merged(found: list[_Found]) -> list[ClusterMention]:
    """The mentions, each named after the fullest variant of its cluster in the article."""
    reps: list[_Found] = []
    rep_of: dict[int, _Found] = {}
    numerals = Counter(f.number.split()[-1] for f in found if f.number is not None)
    for i in sorted(range(len(found)), key=lambda i: _fullness(found[i], numerals), reverse=True):
        rep = next((r for r in reps if _same(found[i], r)), None)
        if rep is None:
            reps.append(rep := found[i])
        rep_of[i] = rep
    return [
        ClusterMention(rep_of[i].written, f.start, f.end, f.province, f.written, rep_of[i].partial)
        for i, f in enumerate(found)
    ]


def canonical(name: str) -> str:
    """Comparable form of a cluster name (case and spacing folded)."""
    folded = re.sub(r"\s+", " ", name.replace("–", "-")).casefold().strip()
    return re.sub(r" (?:số|thứ) (?=(?:\d{1,3}[a-e]?|[ivxl]+)$)", " ", folded)


_NUMBERED = re.compile(r"^\S+(?: thi đua)? (?:\d{1,3}[a-e]?|[ivxl]{1,6})$")  # "cụm thi đua 3a"
_ENDS_IN_NUMBER = re.compile(r" (?:\d{1,3}[a-e]?|[ivxl]{1,6})$")


@rule("cluster.names.v1")
def extract(ctx: Context) -> list[ClusterFact]:
    """One cluster fact per distinct cluster named in the article, with the sentence naming it so."""
    facts: list[ClusterFact] = []
    seen: set[str] = set()
    numbered = _numbered_kinds(ctx.clusters, ctx.text)
    for mention in ctx.clusters:
        key = canonical(mention.name)
        if mention.partial or key in seen or _described(key, numbered):
            continue
        seen.add(key)
        same = [c for c in ctx.clusters if canonical(c.name) == key]
        stated = next((c for c in same if canonical(c.written) == key), mention)
        sentence = ctx.sentence_at(stated.start) or ctx.sentence_at(mention.start)
        if sentence is None:
            continue
        province = next((c.province for c in same if c.province), None) or ctx.province
        facts.append(
            make(ClusterFact, ctx, sentence, "cluster.names.v1", 0.95, name=mention.name, province=province)
        )
    return facts


def _numbered_kinds(mentions: list[ClusterMention], text: str) -> dict[str, set[str]]:
    """The numbers the article's numbered clusters carry, by head word ("cụm": {"3"})."""
    found: dict[str, set[str]] = {}
    for mention in mentions:
        key = canonical(mention.name)
        if text[mention.start : mention.start + 1].islower():
            continue  # "cụm 2" in lower case: one of a count of clusters, no other name of a described one
        if _NUMBERED.match(key):
            found.setdefault(key.split()[0], set()).add(key.rsplit(" ", 1)[-1])
    return found


def _described(key: str, numbered: dict[str, set[str]]) -> bool:
    """True for a descriptive name in a report that names exactly one numbered cluster of the same
    head ("Cụm thi đua số 7" and "Cụm thi đua ngành Văn hóa …"): the description is that cluster,
    and the number is its name (ANNOTATION.md: the number wins)."""
    if _ENDS_IN_NUMBER.search(key):
        return False  # numbered itself ("Khối thi đua Ngân hàng 2"): another cluster
    return len(numbered.get(key.split()[0], ())) == 1
