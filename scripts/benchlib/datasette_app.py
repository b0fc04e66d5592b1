"""Datasette as an ASGI app, so it runs under the same uvicorn flags as Jianghua and the ceiling.

Built with the arguments `datasette serve -i FILE --setting default_cache_ttl 0` uses: the file is
opened immutable (read-only, no locking), no CORS, no plugins of ours. `datasette serve` itself
hard-codes an info-level access log, which the other two servers do not pay for (perf-baseline.md).

Run: BENCH_DATASETTE_DB=file.db uvicorn --factory scripts.benchlib.datasette_app:make_app
"""

from __future__ import annotations

import os
from typing import Any


def make_app() -> Any:
    # Imported here: datasette is installed (by scripts/bench) only for benchmarks.
    from datasette.app import Datasette  # type: ignore[import-untyped]

    return Datasette(immutables=[os.environ["BENCH_DATASETTE_DB"]], settings={"default_cache_ttl": 0}).app()
