"""Finding articles cheaply: robots.txt sitemaps, news sitemaps, feeds, a site's search, and a targeted crawl
that fetches what looks like thi đua first (issue 11)."""

from __future__ import annotations

import pytest
from parsel import Selector

from benchmarks.bench_targeted import RUNS, run, serve_news_site
from crawler import discovery
from crawler.links import page_links
from crawler.targeting import Term, score, search_urls, terms

NEWS_SITEMAP = """<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://bao.example.vn/chinh-tri/cum-thi-dua-so-3-tong-ket-120301.html</loc><lastmod>2024-03-02</lastmod>
<news:news><news:publication_date>2024-03-01T08:00:00+07:00</news:publication_date>
<news:title>Cụm thi đua số 3 tổng kết năm 2023</news:title></news:news></url></urlset>""".encode()


def test_a_news_sitemap_gives_each_url_its_title_and_date() -> None:
    kind, entries = discovery.sitemap(NEWS_SITEMAP)
    assert kind == "urlset"
    assert entries == [
        discovery.Entry(
            "https://bao.example.vn/chinh-tri/cum-thi-dua-so-3-tong-ket-120301.html",
            "Cụm thi đua số 3 tổng kết năm 2023",
            "2024-03-01T08:00:00+07:00",
        )
    ]


def test_robots_txt_names_the_sitemaps() -> None:
    robots = (
        b"User-agent: *\nCrawl-delay: 5\nSitemap: https://bao.example.vn/sitemap.xml\nSitemap: /news.xml\n"
    )
    assert discovery.robots_sitemaps(robots, "https://bao.example.vn/robots.txt") == [
        "https://bao.example.vn/sitemap.xml",
        "https://bao.example.vn/news.xml",
    ]


def test_rss_and_atom_feeds_list_their_items() -> None:
    item = "<item><title>Giao ước thi đua</title><link>/a-1.html</link></item>"
    rss = f"<rss><channel>{item}</channel></rss>".encode()
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>B</title><link href="https://x.vn/b-2"/></entry></feed>'
    assert [(e.url, e.title) for e in discovery.feed(rss, "https://x.vn/rss")] == [
        ("https://x.vn/a-1.html", "Giao ước thi đua")
    ]
    assert [e.url for e in discovery.feed(atom, "https://x.vn/atom")] == ["https://x.vn/b-2"]


def test_pagination_is_found_by_rel_next_words_and_numbered_pagers() -> None:
    html = """<link rel="next" href="/a?page=2"><a href="/tin/trang-sau">Trang sau</a>
    <div><a href="/list/7">1</a> <a href="/list/8">2</a></div><a href="/ve-chung-toi">Về chúng tôi</a>
    <h3><a href="/tin/cum-thi-dua-so-3">Cụm thi đua số 3 tổng kết năm</a></h3>"""
    links = {
        link.url.removeprefix("https://x.vn"): link.kind
        for link in page_links(Selector(text=html), "https://x.vn/")
    }
    assert links == {
        "/tin/trang-sau": "next",
        "/list/7": "next",
        "/list/8": "next",
        "/ve-chung-toi": "other",
        "/tin/cum-thi-dua-so-3": "item",
    }


@pytest.mark.parametrize("term", terms(), ids=lambda t: t.id)
def test_every_lexicon_term_scores_its_example_and_its_url_slug(term: Term) -> None:
    assert score(term.example) >= term.weight
    slug = "-".join(term.example.split())
    assert score(f"https://x.vn/tin/{slug}-123.html") >= term.weight


def test_the_site_search_template_asks_for_each_query() -> None:
    assert (
        search_urls("/tim-kiem?q={query}", "https://x.vn/home")[0] == "https://x.vn/tim-kiem?q=thi+%C4%91ua"
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    with serve_news_site(400) as (base, _items):
        return {name: run(base, tmp_path_factory.mktemp("t"), name) for name in RUNS}


def test_a_whole_site_crawl_finds_every_relevant_article(reports: dict[str, object]) -> None:
    whole = reports["whole site (listings)"]
    assert whole.relevant == 20 and whole.errors == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [n for n in RUNS if n.startswith("targeted")])
def test_a_targeted_crawl_fetches_far_fewer_pages_per_relevant_article(
    reports: dict[str, object], name: str
) -> None:
    whole, targeted = reports["whole site (listings)"], reports[name]
    assert targeted.relevant == 16, "every article whose title names thi đua"  # type: ignore[attr-defined]
    assert targeted.errors == 0  # type: ignore[attr-defined]
    per = targeted.pages_fetched / targeted.relevant  # type: ignore[attr-defined]
    assert per * 5 < whole.pages_fetched / whole.relevant  # type: ignore[attr-defined]
