"""The generic path on real pages (tests/fixtures/real-html): fields over HTTP, links of listings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from corpus.normalize import normalize_text
from corpus.store import CorpusStore
from crawler.runner import crawl
from crawler.spiders.sites import SPIDERS
from thidua.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real-html"
FAST = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8}

# file prefix: (title, published as in the README, a phrase from the body's start, author or None)
EXPECTED = {
    "baochinhphu.vn": (
        "Chính sách mới có hiệu lực từ tháng 3/2026",
        "2026-03-01T09:51+07:00",
        "Chính phủ ban hành Nghị định số 357/2025/NĐ-CP",
        None,
    ),
    "dantri.com.vn": (
        "Giá vàng giảm, vẫn cao hơn thế giới gần 20 triệu đồng/lượng",
        "2026-03-07T08:07:18+07:00",
        "Giá vàng trong nước tiếp tục giảm",
        "Tri Túc",
    ),
    "nld.com.vn": (
        "Những sai sót hộ kinh doanh thường gặp khi thực hiện quy định thuế mới",
        "2026-03-07T08:06+07:00",
        "Chính phủ vừa ban hành Nghị định 68/2026/NĐ-CP",
        None,
    ),
    "tuoitre.vn": (
        "Chiến sự đẩy giá hoa nhập khẩu dịp 8-3 tăng mạnh",
        "2026-03-07T08:01:53+07:00",
        "Nhiều chuyến bay vận chuyển hoa từ các thị trường truyền thống",
        "NHẬT XUÂN, NGHI VŨ",
    ),
    "vietnamnet.vn": (
        "Cổ phiếu FLC được giao dịch trở lại",
        "2026-03-07T08:52:11+07:00",
        "Chứng khoán Artex sẽ là đơn vị quản lý danh sách",
        "Duy Anh",
    ),
    "vnexpress.net": (
        "Cách các nước đối phó cú sốc năng lượng từ Trung Đông",
        "2026-03-07T00:05+07:00",
        "Xung đột giữa Mỹ - Israel với Iran đã bước sang ngày thứ 6",
        None,
    ),
    "baodautu.vn": (
        "Xử phạt Giám đốc tài chính Tập đoàn Tiên Sơn Thanh Hoá vì thao túng cổ phiếu",
        "2026-03-07T08:47+07:00",
        "Uỷ ban Chứng khoán Nhà nước vừa có quyết định xử phạt",
        None,
    ),
    "cafef.vn": (
        "Thời điểm nâng hạng cận kề, MBS điểm tên 30 cổ phiếu Việt Nam có khả năng lọt rổ chỉ số FTSE",
        "2026-03-07T00:01+07:00",
        "Chứng khoán MB (MBS) nhận định",
        "Dương Ngọc",
    ),
}
JUNK = ["Tải ứng dụng", "Bình luận (0)", "Tối đa: 1500 ký tự", "Giao dịch Hợp đồng tương lai VN30"]


def _real_path(html: bytes) -> str:
    sel = Selector(text=html.decode("utf-8"))
    url = (
        sel.css('link[rel="canonical"]::attr(href)').get()
        or sel.css('meta[property="og:url"]::attr(content)').get()
    )
    return urlsplit(url).path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from corpus.sample_site.server import mapping_resolver, serve

    pages = {}
    origin = {}
    for f in sorted(FIXTURES.glob("*.article.html")):
        body = f.read_bytes()
        path = _real_path(body)  # served at its real path, so the generic URL patterns apply
        pages[path] = body
        origin[path] = f.name.split("__")[0]
    settings = Settings(data_dir=tmp_path_factory.mktemp("generic") / "var")
    with serve(mapping_resolver(pages)) as base:
        report = crawl(
            settings, site="generic", start_urls=[base + p for p in pages], all_articles=True, overrides=FAST
        )
    with CorpusStore(settings.db_path) as store:
        articles = {origin[urlsplit(a.url).path]: a for a in store.iter_articles()}
    return {"report": report, "articles": articles}


def test_every_real_article_page_is_stored(crawled: dict[str, object]) -> None:
    assert sorted(crawled["articles"]) == sorted(EXPECTED)  # type: ignore[call-overload]
    assert crawled["report"].errors == 0  # type: ignore[attr-defined]
    # each page names its real site's address as canonical: served from 127.0.0.1, that is not trusted
    assert crawled["report"].canonical_offsite == len(EXPECTED)  # type: ignore[attr-defined]


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_generic_fields(crawled: dict[str, object], site: str) -> None:
    title, published, phrase, author = EXPECTED[site]
    article = crawled["articles"][site]  # type: ignore[index]
    assert article.title == normalize_text(title)  # the project's one spelling (Hoá -> Hóa)
    assert datetime.fromisoformat(article.published) == datetime.fromisoformat(published)
    assert article.published.endswith("+07:00"), "dates carry the site's time zone"
    body = article.text.split("\n\n", 1)[1]
    assert normalize_text(phrase) in body[:400]
    assert len(body) > 1000
    assert not any(j in body for j in JUNK)
    assert article.author == author
    assert article.canonical_url == article.url, "kept under the address it was fetched from"


LISTINGS = {
    "baochinhphu.vn__chinh-sach-moi.list.html": (
        "https://baochinhphu.vn/chinh-sach-moi.htm",
        30,
        "https://baochinhphu.vn/quy-dinh-moi-ve-danh-gia-nang-luc-ngoai-ngu-va-tieng-viet-102260304085339514.htm",
        [],
        "https://baochinhphu.vn/chinh-tri/hoi-nhap.htm",
    ),
    "dantri.com.vn__kinh-doanh.list.html": (
        "https://dantri.com.vn/kinh-doanh.htm",
        40,
        "https://dantri.com.vn/kinh-doanh/chung-khoan-thung-moc-1800-diem-20260306151317523.htm",
        ["https://dantri.com.vn/kinh-doanh/trang-2.htm"],
        "https://dantri.com.vn/event/asian-cup-nu-2026-8372.htm",
    ),
    "vnexpress.net__kinh-doanh.list.html": (
        "https://vnexpress.net/kinh-doanh",
        45,
        "https://vnexpress.net/tau-hang-o-chau-a-chat-vat-tim-dau-5047537.html",
        ["https://vnexpress.net/kinh-doanh-p2"],
        "https://vnexpress.net/topic/tp-ho-chi-minh-26483",
    ),
}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listing_links(name: str) -> None:
    base, at_least, example, pagination, not_article = LISTINGS[name]
    spider = SPIDERS["generic"](start_urls=base)
    response = HtmlResponse(base, body=(FIXTURES / name).read_bytes())
    requests = list(spider.parse_listing(response))
    articles = [r.url for r in requests if r.meta["kind"] == "article"]
    listings = [r.url for r in requests if r.meta["kind"] == "listing"]
    assert len(articles) >= at_least and len(set(articles)) == len(articles)
    assert example in articles
    assert not_article not in articles
    assert all("#" not in u and urlsplit(u).hostname == urlsplit(base).hostname for u in articles)
    assert set(pagination) <= set(listings)
