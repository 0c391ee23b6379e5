"""Dedupe: canonical URLs, exact hashes and near-duplicates, as pure functions and in a crawl."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawlsite import FAST, article_html, listing_pages

from corpus.dedupe import canonical_url, exact_hash, group_near_duplicates, minhash, shingles, similarity
from corpus.store import CorpusStore
from crawler.runner import crawl

BASE = (
    "Sáng 9/5, tại TP Bảo Lộc, đại diện lãnh đạo các địa phương thuộc Cụm Thi đua số 1 tỉnh Lâm Đồng, gồm: "
    "TP Bảo Lộc, TP Đà Lạt và các huyện Đức Trọng, Di Linh tổ chức triển khai phong trào thi đua yêu nước và "
    "ký kết giao ước thi đua năm 2024. Theo đó, Cụm xây dựng kế hoạch phát động các phong trào thi đua với "
    "chủ đề Trách nhiệm - Nêu gương - Kỷ cương - Hiệu quả, tập trung thi đua theo từng đợt, từng chuyên đề."
)


@pytest.mark.parametrize(
    ("url", "declared", "expected"),
    [
        (
            "https://BaoLamDong.vn:443/chinh-tri/a-1/?utm_source=fb&utm_medium=x",
            None,
            "https://baolamdong.vn/chinh-tri/a-1/",
        ),
        ("https://x.vn/a?id=3&fbclid=abc&b=2#top", None, "https://x.vn/a?b=2&id=3"),
        ("http://127.0.0.1:8080/copy/a-1", "https://baolamdong.vn/a-1/", "https://baolamdong.vn/a-1/"),
        ("https://x.vn/tin/a-1.html", "/tin/a-1.html?zarsrc=30", "https://x.vn/tin/a-1.html"),
        ("https://x.vn/a", "javascript:void(0)", "https://x.vn/a"),
        ("https://x.vn", None, "https://x.vn/"),
    ],
)
def test_canonical_url(url: str, declared: str | None, expected: str) -> None:
    assert canonical_url(url, declared) == expected


def test_exact_hash_is_content_only() -> None:
    assert exact_hash(BASE) == exact_hash(str(BASE)) != exact_hash(BASE + " ")


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("Cụm Thi đua, số 1!") == shingles("cụm thi đua số 1")


def test_near_duplicates_group_and_different_texts_do_not() -> None:
    syndicated = (
        "Báo Bảo Lộc đưa tin. " + BASE.replace("năm 2024.", "năm 2024 (bổ sung).") + " Nguồn: Báo Lâm Đồng"
    )
    other = (
        "Từ đầu tháng 3, thành phố Đà Lạt đưa vào khai thác thêm hai tuyến xe buýt nội thành "
        "nối khu trung tâm với các phường ven đô, giúp người dân đi lại thuận tiện hơn; "
        "giá vé lượt là 7.000 đồng."
    )
    groups = group_near_duplicates({"orig": BASE, "copy": syndicated, "other": other, "copy2": BASE.upper()})
    assert groups == [["orig", "copy", "copy2"]]
    assert similarity(minhash(BASE), minhash(other)) < 0.2
    assert (minhash(BASE) == minhash(BASE)).all(), "signatures are deterministic"


def test_crawl_groups_copies_under_one_article(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from thidua.settings import Settings

    original = article_html(5)
    copy = original.replace("Tác giả 5", "Tác giả 5 (theo Báo Lâm Đồng)").replace(
        "Bài viết số 5:", "Bài số 5:"
    )
    paths = [
        "/news/tin-tuc/bai-goc-1005.html",
        "/news/tin-tuc/bai-dang-lai-2005.html",
        "/news/tin-tuc/bai-y-het-3005.html",
        "/news/tin-tuc/bai-khac-4006.html",
    ]
    pages = {
        paths[0]: original.encode(),
        paths[1]: copy.encode(),
        paths[2]: original.encode(),
        paths[3]: article_html(6).encode(),
    }
    pages.update(listing_pages(paths))
    site = make_site(pages)
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(
        settings,
        site="nukeviet",
        start_urls=[site.url("/news/")],
        overrides={**FAST, "CONCURRENT_REQUESTS": 1},
    )
    assert report.articles_new == 2 and report.duplicates == 2
    with CorpusStore(settings.db_path) as store:
        articles = {a.url: a for a in store.iter_articles()}
    assert set(articles) == {site.url(paths[0]), site.url(paths[3])}
    assert sorted(articles[site.url(paths[0])].alternate_urls) == sorted(site.url(p) for p in paths[1:3])
