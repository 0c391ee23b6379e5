"""Settings in one place: every knob, overridable by THIDUA_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime configuration; `THIDUA_DATA_DIR=/srv/thidua` overrides `data_dir`, and so on."""

    model_config = SettingsConfigDict(env_prefix="THIDUA_", env_file=".env", extra="ignore")

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
        default=None, description="Token for writing endpoints; they are off when unset."
    )
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS.")
    api_cache_mb: int = Field(default=64, ge=0, description="Response cache per process, MiB; 0 = off.")
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

    @property
    def db_path(self) -> Path:
        return self.data_dir / "thidua.sqlite3"

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / "warc"

    @property
    def jobs_dir(self) -> Path:
        return self.data_dir / "jobs"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
