"""The reference reader: static HTML, CSS and JavaScript modules served by the API itself.

The reader uses only the public API (`/api/v1`), so it doubles as an example for integrators.
`mount(app)` adds:

- the pages `/`, `/search` and `/speeches/{speech}`: all the same `index.html`, whose script
  renders the page the path names (deep links such as `/speeches/1#part_2__point_3` work);
- `/static/...`: the modules and the stylesheet, revalidated on every use (`no-cache`: there is
  no build step and so no fingerprinted names; the ETag makes a revalidation a cheap 304).

Nothing under `/api`, `/healthz`, `/readyz`, `/metrics`, `/docs`, `/openapi.json` or `/problems`
is shadowed: the pages are three exact paths and the assets live under `/static`.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

WEB = Path(__file__).resolve().parent
INDEX = WEB / "index.html"
STATIC = WEB / "static"
PAGES = ("/", "/search", "/speeches/{speech}")

# The reader needs nothing but its own origin: no inline script or style, no third party.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'; object-src 'none'"
)
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class _Assets(StaticFiles):
    """StaticFiles whose answers are revalidated each time (unversioned names, cheap 304s)."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


async def _page() -> FileResponse:
    return FileResponse(INDEX, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


def mount(app: FastAPI) -> None:
    """Serve the reader at `/` (and its other pages), its assets under `/static`."""
    for path in PAGES:
        app.add_api_route(path, _page, methods=["GET"], include_in_schema=False, name=f"reader:{path}")
    app.mount("/static", _Assets(directory=STATIC), name="reader-static")
