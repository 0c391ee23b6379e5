"""The rule registry is the pipeline's source of truth: every rule id written into evidence is registered,
and the pipeline runs exactly the registered extractors, in the registry's order."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from extract import registry
from extract.pipeline import DERIVED, EXTRACTORS, extract_facts

ROOT = Path(__file__).resolve().parents[2]
RULE_ID = re.compile(r"^[a-z_]+\.[a-z_-]+\.v[0-9]+$")


def _rule_ids_in_source() -> dict[str, str]:
    """Every string constant shaped like a rule id in the extractors' source, with its file."""
    found = {}
    for path in sorted((ROOT / "extract").glob("*.py")):
        if path.name in {"nlp.py", "registry.py"}:  # nlp.py names a spaCy tokenizer, not a rule
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and RULE_ID.match(node.value):
                found[node.value] = path.name
    return found


def test_every_rule_id_in_the_extractors_source_is_registered() -> None:
    found = _rule_ids_in_source()
    assert len(found) >= 10
    unregistered = {rule: name for rule, name in found.items() if rule not in registry.RULES}
    assert not unregistered, f"rule ids written but not registered (extract/registry.py): {unregistered}"


def test_every_rule_id_in_the_evidence_of_the_gold_articles_is_registered() -> None:
    lines = (ROOT / "corpus" / "gold" / "constructed_articles.jsonl").read_text(encoding="utf-8").splitlines()
    rules = set()
    for article in map(json.loads, lines):
        facts = extract_facts(article["text"], published=article.get("published"), article_id=article["id"])
        rules |= {f.evidence.rule for f in facts}
    assert len(rules) >= 8
    assert rules <= set(registry.RULES), rules - set(registry.RULES)


def test_the_pipeline_runs_every_registered_extractor_in_the_registry_order() -> None:
    assert registry.ordered(registry.PIPELINE) == EXTRACTORS
    assert registry.ordered(registry.DERIVED) == DERIVED
    assert set(registry.RULES.values()) == set(EXTRACTORS) | set(DERIVED)
    assert [e.__module__.rsplit(".", 1)[-1] for e in EXTRACTORS][:3] == ["cluster", "members", "chairs"]


def test_a_rule_id_registered_twice_or_missing_is_an_error() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        registry.rule("cluster.names.v1")(lambda ctx: [])
    with pytest.raises(KeyError, match=r"no\.such\.v1"):
        registry.ordered(("no.such.v1",))
