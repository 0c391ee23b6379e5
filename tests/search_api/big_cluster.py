"""A generated corpus with one big cluster (a few thousand facts), for the paged cluster and unit lists."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from corpus.models import Article
from corpus.store import CorpusStore

CLUSTER, PROVINCE = "Cụm thi đua số 3", "Lâm Đồng"
CLUSTER_ID = "lam-dong--cum-thi-dua-so-3"
# Synthetic syllables for unit names (generated data, not language rules).
SYLLABLES = "Phú An Tân Thạnh Long Mỹ Xuân Thủy Sơn Hòa Bình Vĩnh Châu Hưng Quang Lạc".split()
UNITS = [f"{a} {b}" for a in SYLLABLES for b in SYLLABLES if a != b][:90]
THEMES = [f"Thi đua {a} {b} {c}" for a, b, c in zip(SYLLABLES, SYLLABLES[3:], SYLLABLES[6:], strict=False)]
CONFIDENCES = (0.6, 0.75, 0.9)
CHAIRS = UNITS[:3]  # a few chairs a year, each stated by many articles (more sources than a page lists)


def _facts(n: int, rng: random.Random) -> list[dict[str, Any]]:
    year = 2015 + n % 10
    members = rng.sample(UNITS, 4)
    chair = {"type": "chair", "cluster": CLUSTER, "year": year}
    facts: list[dict[str, Any]] = [{"type": "cluster", "name": CLUSTER, "province": PROVINCE}]
    facts += [{"type": "member", "cluster": CLUSTER, "member": m, "year": year} for m in members]
    facts += [
        {**chair, "role": "chair", "unit": CHAIRS[n % len(CHAIRS)]},
        {**chair, "role": "vice_chair", "unit": members[1]},
        {"type": "award", "year": year - 1, "recipient": members[2], "award": "Bằng khen",
         "status": "conferred"},
        {"type": "award", "year": year, "recipient": members[3], "award": "Cờ thi đua", "status": "proposed"},
        {"type": "event", "kind": "review", "date": f"{year}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
         "place": members[0], "cluster": CLUSTER},
        {"type": "slogan", "kind": "theme", "text": rng.choice(THEMES), "year": year},
    ]  # fmt: skip
    return facts


def build_big_cluster(db_path: Path, articles: int = 360) -> int:
    """Write `articles` articles of the big cluster (11 facts each) into the corpus; returns the facts."""
    rng = random.Random(13)
    written = 0
    with CorpusStore(db_path) as store:
        for n in range(articles):
            lead = f"{CLUSTER} tỉnh {PROVINCE} tổng kết năm {2015 + n % 10}."
            article = Article(url=f"https://cum.example/{n}", title=lead, text=f"{lead} Bài số {n}.",
                              published=f"{2015 + n % 10}-12-20", site="cum.example",
                              province=PROVINCE)  # fmt: skip
            store.upsert_article(article)
            ev = {"sentence": lead, "start": 0, "end": len(lead), "rule": "test.big_cluster.v1"}
            facts = [
                {**f, "id": f"{article.id}-{i:02d}", "confidence": rng.choice(CONFIDENCES), "evidence": ev}
                for i, f in enumerate(_facts(n, rng))
            ]
            written += store.replace_facts(article, facts)
    return written
