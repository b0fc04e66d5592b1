"""RFC 9457 problem details: one shape for every error, a stable `type` per kind of error."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.db import QueryTimeout

log = logging.getLogger("jianghua.errors")

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "/problems/"

# slug -> (status, title). The slug is the stable part of the type URI that clients match on.
PROBLEMS: dict[str, tuple[int, str]] = {
    "bad-request": (400, "Bad request"),
    "invalid-cursor": (400, "Invalid cursor"),
    "invalid-query": (400, "Invalid search query"),
    "unauthorized": (401, "Unauthorized"),
    "forbidden": (403, "Forbidden"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "not-acceptable": (406, "Not acceptable"),
    "conflict": (409, "Conflict"),
    "gone": (410, "Gone"),
    "precondition-failed": (412, "Precondition failed"),
    "payload-too-large": (413, "Payload too large"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "validation-error": (422, "Validation error"),
    "parse-diagnostics": (422, "The text has outline problems"),
    "rate-limited": (429, "Too many requests"),
    "internal-error": (500, "Internal server error"),
    "not-ready": (503, "Not ready"),
    "index-outdated": (503, "Search index outdated"),
    "query-timeout": (503, "The query took too long"),
}
_BY_STATUS = {status: slug for slug, (status, _) in PROBLEMS.items()}


class Problem(Exception):
    """Raise anywhere below a route to answer with a problem document."""

    def __init__(
        self,
        slug: str,
        detail: str,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.slug = slug
        self.status = status or PROBLEMS[slug][0]
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    slug: str, status: int, detail: str, instance: str | None = None, **extra: Any
) -> JSONResponse:
    title = PROBLEMS[slug][1] if slug in PROBLEMS else HTTPStatus(status).phrase
    body: dict[str, Any] = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


async def _problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    response = problem_response(exc.slug, exc.status, exc.detail, request.url.path, **exc.extra)
    response.headers.update(exc.headers)
    return response


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = _BY_STATUS.get(exc.status_code, "bad-request" if exc.status_code < 500 else "internal-error")
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    response = problem_response(slug, exc.status_code, detail, request.url.path)
    if exc.headers:
        response.headers.update(exc.headers)
    if exc.status_code == 405:
        # Starlette names only the methods of the first route matching the path; list them all.
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(request.url.path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": e.get("type")}
        for e in exc.errors()
    ]
    return problem_response(
        "validation-error", 422, "The request is not valid; see `errors`.", request.url.path, errors=errors
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The client gets no trace and no SQL, only the request id; the log gets everything under it.
    from app.api.middleware.request_id import current_request_id

    log.exception("unexpected error on %s %s", request.method, request.url.path)
    request_id = current_request_id()
    extra = {"request_id": request_id} if request_id else {}
    detail = "An unexpected error occurred; quote the request_id when reporting it."
    return problem_response("internal-error", 500, detail, request.url.path, **extra)


async def _timeout(request: Request, exc: Exception) -> JSONResponse:
    log.warning("read interrupted on %s %s: %s", request.method, request.url.path, exc)
    response = problem_response(
        "query-timeout", 503, "The database took too long to answer; try again.", request.url.path
    )
    response.headers["Retry-After"] = "1"
    return response


def install(app: FastAPI) -> None:
    """The error contract: a handler per kind of failure."""
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(QueryTimeout, _timeout)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(Exception, _unexpected)


def _problem_schema() -> dict[str, Any]:
    from app.schemas import ProblemDetails

    return {"model": ProblemDetails, "content": {MEDIA_TYPE: {}}}


# Declared on every router so OpenAPI tells clients what an error body looks like.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Bad request", **_problem_schema()},
    401: {"description": "Missing or unknown API key", **_problem_schema()},
    403: {"description": "The API key's scope does not allow this", **_problem_schema()},
    404: {"description": "Not found", **_problem_schema()},
    406: {"description": "No acceptable representation", **_problem_schema()},
    409: {"description": "Conflict with a stored speech", **_problem_schema()},
    410: {"description": "Withdrawn", **_problem_schema()},
    412: {"description": "If-Match names an older version", **_problem_schema()},
    413: {"description": "Body too large", **_problem_schema()},
    415: {"description": "Unsupported Content-Type", **_problem_schema()},
    422: {"description": "Validation error", **_problem_schema()},
    429: {"description": "Rate limited", **_problem_schema()},
}
SEARCH_PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    503: {"description": "Search index built by another tokenizer: run reindex", **_problem_schema()},
}
