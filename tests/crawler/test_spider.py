"""The spiders as Scrapy runs them: `scrapy crawl <site>` from the repo root, and sitemap discovery."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scrapy.http import XmlResponse

from corpus.sample_site.server import serve_sample_sites
from corpus.store import CorpusStore
from crawler.spiders.sites import SPIDERS

ROOT = Path(__file__).resolve().parents[2]


def test_scrapy_crawl_site_works_from_the_repo_root(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    with serve_sample_sites() as sites:
        args = [
            "-a",
            f"start_urls={sites['baolamdong'][0]}",
            "-s",
            f"THIDUA_DB_PATH={db}",
            "-s",
            f"THIDUA_WARC_DIR={tmp_path / 'warc'}",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            "-s",
            "DOWNLOAD_DELAY=0",
        ]
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "baolamdong", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    with CorpusStore(db) as store:
        articles = list(store.iter_articles())
    assert len(articles) == 5 and {a.source for a in articles} == {"Báo Lâm Đồng"}
    assert "Traceback" not in proc.stderr


def test_sitemaps_lead_to_article_pages() -> None:
    spider = SPIDERS["nukeviet"](start_urls="https://tdkt.example.gov.vn/news/")
    index = XmlResponse(
        "https://tdkt.example.gov.vn/sitemap.xml",
        body=b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://tdkt.example.gov.vn/sitemap-news.xml</loc></sitemap></sitemapindex>""",
    )
    assert [r.url for r in spider.parse_sitemap(index)] == ["https://tdkt.example.gov.vn/sitemap-news.xml"]
    urlset = XmlResponse(
        "https://tdkt.example.gov.vn/sitemap-news.xml",
        body=b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://tdkt.example.gov.vn/news/cum-khoi/cum-thi-dua-so-3-tong-ket-1201.html</loc></url>
<url><loc>https://tdkt.example.gov.vn/gioi-thieu/</loc></url>
<url><loc>https://elsewhere.vn/news/cum-khoi/cum-thi-dua-so-4-tong-ket-1202.html</loc></url></urlset>""",
    )
    requests = list(spider.parse_sitemap(urlset))
    assert [(r.url, r.meta["kind"]) for r in requests] == [
        ("https://tdkt.example.gov.vn/news/cum-khoi/cum-thi-dua-so-3-tong-ket-1201.html", "article")
    ]
