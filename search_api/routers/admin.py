"""Writing endpoints: reindex, start a crawl, follow a job; they need the configured Bearer token."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from corpus.store import CorpusStore
from crawler.sites import crawlable_sites
from search_api.deps import CatalogDep, SettingsDep, TokenDep
from search_api.indexing import sync_backend
from search_api.jobs import JobRecord, Jobs, TooManyJobsError
from search_api.schemas import IndexReportOut, errors

router = APIRouter(prefix="/admin", tags=["admin"], responses=errors(401, 403))


class CrawlRequest(BaseModel):
    """Which site profile to crawl (then extract and index), and how far."""

    site: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="Profile name under crawler/sites/.")
    max_pages: int | None = Field(default=None, ge=1, le=1_000_000)


class JobOut(BaseModel):
    """A background job's state and where its log is."""

    id: str
    state: str
    exit_code: int | None
    log: str


def _out(job: JobRecord) -> JobOut:
    return JobOut(id=job.id, state=job.state, exit_code=job.exit_code, log=job.log)


@router.post("/reindex", response_model=IndexReportOut)
def reindex(catalog: CatalogDep, settings: SettingsDep, _: TokenDep) -> IndexReportOut:
    """Index what changed in the corpus since the last run (idempotent)."""
    with CorpusStore(settings.db_path) as store:
        report = sync_backend(catalog.backend, store)
    return IndexReportOut(
        backend=report.backend,
        articles=report.articles,
        facts=report.facts,
        deleted=report.deleted,
        seconds=report.seconds,
    )


@router.post(
    "/crawl",
    response_model=JobOut,
    status_code=202,
    responses=errors(400, 429),
)
def start_crawl(body: CrawlRequest, request: Request, settings: SettingsDep, _: TokenDep) -> JobOut:
    """Start `thidua crawl --site SITE` in the background; follow it at /admin/jobs/{id}. An unknown
    site is a 422; 429 while `THIDUA_API_MAX_JOBS` jobs are running."""
    sites = crawlable_sites()
    if body.site not in sites:
        msg = f"Unknown site; known: {', '.join(sites)}."
        raise RequestValidationError([{"type": "value_error", "loc": ("body", "site"), "msg": msg}])
    jobs: Jobs = request.app.state.jobs
    try:
        return _out(jobs.start_crawl(settings.data_dir, body.site, body.max_pages))
    except TooManyJobsError as exc:
        raise HTTPException(429, str(exc), headers={"Retry-After": "60"}) from None


@router.get("/jobs/{job_id}", response_model=JobOut, responses=errors(404))
def get_job(job_id: str, request: Request, _: TokenDep) -> JobOut:
    """A background job's state: running, done or failed (with its exit code and log file)."""
    jobs: Jobs = request.app.state.jobs
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(404, f"No job with id {job_id!r}.")
    return _out(job)
