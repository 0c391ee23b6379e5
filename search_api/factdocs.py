"""A stored fact as the backends index it: resolved unit, cluster and province ids, date, group and slot."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Protocol

from extract.models import fact_adapter
from search_api.resolve import (
    UNIT_FIELD,
    bare_name,
    cluster_id,
    group_key,
    is_qualified,
    province_key,
    slot_key,
    text_key,
    tidy,
    unit_id,
)
from search_api.resolve import unit_key as name_key
from search_api.stores.base import FactDoc


class SourceArticle(Protocol):
    """What a fact takes from its article: the corpus's `Article` or an indexed `ArticleDoc`."""

    @property
    def id(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def published(self) -> str | None: ...


def _fact_year(fact: dict[str, Any]) -> int | None:
    year = fact.get("year")
    if isinstance(year, int):
        return year
    date = fact.get("date")
    return int(date[:4]) if isinstance(date, str) and date[:4].isascii() and date[:4].isdigit() else None


def fact_doc(article: SourceArticle, fact: dict[str, Any], province: str | None) -> FactDoc:
    """A fact with its resolved unit, cluster and province ids, its date, group and slot keys."""
    kind = str(fact["type"])
    evidence = {"sentence": "", "start": 0, "end": 0, **dict(fact.get("evidence") or {})}
    cite = getattr(article, "canonical_url", None) or article.url  # the address people can cite (issue 11)
    for key, value in (("article_id", article.id), ("url", cite), ("published", article.published)):
        if not evidence.get(key):
            evidence[key] = value
    fact = {**fact, "evidence": evidence}
    fact_adapter.validate_python(fact)
    raw_unit = fact.get(UNIT_FIELD.get(kind, ""))
    unit = bare_name(raw_unit) if isinstance(raw_unit, str) and raw_unit.strip() else None
    raw_cluster = fact.get("name") if kind == "cluster" else fact.get("cluster")
    cluster = tidy(raw_cluster) if isinstance(raw_cluster, str) and raw_cluster.strip() else None
    fact_province = bare_name(fact["province"]) if isinstance(fact.get("province"), str) else province
    kind_of_unit = fact.get("unit_kind") if isinstance(fact.get("unit_kind"), str) else None
    uid = unit_id(unit, fact_province, kind_of_unit) if unit else None
    # A province that is a member of a cluster of provinces: the cluster is the article's, not its own.
    province_unit = uid is not None and fact_province is not None and not is_qualified(uid)
    cluster_province = province if province_unit and kind != "cluster" else fact_province
    cid = cluster_id(cluster, cluster_province) if cluster else None
    pkey = province_key(fact_province) if fact_province else None
    year = _fact_year(fact)
    date = fact.get("date") if kind == "event" and fact.get("date") else None
    award = fact.get("award")
    return FactDoc(
        id=str(fact.get("id") or _fallback_id(article.id, fact)),
        article_id=article.id,
        type=kind,
        unit_id=uid or None,
        unit_key=name_key(unit) if unit else None,
        unit=unit,
        cluster_id=cid or None,
        cluster=cluster,
        province=fact_province,
        province_key=pkey,
        year=year,
        date=str(date or year or article.published or "") or None,
        status=fact.get("status"),
        role=fact.get("role"),
        award_key=text_key(award) if isinstance(award, str) else None,
        group_key=group_key(fact, uid, cid, pkey),
        slot_key=slot_key(fact, uid, cid),
        data=json.dumps(fact, ensure_ascii=False),
    )


def _fallback_id(article_id: str, fact: dict[str, Any]) -> str:
    payload = json.dumps([article_id, {k: v for k, v in fact.items() if k != "evidence"}], sort_keys=True)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:20]
