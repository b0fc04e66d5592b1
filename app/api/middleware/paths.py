"""Which requests are operational (probes, scrapes), judged by their path inside the app."""

from __future__ import annotations

from starlette.types import Scope

# Probes and scrapes: never rate limited (they must keep working while a client is throttled) and
# never cacheable (a cached "ready" or a cached scrape would report a state that has passed).
OPERATIONAL_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def app_path(scope: Scope) -> str:
    """The path the router matches: without the root_path a proxy mounts the app under."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        return path[len(root) :] or "/"
    return path
