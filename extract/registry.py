"""Extraction rules under versioned ids ("awards.named.v1"): every id evidence names, the pipeline's order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# The extractors, by the id each registers under, in the order the pipeline runs them.
PIPELINE = (
    "cluster.names.v1",
    "members.enumeration.v1",
    "chairs.role.v1",
    "awards.named.v1",
    "award_counts.tally.v1",
    "slogans.quoted.v1",
    "events.mention.v1",
    "persons.titled.v1",
)
# Rules over the facts the extractors found, run after them, in this order.
DERIVED = ("awards.ranking.v1", "members.belonging.v1")
# The other rule ids an extractor writes into evidence, registered with the id it registers under.
ALSO_WRITES: dict[str, tuple[str, ...]] = {
    "members.enumeration.v1": ("members.named-list.v1",),
    "chairs.role.v1": ("chairs.handover.v1",),
    "awards.named.v1": ("awards.leading.v1",),
    "events.mention.v1": ("events.implied-review.v1", "events.cluster-meeting.v1"),
}

# Rule id -> the function that writes it into evidence.
RULES: dict[str, Callable[..., Any]] = {}


def rule(rule_id: str) -> Callable[[F], F]:
    """Register an extractor under a versioned id (and the ids ALSO_WRITES gives it); the id is written
    into each fact's evidence."""

    def register(func: F) -> F:
        for each in (rule_id, *ALSO_WRITES.get(rule_id, ())):
            if each in RULES and RULES[each] is not func:
                raise ValueError(f"rule id {each} registered twice")
            RULES[each] = func
        return func

    return register


def ordered(rule_ids: tuple[str, ...]) -> tuple[Callable[..., Any], ...]:
    """The registered functions of `rule_ids`, in that order; KeyError names an id nothing registered."""
    missing = [r for r in rule_ids if r not in RULES]
    if missing:
        raise KeyError(f"no extractor registered under {', '.join(missing)}")
    return tuple(RULES[r] for r in rule_ids)
