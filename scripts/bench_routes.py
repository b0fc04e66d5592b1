"""CPU per request of one read route, in process: the app's own cost, without HTTP parsing or load.

Calls the ASGI app directly, one request at a time, over URLs drawn from an existing database, and
prints the median wall time and the process CPU time per request. Serial and in process, so it is
steady enough to compare two commits (BENCHMARKS.md, "what each optimisation bought"); scripts/bench
measures the served throughput.

Usage: .venv/bin/python scripts/bench_routes.py DB {section,outline,points,search,quotes} [-n N]
       JIANGHUA_RESPONSE_CACHE_MB=0 … measures the route itself (every request a cache miss)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TERMS = ("发展", "人民", "改革", "创新", "新时代", "中华民族", "人民群众", "高质量发展")


def urls(db: Path, kind: str, n: int, seed: int) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        speeches = [r[0] for r in conn.execute("SELECT id FROM speech WHERE withdrawn_at IS NULL")]
        sections = conn.execute(
            "SELECT s.speech_id, s.eid FROM section s JOIN speech p ON p.id = s.speech_id "
            "WHERE p.withdrawn_at IS NULL"
        ).fetchall()
    finally:
        conn.close()
    rng = random.Random(seed)
    if kind == "section":
        return [f"/api/v1/speeches/{sp}/sections/{eid}" for sp, eid in rng.choices(sections, k=n)]
    if kind == "outline":
        return [f"/api/v1/speeches/{rng.choice(speeches)}" for _ in range(n)]
    if kind == "points":
        return [f"/api/v1/speeches/{rng.choice(speeches)}/points" for _ in range(n)]
    if kind == "quotes":
        return [f"/api/v1/quotes?speech={rng.choice(speeches)}" for _ in range(n)]
    return [f"/api/v1/search?q={urllib.parse.quote(rng.choice(TERMS))}" for _ in range(n)]


async def get(app: Any, url: str) -> int:
    path, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def measure(app: Any, targets: list[str], warm: int) -> tuple[float, float]:
    for url in targets[:warm]:
        await get(app, url)
    times = []
    cpu = time.process_time()
    for url in targets[warm:]:
        started = time.perf_counter()
        status = await get(app, url)
        times.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"GET {url} -> {status}")
    return statistics.median(times), (time.process_time() - cpu) / len(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path)
    ap.add_argument("kind", choices=("section", "outline", "points", "search", "quotes"))
    ap.add_argument("-n", type=int, default=1500, help="requests measured (after 200 warm-up ones)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    os.environ["JIANGHUA_DATABASE_URL"] = f"sqlite:///{args.db.resolve()}"
    os.environ.update(
        JIANGHUA_RATE_LIMIT_PER_MINUTE="0", JIANGHUA_ACCESS_LOG="false", JIANGHUA_LOG_LEVEL="WARNING"
    )
    from app.main import create_app

    targets = urls(args.db, args.kind, args.n + 200, args.seed)
    wall, cpu = asyncio.run(measure(create_app(), targets, 200))
    cache = os.environ.get("JIANGHUA_RESPONSE_CACHE_MB", "default")
    print(
        f"{args.kind}: median {wall * 1e3:.2f} ms wall, {cpu * 1e3:.2f} ms CPU per request "
        f"over {len(targets) - 200} requests (response cache MB: {cache})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
