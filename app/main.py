"""create_app(): the FastAPI application, its error handlers and routers."""

from __future__ import annotations

from fastapi import FastAPI

from app import __version__
from app.api import problems
from app.api.routes import health, quotes, search, speeches


def create_app() -> FastAPI:
    app = FastAPI(
        title="Jianghua (讲话) API",
        version=__version__,
        summary="Official Chinese speeches as structured, searchable data.",
    )
    problems.install(app)
    app.include_router(health.router)
    app.include_router(speeches.router)
    app.include_router(quotes.router)
    app.include_router(search.router)
    return app


app = create_app()
