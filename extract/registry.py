"""Extraction rules registered under versioned ids ("awards.bullets.v1"), run in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

RULES: dict[str, Callable[..., Any]] = {}


def rule(rule_id: str) -> Callable[[F], F]:
    """Register an extractor under a versioned id; the id is written into each fact's evidence."""

    def register(func: F) -> F:
        if rule_id in RULES and RULES[rule_id] is not func:
            raise ValueError(f"rule id {rule_id} registered twice")
        RULES[rule_id] = func
        return func

    return register
