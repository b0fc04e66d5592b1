"""create_app(): the FastAPI application, its middleware, error handlers and routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from app import __version__, web
from app.api import middleware, openapi, problems
from app.api.routes import (
    changes,
    embeds,
    exports,
    feeds,
    health,
    keys,
    parse,
    quotes,
    search,
    speech_writes,
    speeches,
)
from app.core.config import Settings, get_settings
from app.core.db import database_problems, get_engine, get_read_engine, is_sqlite

log = logging.getLogger("jianghua.startup")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Refuse to start on a PostgreSQL database that would mangle Chinese text or search (not UTF-8,
    or a C LC_CTYPE), whoever starts the server: `app serve`, or uvicorn itself in a replica.
    A server that does not answer yet is left to /readyz: it may come up after the API."""
    settings: Settings = app.state.settings
    if not is_sqlite(settings.database_url):
        for engine in dict.fromkeys((get_engine(), get_read_engine())):
            problems = await run_in_threadpool(database_problems, engine, unreachable_ok=True)
            for problem in problems:
                log.error("database %s: %s", engine.url.render_as_string(hide_password=True), problem)
            if problems:
                raise RuntimeError("the database cannot serve Jianghua: " + "; ".join(problems))
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Jianghua (讲话) API",
        version=__version__,
        summary="Official Chinese speeches as structured, searchable data.",
        # FastAPI's native OpenTelemetry asks the global providers on every request whether anyone
        # listens, environment lookups included: 5 µs a request (measured), where a replayed read
        # costs the app some 25 µs. /metrics and the JSON logs are always there; OpenTelemetry is
        # for operators who configure its providers.
        telemetry=None if settings.opentelemetry else {"tracing": False, "metrics": False, "logs": False},
        lifespan=lifespan,
    )
    app.state.settings = settings
    problems.install(app)
    openapi.install(app)  # the schemas of the request bodies the write routes read themselves
    middleware.install(app, settings)
    app.include_router(health.router)
    app.include_router(speeches.router)
    app.include_router(speech_writes.router)
    app.include_router(parse.router)
    app.include_router(quotes.router)
    app.include_router(search.router)
    app.include_router(keys.router)
    app.include_router(exports.router)
    app.include_router(changes.router)
    app.include_router(feeds.router)
    app.include_router(embeds.router)
    web.mount(app)
    return app


app = create_app()
