"""Charts drawn on the server as inline SVG (no script, nothing fetched): a timeline with years across and
a lane per kind of fact, awards per year, and the chairs of a province's clusters year by year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from search_api.pageviews import evidence_href

Describe = Callable[[Any], str]
# Lanes of the timeline: the fact types drawn on it (an award count goes with the awards).
LANES = ("chair", "award", "event", "slogan")
LANE_OF = {"chair": "chair", "award": "award", "award_count": "award", "event": "event", "slogan": "slogan"}
LEFT, STEP, TOP, LANE_H, BOTTOM, RADIUS, PLOT = 132, 64, 16, 44, 36, 11, 120


@dataclass(frozen=True)
class Cell:
    """The facts of one year in one lane: one mark, linking to the first one's evidence; `count` the
    number of statements when `facts` names only the first few (0: as many as `facts`)."""

    year: int
    lane: str
    facts: tuple[Any, ...]
    count: int = 0

    @property
    def size(self) -> int:
        return self.count or len(self.facts)


def _year(date: Any) -> int | None:
    text = str(date or "")
    return int(text[:4]) if text[:4].isascii() and text[:4].isdigit() else None


def timeline_cells(items: Iterable[Any]) -> list[Cell]:
    """Timeline items (with `date` and `fact`) grouped by year and lane, in year then lane order."""
    cells: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for item in items:
        year, lane = _year(item.date), LANE_OF.get(item.fact.type)
        if year is not None and lane is not None:
            cells[(year, lane)].append(item.fact)
    order = {lane: n for n, lane in enumerate(LANES)}
    keys = sorted(cells, key=lambda key: (key[0], order[key[1]]))
    return [Cell(year, lane, tuple(cells[(year, lane)])) for year, lane in keys]


def _svg(css: str, width: int, height: int, title: str) -> str:
    return (
        f'<svg class="chart {css}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="group" aria-label="{escape(title)}">'
    )


def _mark(cell: Cell, name: str, describe: Describe, body: str) -> str:
    """A link to the evidence of a cell's first fact around its drawing, named by its facts."""
    first = cell.facts[0]
    href = evidence_href(first.evidence.article_id, first.id) or f"/facts/{first.id}"
    labels = "; ".join(describe(f) for f in cell.facts[:6]) + (" …" if cell.size > 6 else "")
    text = escape(f"{cell.year} · {name}: {labels}")
    return f'<a href="{escape(href)}" aria-label="{text}"><title>{text}</title>{body}</a>'


def timeline_svg(items: Iterable[Any], t: Callable[..., str], describe: Describe, title: str) -> Markup:
    """The timeline as a picture: years across, a lane per kind of fact, a mark per year and lane (its
    number of statements when more than one), each a link to the evidence; empty without dated facts.
    `items` are timeline items, or cells counted already (`entity_lists.chart_cells`)."""
    given = list(items)
    cells = given if all(isinstance(i, Cell) for i in given) else timeline_cells(given)
    if not cells:
        return Markup("")
    first = cells[0].year
    years = list(range(first, max(c.year for c in cells) + 1))
    width, height = LEFT + STEP * len(years), TOP + LANE_H * len(LANES) + BOTTOM
    parts = [_svg("timeline-chart", width, height, title)]
    for n, lane in enumerate(LANES):
        y = TOP + LANE_H * n + LANE_H // 2
        label = escape(t("lane_" + lane))
        parts.append(f'<line x1="{LEFT - 8}" x2="{width}" y1="{y}" y2="{y}" class="lane"/>')
        parts.append(f'<text x="{LEFT - 14}" y="{y + 5}" class="lane-label">{label}</text>')
    for n, year in enumerate(years):
        parts.append(f'<text x="{LEFT + STEP * n + STEP // 2}" y="{height - 12}" class="year">{year}</text>')
    for cell in cells:
        x = LEFT + STEP * (cell.year - first) + STEP // 2
        y = TOP + LANE_H * LANES.index(cell.lane) + LANE_H // 2
        body = f'<circle cx="{x}" cy="{y}" r="{RADIUS}" class="mark t-{cell.lane}"/>'
        if cell.size > 1:
            body += f'<text x="{x}" y="{y + 4}" class="count">{cell.size}</text>'
        parts.append(_mark(cell, t("lane_" + cell.lane), describe, body))
    parts.append("</svg>")
    return Markup("".join(parts))


def awards_svg(groups: Iterable[Any], t: Callable[..., str], describe: Describe, title: str) -> Markup:
    """Awards per year as bars (one per year, its height the number of awards stated), each a link to
    the evidence; empty without awards of a known year."""
    by_year: dict[int, list[Any]] = defaultdict(list)
    for group in groups:
        if group.fact.year:
            by_year[int(group.fact.year)].append(group.fact)
    if not by_year:
        return Markup("")
    years = list(range(min(by_year), max(by_year) + 1))
    most = max(len(facts) for facts in by_year.values())
    width, height = 48 + STEP * len(years), PLOT + 56
    parts = [_svg("awards-chart", width, height, title)]
    parts.append(f'<line x1="40" x2="{width}" y1="{PLOT + 16}" y2="{PLOT + 16}" class="lane"/>')
    for n, year in enumerate(years):
        x = 48 + STEP * n
        parts.append(f'<text x="{x + STEP // 2}" y="{height - 12}" class="year">{year}</text>')
        facts = by_year.get(year)
        if facts:
            bar = max(8, PLOT * len(facts) // most)
            y = PLOT + 16 - bar
            body = (f'<rect x="{x + 12}" y="{y}" width="{STEP - 24}" height="{bar}" class="mark t-award"/>'
                    f'<text x="{x + STEP // 2}" y="{y - 5}" class="count">{len(facts)}</text>')  # fmt: skip
            parts.append(_mark(Cell(year, "award", tuple(facts)), t("lane_award"), describe, body))
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class ChairGrid:
    """Who chaired which cluster of a province, year by year: rows of clusters, a column per year."""

    years: list[int]
    rows: list[tuple[str, str, dict[int, list[Any]]]]  # (cluster id, cluster name, year -> chair facts)


def chair_grid(facts: Iterable[Any]) -> ChairGrid:
    """The grid of chair facts (role `chair`), one fact per unit in a cell (conflicting ones side by side)."""
    cells: dict[str, dict[int, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    names: dict[str, str] = {}
    for fact in facts:
        if fact.type != "chair" or not fact.year or not fact.cluster_id or fact.fields.get("role") != "chair":
            continue
        names.setdefault(fact.cluster_id, str(fact.fields.get("cluster") or fact.cluster_id))
        cells[fact.cluster_id][int(fact.year)].setdefault(fact.unit_id or fact.id, fact)
    years = sorted({year for row in cells.values() for year in row})
    order = sorted(cells, key=lambda cid: (names[cid], cid))
    rows = [(cid, names[cid], {y: list(held.values()) for y, held in cells[cid].items()}) for cid in order]
    return ChairGrid(years, rows)
