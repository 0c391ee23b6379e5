"""The main job: crawl → store → extract → index, timed per stage, with a printable summary."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import redis

from corpus.models import Article
from corpus.store import CorpusStore
from crawler.ingest import IngestReport, ingest
from crawler.runner import CrawlError, crawl, crawl_sample
from extract.pipeline import extract_facts
from runtime.progress import track
from runtime.settings import Settings
from runtime.workers import ordered_map
from search_api import indexing

log = logging.getLogger("thidua.pipeline")


class PipelineError(Exception):
    """An expected failure of a stage, with a message that says what to do."""


@dataclass(frozen=True)
class Source:
    """What to crawl: the bundled sample site, a site profile, or any URL."""

    sample: bool = False
    site: str | None = None
    url: str | None = None
    max_pages: int | None = None
    all_articles: bool = False
    frontier: str | None = None  # redis://HOST:PORT/DB: join the crawl shared through that frontier


@dataclass
class StageTiming:
    name: str
    seconds: float
    items: int
    unit: str

    def rate(self) -> str:
        if self.seconds <= 0 or self.items == 0:
            return "-"
        return f"{self.items / self.seconds:,.1f} {self.unit}/s"


@dataclass
class Summary:
    """What a run did and where its data lives."""

    settings: Settings
    pages: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_total: int = 0
    extracted: int = 0
    extract_errors: int = 0
    facts_by_type: dict[str, int] = field(default_factory=dict)
    stages: list[StageTiming] = field(default_factory=list)
    index_backend: str = ""

    def render(self) -> str:
        facts_total = sum(self.facts_by_type.values())
        by_type = ", ".join(f"{k} {v}" for k, v in sorted(self.facts_by_type.items())) or "none"
        lines = [
            "thidua run summary",
            f"  pages fetched      {self.pages}",
            (
                f"  articles           {self.articles_total} in the archive "
                f"({self.articles_new} new, {self.articles_updated} updated this run)"
            ),
            f"  extracted          {self.extracted} articles ({self.extract_errors} failed)",
            f"  facts              {facts_total}: {by_type}",
            "  time per stage",
            *(
                f"    {s.name:<8} {s.seconds:7.2f} s  {s.items:>6} {s.unit:<9} {s.rate()}"
                for s in self.stages
            ),
            f"  database           {self.settings.db_path.resolve()}",
            f"  raw HTML (WARC)    {self.settings.warc_dir.resolve()}",
            f"  search backend     {self.index_backend or 'not indexed'}",
            "  next: `thidua serve`, then open http://127.0.0.1:8000/ and /docs",
        ]
        return "\n".join(lines)


@contextmanager
def _stage(summary: Summary, name: str, unit: str) -> Iterator[list[int]]:
    counter = [0]
    log.info("stage %s: starting", name)
    started = time.perf_counter()
    yield counter
    seconds = time.perf_counter() - started
    summary.stages.append(StageTiming(name, seconds, counter[0], unit))
    log.info("stage %s: %d %s in %.2f s", name, counter[0], unit, seconds)


def _crawl(settings: Settings, source: Source) -> Any:
    try:
        if source.sample:
            return crawl_sample(settings)
        return crawl(
            settings,
            site=source.site,
            url=source.url,
            max_pages=source.max_pages,
            all_articles=source.all_articles,
            frontier=source.frontier,
        )
    except CrawlError as exc:
        raise PipelineError(str(exc)) from exc


def fact_records(article: Article, facts: list[Any]) -> list[dict[str, Any]]:
    """Facts as stored: SCHEMA.md's JSON plus a stable id and the article's provenance."""
    records = []
    for fact in facts:
        fact.evidence.article_id = article.id
        fact.evidence.url = fact.evidence.url or article.canonical_url or article.url
        fact.evidence.published = fact.evidence.published or (article.published or "")[:10] or None
        record = fact.model_dump(mode="json")
        record["id"] = fact.fact_id(article.id)
        records.append(record)
    return records


# The extractor of a worker process, set once by `_use`.
_worker_extractor: list[Callable[..., list[Any]]] = []
# What a worker needs of an article: id, text, url, published date.
ArticleInput = tuple[str, str, str, str | None]


def _use(extractor: Callable[..., list[Any]] | None) -> None:
    _worker_extractor[:] = [extractor or extract_facts]


def _extract_articles(chunk: list[ArticleInput]) -> list[tuple[str, list[dict[str, Any]] | None]]:
    """Each article's fact records, or None when its extraction failed (logged; it stays pending)."""
    out: list[tuple[str, list[dict[str, Any]] | None]] = []
    for article_id, text, url, published in chunk:
        article = Article(url=url, title="", text=text, published=published, id=article_id)
        try:
            facts = _worker_extractor[0](text, published=published, url=url, article_id=article_id)
        except Exception:  # one bad article must not stop the run; it stays pending
            log.exception("extraction failed for %s (%s); retried next run", article_id, url)
            out.append((article_id, None))
            continue
        out.append((article_id, fact_records(article, facts)))
    return out


def extract_pending(
    store: CorpusStore,
    *,
    all_articles: bool = False,
    extractor: Callable[..., list[Any]] | None = None,
    workers: int = 1,
    again: bool = False,
) -> tuple[int, int]:
    """Extract facts from every article whose current text has not been extracted yet (`again`: from
    every article, after an extractor change), in `workers` processes; the store is written here, in
    article order, so the result is the same whatever the number of workers."""
    pending = list(store.iter_articles(relevant_only=not all_articles, pending_only=not again))
    inputs = (
        # evidence cites the canonical address
        (a.id, a.text, a.canonical_url or a.url, (a.published or "")[:10] or None)
        for a in track(pending, desc="extract", total=len(pending))
    )
    by_id = {a.id: a for a in pending}
    done = errors = 0
    for article_id, records in ordered_map(
        _extract_articles, inputs, workers=workers, setup=(_use, (extractor,))
    ):
        if records is None:
            errors += 1
            continue
        store.replace_facts(by_id[article_id], records)
        done += 1
    return done, errors


def run_pipeline(settings: Settings, source: Source, *, extract: bool = True, workers: int = 1) -> Summary:
    """Run every stage in order (extraction in `workers` processes) and return what happened."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    summary = Summary(settings=settings)
    with _stage(summary, "crawl", "pages") as counter:
        report = _crawl(settings, source)
        counter[0] = summary.pages = int(getattr(report, "pages_fetched", 0))
        summary.articles_new = int(getattr(report, "articles_new", 0))
        summary.articles_updated = int(getattr(report, "articles_updated", 0))
    if extract:
        _extract_and_index(summary, all_articles=source.all_articles, workers=workers)
    return _finish(summary)


def reextract_all(settings: Settings, *, all_articles: bool = False, workers: int = 1) -> Summary:
    """Extract every stored article again (after an extractor change) and update the index."""
    summary = Summary(settings=settings)
    _extract_and_index(summary, all_articles=all_articles, workers=workers, again=True)
    return _finish(summary)


def run_ingest(settings: Settings, url: str, *, once: bool, extract: bool, workers: int = 1) -> Any:
    """`thidua ingest`: store what crawlers queued in Redis; extract and index whenever the queue is dry."""

    def catch_up(report: IngestReport) -> None:
        if extract:
            _extract_and_index(Summary(settings=settings), all_articles=False, workers=workers)

    try:
        return ingest(settings.db_path, url, once=once, on_idle=catch_up)
    except redis.RedisError as exc:
        raise PipelineError(f"the ingest queue at {url} does not answer ({exc}); start Redis") from None


def _extract_and_index(summary: Summary, *, all_articles: bool, workers: int, again: bool = False) -> None:
    settings = summary.settings
    with CorpusStore(settings.db_path) as store, _stage(summary, "extract", "articles") as counter:
        summary.extracted, summary.extract_errors = extract_pending(
            store, all_articles=all_articles, workers=workers, again=again
        )
        counter[0] = summary.extracted
    with _stage(summary, "index", "facts") as counter:
        try:
            index_report = indexing.sync(settings)
        except ConnectionError as exc:
            raise PipelineError(f"search backend unreachable ({exc}); check or unset THIDUA_ES_URL") from exc
        counter[0] = int(getattr(index_report, "facts", 0))
        summary.index_backend = str(getattr(index_report, "backend", ""))


def _finish(summary: Summary) -> Summary:
    with CorpusStore(summary.settings.db_path) as store:
        summary.articles_total = store.count_articles()
        summary.facts_by_type = store.count_facts_by_type()
    return summary
