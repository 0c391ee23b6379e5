"""Settings in one place: every knob, overridable by THIDUA_* environment variables (and by a dotenv
file only when THIDUA_ENV_FILE names one: a `.env` that happens to be in the working directory is not
read)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_FILE_VARIABLE = "THIDUA_ENV_FILE"


def db_file(data_dir: Path) -> Path:
    """The archive's SQLite file inside a data directory (what `Settings.db_path` gives)."""
    return data_dir / "thidua.sqlite3"


def index_dir(db_path: Path) -> Path:
    """Where the full-text index of the database at `db_path` lives."""
    return db_path.with_name(db_path.name + ".tantivy")


class Settings(BaseSettings):
    """Runtime configuration; `THIDUA_DATA_DIR=/srv/thidua` overrides `data_dir`, and so on."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_", env_file=None, extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Where the database, WARCs and crawl state live.")
    host: str = Field(default="127.0.0.1", description="Address `thidua serve` binds to.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port `thidua serve` binds to.")
    log_level: str = Field(default="INFO", description="Python logging level name.")

    # Elasticsearch: when es_url is set the search API uses Elasticsearch, else the embedded store.
    es_url: str | None = Field(default=None, description="Elasticsearch URL, e.g. http://localhost:9200.")
    es_username: str | None = None
    es_password: str | None = None
    es_api_key: str | None = None
    es_index_prefix: str = Field(default="thidua", description="Prefix of index names and aliases.")
    es_verify_certs: bool = True

    # API
    api_token: str | None = Field(
        default=None, description="Token for writing endpoints; they are off when unset or blank."
    )
    api_max_jobs: int = Field(default=2, ge=1, description="Crawl jobs the API runs at once; more get 429.")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS.")
    api_cache_mb: int = Field(default=64, ge=0, description="Response cache per process, MiB; 0 = off.")
    warm_cache: bool = Field(
        default=True,
        description="`thidua serve` reads the embedded store's database and full-text index once, in the "
        "background, so that the first requests do not wait on the disk (not when they exceed half the "
        "memory available, nor with Elasticsearch).",
    )
    api_min_confidence: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="The `min_confidence` the API and pages apply when a request gives none; 0 = no filter.",
    )

    # Crawling
    user_agent: str = Field(
        default="thidua/0.1 (+https://github.com/thidua/thidua; research crawler)",
        description="User-Agent naming the project and a contact URL.",
    )
    relevance_keywords: list[str] = Field(
        default_factory=lambda: ["thi đua", "khen thưởng", "giao ước", "cụm thi đua", "khối thi đua"],
        description="An article is relevant when its title or text contains one of these.",
    )

    # Crawling on many processes and hosts (docs/SCALING.md)
    frontier: str | None = Field(
        default=None,
        description="redis://HOST:PORT/DB of the crawl frontier that crawler processes share; unset: each "
        "crawl keeps its own queue (Scrapy's, in the job directory).",
    )
    frontier_lease: float = Field(
        default=30.0,
        gt=0,
        description="Seconds after which the requests of a crawler that stopped renewing its lease "
        "(killed, host lost) are given to the others.",
    )
    ingest: str | None = Field(
        default=None,
        description="redis://HOST:PORT/DB: crawlers send their articles there and `thidua ingest` stores "
        "them (crawler hosts without the archive); unset: crawlers write the archive themselves.",
    )

    # Extraction: a per-article budget, so that one hostile page cannot stall the stage.
    extract_max_chars: int = Field(
        default=100_000,
        ge=0,
        description="Normalised characters of an article that extraction reads (the rest is flagged "
        "`extraction_truncated`); 0 = no cap. The longest sample article has 7,310.",
    )
    extract_time_budget: float = Field(
        default=10.0,
        ge=0.0,
        description="CPU seconds per article after which the extractors not yet run are skipped (the "
        "article is flagged `extraction_truncated`); checked between extractors; 0 = no budget.",
    )

    extract_min_confidence: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="Facts whose chance of being right (their confidence, fitted on real reports in "
        "extract/data/confidence.yaml) is below this are withheld: more likely wrong than right, they "
        "would mislead more than inform; 0 = every fact.",
    )

    @field_validator("api_token")
    @classmethod
    def _token(cls, value: str | None) -> str | None:
        """Surrounding blanks are no part of a token, and a blank token is none (writes stay off)."""
        return value.strip() or None if value is not None else None

    @property
    def db_path(self) -> Path:
        return db_file(self.data_dir)

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / "warc"

    @property
    def jobs_dir(self) -> Path:
        return self.data_dir / "jobs"


def env_file() -> Path | None:
    """The dotenv file THIDUA_ENV_FILE names, if any."""
    name = os.environ.get(ENV_FILE_VARIABLE, "").strip()
    return Path(name) if name else None


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment (and THIDUA_ENV_FILE's file)."""
    return Settings(_env_file=env_file())  # type: ignore[call-arg]
