"""The bundled sample site: up to date with its builder, and each site's profile extracts its pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.normalize import normalize_text
from corpus.sample_site.build import SITES, build
from corpus.sample_site.server import SAMPLE_ROOT, serve_sample_sites
from corpus.store import CorpusStore
from crawler.runner import crawl, crawl_sample
from thidua.settings import Settings

GOLD = SAMPLE_ROOT.parent / "gold" / "articles.jsonl"
# gold id: (site, published, author, source, province)
EXPECTED = {
    "lamdong-2022-01-13-cum1-tong-ket": ("baolamdong", "2022-01-13T20:27:00+07:00", "N.MINH"),
    "lamdong-2024-05-09-cum1-giao-uoc": ("baolamdong", "2024-05-09", "Khánh Phúc"),
    "lamdong-2020-02-18-cum2-tong-ket": ("baolamdong", "2020-02-18T05:02:00+07:00", "THANH SA"),
    "longan-2022-04-13-can-duoc": ("longan", "2022-04-13T09:44:00+07:00", "Huỳnh Hương"),
    "binhdinh-2022-01-20-cum-mien-nui": (
        "binhdinh_tdkt",
        "2022-01-20T15:21:00+07:00",
        "Nguyễn Hồng Quân - BTĐKT",
    ),
}
SOURCES = {
    "baolamdong": ("Báo Lâm Đồng", "Lâm Đồng"),
    "longan": ("Long An provincial portal", "Long An"),
    "binhdinh_tdkt": ("Ban Thi đua - Khen thưởng Bình Định", "Bình Định"),
}


def _gold() -> dict[str, dict[str, str]]:
    return {d["id"]: d for d in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines())}


def test_committed_pages_match_the_builder(tmp_path: Path) -> None:
    build(tmp_path)
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert built, "the builder wrote nothing"
    for rel in built:
        assert (SAMPLE_ROOT / rel).read_bytes() == (tmp_path / rel).read_bytes(), (
            f"{rel} is stale; run build.py"
        )


def test_each_site_paginates() -> None:
    for site in SITES:
        listings = [
            p
            for p in (SAMPLE_ROOT / site).rglob("*")
            if "trang-" in str(p) or "page-" in str(p) or "Paged=" in str(p)
        ]
        assert listings, f"{site} has a single listing page"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, object]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("sample") / "var")
    return settings, crawl_sample(settings)


def test_sample_crawl_report(sample_store: tuple[Settings, object]) -> None:
    _, report = sample_store
    assert report.articles_new == 13 and report.relevant == 5 and report.not_relevant == 8  # type: ignore[attr-defined]
    assert report.errors == 0 and report.duplicates == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("gold_id", sorted(EXPECTED))
def test_profile_extracts_sample(sample_store: tuple[Settings, object], gold_id: str) -> None:
    settings, _ = sample_store
    site, published, author = EXPECTED[gold_id]
    gold = _gold()[gold_id]
    lines = [ln.strip() for ln in gold["text"].splitlines() if ln.strip()]
    title = next(ln for ln in lines if "thi đua" in ln.lower())
    with CorpusStore(settings.db_path) as store:
        matches = [a for a in store.iter_articles() if a.title == normalize_text(title)]
    assert len(matches) == 1, f"{gold_id} not stored once"
    article = matches[0]
    assert (article.site, article.published, article.author) == (site, published, author)
    assert (article.source, article.province) == SOURCES[site]
    assert article.relevant and article.raw_html and article.warc_record_id and article.fetched_at
    body = article.text.split("\n\n", 1)[1]
    longest = max(lines, key=len)  # the article's main paragraph made it into the text, intact
    assert normalize_text(longest) in body
    assert author not in body, "the byline is a field, not body text"
    if gold.get("url"):
        assert article.canonical_url == gold["url"]


def test_fillers_are_stored_but_not_relevant(sample_store: tuple[Settings, object]) -> None:
    settings, _ = sample_store
    with CorpusStore(settings.db_path) as store:
        others = [a for a in store.iter_articles() if not a.relevant]
        relevant = list(store.iter_articles(relevant_only=True))
    assert len(others) == 8 and len(relevant) == 5
    assert all(a.text and a.title and a.published for a in others)


def test_second_sample_run_adds_nothing(sample_store: tuple[Settings, object]) -> None:
    settings, _ = sample_store
    again = crawl_sample(settings)  # new ports, same canonical URLs: the same articles
    assert again.articles_new == 0 and again.articles_updated == 0 and again.articles_unchanged == 13
    with CorpusStore(settings.db_path) as store:
        assert store.count_articles() == 13


def test_generic_nukeviet_profile_reads_the_binhdinh_portal(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    with serve_sample_sites() as sites:
        report = crawl(
            settings,
            site="nukeviet",
            start_urls=sites["binhdinh_tdkt"],
            overrides={"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0},
        )
    assert report.articles_new == 4 and report.relevant == 1
    with CorpusStore(settings.db_path) as store:
        (article,) = store.iter_articles(relevant_only=True)
    assert article.published == "2022-01-20T15:21:00+07:00" and article.author == "Nguyễn Hồng Quân - BTĐKT"
