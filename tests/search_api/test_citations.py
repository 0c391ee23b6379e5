"""Permalinks and citations: every fact's source as CSL-JSON and BibTeX that citation tools read back,
and ready-to-copy text in Vietnamese and English."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import bibtexparser
import httpx
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from search_api.citations import Source, bibtex, human_date, tex
from search_api.schemas import EvidenceOut, FactOut

Api = tuple[httpx.Client, dict[str, Any], Any]


def _chair(client: httpx.Client) -> dict[str, Any]:
    fact: dict[str, Any] = client.get("/api/v1/facts", params={"type": "chair", "unit": "Đà Lạt"}).json()[
        "items"
    ][0]
    return fact


def _article(client: httpx.Client, fact: dict[str, Any]) -> dict[str, Any]:
    article: dict[str, Any] = client.get(f"/api/v1/articles/{fact['evidence']['article_id']}").json()
    return article


def test_bibtex_round_trips_through_a_bibtex_parser(api: Api) -> None:
    client, _, _ = api
    fact = _chair(client)
    article = _article(client, fact)
    response = client.get(f"/api/v1/facts/{fact['id']}/citation", params={"format": "bibtex"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    [entry] = library.entries
    assert (entry.key, entry.entry_type) == (f"thidua-{fact['id']}", "misc")
    assert entry["title"].strip("{}") == article["title"]
    assert entry["howpublished"] == (article["source"] or article["site"])
    assert entry["urldate"] == datetime.now(UTC).date().isoformat()
    raw = bibtexparser.parse_string(response.text).entries[0]  # the URL as written, not TeX-decoded
    assert raw["url"] == article["url"]
    assert f"/facts/{fact['id']}" in entry["note"]
    if article["published"]:
        assert entry["date"] == article["published"][:10] and entry["year"] == article["published"][:4]


def test_csl_json_is_read_and_rendered_by_a_csl_processor(api: Api) -> None:
    client, _, _ = api
    fact = _chair(client)
    article = _article(client, fact)
    response = client.get(f"/api/v1/facts/{fact['id']}/citation", params={"format": "csl-json"})
    assert response.headers["content-type"] == "application/vnd.citationstyles.csl+json"
    items = response.json()
    [item] = items
    assert (item["title"], item["URL"], item["type"]) == (
        article["title"],
        article["url"],
        "article-newspaper",
    )
    assert item["archive_location"].endswith(f"/api/v1/articles/{article['id']}/raw")
    source = CiteProcJSON(json.loads(response.text))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    [rendered] = [str(entry) for entry in bibliography.bibliography()]
    assert article["title"] in rendered and article["url"] in rendered


def test_text_citations_name_source_date_url_access_and_archive(api: Api) -> None:
    client, _, _ = api
    fact = _chair(client)
    article = _article(client, fact)
    for lang, accessed in (("vi", "truy cập ngày"), ("en", "accessed")):
        text = client.get(
            f"/api/v1/facts/{fact['id']}/citation", params={"format": "text", "lang": lang}
        ).text
        assert article["title"] in text and article["url"] in text and accessed in text
        assert f"/api/v1/articles/{article['id']}/raw" in text and f"/facts/{fact['id']}" in text


def test_an_unknown_fact_has_no_citation(api: Api) -> None:
    client, _, _ = api
    assert client.get("/api/v1/facts/nope/citation").status_code == 404


@pytest.mark.parametrize(
    ("date", "vi", "en"),
    [
        ("2022-02-01", "1/2/2022", "1 February 2022"),
        ("2022-11", "11/2022", "November 2022"),
        ("2022", "2022", "2022"),
        (None, "không rõ ngày", "n.d."),
    ],
)
def test_dates_read_as_each_language_writes_them(date: str | None, vi: str, en: str) -> None:
    assert (human_date(date, "vi"), human_date(date, "en")) == (vi, en)


def test_tex_special_characters_survive_a_round_trip() -> None:
    title = "Lễ ký kết 100% {giao ước} & thi_đua #1 ~ $5 \\"  # (`^` decodes to a modifier letter: left out)
    fact = FactOut(
        id="f1",
        type="event",
        fields={},
        evidence=EvidenceOut(sentence="s", start=0, end=1),
        confidence=0.9,
        group_key="g",
    )
    src = Source(
        fact=fact,
        title=title,
        source="Báo A",
        url="https://a.example/x?a=1&b=%20",
        published="2022-02-01",
        permalink="http://h/facts/f1",
        archived=None,
        accessed="2026-01-02",
    )
    assert "\\%" in tex(title)
    library = bibtexparser.parse_string(bibtex(src), append_middleware=[LatexDecodingMiddleware()])
    assert library.entries[0]["title"].strip("{}") == title
    assert bibtexparser.parse_string(bibtex(src)).entries[0]["url"] == src.url
