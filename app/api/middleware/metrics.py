"""Request metrics in Prometheus text format 0.0.4, kept in process without a client library.

Two families, both labelled by the route TEMPLATE (`/api/v1/speeches/{speech}`), never the raw
path: a raw path would mint a time series per speech id, and a scanner probing random URLs could
grow the registry without bound. Requests that matched no route share the label "unmatched".
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from starlette.types import Scope

UNMATCHED = "unmatched"
# Set by the response cache on a hit, when no route ran: the template of the route that made it.
ROUTE_TEMPLATE = "jianghua.route_template"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

# Any other method (a scanner's "FOO") is counted as OTHER so methods cannot grow the label set either.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

_LE = (*(repr(bound) for bound in BUCKETS), "+Inf")

_REQUESTS = "jianghua_http_requests_total"
_DURATION = "jianghua_http_request_duration_seconds"


def route_template(scope: Scope) -> str:
    """The path template of the route that served this request, read from the scope afterwards.

    FastAPI resolves included routers lazily: ``scope["route"]`` is then the APIRoute as its own
    router declared it, without the prefixes given to ``include_router``, while the effective
    context FastAPI keeps in the scope has the full template. That context is not public API, so
    it is read defensively and the route's own template is the fallback. A request refused before
    routing (413, 429) or matching nothing (404) has no route: "unmatched"; its path is in the log.
    """
    cached = scope.get(ROUTE_TEMPLATE)
    if cached is not None:
        return str(cached)
    fastapi_scope = scope.get("fastapi")
    if isinstance(fastapi_scope, dict):
        template = getattr(fastapi_scope.get("effective_route_context"), "path_format", None)
        if isinstance(template, str):
            return template
    route = scope.get("route")
    if route is None and "endpoint" in scope:
        # A mounted app (the reader's /static): FastAPI leaves no route in the scope, only the
        # mounted app as the endpoint, so the Mount that holds it is looked up.
        router = getattr(scope.get("app"), "router", None)
        endpoint = scope["endpoint"]
        route = next((r for r in getattr(router, "routes", ()) if getattr(r, "app", None) is endpoint), None)
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return template if isinstance(template, str) else UNMATCHED


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Metrics:
    """Counters and histograms for one app. Updated on the event loop, read by the /metrics route."""

    def __init__(self) -> None:
        # The event loop writes and a scrape reads; a lock keeps a scrape from seeing a histogram
        # whose count and buckets disagree (and keeps it correct if a threadpool route ever records).
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, int], int] = {}
        # (method, route) -> [per-bucket counts..., +Inf count, sum]
        self._durations: dict[tuple[str, str], list[Any]] = {}
        # Other layers' families (the response cache's), rendered after the request families.
        self._sources: list[Callable[[], list[str]]] = []

    def add_source(self, source: Callable[[], list[str]]) -> None:
        self._sources.append(source)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        if method not in _METHODS:
            method = "OTHER"
        key = (method, route)
        with self._lock:
            counter_key = (method, route, status)
            self._requests[counter_key] = self._requests.get(counter_key, 0) + 1
            series = self._durations.get(key)
            if series is None:
                series = self._durations[key] = [0] * (len(BUCKETS) + 1) + [0.0]
            series[bisect_left(BUCKETS, seconds)] += 1
            series[-1] += seconds

    def render(self) -> bytes:
        with self._lock:
            requests = sorted(self._requests.items())
            durations = sorted((key, list(series)) for key, series in self._durations.items())
        lines = [
            f"# HELP {_REQUESTS} HTTP requests answered, by method, route template and status.",
            f"# TYPE {_REQUESTS} counter",
        ]
        for (method, route, status), count in requests:
            lines.append(
                f'{_REQUESTS}{{method="{method}",route="{_label(route)}",status="{status}"}} {count}'
            )
        lines += [
            f"# HELP {_DURATION} Time from request start to the last byte of the response.",
            f"# TYPE {_DURATION} histogram",
        ]
        for (method, route), series in durations:
            labels = f'method="{method}",route="{_label(route)}"'
            cumulative = 0
            for le, count in zip(_LE, series[:-1], strict=True):
                cumulative += count
                lines.append(f'{_DURATION}_bucket{{{labels},le="{le}"}} {cumulative}')
            lines.append(f"{_DURATION}_sum{{{labels}}} {series[-1]!r}")
            lines.append(f"{_DURATION}_count{{{labels}}} {cumulative}")
        for source in self._sources:
            lines += source()
        return ("\n".join(lines) + "\n").encode()
