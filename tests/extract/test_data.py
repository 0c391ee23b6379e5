"""Integrity of the language data in extract/data/*.yaml: ids unique, patterns compile, text NFC."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from extract.lexicon import DATA_DIR, FLAGS

CONSTRUCTIONS = sorted((DATA_DIR / "grammar").glob("*.yaml"))
OWN = sorted(p for p in DATA_DIR.glob("*.yaml") if p.stem != "scoring") + CONSTRUCTIONS


def _lists(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(k, v) for k, v in data.items() if isinstance(v, list) and v and isinstance(v[0], dict)]


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.relative_to(DATA_DIR).with_suffix("").as_posix())
def test_entries_have_unique_ids_and_examples(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section, items in _lists(data):
        ids = [item["id"] for item in items]
        assert len(ids) == len(set(ids)), f"{path.name}:{section} has duplicate ids"
        assert all(item.get("example") for item in items), f"{path.name}:{section} entry without example"


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.relative_to(DATA_DIR).with_suffix("").as_posix())
def test_patterns_compile_and_text_is_nfc(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for text in _strings(data):
        assert unicodedata.normalize("NFC", text) == text, f"{path.name}: not NFC: {text!r}"
    for _section, items in _lists(data):
        for item in items:
            if "pattern" in item:
                re.compile(str(item["pattern"]), FLAGS)
    for value in data.values():
        if isinstance(value, str) and "{" not in value:
            re.compile(value, FLAGS)


@pytest.mark.parametrize("name", ["awards", "roles", "titles", "units", "events"])
def test_each_pattern_matches_its_example(name: str) -> None:
    data = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    for section, items in _lists(data):
        for item in items:
            if "pattern" in item and section not in {"item_descriptors", "phrase_starts", "not_names"}:
                assert re.search(str(item["pattern"]), item["example"], FLAGS), f"{name}:{item['id']}"


@pytest.mark.parametrize(("name", "section"), [("dates", "dates"), ("dates", "ignore"), ("events", "kinds")])
def test_patterns_read_in_lower_cased_text_are_lower_case(name: str, section: str) -> None:
    """Date expressions and meeting kinds are searched in the text lower-cased (faster than a
    case-insensitive search), so a capital letter in them would never match."""
    data = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    for item in data[section]:
        pattern = re.sub(r"\\[A-Za-z]|\(\?P[<=]", "", str(item["pattern"]))  # \d, (?P<d>…) are no capitals
        assert pattern == pattern.lower(), f"{name}:{item['id']} holds a capital letter"


@pytest.mark.parametrize("path", CONSTRUCTIONS, ids=lambda p: p.stem)
def test_each_construction_matches_its_example(path: Path) -> None:
    from extract.lexicon import constructions

    for item in constructions(path.stem).values():
        assert item.compile().search(item.example), item.id


def test_every_construction_is_asked_for_by_the_code() -> None:
    """A construction no module asks for by its id is dead data."""
    from extract.lexicon import constructions

    code = "".join(p.read_text(encoding="utf-8") for p in (DATA_DIR.parent).glob("*.py"))
    for path in CONSTRUCTIONS:
        for pattern_id in constructions(path.stem):
            assert f'"{pattern_id}"' in code, f"{pattern_id} is asked for by no module"


def test_a_construction_outside_the_schema_is_refused() -> None:
    from pydantic import ValidationError

    from extract.lexicon import Construction

    good = {"id": "awards.tally", "pattern": r"\d+ tập thể", "ignorecase": True, "example": "72 tập thể"}
    assert Construction.model_validate(good).compile().search("72 tập thể")
    no_example = {k: v for k, v in good.items() if k != "example"}
    for bad in ({**good, "flags": "i"}, no_example, {**good, "id": "tally"}):
        with pytest.raises(ValidationError):
            Construction.model_validate(bad)


def test_asking_for_a_construction_that_is_not_there_names_the_file() -> None:
    from extract.lexicon import grammar

    with pytest.raises(KeyError, match=r"grammar/awards\.yaml"):
        grammar("awards.no-such-construction")
    with pytest.raises(KeyError, match="no grammar pattern"):
        grammar("nosuchconcept.x")


def test_a_lowered_construction_finds_in_lower_case_what_the_construction_finds() -> None:
    """`lowered_grammar` searches text lower-cased once, case-sensitively: the same years found, and a
    pattern with a case-bound part (a capital, `{CAP}`, `(?-i:`) is refused."""
    from corpus.textkeys import lower_in_place
    from extract.lexicon import grammar, lowered_grammar

    text = "Chiều 12/1, Khối thi đua số 3 TỔNG KẾT công tác thi đua NĂM 2023 và Ký Kết giao ước năm 2024."
    for pattern_id in ("context.reviewed", "context.covenant"):
        found = grammar(pattern_id).search(text)
        lowered = lowered_grammar(pattern_id).search(lower_in_place(text))
        assert found and lowered and found.group("y") == lowered.group("y"), pattern_id
    with pytest.raises(ValueError, match="lower case throughout"):
        lowered_grammar("awards.body-phrase")  # case-insensitive with a case-bound part
    with pytest.raises(ValueError, match="lower case throughout"):
        lowered_grammar("members.and")  # case-sensitive


def test_references_between_data_files_resolve() -> None:
    from extract.lexicon import entries, load
    from extract.pipeline import DERIVED, EXTRACTORS

    extractors = {e.__module__.rsplit(".", 1)[-1] for e in (*EXTRACTORS, *DERIVED)}
    for item in entries("sentences", "triggers"):
        assert set(item["for"]) <= extractors, item["id"]
    refs = [e["from"] for e in entries("sentences", "triggers") if "from" in e]
    refs += [e["from"] for e in load("nlp")["domain"]] + [
        e["from"] for e in entries("nlp", "person_cues") if "from" in e
    ]
    for ref in refs:
        name, section = str(ref).split(":")
        assert entries(name, section), ref


@pytest.mark.parametrize(
    "source,extractor",
    [
        ("awards:awards", "awards"),
        ("roles:roles", "chairs"),
        ("titles:titles", "persons"),
        ("events:kinds", "events"),
    ],
)
def test_every_example_passes_its_extractors_gate(source: str, extractor: str) -> None:
    from extract.lexicon import entries
    from extract.sentences import passes_gate

    name, section = source.split(":")
    for item in entries(name, section):
        assert passes_gate(extractor, str(item["example"]).lower()), item["id"]
