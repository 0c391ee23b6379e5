"""Entity resolution and query building: pure functions, tested directly."""

from __future__ import annotations

import pytest

from search_api.query import FactFilter, fts_match, sql_fact_where, tokens
from search_api.resolve import bare_name, cluster_id, fold, group_key, province_key, unit_id


@pytest.mark.parametrize(
    "spelling",
    [
        "Đà Lạt",
        "TP Đà Lạt",
        "TP. Đà Lạt",
        "TP.Đà Lạt",
        "thành phố Đà Lạt",
        "UBND thành phố Đà Lạt",
        "đà lạt",
        "Da Lat",
    ],
)
def test_unit_spellings_resolve_to_one_id(spelling: str) -> None:
    assert unit_id(spelling) == "da-lat"


@pytest.mark.parametrize(
    ("name", "bare"),
    [("huyện Đức Trọng", "Đức Trọng"), ("Ủy ban nhân dân huyện Di Linh", "Di Linh"), ("Quận 1", "Quận 1"),
     ("TP.HCM", "Hồ Chí Minh"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"), ("Sở Tư pháp", "Sở Tư pháp"),
     ("thị xã Gò Công", "Gò Công")],
)  # fmt: skip
def test_bare_names_drop_body_and_kind_prefixes(name: str, bare: str) -> None:
    assert bare_name(name) == bare


def test_fold_maps_d_stroke_and_keeps_length() -> None:
    text = "Đồng Nai, ĐẮK LẮK, hoà và hòa"
    assert fold(text) == "dong nai, dak lak, hoa va hoa"
    assert len(fold(text)) == len(text)


def test_cluster_id_is_province_plus_normalised_name() -> None:
    one = cluster_id("Cụm thi đua số 1", "Lâm Đồng")
    assert one == cluster_id("cụm  thi đua số 01", "tỉnh Lâm Đồng") == "lam-dong--cum-thi-dua-so-1"
    assert one != cluster_id("Cụm thi đua số 1", "Bình Định")
    assert province_key("Lam Dong") == "lam-dong"


def test_same_statement_in_other_spellings_shares_a_group_key() -> None:
    a = {"type": "chair", "cluster": "Cụm thi đua số 1", "year": 2022, "role": "chair", "unit": "Đà Lạt"}
    b = {**a, "unit": "TP Đà Lạt", "evidence": {"sentence": "x"}, "confidence": 0.5}
    c = {**a, "unit": "Bảo Lộc"}
    cid = cluster_id("Cụm thi đua số 1", "Lâm Đồng")
    assert group_key(a, unit_id(a["unit"]), cid) == group_key(b, unit_id(b["unit"]), cid)
    assert group_key(a, unit_id(a["unit"]), cid) != group_key(c, unit_id(c["unit"]), cid)


@pytest.mark.parametrize(
    "hostile", ['"', "*", "NEAR(", "OR OR", 'a" OR "b', "title:x", "^x", "-", "x" * 10_000]
)
def test_hostile_queries_become_quoted_tokens(hostile: str) -> None:
    match = fts_match(hostile)
    if match is not None:
        assert match.count('"') % 2 == 0
        assert "NEAR(" not in match and "*" not in match
    assert len(tokens(hostile)) <= 24


def test_fact_filter_builds_parameterised_sql() -> None:
    where, args = sql_fact_where(FactFilter(types=("chair",), unit_id="da-lat'; DROP", year=2022))
    assert "DROP" not in where
    assert args == ["chair", "da-lat'; DROP", 2022]
