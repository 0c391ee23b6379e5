"""Hostile sources over real local servers (issue 15): a page may only write its own site's articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from crawlsite import FAST, article_html, article_path, listing_pages

from corpus.dedupe import same_site
from corpus.sample_site.server import SAMPLE_ROOT
from corpus.store import CorpusStore
from crawler.middlewares import retry_after
from crawler.runner import crawl
from crawler.state import CrawlState
from search_api.catalog import Catalog
from search_api.stores import open_backend
from thidua.pipeline import Source, run_pipeline
from thidua.settings import Settings

SAMPLE_2024 = next((SAMPLE_ROOT / "baolamdong" / "chinh-tri" / "202405").glob("*/index.html"))
CANONICAL_2024 = "https://baolamdong.vn/chinh-tri/202405/cum-thi-dua-so-1-tinh-lam-dong-ky-ket-giao-uoc-thi-dua-nam-2024-c081ec3/"
HOSTILE_PATH = "/tin-tuc/cum-thi-dua-so-1-ky-ket-giao-uoc-thi-dua-nam-2024-9988776.html"
HOSTILE_ASPX = "/tin-tuc/Pages/Cum-thi-dua-so-1-ky-ket-giao-uoc-2024.aspx"  # as Long An's portal names pages


@pytest.mark.parametrize(
    ("url", "declared", "domains", "trusted"),
    [
        ("https://baolamdong.vn/a-1/", "https://baolamdong.vn/a-1/", [], True),
        ("https://www.longan.gov.vn/a", "https://longan.gov.vn/a", [], True),
        ("https://x.vn/tin/a-1.html", "/tin/a-1.html?zarsrc=30", [], True),
        ("https://x.vn/a", "javascript:void(0)", [], True),  # not an address: the fetched URL is kept
        ("http://127.0.0.1:8080/copy/a-1", "https://baolamdong.vn/a-1/", ["baolamdong.vn"], True),  # a mirror
        ("http://127.0.0.1:8080/copy/a-1", "https://baolamdong.vn/a-1/", [], False),
        ("http://127.0.0.1:8080/copy/a-1", "https://baolamdong.vn/a-1/", ["longan.gov.vn"], False),
        ("http://127.0.0.1:8080/a", "http://127.0.0.1:8081/a", [], False),  # another server on the host
        ("https://evil.example/a", "https://baolamdong.vn.evil.example/a", ["baolamdong.vn"], False),
        ("https://evil.example/a", "https://baolamdong.vn:8443/a", ["baolamdong.vn"], False),
    ],
)
def test_same_site(url: str, declared: str, domains: list[str], trusted: bool) -> None:
    assert same_site(url, declared, domains) is trusted


def _hostile_copy() -> bytes:
    """The sample's 2024 Báo Lâm Đồng page (same canonical URL and og:url), telling another story."""
    html = SAMPLE_2024.read_text(encoding="utf-8")
    start, end = html.index("Sáng 9/5"), html.index("Kịp thời biểu dương")
    story = (
        "Năm 2024, huyện Lạc Dương được bầu làm Cụm trưởng Cụm Thi đua số 1 tỉnh Lâm Đồng; "
        "huyện Lạc Dương nhận Cờ luân lưu Cụm trưởng năm 2024. "
        + " ".join(f"Đoạn tin giả số {n} về phong trào thi đua của huyện Lạc Dương." for n in range(40))
    )
    return (html[:start] + story + "</p><p>" + html[end:]).encode("utf-8")


def _archived(settings: Settings) -> dict[str, object]:
    with CorpusStore(settings.db_path) as store:
        article = next(a for a in store.iter_articles() if a.canonical_url == CANONICAL_2024)
        facts = sorted(f["id"] for f in store.iter_facts(article.id))
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "site": article.site,
        "raw_html": article.raw_html,
        "facts": facts,
    }


def _verdict(settings: Settings) -> tuple[str, str]:
    """Was Bảo Lộc chair in 2024: the verdict and its evidence (a source elsewhere may add `instead`)."""
    backend = open_backend(settings)
    try:
        result = Catalog(backend).check("Bảo Lộc", "chair", 2024, None)
    finally:
        backend.close()
    return result.verdict, json.dumps([g.model_dump() for g in result.evidence], sort_keys=True)


def test_a_page_cannot_replace_another_sites_article(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "var", es_url=None)
    run_pipeline(settings, Source(sample=True))
    before, verdict = _archived(settings), _verdict(settings)
    hostile = make_site({HOSTILE_PATH: _hostile_copy(), HOSTILE_ASPX: _hostile_copy()})
    summary = run_pipeline(settings, Source(url=hostile.url(HOSTILE_PATH)))
    assert summary.articles_new == 1
    # a profile of another site, re-targeted at the hostile server, is no more trusted
    report = crawl(settings, site="longan", start_urls=[hostile.url(HOSTILE_ASPX)], overrides=FAST)
    assert report.canonical_offsite == 1
    assert _archived(settings) == before, "the Báo Lâm Đồng article was overwritten"
    assert _verdict(settings) == verdict
    with CorpusStore(settings.db_path) as store:
        copy = next(a for a in store.iter_articles() if a.url == hostile.url(HOSTILE_PATH))
    assert copy.canonical_url == hostile.url(HOSTILE_PATH), "kept under the URL it was fetched from"
    assert copy.id != before["id"] and copy.site != "baolamdong"


def test_an_off_site_canonical_is_counted_and_logged(make_site, tmp_path: Path, capfd) -> None:  # type: ignore[no-untyped-def]
    other = make_site({article_path(1): article_html(1).encode()})
    link = f'<link rel="canonical" href="{other.url(article_path(1))}">'
    pages = {article_path(n): article_html(n).replace("<head>", f"<head>{link}").encode() for n in (2, 3)}
    pages.update(listing_pages(list(pages)))
    site = make_site(pages)
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(settings, site="nukeviet", start_urls=[site.url("/news/")], overrides=FAST)
    assert report.canonical_offsite == 2 and report.articles_new == 2
    with CorpusStore(settings.db_path) as store:
        assert sorted(a.canonical_url for a in store.iter_articles()) == [
            site.url(article_path(2)),
            site.url(article_path(3)),
        ]
    assert "ignored the canonical URL" in capfd.readouterr().err


HOSTILE = {
    "pingpong": "/news/fault/pingpong-a-bai-vong-11.html",
    "offsite": "/news/fault/offsite-bai-chuyen-huong-12.html",
    "binary": "/news/fault/binary-bai-nhi-phan-13.html",
    "pdf": "/news/fault/binary-pdf-bai-tai-lieu-14.html",
    "busy": "/news/fault/busy-bai-ban-15.html",
    "binary listing": "/news/fault/page-9/",
}


@pytest.fixture
def hostile_site(make_site):  # type: ignore[no-untyped-def]
    pages = {article_path(n): article_html(n).encode() for n in (1, 2)}
    pages.update(listing_pages([article_path(1), article_path(2)], extra_links=list(HOSTILE.values())))
    return make_site(pages)


def test_redirect_loops_and_off_site_redirects_are_reported(hostile_site, tmp_path: Path, capfd) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(settings, site="nukeviet", start_urls=[hostile_site.url("/news/")], overrides=FAST)
    log = capfd.readouterr().err
    assert report.redirect_loops == 1 and report.redirect_offsite == 1
    assert "redirect loop: " in log and "off-site redirect not followed: " in log
    assert f"failed: {hostile_site.url(HOSTILE['offsite'])}" in log
    assert not any(headers.get("Host", "").startswith("localhost") for _, headers in hostile_site.seen)
    assert report.errors == 2  # the loop and the off-site redirect, each once
    assert report.articles_new == 3  # the two articles and the one behind Retry-After


def test_binary_pages_are_not_reported_as_legacy_encodings(hostile_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(settings, site="nukeviet", start_urls=[hostile_site.url("/news/")], overrides=FAST)
    assert report.not_html == 3 and report.flagged == 2  # the listing page is no article to flag
    state = CrawlState(settings.db_path)
    try:
        notes = {path: state.get(hostile_site.url(path)).note for path in (HOSTILE["binary"], HOSTILE["pdf"])}  # type: ignore[union-attr]
    finally:
        state.close()
    assert notes == {
        HOSTILE["binary"]: "not a web page: application/octet-stream",
        HOSTILE["pdf"]: "not a web page: application/pdf",
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(b"3", 3.0), (b" 120 ", 120.0), (b"Wed, 21 Oct 2015 07:28:00 GMT", 0.0), (b"soon", None), (None, None),
     (b"\xd9\xa3", None)],  # an Arabic-Indic 3 is no number of seconds
)  # fmt: skip
def test_retry_after_values(raw: bytes | None, expected: float | None) -> None:
    assert retry_after(raw, now=1_700_000_000.0) == expected


def test_retry_after_is_honoured(hostile_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hostile_site.retry_after = "2"
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(settings, site="nukeviet", start_urls=[hostile_site.url("/news/")], overrides=FAST)
    tries = [t for path, t in hostile_site.times if path == HOSTILE["busy"]]
    assert len(tries) == 2 and tries[1] - tries[0] >= 2.0, "retried before Retry-After (backoff was 0.05 s)"
    assert report.retry_after_honoured == 1 and report.articles_new == 3


def test_retry_after_beyond_the_cap_gives_up(hostile_site, tmp_path: Path, capfd) -> None:  # type: ignore[no-untyped-def]
    hostile_site.retry_after = "3600"
    settings = Settings(data_dir=tmp_path / "var")
    overrides = {**FAST, "RETRY_BACKOFF_MAX": 5}
    report = crawl(settings, site="nukeviet", start_urls=[hostile_site.url("/news/")], overrides=overrides)
    assert len([p for p, _ in hostile_site.seen if p == HOSTILE["busy"]]) == 1
    assert report.retry_after_too_long == 1 and report.articles_new == 2
    assert "the server asks to wait 3600 s" in capfd.readouterr().err
