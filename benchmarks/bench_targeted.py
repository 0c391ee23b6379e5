"""Pages fetched per relevant article: a targeted crawl (listings, sitemaps, the site's search) against a
whole-site crawl, on a generated news site where 5 % of the articles are about thi đua."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, quote_plus, urlsplit

from corpus.sample_site.server import serve
from crawler.runner import CrawlReport, crawl
from crawler.targeting import fold
from runtime.settings import Settings

ARTICLES = int(os.environ.get("THIDUA_BENCH_TARGET_ARTICLES", "2000"))
PER_PAGE = 20
PER_SITEMAP = 500
OVERRIDES = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "LOG_LEVEL": "WARNING",
}
_OTHER = ["Nông dân thu hoạch lúa vụ {n}", "Khởi công tuyến đường số {n}", "Khai mạc giải bóng đá số {n}"]
_TEXT = (
    "Ngày {d}/3/2024, các đơn vị trên địa bàn số {n} đã họp bàn kế hoạch phát triển kinh tế - xã hội, cải "
    "cách hành chính và chuyển đổi số, thống nhất nhiều giải pháp cụ thể cho năm tới, mã số {n}-{i}. "
)


@dataclass(frozen=True)
class Item:
    """One generated article; 1 in 20 is about thi đua, and 1 in 5 of those says so only in its text."""

    n: int

    @property
    def relevant(self) -> bool:
        return self.n % 20 == 7

    @property
    def titled(self) -> bool:
        """Whether the title names thi đua (what a targeted crawl can see before fetching)."""
        return self.relevant and self.n % 100 != 7

    @property
    def title(self) -> str:
        if self.titled:
            return f"Cụm thi đua số {self.n} tổng kết công tác thi đua, khen thưởng"
        if self.relevant:
            return f"Hội nghị của các huyện phía tây, lần thứ {self.n}"
        return _OTHER[self.n % 3].format(n=self.n)

    @property
    def path(self) -> str:
        return f"/tin-tuc/{'-'.join(fold(self.title).split())}-{100000 + self.n}.html"

    def page(self) -> bytes:
        text = "".join(f"<p>{escape(_TEXT.format(d=self.n % 27 + 1, n=self.n, i=i))}</p>" for i in range(4))
        if self.relevant:
            text += "<p>Các đơn vị ký kết giao ước thi đua, đề nghị Bằng khen cho tập thể xuất sắc.</p>"
        return _html(
            '<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{escape(self.title)}">'
            '<meta property="article:published_time" '
            f'content="2024-03-{self.n % 27 + 1:02d}T08:00:00+07:00">',
            f'<article><h1>{escape(self.title)}</h1><div class="content">{text}</div></article>',
        )


def _html(head: str, body: str) -> bytes:
    return f'<html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()


def _listing(items: list[Item], page: int, next_url: str | None) -> bytes:
    links = "".join(f'<h3><a href="{i.path}">{escape(i.title)}</a></h3>' for i in items)
    pager = f'<a href="{escape(next_url)}">Trang sau</a>' if next_url else ""
    return _html("<title>Tin tức</title>", f"<h1>Tin tức - trang {page}</h1>{links}{pager}")


def generated_news_site(articles: int) -> dict[str, bytes]:
    """Home, a paginated section, robots.txt naming a sitemap index of news sitemaps, and the articles."""
    items = [Item(n) for n in range(articles)]
    pages = {i.path: i.page() for i in items}
    chunks = [items[k : k + PER_PAGE] for k in range(0, len(items), PER_PAGE)]
    for p, chunk in enumerate(chunks, start=1):
        path = "/tin-tuc/" if p == 1 else f"/tin-tuc/trang-{p}.html"
        pages[path] = _listing(chunk, p, f"/tin-tuc/trang-{p + 1}.html" if p < len(chunks) else None)
    pages["/"] = _html(
        '<title>Báo Tỉnh</title><link rel="alternate" type="application/rss+xml" href="/rss/tin-moi.rss">',
        '<div class="menu"><a href="/tin-tuc/">Tin tức</a> <a href="/lien-he.html">Liên hệ</a></div>',
    )
    maps = [items[k : k + PER_SITEMAP] for k in range(0, len(items), PER_SITEMAP)]
    for k, chunk in enumerate(maps, start=1):
        pages[f"/sitemaps/news-{k}.xml"] = _news_sitemap(chunk)
    index = "".join(f"<sitemap><loc>/sitemaps/news-{k}.xml</loc></sitemap>" for k in range(1, len(maps) + 1))
    pages["/sitemap.xml"] = (
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'.encode()
    )
    pages["/robots.txt"] = b"User-agent: *\nAllow: /\nSitemap: /sitemap.xml\n"
    pages["/rss/tin-moi.rss"] = _feed(items[-50:])
    return pages


def _feed(items: list[Item]) -> bytes:
    entries = "".join(f"<item><title>{escape(i.title)}</title><link>{i.path}</link></item>" for i in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{entries}</channel></rss>'.encode()


def _news_sitemap(items: list[Item]) -> bytes:
    urls = "".join(
        f"<url><loc>{i.path}</loc><lastmod>2024-03-{i.n % 27 + 1:02d}</lastmod><news:news><news:title>"
        f"{escape(i.title)}</news:title></news:news></url>"
        for i in items
    )
    return (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    ).encode()


def search_page(pages: dict[str, bytes], items: list[Item], target: str) -> bytes | None:
    """The site's search (/tim-kiem?q=…&p=N): titles containing the words, PER_PAGE a page."""
    parts = urlsplit(target)
    query = parse_qs(parts.query)
    words = fold(query.get("q", [""])[0])
    if parts.path != "/tim-kiem" or not words:
        return pages.get(target)
    found = [i for i in items if words in fold(i.title)]
    page = int(query.get("p", ["1"])[0])
    chunk = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    more = f"/tim-kiem?q={quote_plus(query['q'][0])}&p={page + 1}" if page * PER_PAGE < len(found) else None
    return _listing(chunk, page, more)


@contextmanager
def serve_news_site(articles: int) -> Iterator[tuple[str, list[Item]]]:
    """The generated site on 127.0.0.1, with its search; yields the base URL and the articles."""
    pages = generated_news_site(articles)
    items = [Item(n) for n in range(articles)]
    with serve(lambda target: search_page(pages, items, target)) as base:
        yield base, items


# name: (start path, targeted, discovery from robots.txt, the site's search template)
RUNS = {
    "whole site (listings)": ("/tin-tuc/", False, False, None),
    "targeted: listings": ("/tin-tuc/", True, False, None),
    "targeted: sitemaps (robots.txt)": ("/", True, True, None),
    "targeted: site search": ("/", True, False, "/tim-kiem?q={query}"),
}


def run(base: str, tmp: Path, name: str) -> CrawlReport:
    start, targeted, discover, search = RUNS[name]
    overrides = {
        **OVERRIDES,
        "THIDUA_TARGETED": targeted,
        "THIDUA_DISCOVER": discover,
        "THIDUA_SEARCH_URL": search,
    }
    settings = Settings(data_dir=tmp / name.split(":")[-1].strip().replace(" ", "-"))
    return crawl(settings, site="generic", start_urls=[base + start], overrides=overrides)


def main() -> None:
    with (
        tempfile.TemporaryDirectory(prefix="thidua-bench-targeted-") as tmp,
        serve_news_site(ARTICLES) as (base, items),
    ):
        relevant = sum(i.relevant for i in items)
        print(
            f"site: {ARTICLES} articles, {relevant} about thi đua ({relevant / ARTICLES:.0%}), "
            f"{sum(i.titled for i in items)} of them saying so in the title; {PER_PAGE} per listing page"
        )
        for name in RUNS:
            report = run(base, Path(tmp), name)
            per = report.pages_fetched / report.relevant if report.relevant else float("inf")
            print(
                f"{name:34} {report.pages_fetched:6d} pages, {report.relevant:4d} relevant stored "
                f"({report.relevant / relevant:.0%} of them) = {per:5.2f} pages per relevant article "
                f"({report.seconds:.1f} s)"
            )


if __name__ == "__main__":
    main()
