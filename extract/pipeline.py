"""extract_facts: normalise, read the article's context, run every registered extractor, de-duplicate."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from corpus.normalize import normalize_text
from extract import award_counts, awards, chairs, cluster, events, members, persons, slogans
from extract.confidence import calibrate
from extract.context import Context, build
from extract.facts import dedupe
from extract.home import keep_home_agencies
from extract.models import Fact

log = logging.getLogger("thidua.extract")

EXTRACTORS: tuple[Callable[[Context], list[Any]], ...] = (
    cluster.extract,
    members.extract,
    chairs.extract,
    awards.extract,
    award_counts.extract,
    slogans.extract,
    events.extract,
    persons.extract,
)


def _run(ctx: Context) -> list[Any]:
    facts: list[Any] = []
    for extractor in EXTRACTORS:
        try:
            facts.extend(extractor(ctx))
        except Exception:  # an extractor bug must not cost the article the other fact types
            log.exception("extractor %s failed", extractor.__module__)
    for derived in (members.belonging,):
        try:
            facts.extend(derived(ctx, facts))
        except Exception:  # a rule over other facts must not cost the article its facts
            log.exception("%s failed", derived.__name__)
    return keep_home_agencies(ctx, facts)


def extract_facts(
    text: str, published: str | None = None, url: str | None = None, article_id: str | None = None
) -> list[Fact]:
    """Every fact of SCHEMA.md in `text`; evidence offsets index into normalize_text(text). Never raises."""
    try:
        normal = normalize_text(text if isinstance(text, str) else str(text))
        ctx = build(normal, published, url, article_id)
        return calibrate(dedupe(_run(ctx)))
    except Exception:  # bad input yields no facts, never an exception
        log.exception("extraction failed for article %s", article_id or url or "?")
        return []
