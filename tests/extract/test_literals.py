"""extract.literals: the words a pattern's matches open with, the cheap test before a trigger's search."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from corpus.normalize import normalize_text
from extract.lexicon import entries
from extract.literals import openings
from extract.sentences import _trigger, split, trigger_openings

GOLD = Path(__file__).resolve().parents[2] / "corpus" / "gold"
SPECS = Path(__file__).resolve().parents[1] / "specs"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(?:bằng khen|giấy khen)", ("bằng khen", "giấy khen")),
        ("(?:tổ chức|tiến hành) (?:tổng kết|sơ kết)", ("tổ chức", "tiến hành")),
        ("giám đốc|(?-i:GĐ|TGĐ)", ("giám đốc",)),  # capitals never match lower-cased text
        ('[“"](?:học tập)', ("“", '"')),  # a class of quote marks opens as well
        ("cờ?x|bằng khen", None),  # "c" alone is too short to filter
        ("(?<!đăng )ký kết", None),  # a lookbehind first: no literal opens it
        ("(?:tập thể )?lao động", None),  # an optional group opens nothing for sure
        ("k[ýí] kết", None),  # a class of letters
        ("^(?=.*chủ đề)", None),
    ],
)
def test_the_words_a_pattern_opens_with(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert openings(pattern) == expected


def test_every_trigger_has_a_cheap_test() -> None:
    """Each trigger opens with words (write a lookbehind after the word it guards: "ký(?<!đăng ký)")."""
    for item in entries("sentences", "triggers"):
        assert trigger_openings(str(item["id"])), item["id"]


def test_the_cheap_test_never_turns_away_a_sentence_the_trigger_finds() -> None:
    texts = [
        json.loads(line)["text"]
        for path in sorted(GOLD.glob("*articles.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ] + [
        case["text"]
        for path in sorted(SPECS.glob("*.yaml"))
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    ]
    sentences = [s.text.lower() for text in texts for s in split(normalize_text(text))]
    for item in entries("sentences", "triggers"):
        pattern: re.Pattern[str] = _trigger(str(item["id"]))
        words = trigger_openings(str(item["id"])) or ()
        found = [low for low in sentences if pattern.search(low)]
        assert found, item["id"]
        assert all(any(w in low for w in words) for low in found), item["id"]
