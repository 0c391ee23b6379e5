"""A small corpus for the API tests: the gold sample articles and facts, plus varied extra articles."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from corpus.models import Article
from corpus.store import CorpusStore

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"
# Every fixture fact is this sure but one, Bảo Lộc's chair of 2022 (the conflicting statement).
CONFIDENCE, LOW_CONFIDENCE = 0.9, 0.6
VALUE_FIELDS = ("unit", "member", "recipient", "scope", "name", "text", "place", "cluster")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^.!?\n]+[.!?]?", text)]


def _evidence(article: Article, fact: dict[str, Any]) -> dict[str, Any]:
    spans = _sentences(article.text)
    values = [fact[k] for k in VALUE_FIELDS if isinstance(fact.get(k), str)]
    start, end = next(
        ((s, e) for v in values for s, e in spans if v in article.text[s:e]), spans[0] if spans else (0, 0)
    )
    return {"sentence": article.text[start:end], "start": start, "end": end, "rule": "test.fixture.v1"}


def _with_ids(article: Article, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, fact in enumerate(facts):
        full = {"confidence": CONFIDENCE, **fact, "evidence": _evidence(article, fact)}
        full["id"] = f"{article.id}-{n:03d}"
        out.append(full)
    return out


EXTRA: list[tuple[dict[str, Any], list[dict[str, Any]]]] = [
    (
        {
            "url": "https://tin.example/2022/da-lat-cum-truong",
            "title": "TP Đà Lạt nhận nhiệm vụ Cụm trưởng",
            "published": "2022-02-01",
            "province": "Lâm Đồng",
            "site": "tin.example",
            "text": "Năm 2022, TP Đà Lạt giữ vai trò Cụm trưởng Cụm thi đua số 1. Thành phố cam kết thi đua.",
        },
        [
            {
                "type": "chair",
                "cluster": "Cụm thi đua số 1",
                "year": 2022,
                "role": "chair",
                "unit": "TP Đà Lạt",
            }
        ],
    ),
    (
        {
            "url": "https://khac.example/bao-loc-2022",
            "title": "Bảo Lộc được giao làm Cụm trưởng",
            "published": "2022-03-05",
            "province": "tỉnh Lâm Đồng",
            "site": "khac.example",
            "text": "Theo tin khác, thành phố Bảo Lộc làm Cụm trưởng Cụm thi đua số 01 năm 2022.",
        },
        [
            {
                "type": "chair",
                "cluster": "Cụm thi đua số 01",
                "year": 2022,
                "role": "chair",
                "unit": "thành phố Bảo Lộc",
                "confidence": LOW_CONFIDENCE,  # the only source of this statement: `min_confidence` drops it
            },
            {"type": "member", "cluster": "Cụm thi đua số 01", "member": "Bảo Lộc", "year": 2022},
        ],
    ),
    (
        {
            "url": "https://hcm.example/khoi-thi-dua",
            "title": "Khối thi đua tại TP.HCM ký kết giao ước",
            "published": "2023-04-10",
            "province": "Hồ Chí Minh",
            "site": "hcm.example",
            "text": "Ngày 10/4, Khối thi đua các quận tổ chức ký kết giao ước thi đua tại TP.HCM. "
            "Da Lat khong lien quan.",
        },
        [
            {
                "type": "event",
                "kind": "signing",
                "date": "2023-04-10",
                "place": "TP.HCM",
                "cluster": "Khối thi đua các quận",
            }
        ],
    ),
]


def build_corpus(db_path: Path) -> dict[str, Any]:
    """Write the fixture corpus into `db_path`; returns the ids tests refer to."""
    articles = [
        json.loads(line) for line in (GOLD / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    gold = {
        g["id"]: g["facts"] for g in map(json.loads, (GOLD / "gold.jsonl").read_text("utf-8").splitlines())
    }
    ids: dict[str, Any] = {"gold": {}, "extra": []}
    with CorpusStore(db_path) as store:
        for row in articles:
            article = Article(
                url=row.get("url") or f"https://baolamdong.example/{row['id']}",
                title=row["text"].split("\n", 1)[0][:200],
                text=row["text"],
                published=row.get("published"),
                source=row.get("source"),
                site="baolamdong.example",
                raw_html=f"<html><body><script>alert(1)</script><p>{row['id']}</p></body></html>",
            )
            store.upsert_article(article)
            store.replace_facts(article, _with_ids(article, gold.get(row["id"], [])))
            ids["gold"][row["id"]] = article.id
        for meta, facts in EXTRA:
            article = Article(**meta)
            store.upsert_article(article)
            store.replace_facts(article, _with_ids(article, facts))
            ids["extra"].append(article.id)
    return ids
