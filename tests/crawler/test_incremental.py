"""Incremental crawling: a second crawl fetches conditionally and stores nothing new; changes are updated."""

from __future__ import annotations

from pathlib import Path

from crawlsite import FAST, article_html, article_path, listing_pages, stored

from crawler.runner import crawl
from thidua.settings import Settings


def test_second_crawl_is_conditional_and_stores_nothing_new(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = [article_path(n) for n in range(1, 7)]
    pages = {p: article_html(n).encode() for n, p in enumerate(paths, start=1)}
    pages.update(listing_pages(paths, per_page=3))
    site = make_site(pages)
    settings = Settings(data_dir=tmp_path / "var")

    first = crawl(settings, site="nukeviet", start_urls=[site.url("/news/")], overrides=FAST)
    assert (first.articles_new, first.not_modified, first.conditional_requests) == (6, 0, 0)
    before = stored(settings.db_path)

    second = crawl(settings, site="nukeviet", start_urls=[site.url("/news/")], overrides=FAST)
    assert second.articles_new == 0 and second.articles_updated == 0
    assert second.not_modified == 6 and second.conditional_requests == 6
    assert stored(settings.db_path) == before
    for path in paths:  # the second request of every article carried the validators of the first
        first_req, second_req = site.requests_for(path)
        assert "If-None-Match" not in first_req
        assert second_req["If-None-Match"].startswith('"')
        assert second_req["If-Modified-Since"].endswith("GMT")
    assert len(site.requests_for("/news/")) == 2, "listing pages are fetched again on every crawl"

    site.pages[paths[0]] = article_html(1, title="Cụm thi đua số 1 tổng kết, bản đã sửa").encode()
    third = crawl(settings, site="nukeviet", start_urls=[site.url("/news/")], overrides=FAST)
    assert (third.articles_updated, third.not_modified, third.articles_new) == (1, 5, 0)
    titles = {a["title"] for a in stored(settings.db_path).values()}
    assert "Cụm thi đua số 1 tổng kết, bản đã sửa" in titles
