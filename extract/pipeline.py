"""extract_facts: normalise, read the article's context, run the registry's extractors in order, dedupe."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from corpus.normalize import normalize_with_spellings

# Importing the extractor modules registers their rules.
from extract import (  # noqa: F401
    award_counts,
    awards,
    chairs,
    cluster,
    events,
    members,
    persons,
    rankings,
    registry,
    slogans,
)
from extract.confidence import calibrate
from extract.context import Context, build
from extract.facts import as_written, dedupe, drop_clause_names, drop_cut_names
from extract.first_mention import (
    as_agencies_of_one_place,
    as_first_written,
    as_listed_bare,
    as_members_write,
    as_named_before,
)
from extract.home import keep_home_agencies
from extract.kindred import as_localities
from extract.modality import drop_unstated
from extract.models import Fact
from extract.units import is_org, parse
from runtime.settings import get_settings

log = logging.getLogger("thidua.extract")

EXTRACTORS: tuple[Callable[[Context], list[Any]], ...] = registry.ordered(registry.PIPELINE)
DERIVED: tuple[Callable[[Context, list[Any]], list[Any]], ...] = registry.ordered(registry.DERIVED)


@dataclass
class Extraction:
    """One article's facts, and why extraction stopped short of the whole article (None: it did not)."""

    facts: list[Fact] = field(default_factory=list)
    truncated: str | None = None


@dataclass(frozen=True)
class Budget:
    """What one article may cost: normalised characters read, CPU seconds spent (0 = no limit)."""

    max_chars: int = 0
    seconds: float = 0.0

    @classmethod
    def from_settings(cls) -> Budget:
        """THIDUA_EXTRACT_MAX_CHARS and THIDUA_EXTRACT_TIME_BUDGET."""
        settings = get_settings()
        return cls(settings.extract_max_chars, settings.extract_time_budget)


def _cut(normal: str, max_chars: int) -> tuple[str, str | None]:
    """All of `normal`, or its first `max_chars` characters at most, ending at a line break (else a
    space) in their second half, with the reason. A prefix, so evidence offsets stay valid."""
    if not max_chars or len(normal) <= max_chars:
        return normal, None
    end = normal.rfind("\n", max_chars // 2, max_chars + 1)
    end = end if end >= 0 else normal.rfind(" ", max_chars // 2, max_chars + 1)
    end = end if end >= 0 else max_chars
    return normal[:end], f"text of {len(normal):,} characters: read the first {end:,} (max {max_chars:,})"


def _run(ctx: Context, deadline: float = math.inf, skipped: list[str] | None = None) -> list[Any]:
    """Every extractor's facts; those due once this thread's CPU clock passed `deadline` are skipped
    and named in `skipped`."""
    facts: list[Any] = []
    skipped = [] if skipped is None else skipped
    for extractor in EXTRACTORS:
        if time.thread_time() > deadline:
            skipped.append(extractor.__module__.rsplit(".", 1)[-1])
            continue
        try:
            facts.extend(extractor(ctx))
        except Exception:  # an extractor bug must not cost the article the other fact types
            log.exception("extractor %s failed", extractor.__module__)
    for derived in DERIVED:
        if time.thread_time() > deadline:
            skipped.append(derived.__name__)
            continue
        try:
            facts.extend(derived(ctx, facts))
        except Exception:  # a rule over other facts must not cost the article its facts
            log.exception("%s failed", derived.__name__)
    facts = drop_clause_names(drop_cut_names(ctx.text, drop_unstated(facts)))
    facts = keep_home_agencies(ctx, as_localities(ctx, facts))
    facts = as_listed_bare(as_members_write(facts, lambda name: parse(name, ctx.province)))
    facts = as_agencies_of_one_place(facts, lambda name: parse(name, ctx.province))
    facts = as_named_before(facts, ctx.text, is_org)
    return as_first_written(facts, is_org, ctx.text, ctx.province)


def extract_article(
    text: str,
    published: str | None = None,
    url: str | None = None,
    article_id: str | None = None,
    *,
    budget: Budget | None = None,
    min_confidence: float | None = None,
) -> Extraction:
    """extract_facts, and why the article's budget (the settings' by default) cut it short, if it did."""
    budget = budget or Budget.from_settings()
    floor = get_settings().extract_min_confidence if min_confidence is None else min_confidence
    deadline = time.thread_time() + budget.seconds if budget.seconds else math.inf
    try:
        normal, spellings = normalize_with_spellings(text if isinstance(text, str) else str(text))
        normal, cut = _cut(normal, budget.max_chars)
        ctx = build(normal, published, url, article_id)
        skipped: list[str] = []
        facts = as_written(dedupe(_run(ctx, deadline, skipped)), spellings)
        result = Extraction(calibrate(facts, withhold_below=floor), cut)
    except Exception:  # bad input yields no facts, never an exception
        log.exception("extraction failed for article %s", article_id or url or "?")
        return Extraction()
    if skipped:
        spent = f"time budget of {budget.seconds:g} CPU s spent: skipped {', '.join(skipped)}"
        result.truncated = f"{cut}; {spent}" if cut else spent
    if result.truncated:
        log.warning("article %s: extraction truncated: %s", article_id or url or "?", result.truncated)
    return result


def extract_facts(
    text: str,
    published: str | None = None,
    url: str | None = None,
    article_id: str | None = None,
    *,
    min_confidence: float | None = None,
) -> list[Fact]:
    """Every fact of SCHEMA.md in `text`; evidence offsets index into normalize_text(text). Never raises.
    Within the settings' per-article budget (extract_max_chars, extract_time_budget): past it, the facts
    read so far and a warning (extract_article says so in its result). Facts whose confidence is below
    `min_confidence` (the setting extract_min_confidence by default) are withheld."""
    return extract_article(text, published, url, article_id, min_confidence=min_confidence).facts
