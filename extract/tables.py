"""Tables a page flattened with its cells kept apart ("Cụm | Đơn vị thành viên | Cụm trưởng | Cụm
phó", then one row a line): which column holds a cluster, its members, its chair and its vice-chair,
as its header names them (grammar `tables.*`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extract.dates import one_year
from extract.lexicon import grammar

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_COLUMNS = {
    "cluster": "tables.cluster",
    "members": "tables.members",
    "chair": "tables.chair",
    "vice_chair": "tables.vice-chair",
    "year": "tables.year",
    "leader": "tables.leader",
    "award": "tables.award",
    "time": "tables.time",
    "place": "tables.place",
}


@dataclass(frozen=True)
class Cell:
    """One cell of a row: its text and where it starts in the row's sentence."""

    text: str
    start: int


@dataclass(frozen=True)
class Row:
    """A row under a header that names its columns; `lead` is the line introducing the table."""

    sentence: Sentence
    lead: Sentence | None
    cells: dict[str, Cell]
    header: dict[str, Cell]


def year_of(ctx: Context, row: Row, column: str) -> int | None:
    """The year a column's cells hold for: the row's own year cell ("Năm | Cụm trưởng | Cụm phó"), the
    header's own ("Khối trưởng năm 2024"), else the introducing line's ("… năm 2023 như sau:"), else its
    paragraph's only year ("… các khối thi đua năm 2013. Theo đó, … cụ thể như sau:"); an award
    column, else, takes the year the report reviews."""
    if (cell := row.cells.get("year")) is not None:
        written = _YEAR_CELL.search(cell.text)
        return int(written.group("y")) if written else None
    head = row.header.get(column)
    if head is not None and (year := one_year(head.text)):
        return year
    if row.lead is None:  # a role column's year, no line introducing the table: the assignment's
        return ctx.assigned_year if column in ("chair", "vice_chair") else None
    paragraph = " ".join(s.text for s in ctx.sentences if s.line == row.lead.line)
    found = one_year(row.lead.text) or one_year(paragraph)
    # an award column's year, the table telling nothing: the year the report reviews; a role column's,
    # the year of the assignment the report makes ("Thông báo phân chia cụm, khối thi đua năm 2023")
    if found is None and column in ("chair", "vice_chair"):
        return ctx.assigned_year
    return found or (ctx.reviewed_year if column.startswith("award") else None)


def cluster_of(ctx: Context, row: Row) -> str | None:
    """The cluster the row's cluster cell names."""
    cell = row.cells.get("cluster")
    if cell is None:
        return None
    start, end = row.sentence.start + cell.start, row.sentence.start + cell.start + len(cell.text)
    named = next((c for c in ctx.mentions_in(row.sentence) if start <= c.start < end and not c.partial), None)
    return ctx.display(named.name) if named else None


def _cells(text: str) -> list[Cell]:
    out, at = [], 0
    for piece in text.split("|"):
        lead = len(piece) - len(piece.lstrip())
        out.append(Cell(_FOOTNOTE_MARK.sub("", piece).strip(), at + lead))
        at += len(piece) + 1
    return out


_FOOTNOTE_MARK = re.compile(r"\s*\(\*{1,3}\)|\s*\*{1,3}\s*$")  # "Vĩnh Châu (*)": a note's mark, not the name


def _column(header: str) -> str | None:
    return next((c for c, pattern_id in _COLUMNS.items() if grammar(pattern_id).fullmatch(header)), None)


def _columns(headers: list[str]) -> list[str | None]:
    """What each header cell names; a bare units column ("Đơn vị") holds the members where a chair
    or vice-chair column beside it shows a table of the clusters' make-up, not of awards."""
    columns = [_column(h) for h in headers]
    if "members" not in columns and {"chair", "vice_chair"} & set(columns):
        units = grammar("tables.units")
        columns = [
            c if c or not units.fullmatch(h) else "members" for c, h in zip(columns, headers, strict=True)
        ]
    # two award columns ("Đề nghị tặng Cờ thi đua" | "Đề nghị tặng Bằng khen"): each its own, "award",
    # "award 2", …
    awards = [i for i, c in enumerate(columns) if c == "award"]
    for n, i in enumerate(awards[1:], start=2):
        columns[i] = f"award {n}"
    return columns


def award_columns(row: Row) -> list[str]:
    """The row's award columns, in the header's order."""
    return [c for c in row.header if c == "award" or c.startswith("award ")]


def _named(columns: list[str | None]) -> bool:
    """A header of clusters with their members, leaders, chairs or awards' recipients, or of one
    cluster's chairs year by year."""
    roles = {"chair", "vice_chair"} & set(columns)
    if "cluster" in columns:
        # "award 2" only with "award"; a schedule's "time" with its clusters
        return bool(roles or {"members", "leader", "award", "time"} & set(columns))
    return "year" in columns and bool(roles)


_YEAR_CELL = re.compile(r"(?:năm\s+)?(?P<y>(?:19|20)\d{2})", re.IGNORECASE)


def _row_opens(ctx: Context, columns: list[str | None], cells: list[tuple[int, str]]) -> Sentence | None:
    """The sentence of a row whose key cell holds what the header promises: a cluster's name, or a year."""
    key = "cluster" if "cluster" in columns else "year"
    start, text = cells[columns.index(key)]
    sentence = ctx.sentence_at(start + len(text) - len(text.lstrip()))
    if sentence is None:
        return None
    if key == "year":
        return sentence if _YEAR_CELL.fullmatch(text.strip()) else None
    return sentence if _a_cluster_cell(ctx, sentence, start, text) else None


_LINE = re.compile(r"[^\n]*")
_HEADER_CELL = 90  # characters a header's cell line may hold
_CELL_TAIL = 20  # characters a cluster cell may hold after the cluster's name


def _cell_lines(ctx: Context) -> list[Row]:
    """A table flattened one cell a line ("Cụm" / "Đơn vị thành viên" / "Cụm trưởng" / "Cụm phó", then
    the rows' cells, as many lines each): the header's lines name the columns, each row as many lines."""
    lines = [(m.start(), m.group(0)) for m in _LINE.finditer(ctx.text) if m.group(0).strip()]
    out: list[Row] = []
    i = 0
    while i < len(lines):
        k = 0
        while (
            i + k < len(lines)
            and (
                len(lines[i + k][1]) <= _HEADER_CELL  # a cheap look first: a header's cell is short
            )
            and (
                _column(lines[i + k][1].strip())
                or grammar("tables.other").fullmatch(lines[i + k][1].strip())
                or grammar("tables.units").fullmatch(lines[i + k][1].strip())
            )
        ):
            k += 1
        columns = _columns([text.strip() for _, text in lines[i : i + k]])
        if k < 3 or not _named(columns):
            i += max(k, 1)
            continue
        at = i + k
        header_sentence = ctx.sentence_at(lines[i][0])
        lead = ctx.sentences[header_sentence.index - 1] if header_sentence and header_sentence.index else None
        lead = lead if lead is not None and lead.text.rstrip().endswith(":") else None
        header = {
            c: Cell(text.strip(), 0) for c, (_, text) in zip(columns, lines[i : i + k], strict=True) if c
        }
        while at + k <= len(lines):
            cells = lines[at : at + k]
            sentence = _row_opens(ctx, columns, cells)
            if sentence is None:
                break
            named = {
                c: Cell(text.strip(), start + len(text) - len(text.lstrip()) - sentence.start)
                for c, (start, text) in zip(columns, cells, strict=True)
                if c is not None and text.strip()
            }
            out.append(Row(sentence, lead, named, header))
            at += k
        i = at
    return out


def _a_cluster_cell(ctx: Context, sentence: Sentence, start: int, text: str) -> bool:
    """True when the line is a cluster's name and little else ("Cụm thi đua số 1"), not a caption
    naming one ("Đại diện các huyện Cụm thi đua số 2 ký giao ước …")."""
    opens = start + len(text) - len(text.lstrip())
    return any(
        opens <= c.start <= opens + 3 and start + len(text.rstrip()) - c.end <= _CELL_TAIL
        for c in ctx.mentions_in(sentence)
    )


def rows(ctx: Context) -> list[Row]:
    """The rows of every table whose header names a members, leader, chair, vice-chair or award column;
    read once per article."""
    if ctx.table_rows is None:
        ctx.table_rows = _rows(ctx)
    return list(ctx.table_rows)


def _rows(ctx: Context) -> list[Row]:
    out: list[Row] = _cell_lines(ctx)
    sentences = ctx.sentences
    for i, s in enumerate(sentences):
        if s.text.count("|") < 2:
            continue
        columns = _columns([c.text for c in _cells(s.text)])
        if not _named(columns):
            continue
        lead = sentences[i - 1] if i > 0 and sentences[i - 1].text.rstrip().endswith(":") else None
        header = {c: cell for c, cell in zip(columns, _cells(s.text), strict=True) if c is not None}
        for row in sentences[i + 1 :]:
            cells = _cells(row.text)
            if not 2 <= len(cells) <= len(columns) or row.line == s.line:
                break
            # a row whose last cells were left empty ("2021 | A" under "Năm | Cụm trưởng | Cụm phó")
            named = {c: cell for c, cell in zip(columns, cells, strict=False) if c is not None and cell.text}
            out.append(Row(row, lead, named, header))
    return out
