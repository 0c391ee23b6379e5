"""Citations of a fact's source: ready-to-copy text in Vietnamese and English, CSL-JSON and BibTeX
(pure functions over the fact, its article and the addresses this server answers at)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from search_api.schemas import FactOut
from search_api.stores.base import ArticleDoc

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")  # fmt: skip
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
# LaTeX's special characters in BibTeX text fields (a URL field keeps its characters).
_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
        "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}  # fmt: skip
_TEX_CHARS = re.compile("|".join(re.escape(c) for c in _TEX))


@dataclass(frozen=True)
class Source:
    """What a citation of a fact names: the article, where to read it, where thidua keeps it."""

    fact: FactOut
    title: str
    source: str
    url: str
    published: str | None
    permalink: str
    archived: str | None
    accessed: str  # the day the citation was made (ISO)

    @property
    def key(self) -> str:
        """The citation key: stable per fact."""
        return f"thidua-{self.fact.id}"


def source_of(fact: FactOut, article: ArticleDoc | None, base_url: str, accessed: str) -> Source:
    """The citation data of a fact from its article (or, without one, its evidence)."""
    base = base_url.rstrip("/")
    url = (article.url if article else None) or fact.evidence.url or ""
    return Source(
        fact=fact,
        title=article.title if article else "",
        source=(article.source or article.site or "") if article else "",
        url=url,
        published=(article.published if article else None) or fact.evidence.published,
        permalink=f"{base}/facts/{fact.id}",
        archived=f"{base}/api/v1/articles/{article.id}/raw" if article and article.has_raw else None,
        accessed=accessed,
    )


def date_parts(date: str | None) -> list[int]:
    """[year, month, day] as far as an ISO date (or its start) tells; [] without one."""
    found = _DATE.match(date or "")
    return [int(p) for p in found.groups() if p] if found else []


def human_date(date: str | None, lang: str) -> str:
    """`1/2/2022` in Vietnamese, `1 February 2022` in English; partial dates as far as known."""
    parts = date_parts(date)
    if not parts:
        return "không rõ ngày" if lang == "vi" else "n.d."
    if lang == "vi":
        return "/".join(str(p) for p in reversed(parts))
    year, *rest = parts
    month = MONTHS_EN[rest[0] - 1] if rest and 1 <= rest[0] <= 12 else ""
    day = str(rest[1]) if len(rest) > 1 else ""
    return " ".join(p for p in (day, month, str(year)) if p)


def text_citation(src: Source, lang: str) -> str:
    """A ready-to-copy citation: source, title, date, URL, accessed date, archived copy, permalink."""
    archived = src.archived or src.permalink
    if lang == "vi":
        return (
            f"{src.source or 'Không rõ nguồn'}, “{src.title}”, ngày {human_date(src.published, 'vi')}, "
            f"{src.url}, truy cập ngày {human_date(src.accessed, 'vi')}; bản lưu: {archived} "
            f"(dữ kiện: {src.permalink})."
        )
    return (
        f"{src.source or 'Unknown source'}, “{src.title},” {human_date(src.published, 'en')}, {src.url} "
        f"(accessed {human_date(src.accessed, 'en')}; archived copy: {archived}; fact: {src.permalink})."
    )


def csl_json(src: Source) -> list[dict[str, Any]]:
    """The source as a CSL-JSON item list (one `article-newspaper`), as citation managers import it."""
    item: dict[str, Any] = {
        "id": src.key,
        "type": "article-newspaper",
        "title": src.title,
        "container-title": src.source,
        "URL": src.url,
        "accessed": {"date-parts": [date_parts(src.accessed)]},
        "archive": "thidua",
        "archive_location": src.archived or src.permalink,
        "note": f"“{src.fact.evidence.sentence}” ({src.permalink})",
        "language": "vi",
    }
    if date_parts(src.published):
        item["issued"] = {"date-parts": [date_parts(src.published)]}
    return [item]


def tex(text: str) -> str:
    """Text for a BibTeX field, LaTeX's special characters escaped."""
    return _TEX_CHARS.sub(lambda m: _TEX[m.group(0)], " ".join(text.split()))


def bibtex(src: Source) -> str:
    """The source as one BibTeX `@misc` entry (biblatex reads its `url`, `urldate` and `date` too)."""
    parts = date_parts(src.published)
    fields = [
        ("title", "{" + tex(src.title) + "}"),  # double braces: styles keep its capitals
        ("howpublished", tex(src.source)),
        ("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))),
        ("year", str(parts[0]) if parts else ""),
        ("url", src.url.replace("{", "%7B").replace("}", "%7D")),
        ("urldate", src.accessed),
        ("note", tex(f"Archived copy: {src.archived or src.permalink}. Fact: {src.permalink}")),
        ("langid", "vietnamese"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{src.key},\n{body}\n}}\n"
