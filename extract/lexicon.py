"""Loads the language data of extract/data/*.yaml once and compiles its patterns."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

DATA_DIR = Path(__file__).parent / "data"
FLAGS = re.IGNORECASE | re.UNICODE
WORD_START = r"(?<![\w])"
WORD_END = r"(?![\w])"
CAP = r"[A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ]"


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed data file extract/data/<name>.yaml."""
    data = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"data file {name}.yaml must hold a mapping")
    return data


def entries(name: str, section: str) -> list[dict[str, Any]]:
    """The list of entries under `section` of a data file."""
    return list(load(name)[section])


def alternation(items: list[dict[str, Any]], key: str = "pattern") -> str:
    """One regex alternation of the entries' patterns, longest first, as a non-capturing group."""
    patterns = sorted((str(item[key]) for item in items), key=len, reverse=True)
    return "(?:" + "|".join(patterns) + ")"


def words(items: list[dict[str, Any]], key: str = "pattern") -> str:
    """Like alternation, bounded so that it matches whole words only."""
    return WORD_START + alternation(items, key) + WORD_END


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    """A case-insensitive compiled pattern (cached)."""
    return re.compile(pattern, FLAGS)


def find_entry(name: str, section: str, text: str) -> dict[str, Any] | None:
    """The first entry (longest pattern first) whose pattern matches all of `text`."""
    for item in sorted(entries(name, section), key=lambda e: len(str(e["pattern"])), reverse=True):
        if compiled(f"(?:{item['pattern']})").fullmatch(text.strip()):
            return item
    return None


def trie(strings: list[str]) -> str:
    """A regex matching exactly the given literal strings, as a character trie (fast on long lists)."""
    root: dict[str, Any] = {}
    for text in strings:
        node = root
        for ch in text:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(root)


def _trie_regex(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


class Construction(BaseModel):
    """One entry of data/grammar/<concept>.yaml: a phrase pattern the code asks for by id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9-]+$")
    pattern: str
    ignorecase: bool
    example: str

    def compile(self) -> re.Pattern[str]:
        """The pattern compiled, `{CAP}` made the class of capital letters."""
        return re.compile(self.pattern.replace("{CAP}", CAP), FLAGS if self.ignorecase else re.UNICODE)


@cache
def constructions(concept: str) -> dict[str, Construction]:
    """The entries of data/grammar/<concept>.yaml by id, checked against `Construction`; an entry
    whose id names another concept is an error."""
    found: dict[str, Construction] = {}
    for raw in entries(f"grammar/{concept}", "patterns"):
        item = Construction.model_validate(raw)
        if not item.id.startswith(f"{concept}.") or item.id in found:
            raise ValueError(f"grammar/{concept}.yaml: id {item.id} is repeated or belongs elsewhere")
        found[item.id] = item
    return found


@cache
def grammar(pattern_id: str) -> re.Pattern[str]:
    """The construction `<concept>.<name>` of data/grammar/<concept>.yaml, compiled once."""
    return _construction(pattern_id).compile()


@cache
def lowered_grammar(pattern_id: str) -> re.Pattern[str]:
    """A case-insensitive construction compiled to search text already lower-cased
    (`textkeys.lower_in_place`): several times faster than the case-insensitive search of the text.
    Only for a pattern written in lower case throughout, with no case-bound part."""
    item = _construction(pattern_id)
    letters = re.sub(r"\\.|\(\?P<\w+>|\(\?P=\w+\)", "", item.pattern)  # \S or (?P<y> name no letter
    if not item.ignorecase or "{CAP}" in letters or "(?-i" in letters or letters != letters.lower():
        raise ValueError(f"grammar pattern {pattern_id} is not case-insensitive in lower case throughout")
    return re.compile(item.pattern, re.UNICODE)


def _construction(pattern_id: str) -> Construction:
    concept = pattern_id.partition(".")[0]
    if not (DATA_DIR / "grammar" / f"{concept}.yaml").is_file() or pattern_id not in constructions(concept):
        raise KeyError(f"no grammar pattern {pattern_id} in extract/data/grammar/{concept}.yaml")
    return constructions(concept)[pattern_id]
