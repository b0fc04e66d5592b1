"""One Settings object. Nothing else in the app reads ``os.environ``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./data/jianghua.db"
BUNDLED_SAMPLE = Path(__file__).resolve().parent.parent / "data" / "labour-day-speech.txt"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIANGHUA_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL of the database; a relative SQLite path is relative to the working dir.",
    )
    read_database_url: str | None = Field(
        default=None, description="Optional read replica for GET traffic; writes always use database_url."
    )
    host: str = Field(default="127.0.0.1", description="Address uvicorn binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port uvicorn listens on.")
    sqlite_busy_timeout_ms: int = Field(
        default=5000, ge=0, description="How long a SQLite connection waits for a lock before failing."
    )
    page_size_default: int = Field(default=20, ge=1, le=1000, description="List page size when unset.")
    page_size_max: int = Field(default=100, ge=1, le=1000, description="Largest `limit` a list accepts.")

    # Access
    read_requires_key: bool = Field(default=False, description="Require an API key for reads too.")

    # Limits
    max_body_bytes: int = Field(default=5_000_000, ge=1, description="Largest request body; more is a 413.")
    rate_limit_per_minute: int = Field(
        default=600, ge=0, description="Requests per minute per client address (0 = no limit)."
    )
    rate_limit_per_key_per_minute: int = Field(
        default=1200, ge=0, description="Requests per minute per API key (0 = no limit)."
    )
    trust_forwarded_for: bool = Field(
        default=False, description="Take the client address from X-Forwarded-For (behind a trusted proxy)."
    )

    # HTTP caching and compression
    cache_control: str = Field(
        default="public, max-age=60", description="Cache-Control sent on GET responses."
    )
    gzip_min_bytes: int = Field(default=1024, ge=0, description="Compress responses at least this large.")
    response_cache_mb: int = Field(
        default=64,
        ge=0,
        description="Memory per process for whole GET responses replayed until the data changes (0 = off).",
    )

    # CORS
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed to call the API.")
    cors_max_age: int = Field(default=600, ge=0, description="Seconds browsers may cache a preflight answer.")

    # Portals: feeds, embeds, oEmbed, JSON-LD
    public_base_url: str | None = Field(
        default=None,
        description="URL clients reach this server at (absolute links in feeds, cards, oEmbed, JSON-LD); "
        "unset: the request's own.",
    )
    embed_frame_ancestors: list[str] = Field(
        default_factory=lambda: ["*"], description="CSP frame-ancestors sources allowed to frame quote cards."
    )
    embed_link_template: str | None = Field(
        default=None, description="Where a card links back to; placeholders {slug}, {id}, {eid}, {quote_id}."
    )

    # Logging
    log_level: str = Field(default="INFO", description="Log level of the app's JSON logs.")
    access_log: bool = Field(default=True, description="One JSON line per request on stderr.")
    opentelemetry: bool = Field(
        default=False,
        description="Let FastAPI report traces, metrics and logs to the OpenTelemetry providers you configure.",
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
