"""Entity resolution and query building: pure functions, tested directly."""

from __future__ import annotations

import re

import pytest

from extract.scoring import KEYS
from search_api.query import FactFilter, sql_fact_where, tokens
from search_api.resolve import (
    IDENTITY,
    bare_name,
    cluster_id,
    cluster_key,
    fold,
    group_key,
    is_qualified,
    province_key,
    unit_id,
    unit_key,
    unit_terms,
)


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
def test_hostile_queries_become_plain_words(hostile: str) -> None:
    words = tokens(hostile)
    assert all(re.fullmatch(r"[^\W_]{1,64}", w) for w in words)
    assert len(words) <= 24


def test_fact_filter_builds_parameterised_sql() -> None:
    where, args = sql_fact_where(FactFilter(types=("chair",), unit_id="da-lat'; DROP", year=2022))
    assert "DROP" not in where
    assert args == ["chair", "da-lat'; DROP", 2022]


@pytest.mark.parametrize(
    "name",
    ["Cụm thi đua số 1", "Cụm thi đua số I", "Cụm thi đua 1", "cụm số 01", "CỤM THI ĐUA SỐ 001", "Cụm I"],
)
def test_numbered_cluster_spellings_resolve_within_a_province(name: str) -> None:
    assert cluster_id(name, "Lâm Đồng") == "lam-dong--cum-thi-dua-so-1"
    assert cluster_id(name, "Long An") == "long-an--cum-thi-dua-so-1"


@pytest.mark.parametrize(
    ("one", "other"),
    [("Cụm thi đua số II", "Cụm thi đua số 1"), ("Khối thi đua số 1", "Cụm thi đua số 1"),
     ("Cụm thi đua số 1 mở rộng", "Cụm thi đua số 1"), ("Cụm thi đua số XI", "Cụm thi đua số 1")],
)  # fmt: skip
def test_other_clusters_keep_their_own_keys(one: str, other: str) -> None:
    assert cluster_key(one) != cluster_key(other)
    assert cluster_key("Khối thi đua số XII") == "khoi-thi-dua-so-12"


@pytest.mark.parametrize(
    ("name", "province", "kind", "uid"),
    [("huyện Châu Thành", "Long An", "huyện", "long-an--chau-thanh"),
     ("Châu Thành", "tỉnh Tiền Giang", None, "tien-giang--chau-thanh"),
     ("Sở Tài chính", "Lâm Đồng", None, "lam-dong--so-tai-chinh"),
     ("tỉnh Đắk Lắk", "Lâm Đồng", "tỉnh", "dak-lak"),
     ("Lâm Đồng", "Lâm Đồng", None, "lam-dong"),
     ("TP.HCM", "Hồ Chí Minh", "thành phố", "ho-chi-minh"),
     ("thành phố Cần Thơ", "Cần Thơ", "thành phố", "can-tho"),
     ("thành phố Bắc Ninh", "Bắc Ninh", "thành phố", "bac-ninh--bac-ninh"),
     ("Bắc Ninh", "Bắc Ninh", None, "bac-ninh"),
     ("Cần Đước", None, "huyện", "can-duoc"),
     ("long-an--can-duoc", None, None, "long-an--can-duoc")],
)  # fmt: skip
def test_unit_ids_are_qualified_by_province_except_provinces(
    name: str, province: str | None, kind: str | None, uid: str
) -> None:
    assert unit_id(name, province, kind) == uid
    assert unit_key(name) == uid.rsplit("--", 1)[-1] or is_qualified(name)


def test_unit_parameters_are_names_across_provinces_ids_or_narrowed_by_province() -> None:
    assert unit_terms("TP Đà Lạt", None) == (None, "da-lat")
    assert unit_terms("TP Đà Lạt", "Lâm Đồng") == ("lam-dong--da-lat", None)
    assert unit_terms("lam-dong--da-lat", None) == ("lam-dong--da-lat", None)
    assert unit_terms("!!", None) == (None, "-") and unit_terms("!!", "Lâm Đồng") == ("-", None)


def test_identity_holds_the_scoring_keys_and_leaves_extras_out() -> None:
    for kind, key in KEYS.items():
        assert set(key) <= set(IDENTITY[kind]), kind
    base = {"type": "award", "recipient": "Đà Lạt", "award": "Bằng khen", "year": 2021, "status": "proposed"}
    extra = {**base, "unit_kind": "thành phố", "body": "UBND", "province": "Lâm Đồng", "unit_today": "x"}
    uid = unit_id("Đà Lạt", "Lâm Đồng")
    assert group_key(base, uid, None, "lam-dong") == group_key(extra, uid, None, "lam-dong")
    assert group_key(base, uid, None, "lam-dong") != group_key(
        {**base, "status": "conferred"}, uid, None, "lam-dong"
    )
    assert group_key({**base, "conferred_by": "UBND tỉnh"}, uid, None, "x") == group_key(base, uid, None, "x")
