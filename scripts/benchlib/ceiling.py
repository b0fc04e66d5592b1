"""The bare-Starlette ceiling: Jianghua's URLs answered with prepared bodies, no database, no middleware.

`BENCH_CEILING_BODIES` names a JSON file {"bodies": {endpoint: path}, "popular": [terms]}. Each
path holds a real Jianghua response body captured once at the start of the run (the median-sized
of a sample), so the ceiling sends as many bytes per endpoint as Jianghua does. The work per
request is route matching and, for search, reading `q` and one set lookup to pick the body of a
popular or a varied term; perf-baseline.md (d) measured the same kind of app.

Run: BENCH_CEILING_BODIES=spec.json uvicorn --factory scripts.benchlib.ceiling:make_app
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

JSON = "application/json"


def load(spec: Path) -> tuple[dict[str, bytes], set[str]]:
    data = json.loads(spec.read_text(encoding="utf-8"))
    bodies = {name: Path(p).read_bytes() for name, p in data["bodies"].items()}
    return bodies, set(data.get("popular", []))


def build(bodies: dict[str, bytes], popular: set[str]) -> Starlette:
    section, outline = bodies.get("section", b"{}"), bodies.get("outline", b"{}")
    search3, search2 = bodies.get("search3", b"{}"), bodies.get("search2", b"{}")
    search3v, search2v = bodies.get("search3v", search3), bodies.get("search2v", search2)

    async def read_section(request: Request) -> Response:
        return Response(section, media_type=JSON)

    async def read_outline(request: Request) -> Response:
        return Response(outline, media_type=JSON)

    async def read_search(request: Request) -> Response:
        q = request.query_params.get("q", "")
        if q in popular:
            return Response(search3 if len(q) >= 3 else search2, media_type=JSON)
        return Response(search3v if len(q) >= 3 else search2v, media_type=JSON)

    async def healthz(request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type=JSON)

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/api/v1/speeches/{speech}/sections/{eid}", read_section),
            Route("/api/v1/speeches/{speech}", read_outline),
            Route("/api/v1/search", read_search),
        ]
    )


def make_app() -> Starlette:
    return build(*load(Path(os.environ["BENCH_CEILING_BODIES"])))
