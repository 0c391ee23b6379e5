"""Generate the sample site's HTML once from gold/articles.jsonl and fillers.yaml; the output is committed."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import yaml

from corpus.sample_site.server import SAMPLE_ROOT, file_key

GOLD = SAMPLE_ROOT.parent / "gold" / "articles.jsonl"
PER_PAGE = 3

# Where each gold sample lives on its site. Only the Lâm Đồng 2024 URL is the article's real one;
# the others are reconstructed in their site's URL shape. `date` is the page's visible date line;
# `chrome` are lines of the scraped text that belong to the page around the article, not to it.
SAMPLES: dict[str, dict[str, Any]] = {
    "lamdong-2022-01-13-cum1-tong-ket": {
        "site": "baolamdong",
        "path": "/chinh-tri/202201/"
        "cum-thi-dua-so-1-trien-khai-cong-tac-thi-dua-khen-thuong-nam-2022-3f6a1d2/",
        "chrome": [","],
    },
    "lamdong-2024-05-09-cum1-giao-uoc": {
        "site": "baolamdong",
        "path": "/chinh-tri/202405/cum-thi-dua-so-1-tinh-lam-dong-ky-ket-giao-uoc-thi-dua-nam-2024-c081ec3/",
        "date": "Thứ Năm, 09/05/2024",
        "chrome": ["Nguồn: Báo Lâm Đồng Online", "Theo link:"],
    },
    "lamdong-2020-02-18-cum2-tong-ket": {
        "site": "baolamdong",
        "path": "/chinh-tri/202002/cum-thi-dua-so-2-tong-ket-cong-tac-thi-dua-khen-thuong-2e91b07/",
        "chrome": [],
    },
    "longan-2022-04-13-can-duoc": {
        "site": "longan",
        "path": "/tin-tuc/Pages/"
        "Can-Duoc-day-manh-phong-trao-thi-dua-gop-phan-hoan-thanh-xuat-sac-nhiem-vu.aspx",
        "chrome": ["Tiếng Việt | English", "Chia sẻ bài viết"],
    },
    "binhdinh-2022-01-20-cum-mien-nui": {
        "site": "binhdinh_tdkt",
        "path": "/news/cum-khoi-thi-dua/cum-thi-dua-cac-huyen-mien-nui-trung-du-tong-ket-nam-2021-1586.html",
        "chrome": ["Tổng số điểm", "Click để đánh giá", "Ý kiến bạn đọc", "Bạn đã không sử dụng Site"],
    },
}
SITES = {
    "baolamdong": {"host": "https://baolamdong.vn", "listing": "/tin-moi/", "page": "/tin-moi/trang-{n}/"},
    "longan": {
        "host": "https://www.longan.gov.vn",
        "listing": "/tin-tuc/Pages/default.aspx",
        "page": "/tin-tuc/Pages/default.aspx?Paged={n}",
    },
    "binhdinh_tdkt": {
        "host": "https://thiduakhenthuong.binhdinh.gov.vn",
        "listing": "/news/",
        "page": "/news/page-{n}/",
    },
}
_DATE_LINE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_AUTHOR_PREFIX = "Tác giả bài viết:"


@dataclass
class Page:
    """One article of the sample site."""

    site: str
    path: str
    title: str
    date: str
    author: str
    paragraphs: list[str]


def _from_sample(record: dict[str, str]) -> Page:
    spec = SAMPLES[record["id"]]
    lines = [line.strip() for line in record["text"].splitlines() if line.strip()]
    lines = [ln for ln in lines if not any(ln.startswith(c) for c in spec["chrome"])]
    date = spec.get("date") or next(ln for ln in lines[:3] if _DATE_LINE.search(ln))
    lines = [ln for ln in lines if ln != date]
    date = re.sub(r"(\d{2}:\d{2})\s+\d+\s+\d+$", r"\1", date)  # NukeViet's view/comment counters
    title = lines.pop(0)
    author = lines.pop()
    author = author.removeprefix(_AUTHOR_PREFIX).strip()
    paragraphs = [p for i, p in enumerate(lines) if i == 0 or p != lines[i - 1]]  # captions repeat
    return Page(spec["site"], spec["path"], title, date, author, paragraphs)


def _article_html(page: Page) -> str:
    canonical = SITES[page.site]["host"] + page.path
    lead, rest = page.paragraphs[0], page.paragraphs[1:]
    body = "\n".join(f"<p>{escape(p)}</p>" for p in rest)
    fill = {
        "title": escape(page.title),
        "date": escape(page.date),
        "author": escape(page.author),
        "lead": escape(lead),
        "body": body,
        "canonical": escape(canonical),
    }
    template = (SAMPLE_ROOT / "templates" / f"{page.site}.article.html").read_text(encoding="utf-8")
    return template.format(**fill)


def _listing_html(site: str, pages: list[Page], n: int, total: int) -> str:
    items = "\n".join(
        f'<li class="item"><h3><a href="{escape(p.path)}">{escape(p.title)}</a></h3>'
        f'<span class="time">{escape(p.date)}</span><p>{escape(p.paragraphs[0][:160])}</p></li>'
        for p in pages
    )
    links = " ".join(
        f'<a href="{escape(SITES[site]["page"].format(n=i) if i > 1 else SITES[site]["listing"])}">{i}</a>'
        for i in range(1, total + 1)
        if i != n
    )
    template = (SAMPLE_ROOT / "templates" / f"{site}.listing.html").read_text(encoding="utf-8")
    return template.format(items=items, pagination=links, page=n)


def _write(root: Path, path: str, html: str) -> None:
    target = root / file_key(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def _date_key(page: Page) -> tuple[int, int, int]:
    day, month, year = (int(x) for x in _DATE_LINE.search(page.date).group(0).split("/"))  # type: ignore[union-attr]
    return year, month, day


def build(out: Path = SAMPLE_ROOT) -> dict[str, int]:
    """Write every site's article and listing pages, robots.txt and sites.json; returns pages per site."""
    samples = [
        _from_sample(json.loads(line)) for line in GOLD.read_text(encoding="utf-8").splitlines() if line
    ]
    fillers = [Page(**f) for f in yaml.safe_load((SAMPLE_ROOT / "fillers.yaml").read_text(encoding="utf-8"))]
    counts = {}
    for site, spec in SITES.items():
        root = out / site
        shutil.rmtree(root, ignore_errors=True)
        pages = sorted((p for p in samples + fillers if p.site == site), key=_date_key, reverse=True)
        for page in pages:
            _write(root, page.path, _article_html(page))
        chunks = [pages[i : i + PER_PAGE] for i in range(0, len(pages), PER_PAGE)]
        for n, chunk in enumerate(chunks, start=1):
            path = spec["listing"] if n == 1 else spec["page"].format(n=n)
            _write(root, path, _listing_html(site, chunk, n, len(chunks)))
        (root / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", encoding="utf-8")
        counts[site] = len(pages) + len(chunks)
    manifest = {site: {"start": [spec["listing"]]} for site, spec in SITES.items()}
    (out / "sites.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts


if __name__ == "__main__":
    print(json.dumps(build()))
