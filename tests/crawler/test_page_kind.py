"""Articles are told from listings by their own markup, whatever their URL (issue 11)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from cms_sites import FAMILIES, SHAPES, Story, family_site, shaped_site
from crawlsite import FAST, ROOT_DIR
from parsel import Selector
from test_generic import EXPECTED, FIXTURES

from corpus.normalize import normalize_text
from corpus.sample_site.server import mapping_resolver, serve
from corpus.store import CorpusStore
from crawler.pagekind import classify
from crawler.runner import crawl
from thidua.settings import Settings

# Each real article page under a name that says nothing: no slug, no id, not even .html.
ANONYMOUS = {f.name.split("__")[0]: f for f in sorted(FIXTURES.glob("*.article.html"))}
NAMES = ["/a", "/page.php?x=1", "/files/doc-7", "/Default.aspx?id=abc", "/b/", "/x.bin", "/index", "/q?v=2"]


@pytest.mark.parametrize("name", sorted(FIXTURES.glob("*.html")), ids=lambda p: p.name)
def test_the_markup_tells_articles_from_listings(name: Path) -> None:
    verdict = classify(Selector(text=name.read_text(encoding="utf-8")))
    assert verdict.is_article == name.name.endswith(".article.html"), verdict.reason


def _stored(settings: Settings) -> dict[str, object]:
    with CorpusStore(settings.db_path) as store:
        return {a.final_url or a.url: a for a in store.iter_articles()}


@pytest.fixture(scope="module")
def anonymous_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, object]]:
    pages = {NAMES[i]: f.read_bytes() for i, f in enumerate(ANONYMOUS.values())}
    settings = Settings(data_dir=tmp_path_factory.mktemp("anonymous") / "var")
    with serve(mapping_resolver(pages)) as base:
        urls = {site: base + NAMES[i] for i, site in enumerate(ANONYMOUS)}
        first, *rest = urls.values()
        crawl(settings, url=first, start_urls=rest, all_articles=True, overrides=FAST)
    return urls, _stored(settings)


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_a_real_article_page_given_by_url_is_stored_whatever_its_name(
    anonymous_crawl: tuple[dict[str, str], dict[str, object]], site: str
) -> None:
    urls, articles = anonymous_crawl
    title, published, _, _ = EXPECTED[site]
    article = articles[urls[site]]
    assert article.title == normalize_text(title)  # type: ignore[attr-defined]
    assert datetime.fromisoformat(article.published) == datetime.fromisoformat(published)  # type: ignore[attr-defined]


def test_thidua_crawl_url_stores_one_article_page(tmp_path: Path) -> None:
    page = ANONYMOUS["vnexpress.net"].read_bytes()
    with serve(mapping_resolver({"/tin?id=x": page})) as base:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "thidua",
                "crawl",
                "--url",
                f"{base}/tin?id=x",
                "--no-extract",
                "--all",
                "--data-dir",
                str(tmp_path / "var"),
            ],
            cwd=ROOT_DIR,
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    with CorpusStore(tmp_path / "var" / "thidua.sqlite3") as store:
        titles = [a.title for a in store.iter_articles()]
    assert titles == [normalize_text(EXPECTED["vnexpress.net"][0])]


STORIES = [Story(n) for n in range(1, 61)]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_article_is_stored_under_any_url_shape(tmp_path: Path, shape: str) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    with serve(mapping_resolver(shaped_site(SHAPES[shape], STORIES))) as base:
        report = crawl(
            settings, site="generic", start_urls=[base + "/tin-tuc/"], all_articles=True, overrides=FAST
        )
    stored = {a.title: a for a in _stored(settings).values()}  # type: ignore[attr-defined]
    assert report.errors == 0
    assert sorted(stored) == sorted(normalize_text(s.title) for s in STORIES)
    for story in STORIES:
        assert stored[normalize_text(story.title)].published.startswith(story.iso_day)  # type: ignore[attr-defined]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_cms_family_profile_crawls_a_site_of_that_family(tmp_path: Path, family: str) -> None:
    stories = [Story(n) for n in range(1, 26)]
    conventions = FAMILIES[family]
    settings = Settings(data_dir=tmp_path / "var")
    with serve(mapping_resolver(family_site(conventions, stories))) as base:
        report = crawl(
            settings, site=family, start_urls=[base + conventions.start], all_articles=True, overrides=FAST
        )
    stored = {a.title: a for a in _stored(settings).values()}  # type: ignore[attr-defined]
    assert sorted(stored) == sorted(normalize_text(s.title) for s in stories), report
    for story in stories:
        assert stored[normalize_text(story.title)].published.startswith(story.iso_day)  # type: ignore[attr-defined]
