"""The HTTP middleware stack (request ids, logs, metrics, limits, caching, CORS, compression)."""

from __future__ import annotations

from fastapi import FastAPI

from app.core.config import Settings


def install(app: FastAPI, settings: Settings) -> None:
    """Add every middleware in the right order (the last added runs first)."""
