"""The HTTP middleware stack (request ids, logs, metrics, limits, caching, CORS, compression).

Every layer is plain ASGI (no BaseHTTPMiddleware, which costs a task and a stream per request).
A layer with nothing left to do once the app returns is a plain `def __call__` that returns the
inner app's awaitable rather than an `async def` that awaits it ("tail call"): no coroutine of its
own to create, and one frame fewer for every suspension of the request to pass through (a speech
read suspends some 28 times, once per threadpool hop); about 1 µs per layer per request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from starlette.responses import Response
from starlette.types import ASGIApp

from app.api.middleware.caching import CachingMiddleware
from app.api.middleware.conditional import default_cache_control
from app.api.middleware.cors import CorsMiddleware
from app.api.middleware.edge import EdgeMiddleware
from app.api.middleware.limits import BodyLimitMiddleware, RateLimitMiddleware
from app.api.middleware.logs import configure_logging
from app.api.middleware.metrics import CONTENT_TYPE, Metrics
from app.api.middleware.paths import OPERATIONAL_PATHS
from app.api.middleware.request_id import current_request_id
from app.api.middleware.response_cache import ResponseCacheMiddleware, ResponseStore
from app.core.config import Settings

__all__ = ["Metrics", "configure_logging", "current_request_id", "install", "metrics_endpoint"]

CORS_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS")
# If-Match guards PATCH, PUT and DELETE against lost updates: a browser must be allowed to send it.
CORS_REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "If-Modified-Since",
    "X-Request-ID",
)
# Location names the speech a POST created; scripts can read only the headers listed here (and the
# CORS-safelisted ones such as Content-Type and Last-Modified).
CORS_EXPOSED_HEADERS = (
    "ETag",
    "Link",
    "Location",
    "X-Request-ID",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
)


def metrics_endpoint(metrics: Metrics) -> Callable[[], Awaitable[Response]]:
    # async: rendering takes microseconds, less than the hop to the threadpool a `def` route costs.
    async def read_metrics() -> Response:
        """Request counts and latency histograms in Prometheus text format."""
        return Response(metrics.render(), media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})

    return read_metrics


def install(app: FastAPI, settings: Settings) -> None:
    """Install the stack and `GET /metrics`. A request passes, outermost first, through:

    1. EdgeMiddleware: X-Request-ID (echoed or generated, bound to `current_request_id()`),
       timing, the access log line and the metrics. Outermost so every response is covered.
    2. CorsMiddleware (only when `cors_origins` is set): answers preflights; outside the error
       handler so that 413, 429 and 500 bodies are readable by the browser too.
    3. ServerErrorMiddleware (Starlette's): turns an unhandled exception into the 500 problem.
    4. RateLimitMiddleware: 429 before any work is done.
    5. BodyLimitMiddleware: 413 before the body is read.
    6. ResponseCacheMiddleware: replays the finished response of a `@cacheable` route while the
       data is unchanged (response_cache.py); off when JIANGHUA_RESPONSE_CACHE_MB=0.
    7. CachingMiddleware: ETag, 304, Cache-Control and gzip (one layer, see caching.py).
    8. ExceptionMiddleware and the router (FastAPI's).

    Starlette always puts its ServerErrorMiddleware outside every `add_middleware` layer, so a 500
    would otherwise leave without a request id and unlogged; layers 1-2 are therefore wrapped
    around the stack FastAPI builds, and 4-7 are added the ordinary way.
    """
    configure_logging(settings)
    metrics = Metrics()
    app.state.metrics = metrics
    app.add_api_route(
        "/metrics", metrics_endpoint(metrics), methods=["GET"], include_in_schema=False, summary="Metrics"
    )

    # add_middleware puts each new layer outside the previous ones, so innermost first.
    app.add_middleware(
        CachingMiddleware,
        cache_control=default_cache_control(settings),
        gzip_min_bytes=settings.gzip_min_bytes,
        no_store_paths=OPERATIONAL_PATHS,
    )
    # Outside the caching layer, so a kept response has its ETag and encoding decided already. Not
    # when reads need a key: every read must then reach the key check.
    if settings.response_cache_mb and not settings.read_requires_key:
        store = ResponseStore(settings.response_cache_mb * 2**20)
        app.state.response_cache = store
        metrics.add_source(store.render_metrics)
        app.add_middleware(ResponseCacheMiddleware, store=store)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.rate_limit_per_minute or settings.rate_limit_per_key_per_minute:
        app.add_middleware(
            RateLimitMiddleware,
            per_address=settings.rate_limit_per_minute,
            per_key=settings.rate_limit_per_key_per_minute,
            trust_forwarded_for=settings.trust_forwarded_for,
        )

    build_stack = app.build_middleware_stack

    def build_stack_with_edge() -> ASGIApp:
        stack = build_stack()
        if settings.cors_origins:
            stack = CorsMiddleware(
                stack,
                origins=settings.cors_origins,
                methods=CORS_METHODS,
                request_headers=CORS_REQUEST_HEADERS,
                exposed_headers=CORS_EXPOSED_HEADERS,
                max_age=settings.cors_max_age,
            )
        return EdgeMiddleware(
            stack,
            metrics=metrics,
            access_log=settings.access_log,
            trust_forwarded_for=settings.trust_forwarded_for,
        )

    app.build_middleware_stack = build_stack_with_edge  # type: ignore[method-assign]
