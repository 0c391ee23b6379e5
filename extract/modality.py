"""What a report says is not done, not decided or not so (ANNOTATION.md: only what the report states):
an award or a role under a condition ("Nếu …, X sẽ được đề nghị …"), an expectation or a turn by rule
("Theo dự kiến …", "năm 2024 sẽ đến lượt X làm Cụm trưởng"), a proposal still to be decided by a
council, an award denied or deferred ("X chưa được xét tặng …", "X không đủ điều kiện …"), a role
declined ("… nhưng xin rút"), a unit an erratum says was written in error, and a meeting that did
not take place give no fact."""

from __future__ import annotations

from typing import Any

from extract.lexicon import grammar
from extract.models import UNIT_FIELDS


def drop_unstated(facts: list[Any]) -> list[Any]:
    """The facts less those their own sentence states as a condition, an expectation, a pending
    proposal, a denial or a meeting not held."""
    return [f for f in facts if not _unstated(f)]


def _unstated(fact: Any) -> bool:
    sentence = fact.evidence.sentence
    if fact.type == "event":
        return bool(grammar("modality.not-held").search(sentence))
    field = UNIT_FIELDS.get(fact.type)
    if field is None or fact.type == "member":  # membership is stated, not planned or denied
        return False
    name = str(getattr(fact, field))
    at = sentence.find(name)
    if at < 0:
        return False
    clause_start = sentence.rfind(";", 0, at) + 1  # the unit's clause: a dot of "2.000" ends none
    after = sentence[at + len(name) :]
    if grammar("modality.before-unit").search(sentence, clause_start, at):
        return True
    if grammar("modality.erratum").search(sentence, 0, sentence.rfind(name)):  # the unit's last naming
        return True
    expected = grammar("modality.expected").search(sentence, clause_start, at)
    if expected and grammar("modality.future-verb").match(after):
        return True
    if fact.type == "chair" and grammar("modality.pending").search(sentence):
        return True
    return bool(grammar("modality.after-unit").match(after))
