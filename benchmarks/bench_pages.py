"""Web pages: server-side render rate per page type over the extracted sample archive, on one core."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from corpus.models import Article
from corpus.normalize import normalize_text
from corpus.store import CorpusStore
from extract import extract_facts
from runtime.settings import Settings
from search_api import indexing
from search_api.main import create_app
from search_api.pageviews import highlight_article

ROUNDS = int(os.environ.get("THIDUA_BENCH_PAGE_ROUNDS", "100"))
GOLD = Path(__file__).resolve().parent.parent / "corpus" / "gold" / "articles.jsonl"


def _load(settings: Settings) -> list[str]:
    """The sample articles with their extracted facts, archived and indexed; returns article ids."""
    ids = []
    with CorpusStore(settings.db_path) as store:
        for line in GOLD.read_text(encoding="utf-8").splitlines():
            raw = json.loads(line)
            text = normalize_text(raw["text"])
            url = raw.get("url") or f"https://sample.invalid/{raw['id']}"
            title = text.split("\n", 1)[0]
            article = Article(url=url, title=title, text=text, published=raw.get("published"))
            store.upsert_article(article)
            facts = extract_facts(text, article.published, url, article.id)
            rows = [{"id": f.fact_id(article.id), **f.model_dump(mode="json")} for f in facts]
            store.replace_facts(article, rows)
            ids.append(article.id)
    indexing.sync(settings)
    return ids


def _rate(client: TestClient, path: str) -> tuple[float, int]:
    client.get(path)  # warm caches and templates
    started = time.perf_counter()
    size = 0
    for _ in range(ROUNDS):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.content)
    return ROUNDS / (time.perf_counter() - started), size


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "var", es_url=None)
        ids = _load(settings)
        pages = {
            "home": "/",
            "search 'da lat'": "/search?q=da+lat",
            "cluster": "/clusters/lam-dong--cum-thi-dua-so-1",
            "unit": "/units/da-lat",
            "article": f"/articles/{ids[0]}",
            "fact-check": "/check?unit=Đà+Lạt&claim=role:chair&year=2022",
        }
        with TestClient(create_app(settings)) as client:
            for name, path in pages.items():
                rate, size = _rate(client, path)
                print(f"page {name:16s} {rate:8.1f} pages/s on one core ({size / 1024:.1f} KiB each)")
            detail = client.get(f"/api/v1/articles/{ids[0]}").json()
    started = time.perf_counter()
    for _ in range(ROUNDS * 10):
        highlight_article(detail["text"], detail["facts"])
    seconds = time.perf_counter() - started
    chars = len(detail["text"]) * ROUNDS * 10
    print(f"article highlighting: {ROUNDS * 10 / seconds:,.0f} articles/s, "
          f"{chars / seconds / 1e6:.1f} M chars/s on one core ({len(detail['facts'])} facts)")  # fmt: skip


if __name__ == "__main__":
    main()
