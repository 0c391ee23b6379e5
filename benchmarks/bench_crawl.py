"""Crawl speed on a generated local site (≥ 5,000 pages, AutoThrottle off); store size per 1,000 articles."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from html import escape
from pathlib import Path

from corpus.sample_site.server import mapping_resolver, serve
from crawler.runner import crawl
from runtime.settings import Settings

ARTICLES = int(os.environ.get("THIDUA_BENCH_CRAWL_ARTICLES", "5000"))
PER_LISTING = 50
OVERRIDES = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "LOG_LEVEL": "WARNING",
}
_PARAGRAPH = (
    "Ngày {d}/{m}, Cụm thi đua số {n} tổ chức hội nghị tổng kết công tác thi đua, khen thưởng năm {y}; "
    "các địa phương thống nhất nhiều giải pháp phát triển kinh tế - xã hội, cải cách hành chính, "
    "chuyển đổi số và xây dựng nông thôn mới, phấn đấu hoàn thành vượt mức chỉ tiêu kế hoạch mã {n}-{i}."
)


def _article(n: int) -> bytes:
    paragraphs = "".join(
        f"<p>{escape(_PARAGRAPH.format(d=n % 28 + 1, m=n % 12 + 1, n=n, y=2010 + n % 15, i=i))}</p>"
        for i in range(12)
    )
    return (
        f'<html><head><meta charset="utf-8"><title>Bài {n}</title></head><body>'
        f'<div class="news_column panel panel-default"><div class="panel-body">'
        f'<h1 class="title margin-bottom-lg">Cụm thi đua số {n} tổng kết năm {2010 + n % 15}</h1>'
        f'<span class="h5">Thứ năm - {n % 28 + 1:02d}/{n % 12 + 1:02d}/{2010 + n % 15} 08:{n % 60:02d}</span>'
        f'<div id="news-bodyhtml" class="bodytext">{paragraphs}</div>'
        f'<p class="h5 text-right"><span itemprop="author">Phóng viên {n % 97}</span></p>'
        f"</div></div></body></html>"
    ).encode()


def generated_site(articles: int) -> dict[str, bytes]:
    """A NukeViet-shaped site: `articles` article pages and listing pages of PER_LISTING links each."""
    pages = {f"/news/tin-tuc/bai-viet-so-{n}-{100000 + n}.html": _article(n) for n in range(articles)}
    paths = list(pages)
    listings = (len(paths) + PER_LISTING - 1) // PER_LISTING
    for i in range(listings):
        links = "".join(
            f'<h3><a href="{p}">{p}</a></h3>' for p in paths[i * PER_LISTING : (i + 1) * PER_LISTING]
        )
        nav = f'<a href="/news/page-{i + 2}/">Sau</a>' if i + 1 < listings else ""
        pages["/news/" if i == 0 else f"/news/page-{i + 1}/"] = (
            f"<html><body>{links}{nav}</body></html>".encode()
        )
    pages["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    return pages


def _size(data_dir: Path) -> tuple[int, int]:
    with sqlite3.connect(data_dir / "thidua.sqlite3") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # count the pages, not a transient log
    db = sum(p.stat().st_size for p in data_dir.glob("thidua.sqlite3*"))
    warc = sum(p.stat().st_size for p in (data_dir / "warc").glob("*.warc.gz"))
    return db, warc


def main() -> None:
    pages = generated_site(ARTICLES)
    with (
        tempfile.TemporaryDirectory(prefix="thidua-bench-crawl-") as tmp,
        serve(mapping_resolver(pages)) as base,
    ):
        settings = Settings(data_dir=Path(tmp) / "var")
        report = crawl(settings, site="nukeviet", start_urls=[base + "/news/"], overrides=OVERRIDES)
        db, warc = _size(settings.data_dir)
        again = crawl(settings, site="nukeviet", start_urls=[base + "/news/"], overrides=OVERRIDES)
    stored = report.articles_new
    print(
        f"site: {len(pages) - 1} pages ({ARTICLES} articles), crawl process on 1 core, server in this process"
    )
    print(
        f"first crawl: {report.pages_fetched} pages in {report.seconds:.1f} s "
        f"= {report.pages_fetched / report.seconds:.0f} pages/s per core (incl. ~2 s process start)"
    )
    print(f"articles stored: {stored}, errors: {report.errors}")
    print(
        f"second crawl (conditional): {again.not_modified} not modified, {again.articles_new} new, "
        f"{again.pages_fetched / again.seconds:.0f} pages/s"
    )
    if stored:
        per_k = 1000 / stored / 1e6
        html_kb = sum(map(len, pages.values())) / len(pages) / 1e3
        print(
            f"store size per 1,000 articles: SQLite {db * per_k:.1f} MB + WARC {warc * per_k:.1f} MB "
            f"= {(db + warc) * per_k:.1f} MB (raw HTML {html_kb:.1f} kB/page)"
        )


if __name__ == "__main__":
    main()
