"""A real SQLite archive of the five sample articles and their facts, for the page tests."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus.models import Article
from corpus.normalize import normalize_text
from corpus.store import CorpusStore
from extract.models import parse_fact

GOLD_DIR = Path(__file__).resolve().parents[2] / "corpus" / "gold"
PROVINCES = {"lamdong": "Lâm Đồng", "longan": "Long An", "binhdinh": "Bình Định"}
_SENTENCE = re.compile(r"[^\n.!?…]+(?:[.!?…]+[”\"]?|$)", re.M)
# Words that tell the sentence stating a role apart from one merely naming the unit (fixture only).
_ROLE_CUES = {"chair": ("trưởng",), "vice_chair": ("phó",)}


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample_article(raw: dict[str, Any]) -> Article:
    """The sample as an archived article, with a stand-in URL and raw HTML where it has none."""
    text = normalize_text(raw["text"])
    title = text.split("\n", 1)[0].strip()
    prefix = raw["id"].split("-", 1)[0]
    url = raw.get("url") or f"https://sample.invalid/{prefix}/{raw['id']}.html"
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return Article(
        url=url,
        title=title,
        text=text,
        published=raw.get("published"),
        source=raw.get("source"),
        site=prefix,
        province=PROVINCES.get(prefix),
        raw_html=f"<html><head><title>{html.escape(title)}</title></head><body>{body}</body></html>",
    )


def sample_article_id(sample_id: str) -> str:
    """The archive id the sample with this gold id gets."""
    raw = next(r for r in load_jsonl(GOLD_DIR / "articles.jsonl") if r["id"] == sample_id)
    return sample_article(raw).id


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _score(sentence: str, fact: dict[str, Any]) -> int:
    lowered = sentence.casefold()
    values = [v for k, v in fact.items() if k != "type" and isinstance(v, str | int) and v is not True]
    score = sum(2 for v in values if str(v).casefold() in lowered)
    cues = _ROLE_CUES.get(str(fact.get("role")), ()) if fact.get("type") == "chair" else ()
    return score + sum(3 for cue in cues if cue in lowered)


def locate(text: str, fact: dict[str, Any]) -> tuple[int, int]:
    """The span of the sentence that best states a gold fact (most of its values, role cue words)."""
    spans = _sentences(text)
    return max(spans, key=lambda s: _score(text[s[0] : s[1]], fact))


def gold_facts(article: Article, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gold facts with evidence sentences located in the article text, as the store keeps them."""
    out = []
    for raw in facts:
        start, end = locate(article.text, raw)
        evidence = {
            "article_id": article.id,
            "url": article.url,
            "published": article.published,
            "sentence": article.text[start:end],
            "start": start,
            "end": end,
            "rule": "gold",
        }
        fact = parse_fact({**raw, "evidence": evidence, "confidence": 1.0})
        out.append({"id": fact.fact_id(article.id), **fact.model_dump(mode="json")})
    return out


def build_store(db_path: Path, extract: Callable[[Article], list[dict[str, Any]]] | None = None) -> int:
    """Write the samples and their facts (from `extract`, else from gold) to `db_path`; returns facts."""
    gold = {g["id"]: g["facts"] for g in load_jsonl(GOLD_DIR / "gold.jsonl")}
    total = 0
    with CorpusStore(db_path) as store:
        for raw in load_jsonl(GOLD_DIR / "articles.jsonl"):
            article = sample_article(raw)
            store.upsert_article(article)
            facts = extract(article) if extract else gold_facts(article, gold[raw["id"]])
            total += store.replace_facts(article, facts)
    return total
