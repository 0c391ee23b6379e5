"""Charsets: wrong or missing declarations; legacy TCVN3/VNI pages converted or flagged, never mojibake."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml
from crawlsite import FAST, article_html, listing_pages, stored

from crawler.charset import LegacyEncodingError, convert_legacy, decode_html, legacy_hits
from crawler.runner import crawl
from crawler.state import CrawlState
from thidua.settings import Settings

TABLES = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "crawler/data/legacy_encodings.yaml").read_text()
)
TEXT = (
    "Cụm thi đua số 1 tổng kết công tác thi đua, khen thưởng năm 2021. Hội nghị đã bầu thành phố "
    "Đà Lạt làm Cụm trưởng, Di Linh làm Cụm phó; Đức Trọng nhận Cờ thi đua của UBND tỉnh."
)


def to_legacy(text: str, encoding: str) -> str:
    table = next(e["map"] for e in TABLES["encodings"] if e["id"] == encoding)
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def page(body: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


def test_tables_are_complete_and_unique() -> None:
    for enc in TABLES["encodings"]:
        values = list(enc["map"].values())
        assert len(values) == len(set(values)) == 134, enc["id"]
        assert all(unicodedata.is_normalized("NFC", k) for k in enc["map"])
        assert convert_legacy(enc["example"]["legacy"] * 3) == (enc["example"]["unicode"] * 3, enc["id"])


def test_utf8_declared_as_latin1_is_read_as_utf8() -> None:
    html = page(TEXT, '<meta charset="iso-8859-1">').encode("utf-8")
    decoded = decode_html(html, "text/html; charset=ISO-8859-1")
    assert TEXT in decoded.text and decoded.encoding == "utf-8" and decoded.legacy is None


def test_no_declaration_utf8_and_cp1252() -> None:
    assert TEXT in decode_html(page(TEXT).encode("utf-8")).text
    french = "Le café de la gare, façade rénovée"
    decoded = decode_html(page(french, '<meta charset="windows-1252">').encode("cp1252"))
    assert french in decoded.text and decoded.legacy is None


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("declared", ["", '<meta charset="windows-1252">', '<meta charset="iso-8859-1">'])
def test_legacy_pages_are_converted(encoding: str, declared: str) -> None:
    raw = page(to_legacy(TEXT, encoding), declared).encode("cp1252")
    decoded = decode_html(raw)
    assert decoded.legacy == encoding
    assert TEXT in decoded.text
    assert legacy_hits(decoded.text) == 0


def test_unicode_vietnamese_is_left_alone() -> None:
    assert convert_legacy(TEXT * 5) == (TEXT * 5, None)


def test_unconvertible_legacy_text_is_flagged() -> None:
    junk = "þ¿Þ÷ ¤§¥ ¿ð× " * 30
    with pytest.raises(LegacyEncodingError):
        convert_legacy(junk)


def test_crawl_converts_tcvn3_and_flags_garbage(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    title = "Cụm thi đua số 1 tổng kết năm 2001"
    tcvn3 = to_legacy(article_html(1, charset="windows-1252"), "tcvn3")  # the whole page, as old archives are
    paths = ["/news/tin-tuc/bai-tcvn3-1001.html", "/news/tin-tuc/bai-hong-1002.html"]
    garbage = article_html(2).replace("Hội nghị", "þ¿Þ÷ ¤§¥ ¿ð× " * 40)
    site = make_site(
        {
            paths[0]: tcvn3.encode("cp1252"),
            paths[1]: garbage.encode("cp1252", "replace"),
            **listing_pages(paths),
        }
    )
    settings = Settings(data_dir=tmp_path / "var")
    report = crawl(settings, site="nukeviet", start_urls=[site.url("/news/")], overrides=FAST)
    articles = list(stored(settings.db_path).values())
    assert len(articles) == 1 and report.flagged == 1
    assert articles[0]["title"] == title and "tổ chức hội nghị" in articles[0]["text"]  # type: ignore[operator]
    assert legacy_hits(str(articles[0]["text"])) == 0
    state = CrawlState(settings.db_path)
    try:
        assert state.get(site.url(paths[1])).note.startswith("legacy-encoding")  # type: ignore[union-attr]
    finally:
        state.close()
