"""Provenance in WARC files, and the runner's contract: errors that say what to do, reports, profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawlsite import FAST, article_html, article_path, listing_pages
from warcio.archiveiterator import ArchiveIterator

from corpus.store import CorpusStore
from crawler.runner import CrawlError, CrawlReport, crawl
from crawler.sites import list_sites, load_site
from thidua.settings import Settings


def test_each_article_points_at_its_warc_record(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = [article_path(n) for n in range(1, 4)]
    pages = {p: article_html(n).encode() for n, p in enumerate(paths, start=1)}
    site = make_site({**pages, **listing_pages(paths)})
    settings = Settings(data_dir=tmp_path / "var")
    crawl(settings, site="nukeviet", start_urls=[site.url("/news/")], overrides=FAST)
    with CorpusStore(settings.db_path) as store:
        articles = list(store.iter_articles())
    assert len(articles) == 3
    records = {}
    for warc in settings.warc_dir.glob("*.warc.gz"):
        with warc.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    records[record.rec_headers.get_header("WARC-Record-ID")] = (
                        warc.name,
                        record.rec_headers.get_header("WARC-Target-URI"),
                        record.http_headers.get_statuscode(),
                        record.content_stream().read(),
                    )
    for a in articles:
        name, uri, status, body = records[a.warc_record_id]  # type: ignore[index]
        assert (name, uri, status) == (a.warc_file, a.final_url, "200")
        assert body == pages[a.url.removeprefix(site.base)]
        assert a.fetched_at and a.fetched_at.endswith("+00:00")


def test_unknown_site_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CrawlError, match=r"unknown site 'nowhere'; known sites: .*baolamdong.*--url"):
        crawl(Settings(data_dir=tmp_path), site="nowhere")


def test_unreachable_url_says_what_to_do(tmp_path: Path, free_port) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CrawlError, match=r"cannot reach http://127\.0\.0\.1:\d+/ .*check the address"):
        crawl(Settings(data_dir=tmp_path), url=f"http://127.0.0.1:{free_port()}/")
    with pytest.raises(CrawlError, match="not a web address"):
        crawl(Settings(data_dir=tmp_path), url="baolamdong.vn")
    with pytest.raises(CrawlError, match="either"):
        crawl(Settings(data_dir=tmp_path), site="generic", url="http://127.0.0.1/")


def test_crawl_url_with_max_pages_stays_on_the_domain(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = [
        f"/thoi-su/bai-viet-so-{n}-tong-ket-nam-{2000000 + n}.htm" for n in range(1, 21)
    ]  # generic shape
    pages = {p: article_html(n).encode() for n, p in enumerate(paths, start=1)}
    elsewhere = "http://localhost:9/news/tin-tuc/bai-o-noi-khac-1234567.html"
    site = make_site({**pages, **listing_pages(paths, extra_links=[elsewhere])})
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(settings, url=site.url("/news/"), max_pages=6, overrides=FAST)
    assert report.pages_fetched == 6, "--max-pages bounds the pages fetched"
    assert report.articles_new == 5  # the listing page and five articles
    with CorpusStore(settings.db_path) as store:
        assert all(a.url.startswith(site.base) and a.site == "generic" for a in store.iter_articles())
        assert {a.source for a in store.iter_articles()} == {"127.0.0.1"}


def test_profiles_load_and_reports_add_up() -> None:
    assert {"baolamdong", "longan", "binhdinh_tdkt", "nukeviet", "generic"} <= set(list_sites())
    for name in list_sites():
        profile = load_site(name)
        assert profile.name == name
        assert name == "generic" or profile.article_patterns
    assert load_site("binhdinh_tdkt").selectors == load_site("nukeviet").selectors  # inherited
    total = CrawlReport(articles_new=2, finish_reason="finished") + CrawlReport(articles_new=3, errors=1)
    assert (total.articles_new, total.errors, total.finish_reason) == (5, 1, "finished")
