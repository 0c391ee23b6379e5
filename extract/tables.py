"""Tables a page flattened with its cells kept apart ("Cụm | Đơn vị thành viên | Cụm trưởng | Cụm
phó", then one row a line): which column holds a cluster, its members, its chair and its vice-chair,
as its header names them (grammar `tables.*`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from extract.lexicon import grammar

if TYPE_CHECKING:
    from extract.context import Context
    from extract.sentences import Sentence

_COLUMNS = {
    "cluster": "tables.cluster",
    "members": "tables.members",
    "chair": "tables.chair",
    "vice_chair": "tables.vice-chair",
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
        out.append(Cell(piece.strip(), at + lead))
        at += len(piece) + 1
    return out


def _column(header: str) -> str | None:
    return next((c for c, pattern_id in _COLUMNS.items() if grammar(pattern_id).fullmatch(header)), None)


def rows(ctx: Context) -> list[Row]:
    """The rows of every table whose header names a members, chair or vice-chair column."""
    out: list[Row] = []
    sentences = ctx.sentences
    for i, s in enumerate(sentences):
        if s.text.count("|") < 2:
            continue
        columns = [_column(c.text) for c in _cells(s.text)]
        if "cluster" not in columns or not {"members", "chair", "vice_chair"} & set(columns):
            continue
        lead = sentences[i - 1] if i > 0 and sentences[i - 1].text.rstrip().endswith(":") else None
        header = {c: cell for c, cell in zip(columns, _cells(s.text), strict=True) if c is not None}
        for row in sentences[i + 1 :]:
            cells = _cells(row.text)
            if len(cells) != len(columns) or row.line == s.line:
                break
            named = {c: cell for c, cell in zip(columns, cells, strict=True) if c is not None and cell.text}
            out.append(Row(row, lead, named, header))
    return out
