"""A cluster made of one kind of body: its members and chairs are written as their localities.

ANNOTATION.md writes a body of a locality as the locality when the cluster is made of such bodies
("Công an tỉnh Hà Nam" -> Hà Nam). The lexicon's bodies (UBND, MTTQ, Công an …) are read so by
`units.parse`; an agency outside it ("Chi cục Quan Sơn", "Trung tâm Y tế thành phố Long Xuyên",
"Đài Truyền thanh huyện Cư Kuin") is a body of its locality only when the article shows a cluster of
that kind: the same head with two localities, the locality listed bare as a member, or the kind
counted or named in the plural ("các Chi cục: …", "5 Đài truyền thanh …"). Companies, banks,
schools, newspapers and hospitals are members in their own right and keep their names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from corpus import textkeys
from extract import gazetteer
from extract.lexicon import alternation, compiled, entries, grammar
from extract.models import UNIT_FIELDS
from extract.units import in_own_right, is_org, kind_of, mention, name_of, name_start

if TYPE_CHECKING:
    from extract.context import Context

_DISTRICT_LEVEL = frozenset({"tỉnh", "thành phố", "thị xã", "huyện", "quận"})


@dataclass(frozen=True)
class _Split:
    """An agency's name cut into its head (the kind of body) and the locality it ends with."""

    head: str
    locality: str
    kind: str | None


@lru_cache(maxsize=1)
def _party_committee_end() -> re.Pattern[str]:
    return compiled(rf"(?:{alternation(entries('units', 'party_committees'))})\s*$")


def split(name: str, own_right: bool = False) -> _Split | None:
    """ "Chi cục Quan Sơn" -> (Chi cục, Quan Sơn); None when the name does not end with a locality of
    district level or above, or names a member in its own right (unless `own_right`)."""
    if not is_org(name) or (in_own_right(name) and not own_right):
        return None
    if grammar("units.sub-unit-of-body").search(name):
        return None  # "Phòng Cảnh sát hình sự Công an tỉnh X": a department of X's force, never X
    tail = None
    for m in mention().finditer(name):
        if m.end() == len(name.rstrip()):
            tail = m
    if tail is None:
        return None
    kind = kind_of(tail.group("kind"))
    locality = name_of(tail)
    head = name[: tail.start() if kind else name_start(tail)].strip(" ,–-")
    if not head or not is_org(head) or _party_committee_end().search(head) or head.endswith(" tại"):
        return None
    if kind is None:  # no kind word: only a district-level place of the gazetteer, never a commune
        place = gazetteer.lookup(locality)
        if place is None or place.kind not in _DISTRICT_LEVEL:
            return None
    elif kind not in _DISTRICT_LEVEL:
        return None
    return _Split(head, locality, kind)


def _written_localities(text: str, head: str) -> set[str]:
    """The localities of district level or above that `head` is written with anywhere in `text`
    ("Sở Văn hóa và Thể thao tỉnh Nghệ An … Sở Văn hóa và Thể thao Thừa Thiên Huế")."""
    found = set()
    for m in re.finditer(rf"(?<![\w]){re.escape(head)}\s+", text):
        place = mention().match(text, m.end())
        if place is not None:
            kind = kind_of(place.group("kind"))
            located = gazetteer.lookup(name_of(place)) if kind is None else None
            if kind in _DISTRICT_LEVEL or (located is not None and located.kind in _DISTRICT_LEVEL):
                found.add(textkeys.word_key(name_of(place)))
    return found


_ROW_NUMBER = re.compile(r"\d{1,3}[^\S\n]*\n")  # a flattened table's row number ends its line
_DAY_MONTH = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?(?!\d)")
_LIST_MARK = re.compile(r"(?<![\w.,])\d{1,3}[.)](?=\s)")  # "2. Bưu điện tỉnh A …": an item's number, no count
_SCORE = re.compile(r"\d+,\d+")  # "… 94,6 93,6 Kho bạc Nhà nước …": a table's scores, no count


def _plural_heads(text: str) -> str:
    """The article folded, for "các <head>" and "<n> <head>" look-ups; dates blanked first, so that
    "Chiều 28/2, Cục Thống kê tỉnh …" counts no "2 Cục Thống kê", nor a table's row number on the line
    before a name ("3\nCục Thống kê …"), a list item's number ("2. Bưu điện …") or a score ("94,6")."""
    text = _LIST_MARK.sub(" ", _SCORE.sub(" ", _DAY_MONTH.sub(" ", text)))
    return f" {textkeys.word_key(_ROW_NUMBER.sub(' ', text))} "


def _shows_kind(head: str, folded_text: str) -> bool:
    key = textkeys.word_key(head)
    return bool(re.search(rf" (?:cac|nhung|\d{{1,2}}) {re.escape(key)} ", folded_text))  # not "năm 2020 X"


def as_localities(ctx: Context, facts: list[Any]) -> list[Any]:
    """Members, chairs and award recipients written as agencies of one kind, in an article that shows
    a cluster of that kind, rewritten as their localities (the head kept in `body`)."""
    splits: dict[int, _Split] = {}
    own: set[int] = set()  # a chair in its own right ("Đài PTTH Đồng Tháp"), its members listed bare
    for i, fact in enumerate(facts):
        field = UNIT_FIELDS.get(fact.type)
        if field is None or getattr(fact, "body", None):
            continue
        found = split(str(getattr(fact, field)))
        if found is None and fact.type == "chair" and (found := split(str(fact.unit), own_right=True)):
            own.add(i)
        if found is not None:
            splits[i] = found
    if not splits:
        return facts
    localities: dict[str, set[str]] = defaultdict(set)
    for found in splits.values():
        localities[textkeys.word_key(found.head)].add(textkeys.word_key(found.locality))
    for head in {found.head for found in splits.values()}:  # the head written with other localities
        localities[textkeys.word_key(head)] |= _written_localities(ctx.text, head)
    # localities listed bare, not read from a body ("Kho bạc Nhà nước Cao Bằng" lists no bare "Cao Bằng")
    bare_members = {
        textkeys.word_key(f.member) for f in facts if f.type == "member" and not getattr(f, "body", None)
    }
    folded_text = _plural_heads(ctx.text)
    out = []
    for i, fact in enumerate(facts):
        found = splits.get(i)
        kindred = found is not None and (
            textkeys.word_key(found.locality) in bare_members and found.locality != ctx.province
            if i in own  # a bank's branch in the article's one province is no body of the province
            else _of_a_kindred_cluster(ctx, found, localities, bare_members, folded_text)
        )
        if found is None or not kindred:
            out.append(fact)
            continue
        data = fact.model_dump(exclude={"unit_today"})
        data[UNIT_FIELDS[fact.type]] = found.locality
        data["body"] = found.head
        data["unit_kind"] = found.kind or data.get("unit_kind")
        out.append(type(fact).model_validate(data))
    return out


def _of_a_kindred_cluster(
    ctx: Context, found: _Split, localities: dict[str, set[str]], bare: set[str], folded_text: str
) -> bool:
    if len(localities[textkeys.word_key(found.head)]) >= 2 or _shows_kind(found.head, folded_text):
        return True  # two localities of one head, or the head counted ("15 Sở Nông nghiệp và PTNT")
    if found.locality == ctx.province:  # one province's own agency (extract.home keeps its name)
        return False
    return textkeys.word_key(found.locality) in bare
