"""The resolution data file's integrity, and properties of folding and query sanitising."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from corpus.textkeys import PREFIXES_FILE, fold
from search_api.resolve import bare_name, cluster_key, slug, unit_id

DATA = Path(__file__).resolve().parents[2] / "search_api" / "data"


def test_names_data_has_unique_ids_examples_and_nfc_text() -> None:
    data = yaml.safe_load((DATA / "names.yaml").read_text(encoding="utf-8"))
    prefixes = yaml.safe_load(PREFIXES_FILE.read_text(encoding="utf-8"))["prefixes"]
    entries = prefixes + data["aliases"]
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert entry["example"]
        for text in [entry.get("text"), entry.get("canonical"), *entry.get("spellings", [])]:
            assert text is None or unicodedata.normalize("NFC", text) == text
    for prefix in prefixes:
        assert bare_name(prefix["example"].split(",")[0]) != prefix["example"].split(",")[0]


def test_elastic_templates_are_strict_and_fold() -> None:
    data = yaml.safe_load((DATA / "elastic.yaml").read_text(encoding="utf-8"))
    assert "asciifolding" in data["settings"]["analysis"]["analyzer"]["vi_fold"]["filter"]
    assert {m["dynamic"] for m in data["mappings"].values()} == {"strict"}


@given(st.text(max_size=200))
def test_fold_keeps_length_and_is_idempotent(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert len(fold(text)) == len(nfc)
    assert fold(fold(text)) == fold(text)


@given(st.text(max_size=80))
def test_ids_are_slugs_and_stable(name: str) -> None:
    uid = unit_id(name)
    assert uid == slug(uid)
    assert all(ch.isascii() for ch in uid)


def test_cluster_numbers_province_kinds_and_exclusive_awards_are_clean_data() -> None:
    names = yaml.safe_load((DATA / "names.yaml").read_text(encoding="utf-8"))
    clusters = names["clusters"]
    entries = [
        *clusters["kinds"],
        *clusters["optional_words"],
        *clusters["roman_numerals"],
        *names["province_kinds"],
        *names["province_cities"],
        *yaml.safe_load((DATA / "awards.yaml").read_text(encoding="utf-8"))["exclusive"],
    ]
    for group in (
        clusters["kinds"] + clusters["optional_words"],
        clusters["roman_numerals"],
        names["province_kinds"],
        names["province_cities"],
    ):
        assert len({e["id"] for e in group}) == len(group)
    for entry in entries:
        assert entry["example"] and unicodedata.normalize("NFC", entry["text"]) == entry["text"]
    values = [r["value"] for r in clusters["roman_numerals"]]
    assert values == list(range(1, len(values) + 1))
    for roman in clusters["roman_numerals"]:
        assert cluster_key(roman["example"]).endswith(f"-so-{roman['value']}")
