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
    host: str = Field(default="127.0.0.1", description="Address uvicorn binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port uvicorn listens on.")
    sqlite_busy_timeout_ms: int = Field(
        default=5000, ge=0, description="How long a SQLite connection waits for a lock before failing."
    )
    page_size_default: int = Field(default=20, ge=1, le=1000, description="List page size when unset.")
    page_size_max: int = Field(default=100, ge=1, le=1000, description="Largest `limit` a list accepts.")


@lru_cache
def get_settings() -> Settings:
    return Settings()
