"""Local test sites that reproduce the URL and markup conventions of each CMS family (crawler/sites/*.yaml),
and one news site whose real-world article markup can live under any URL shape."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

TOPICS = [
    "Cụm thi đua số {n} tổng kết công tác thi đua, khen thưởng năm {y}",
    "Nông dân xã số {n} thu hoạch lúa đông xuân năm {y} đạt năng suất cao",
    "Khởi công nâng cấp tuyến đường liên xã số {n} trong năm {y}",
]
PARAGRAPH = (
    "Ngày {d}/3/{y}, tại hội trường Ủy ban nhân dân, các đơn vị của địa bàn số {n} đã họp bàn kế hoạch "
    "phát triển kinh tế - xã hội, cải cách hành chính và chuyển đổi số, thống nhất nhiều giải pháp cụ thể. "
)


@dataclass(frozen=True)
class Story:
    """One generated article: its number, title, date (dd/mm/yyyy) and the ISO date it must be stored with."""

    n: int

    @property
    def year(self) -> int:
        return 2015 + self.n % 10

    @property
    def day(self) -> int:
        return self.n % 27 + 1

    @property
    def title(self) -> str:
        return TOPICS[self.n % len(TOPICS)].format(n=self.n, y=self.year)

    @property
    def date(self) -> str:
        return f"{self.day:02d}/03/{self.year}"

    @property
    def iso_day(self) -> str:
        return f"{self.year}-03-{self.day:02d}"

    def paragraphs(self) -> str:
        words = " ".join(f"mục{self.n * 37 + i}" for i in range(30))  # every article's text differs
        text = "".join(
            f"<p>{escape(PARAGRAPH.format(d=self.day, y=self.year, n=self.n + k))}</p>" for k in range(3)
        )
        return f"{text}<p>{words}</p>"


def _page(head: str, body: str) -> bytes:
    page = (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'
    )
    return page.encode()


def real_world_article(story: Story, url: str) -> bytes:
    """An article page as national and provincial newspapers mark them up: OpenGraph article metadata,
    article:published_time, JSON-LD NewsArticle, and a menu, related links and a footer around the body."""
    iso = f"{story.iso_day}T08:30:00+07:00"
    head = (
        f"<title>{escape(story.title)} - Báo Tỉnh</title>"
        '<meta property="og:type" content="article">'
        f'<meta property="og:title" content="{escape(story.title)}">'
        f'<meta property="article:published_time" content="{iso}">'
        f'<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",'
        f'"headline":"{escape(story.title)}","datePublished":"{iso}","url":"{url}"}}</script>'
    )
    body = (
        '<header><nav><a href="/">Trang chủ</a> <a href="/chinh-tri/">Chính trị</a></nav></header>'
        f'<main><article class="detail"><h1 class="detail__title">{escape(story.title)}</h1>'
        f'<div class="detail__time">{story.date} 08:30</div>'
        f'<div class="detail__content">{story.paragraphs()}</div></article>'
        '<aside><h3><a href="/">Tin liên quan khác trên trang chủ của báo</a></h3></aside></main>'
        "<footer>Cơ quan chủ quản: Tỉnh ủy</footer>"
    )
    return _page(head, body)


@dataclass(frozen=True)
class Family:
    """A CMS family's conventions: where articles and listing pages live and how they are marked up."""

    start: str
    article_path: Callable[[Story], str]
    listing_path: Callable[[int], str]  # page number (1-based) -> path
    article: Callable[[Story, str], bytes]
    pager: Callable[[int, int, Family], str]  # (page, pages, family) -> pagination HTML


def _teasers(stories: list[Story], family: Family) -> str:
    return "".join(
        f'<div class="item"><h3><a href="{escape(family.article_path(s))}">{escape(s.title)}</a></h3>'
        f"<p>{s.date}</p></div>"
        for s in stories
    )


def _numbered(page: int, pages: int, family: Family) -> str:
    links = "".join(
        f'<a href="{escape(family.listing_path(i))}">{i}</a> ' if i != page else f"<span>{i}</span> "
        for i in range(1, pages + 1)
    )
    return f'<div class="pager">{links}</div>'


def _next_words(word: str) -> Callable[[int, int, Family], str]:
    def pager(page: int, pages: int, family: Family) -> str:
        return f'<a href="{escape(family.listing_path(page + 1))}">{word}</a>' if page < pages else ""

    return pager


def _rel_next(page: int, pages: int, family: Family) -> str:
    return (
        f'<a class="next page-numbers" rel="next" href="{family.listing_path(page + 1)}">Trang sau »</a>'
        if page < pages
        else ""
    )


def _nukeviet_article(story: Story, url: str) -> bytes:
    body = (
        '<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope>'
        '<div class="panel-body"><h1 class="title margin-bottom-lg" itemprop="headline">'
        f"{escape(story.title)}</h1>"
        f'<span class="h5">Thứ năm - {story.date} 15:20</span>'
        f'<div class="hometext m-bottom" itemprop="description">Tóm tắt bài số {story.n}.</div>'
        '<div id="news-bodyhtml" class="bodytext margin-bottom-lg" itemprop="articleBody">'
        f"{story.paragraphs()}</div>"
        "</div></div>"
    )
    return _page(f"<title>{escape(story.title)}</title>", body)


def _aspnet_article(story: Story, url: str) -> bytes:
    body = (
        '<form method="post" action="./Default.aspx" id="form1"><div id="dnn_ContentPane">'
        f'<div class="ArticleDetail"><h1 class="Title">{escape(story.title)}</h1>'
        f'<div class="Date">Ngày đăng: {story.date}</div><div class="Body">{story.paragraphs()}</div></div>'
        '<input type="hidden" name="__VIEWSTATE" value="dDwtMTA4NzM"></div></form>'
    )
    return _page(f"<title>{escape(story.title)}</title>", body)


def _liferay_article(story: Story, url: str) -> bytes:
    title = escape(story.title)
    head = f'<title>{title} - Cổng TTĐT</title><meta property="og:title" content="{title}">'
    body = (
        '<div id="wrapper"><section id="content"><div class="portlet-boundary portlet-asset-publisher">'
        f'<div class="asset-full-content"><h3 class="header-title"><span>{escape(story.title)}</span></h3>'
        f'<div class="metadata-entry metadata-publish-date">{story.date}</div>'
        f'<div class="journal-content-article">{story.paragraphs()}</div></div></div></section></div>'
    )
    return _page(head, body)


def _wordpress_article(story: Story, url: str) -> bytes:
    iso = f"{story.iso_day}T07:00:00+07:00"
    head = (
        f'<title>{escape(story.title)}</title><meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{iso}"><link rel="canonical" href="{url}">'
        '<link rel="alternate" type="application/rss+xml" title="Feed" href="/feed/">'
    )
    body = (
        f'<article class="post type-post"><h1 class="entry-title">{escape(story.title)}</h1>'
        f'<time class="entry-date published" datetime="{iso}">{story.date}</time>'
        f'<div class="entry-content">{story.paragraphs()}</div></article>'
    )
    return _page(head, body)


LIFERAY_PORTLET = "_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_AbC123"
FAMILIES: dict[str, Family] = {
    "newspaper": Family(
        "/chinh-tri/",
        lambda s: f"/chinh-tri/{s.year}03/{'-'.join(['bai', 'viet', 'so', str(s.n)])}-{0xA1B2C0 + s.n:x}/",
        lambda i: "/chinh-tri/" if i == 1 else f"/chinh-tri/trang-{i}/",
        real_world_article,
        _next_words("Trang sau"),
    ),
    "nukeviet": Family(
        "/news/tin-tuc/",
        lambda s: f"/news/tin-tuc/bai-viet-so-{s.n}-{s.n + 20}.html",
        lambda i: "/news/tin-tuc/" if i == 1 else f"/news/tin-tuc/page-{i}/",
        _nukeviet_article,
        _numbered,
    ),
    "aspnet_portal": Family(
        "/Default.aspx?tabid=120",
        lambda s: f"/Default.aspx?tabid=120&ArticleId={1000 + s.n}",
        lambda i: "/Default.aspx?tabid=120" if i == 1 else f"/Default.aspx?tabid=120&Page={i}",
        _aspnet_article,
        _numbered,
    ),
    "liferay": Family(
        "/web/guest/tin-tuc",
        lambda s: f"/web/guest/tin-tuc/-/asset_publisher/AbC123/content/bai-viet-so-{s.n}",
        lambda i: "/web/guest/tin-tuc" if i == 1 else f"/web/guest/tin-tuc?{LIFERAY_PORTLET}_cur={i}",
        _liferay_article,
        _next_words("Tiếp"),
    ),
    "wordpress": Family(
        "/category/tin-tuc/",
        lambda s: f"/{s.year}/03/{s.day:02d}/bai-viet-so-{s.n}/",
        lambda i: "/category/tin-tuc/" if i == 1 else f"/category/tin-tuc/page/{i}/",
        _wordpress_article,
        _rel_next,
    ),
}

# The same real-world article markup under three URL shapes (issue 11): a newspaper's slug and id, an
# ASP.NET portal's query string, a NukeViet portal's category and alias.
SHAPES: dict[str, Callable[[Story], str]] = {
    "slug-id": lambda s: f"/tin-tuc/bai-viet-ve-chu-de-{s.n}-{200000 + s.n}.html",
    "aspnet": lambda s: f"/Default.aspx?ArticleId={1000 + s.n}",
    "nukeviet": lambda s: f"/news/tin-tuc/bai-viet-{s.n}-{s.n + 20}.html",
}


def family_site(family: Family, stories: list[Story], per_page: int = 10) -> dict[str, bytes]:
    """Listing pages (with the family's pager) and article pages, keyed by path (with query)."""
    chunks = [stories[i : i + per_page] for i in range(0, len(stories), per_page)]
    pages: dict[str, bytes] = {}
    for i, chunk in enumerate(chunks, start=1):
        menu = '<div class="menu"><a href="/">Trang chủ</a> <a href="/lien-he">Liên hệ</a></div>'
        body = f"{menu}<h1>Tin tức</h1>{_teasers(chunk, family)}{family.pager(i, len(chunks), family)}"
        pages[family.listing_path(i)] = _page("<title>Tin tức</title>", body)
    for story in stories:
        path = family.article_path(story)
        pages[path] = family.article(story, path)
    return pages


def shaped_site(shape: Callable[[Story], str], stories: list[Story], per_page: int = 20) -> dict[str, bytes]:
    """A news site of real-world article pages at `shape` URLs, listed at /tin-tuc/ with a numbered pager."""
    family = Family(
        "/tin-tuc/",
        shape,
        lambda i: "/tin-tuc/" if i == 1 else f"/tin-tuc/?p={i}",
        real_world_article,
        _numbered,
    )
    return family_site(family, stories, per_page)
