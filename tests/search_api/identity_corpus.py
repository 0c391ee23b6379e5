"""A corpus of extractor-shaped facts (with unit_kind, body, province, unit_today extras) for the
identity, grouping, fact-check and detail-page tests: same names in several provinces, one statement
in several spellings, several awards a year, and a unit with more facts than one page reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.models import Article
from corpus.store import CorpusStore

# Where each unit is, and its kind, as extract/units.py writes them.
UNITS = {
    ("Đà Lạt", "Lâm Đồng"): "thành phố",
    ("Bảo Lộc", "Lâm Đồng"): "thành phố",
    ("Di Linh", "Lâm Đồng"): "huyện",
    ("Châu Thành", "Long An"): "huyện",
    ("Châu Thành", "Tiền Giang"): "huyện",
    ("Cần Đước", "Long An"): "huyện",
}
# Facts of the big unit (more than the 1,000 a page of facts holds).
BULK_YEARS = range(1990, 2025)
BULK_FACTS = 1_120


def extras(unit: str, province: str, body: str | None = None, today: str | None = None) -> dict[str, Any]:
    """The extra fields the extractor adds for a unit (extract/units.py `Unit.extras`)."""
    out: dict[str, Any] = {"unit_kind": UNITS.get((unit, province)), "province": province}
    if body:
        out["body"] = body
    out["unit_today"] = today or province
    return out


def chair(cluster: str, year: int, role: str, unit: str, **more: Any) -> dict[str, Any]:
    return {"type": "chair", "cluster": cluster, "year": year, "role": role, "unit": unit, **more}


def award(recipient: str, name: str, year: int, status: str | None, **more: Any) -> dict[str, Any]:
    return {"type": "award", "recipient": recipient, "award": name, "conferred_by": "UBND tỉnh", "year": year,
            "status": status, **more}  # fmt: skip


def member(cluster: str, unit: str, year: int | None, **more: Any) -> dict[str, Any]:
    return {"type": "member", "cluster": cluster, "member": unit, "year": year, **more}


ARTICLES: list[tuple[dict[str, Any], list[dict[str, Any]]]] = [
    (
        {"url": "https://a.example/1", "title": "Cụm 1 tổng kết", "published": "2022-01-13",
         "site": "a.example", "province": "Lâm Đồng",
         "text": "Hội nghị bầu thành phố Đà Lạt làm Cụm trưởng năm 2022."},
        [
            {"type": "cluster", "name": "Cụm thi đua số 1", "province": "Lâm Đồng"},
            chair("Cụm thi đua số 1", 2022, "chair", "Đà Lạt", **extras("Đà Lạt", "Lâm Đồng")),
            member("Cụm thi đua số 1", "Đà Lạt", None, **extras("Đà Lạt", "Lâm Đồng")),
            member("Cụm thi đua số 1", "Bảo Lộc", None, **extras("Bảo Lộc", "Lâm Đồng")),
            member("Cụm thi đua số 1", "Di Linh", None, **extras("Di Linh", "Lâm Đồng")),
            award("Đà Lạt", "Bằng khen", 2021, "proposed", **extras("Đà Lạt", "Lâm Đồng")),
            award("Đà Lạt", "Giấy khen", 2021, "conferred", **extras("Đà Lạt", "Lâm Đồng")),
            award("Bảo Lộc", "Cờ thi đua", 2021, "conferred", **extras("Bảo Lộc", "Lâm Đồng")),
            award("Di Linh", "Bằng khen", 2021, "proposed", **extras("Di Linh", "Lâm Đồng")),
        ],
    ),
    (  # the same chair statement: body, another spelling, a roman numeral, other extras; no article province
        {"url": "https://b.example/2", "title": "UBND TP Đà Lạt nhận nhiệm vụ", "published": "2022-02-01",
         "site": "b.example", "text": "UBND TP Đà Lạt giữ vai trò Cụm trưởng Cụm thi đua số I năm 2022."},
        [
            chair("Cụm thi đua số I", 2022, "chair", "UBND TP Đà Lạt",
                  **extras("Đà Lạt", "Lâm Đồng", body="UBND", today="Lâm Đồng (mới)"), confidence=0.7),
            chair("Cụm thi đua số I", 2022, "chair", "Bảo Lộc", **extras("Bảo Lộc", "Lâm Đồng")),
            award("Đà Lạt", "Bằng khen", 2021, "conferred", **extras("Đà Lạt", "Lâm Đồng", body="UBND")),
        ],
    ),
    (
        {"url": "https://c.example/3", "title": "Long An khen thưởng", "published": "2022-12-20",
         "site": "c.example", "province": "Long An",
         "text": "Huyện Châu Thành nhận Bằng khen năm 2022; Sở Tài chính nhận Giấy khen."},
        [
            member("Cụm thi đua số 1", "Châu Thành", 2022, **extras("Châu Thành", "Long An")),
            member("Cụm thi đua số 1", "Cần Đước", 2022, **extras("Cần Đước", "Long An")),
            award("Châu Thành", "Bằng khen", 2022, "conferred", **extras("Châu Thành", "Long An")),
            award("Sở Tài chính", "Giấy khen", 2022, "conferred", province="Long An"),
        ],
    ),
    (
        {"url": "https://d.example/4", "title": "Tiền Giang khen thưởng", "published": "2022-12-28",
         "site": "d.example", "province": "Tiền Giang",
         "text": "UBND huyện Châu Thành được tặng Bằng khen năm 2022. Sở Tài chính được tặng Giấy khen."},
        [
            award("huyện Châu Thành", "Bằng khen", 2022, "conferred",
                  **extras("Châu Thành", "Tiền Giang", "UBND")),
            award("Sở Tài chính", "Giấy khen", 2022, "conferred"),
        ],
    ),
]  # fmt: skip


def bulk_facts() -> list[dict[str, Any]]:
    """Di Linh: BULK_FACTS awards and memberships over BULK_YEARS, so its pages span several pages."""
    years = list(BULK_YEARS)
    facts = []
    for n in range(BULK_FACTS):
        year = years[n % len(years)]
        if n % 2:
            facts.append(
                award("Di Linh", f"Giải thưởng {n}", year, "conferred", **extras("Di Linh", "Lâm Đồng"))
            )
        else:
            facts.append(member("Cụm thi đua số 1", "Di Linh", year, **extras("Di Linh", "Lâm Đồng")))
    return facts


def _full(article: Article, n: int, fact: dict[str, Any]) -> dict[str, Any]:
    evidence = {"sentence": article.text, "start": 0, "end": len(article.text), "rule": "test.identity.v1"}
    return {"confidence": 0.9, **fact, "evidence": evidence, "id": f"{article.id}-{n:04d}"}


def build_identity_corpus(db_path: Path) -> list[str]:
    """Write the corpus into `db_path`; returns the article ids in ARTICLES order, then the bulk one."""
    bulk = {"url": "https://e.example/5", "title": "Di Linh qua các năm", "published": "2024-06-01",
            "site": "e.example", "province": "Lâm Đồng", "text": "Di Linh qua các năm thi đua."}  # fmt: skip
    ids = []
    with CorpusStore(db_path) as store:
        for meta, facts in [*ARTICLES, (bulk, bulk_facts())]:
            article = Article(**meta)
            store.upsert_article(article)
            store.replace_facts(article, [_full(article, n, f) for n, f in enumerate(facts)])
            ids.append(article.id)
    return ids
