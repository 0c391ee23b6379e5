"""The `thidua` command line: run, crawl, extract, eval, index and serve.

A command imports the stages it runs inside its own body: no stage imports this package (there is no
cycle to dodge), but loading them all (spaCy, the extractor's patterns, the stores) costs 2.3 s, and
`thidua --help`, `thidua crawl` or `thidua serve` should not pay it (0.3 s instead)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

import click
import uvicorn

from crawler.sites import list_sites
from crawler.sources import UnknownProvinceError, load_sources, province_sources
from extract.damage import DAMAGE
from extract.models import FACT_TYPES
from runtime.settings import ENV_FILE_VARIABLE, Settings, env_file, get_settings, index_dir
from runtime.workers import default_workers
from search_api.http_limits import LimitedHttpToolsProtocol
from search_api.serve import run as run_server
from search_api.warm import available_memory, files_of, warm_in_background

# A command imports the stage it runs when it runs (thidua.pipeline, extract, search_api's indexing and
# export): `thidua --help`, `thidua sources` and `thidua serve` start without loading spaCy or Scrapy.

log = logging.getLogger("thidua")


class UserError(click.ClickException):
    """An expected failure: printed as one clear line, exit status 1, no traceback."""


def _configure(data_dir: Path | None) -> Settings:
    settings = get_settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    logging.basicConfig(
        level=getattr(logging, settings.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    _say_env_file()
    return settings


def _say_env_file() -> None:
    """Say where settings came from besides the environment: a dotenv file is read only when asked."""
    path = env_file()
    if path is None:
        if Path(".env").is_file():
            log.info("settings: ./.env is not read (set %s=.env to read it)", ENV_FILE_VARIABLE)
    elif path.is_file():
        log.info("settings: THIDUA_* variables also read from %s (%s)", path, ENV_FILE_VARIABLE)
    else:
        log.warning("settings: %s=%s names no file; only the environment is read", ENV_FILE_VARIABLE, path)


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory (database, WARC files, crawl state). Default: $THIDUA_DATA_DIR or ./var.",
)


workers_option = click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="Extraction processes (default: one per core); the results are the same with any number.",
)


def _workers(workers: int | None) -> int:
    return workers or default_workers()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="thidua")
def cli() -> None:
    """thidua: a searchable, citable record of thi đua – khen thưởng events from news archives."""


@cli.command()
@click.option("--sample", is_flag=True, help="Crawl the bundled sample site served on 127.0.0.1.")
@click.option("--site", help="Crawl the site with this profile (see `thidua crawl --help`).")
@click.option("--url", help="Crawl any site from this URL with the generic profile (same domain).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop after N pages.")
@click.option("--all", "all_articles", is_flag=True, help="Extract every article, not only relevant ones.")
@workers_option
@data_dir_option
def run(
    sample: bool,
    site: str | None,
    url: str | None,
    max_pages: int | None,
    all_articles: bool,
    workers: int | None,
    data_dir: Path | None,
) -> None:
    """Crawl, store, extract and index: the whole pipeline, with a summary at the end."""
    from thidua.pipeline import PipelineError, Source, run_pipeline

    if sum(bool(x) for x in (sample, site, url)) != 1:
        raise click.UsageError("give exactly one of --sample, --site NAME or --url URL")
    settings = _configure(data_dir)
    source = Source(sample=sample, site=site, url=url, max_pages=max_pages, all_articles=all_articles)
    try:
        summary = run_pipeline(settings, source, workers=_workers(workers))
    except PipelineError as exc:
        raise UserError(str(exc)) from exc
    click.echo(summary.render())


@cli.command()
@click.option("--site", help="Profile name under crawler/sites/ (e.g. baolamdong) or a source id (a domain).")
@click.option("--url", help="Start URL for the generic profile; stays on its domain.")
@click.option("--province", help="Crawl every registered source of this province (see `thidua sources`).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop after N pages.")
@click.option("--all", "all_articles", is_flag=True, help="Turn the relevance filter off.")
@click.option("--extract/--no-extract", default=True, show_default=True, help="Extract and index afterwards.")
@click.option(
    "--frontier",
    default=None,
    metavar="redis://HOST:PORT/DB",
    help="Share the crawl with every process started with this frontier (default: $THIDUA_FRONTIER).",
)
@workers_option
@data_dir_option
def crawl(
    site: str | None,
    url: str | None,
    province: str | None,
    max_pages: int | None,
    all_articles: bool,
    extract: bool,
    frontier: str | None,
    workers: int | None,
    data_dir: Path | None,
) -> None:
    """Crawl a site into the archive (polite, incremental, resumable), then extract and index."""
    from thidua.pipeline import PipelineError, Source, run_pipeline

    if sum(bool(x) for x in (site, url, province)) != 1:
        raise click.UsageError(f"give exactly one of --site NAME, --url URL or --province P{_site_hint()}")
    settings = _configure(data_dir)
    if province:
        _crawl_province(settings, province, max_pages, all_articles, extract, frontier, _workers(workers))
        return
    source = Source(site=site, url=url, max_pages=max_pages, all_articles=all_articles, frontier=frontier)
    try:
        summary = run_pipeline(settings, source, extract=extract, workers=_workers(workers))
    except PipelineError as exc:
        raise UserError(str(exc)) from exc
    click.echo(summary.render())


def _crawl_province(
    settings: Settings,
    province: str,
    max_pages: int | None,
    all_articles: bool,
    extract: bool,
    frontier: str | None,
    workers: int,
) -> None:
    """Each registered source of the province in turn (one site at a time, each crawl polite and targeted),
    extracting and indexing once, after the last."""
    from thidua.pipeline import PipelineError, Source, run_pipeline

    try:
        sources = province_sources(province)
    except UnknownProvinceError as exc:
        raise UserError(f"{exc.args[0]}; `thidua sources` lists the provinces") from exc
    if not sources:
        raise UserError(f"no registered source for {province}; `thidua sources` lists them")
    for i, registered in enumerate(sources, start=1):
        log.info("source %d/%d: %s (%s)", i, len(sources), registered.name, registered.id)
        source = Source(site=registered.id, max_pages=max_pages, all_articles=all_articles, frontier=frontier)
        try:
            summary = run_pipeline(settings, source, extract=extract and i == len(sources), workers=workers)
        except PipelineError as exc:  # one unreachable site must not stop the province's others
            log.warning("%s: %s", registered.id, exc)
            continue
        click.echo(summary.render())


@cli.command("sources")
@click.option("--province", help="Only this province (its name before or after the 2025 merger).")
def sources_cmd(province: str | None) -> None:
    """The registry of real provincial sources: id, province (since 2025), kind, CMS, name, evidence URL."""
    try:
        rows = province_sources(province) if province else list(load_sources())
    except UnknownProvinceError as exc:
        raise UserError(str(exc.args[0])) from exc
    for s in rows:
        where = f"{s.province} ({s.merged_into})"
        click.echo(f"{s.id}\t{where}\t{s.kind}\t{s.cms or '-'}\t{s.name}\t{s.evidence}")
    click.echo(f"{len(rows)} sources, {len({s.province for s in rows})} provinces", err=True)


def _site_hint() -> str:
    try:
        return "; profiles: " + ", ".join(list_sites())
    except Exception:  # the hint is optional; the usage error must still print
        return ""


@cli.command("extract")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.argument("infile", type=click.File("rb"))  # binary: lines split at LF only, bytes checked per line
@click.argument("outfile", type=click.File("w", encoding="utf-8"), default="-")
@workers_option
def extract_cmd(fmt: str, infile: BinaryIO, outfile: TextIO, workers: int | None) -> None:
    """Batch extraction: one JSON object a line in, one `{"id", "facts"}` line out (SCHEMA.md), in order."""
    from extract.batch import run_batch

    _configure(None)
    try:
        stats = run_batch(infile, outfile, workers=_workers(workers))
    except OSError as exc:
        raise UserError(f"cannot read {getattr(infile, 'name', 'input')}: {exc}") from exc
    log.info("extract: %s", stats)


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("articles", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--show-errors", is_flag=True, help="List missed and spurious facts per article.")
@click.option("--min-f1", type=click.FloatRange(0, 1), default=None, help="Exit 1 if micro-F1 is below.")
@click.option(
    "--types", default=None, help="Comma-separated fact types to score (a gold set annotated for some types)."
)
@click.option("--calibration", is_flag=True, help="Print precision per 0.1 confidence bucket and the ECE.")
@click.option(
    "--fit-confidence",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the confidence table fitted on these predictions (extract/data/confidence.yaml).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=None,
    help="Withhold facts below this confidence [default: setting extract_min_confidence]; 0: score all.",
)
@click.option(
    "--damage",
    "damaged",
    type=click.Choice(sorted(DAMAGE)),
    default=None,
    help="Score copies of the texts damaged this way (flattened, hard-wrapped, words broken …): "
    "how extraction holds up on crawled pages.",
)
def eval_cmd(
    gold: Path,
    articles: Path,
    as_json: bool,
    show_errors: bool,
    min_f1: float | None,
    types: str | None,
    calibration: bool,
    fit_confidence: Path | None,
    min_confidence: float | None,
    damaged: str | None,
) -> None:
    """Score extraction on ARTICLES against GOLD: precision, recall, F1 per fact type."""
    from extract.evaluate import run_eval

    _configure(None)
    kinds = [t.strip() for t in types.split(",") if t.strip()] if types else None
    sys.exit(
        run_eval(
            gold,
            articles,
            as_json=as_json,
            show_errors=show_errors,
            min_f1=min_f1,
            types=kinds,
            calibration=calibration,
            fit_confidence=fit_confidence,
            min_confidence=min_confidence,
            damaged=damaged,
        )
    )


@cli.command()
@click.option("--rebuild", is_flag=True, help="Reindex everything from the corpus (new index, atomic swap).")
@data_dir_option
def index(rebuild: bool, data_dir: Path | None) -> None:
    """Bring the search index (embedded store or Elasticsearch) up to date with the corpus."""
    from elasticsearch import ApiError, AuthenticationException, AuthorizationException, TransportError
    from elasticsearch.helpers import BulkIndexError

    from search_api import indexing

    settings = _configure(data_dir)
    # The client logs each retry with a traceback; a failure ends in one clear line below.
    logging.getLogger("elastic_transport").setLevel(logging.ERROR)
    try:
        report = indexing.rebuild(settings) if rebuild else indexing.sync(settings)
    except (AuthenticationException, AuthorizationException) as exc:
        raise UserError(
            f"Elasticsearch at {settings.es_url} refused the credentials ({exc.status_code} {exc.message}); "
            "check THIDUA_ES_API_KEY or THIDUA_ES_USERNAME / THIDUA_ES_PASSWORD"
        ) from exc
    except TransportError as exc:
        raise UserError(
            f"Elasticsearch at {settings.es_url} is unreachable ({type(exc).__name__}: {exc.message}); "
            "check THIDUA_ES_URL (THIDUA_ES_VERIFY_CERTS for TLS) and that the cluster is up"
        ) from exc
    except BulkIndexError as exc:
        raise UserError(f"Elasticsearch rejected records: {exc}") from exc
    except ApiError as exc:
        error = exc.body.get("error") if isinstance(exc.body, dict) else None
        reason = error.get("reason") if isinstance(error, dict) else exc.body
        raise UserError(
            f"Elasticsearch at {settings.es_url} answered {exc.status_code} {exc.message}: {reason}"
        ) from exc
    click.echo(str(report))


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default="jsonl")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output; Parquet needs a file).")  # fmt: skip
@click.option("--type", "fact_type", type=click.Choice(FACT_TYPES), default=None)
@click.option("--unit", default=None, help="Unit id, or a name in any spelling.")
@click.option("--cluster", default=None, help="Cluster id or name.")
@click.option("--province", default=None)
@click.option("--year", type=click.IntRange(1900, 2100), default=None)
@click.option("--status", type=click.Choice(["proposed", "conferred"]), default=None)
@click.option("--role", type=click.Choice(["chair", "vice_chair"]), default=None)
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None)
@click.option("--include-retracted", is_flag=True, help="Also the facts a maintainer retracted (marked).")
@data_dir_option
def export_cmd(
    fmt: str, output: Path | None, fact_type: str | None, data_dir: Path | None, **filters: object
) -> None:
    """Stream every fact matching the filters (no cap) as CSV, JSON Lines or Parquet (docs/DATA.md)."""
    from search_api.bulk import run_export

    settings = _configure(data_dir)
    floor = filters.pop("min_confidence") or None  # 0: no filter, as in the API
    try:
        count = run_export(settings, fmt, output, sys.stdout, type=fact_type, min_confidence=floor, **filters)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    log.info("exported %d facts as %s%s", count, fmt, f" to {output}" if output else "")


@cli.command()
@click.option("--all", "all_articles", is_flag=True, help="Every article, not only relevant ones.")
@workers_option
@data_dir_option
def reextract(all_articles: bool, workers: int | None, data_dir: Path | None) -> None:
    """Extract every stored article again (after an extractor change), then update the search index."""
    from thidua.pipeline import PipelineError, reextract_all

    settings = _configure(data_dir)
    try:
        click.echo(reextract_all(settings, all_articles=all_articles, workers=_workers(workers)).render())
    except PipelineError as exc:
        raise UserError(str(exc)) from exc


@cli.command()
@click.option(
    "--from",
    "queue_url",
    default=None,
    metavar="redis://HOST:PORT/DB",
    help="The ingest queue crawlers send their articles to (default: $THIDUA_INGEST).",
)
@click.option("--once", is_flag=True, help="Stop when the queue is empty (default: run until stopped).")
@click.option("--extract/--no-extract", default=True, show_default=True, help="Extract and index them.")
@workers_option
@data_dir_option
def ingest(
    queue_url: str | None, once: bool, extract: bool, workers: int | None, data_dir: Path | None
) -> None:
    """Store the articles crawlers on other hosts queued in Redis into this host's archive."""
    from thidua.pipeline import PipelineError, run_ingest

    settings = _configure(data_dir)
    url = queue_url or settings.ingest
    if not url:
        raise click.UsageError("give the ingest queue: --from redis://HOST:PORT/DB (or set THIDUA_INGEST)")
    try:
        click.echo(str(run_ingest(settings, url, once=once, extract=extract, workers=_workers(workers))))
    except PipelineError as exc:
        raise UserError(str(exc)) from exc


@cli.command()
@click.option("--host", default=None, help="Bind address (default 127.0.0.1 or $THIDUA_HOST).")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="Port (default 8000).")
@click.option("--reload", is_flag=True, help="Reload on code changes (development).")
@click.option(
    "--workers", type=click.IntRange(1, 64), default=1, help="Server processes (one per core for load)."
)
@click.option(
    "--reuse-port",
    is_flag=True,
    envvar="THIDUA_REUSE_PORT",
    help="Linux, several workers: each listens on a socket of its own, spread by the kernel (a dying "
    "worker's queued connections are reset; docs/API.md, Serving).",
)
@data_dir_option
def serve(
    host: str | None, port: int | None, reload: bool, workers: int, reuse_port: bool, data_dir: Path | None
) -> None:
    """Serve the JSON API (/api/v1, docs at /docs) and the web pages with uvicorn."""
    settings = _configure(data_dir)
    host = host or settings.host
    port = settings.port if port is None else port
    if data_dir is not None:
        os.environ["THIDUA_DATA_DIR"] = str(data_dir)
        get_settings.cache_clear()
    click.echo(f"serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    if settings.warm_cache and not settings.es_url:
        memory = available_memory()
        warm_in_background(files_of(settings.db_path, index_dir(settings.db_path)), memory and memory // 2)
    if workers > 1 and not reload:
        run_server(host, port, workers=workers, reuse_port=reuse_port, log_level=settings.log_level.lower())
        return
    uvicorn.run(
        "search_api.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        log_level=settings.log_level.lower(),
        http=LimitedHttpToolsProtocol,  # 414/431 for oversized requests, before the app
    )


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
