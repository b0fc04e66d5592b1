"""The HTTP benchmark harness still works: a dry run, and its wrk-output parser and table.

The real benchmark (scripts/bench) is too slow for CI. `--dry-run` builds a tiny database through
the real ingest, starts Jianghua and the ceiling (and Datasette when it is installed), checks that
every benchmark URL answers 200 with JSON, and prints the table's shape. It needs neither wrk nor
datasette and takes about ten seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.benchlib import http
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_dry_run_checks_every_url(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "scripts/bench_http.py", "--quick", "--dry-run", "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "section by eid" in done.stdout
    assert "jianghua/ceiling" in done.stdout
    report = json.loads(out.read_text())
    assert report["config"]["dry_run"] is True
    assert report["build"]["speeches"] == 20
    assert report["build"]["sentences"] > 0
    assert report["parse"]["mb_per_s"] > 0
    checked = {(r["system"], r["endpoint"]) for r in report["results"] if r.get("checked")}
    for system in ("jianghua", "ceiling"):
        for endpoint in ("section", "outline", "search3", "search2"):
            assert (system, endpoint) in checked
    # The ceiling answers with bodies captured from Jianghua, so the sizes match.
    sizes = {(r["system"], r["endpoint"]): r["body_bytes"] for r in report["results"] if r.get("checked")}
    assert sizes[("ceiling", "section")] == report["ceiling_body_bytes"]["section"]


def test_the_wrapper_parses() -> None:
    assert subprocess.run(["bash", "-n", str(REPO / "scripts" / "bench")], check=False).returncode == 0


def test_wrk_result_line_and_table() -> None:
    line = (
        "RESULT requests=5000 duration_us=5000000 bytes=7500000 p50_us=6000.0 p90_us=7000.0"
        " p99_us=9000.5 max_us=12000.0 connect=0 read=1 write=0 timeout=2 non2xx=0\n"
    )
    r = http.parse_wrk("Running 5s test\n" + line)
    assert r.rps == 1000
    assert r.p99_ms == pytest.approx(9.0005)
    assert r.socket_errors == 3
    assert r.bytes_per_response == 1500
    results = {
        ("a", "x"): r.as_dict(),
        ("b", "x"): {**r.as_dict(), "rps": 500.0},
        ("b", "y"): None,
    }
    table = http.render_table(
        [("x", "endpoint x"), ("y", "endpoint y")], ["a", "b"], results, [("a/b", "a", "b")]
    )
    assert "2.00x" in table
    assert "n/a" in table
    with pytest.raises(ValueError, match="RESULT"):
        http.parse_wrk("no result here")


@pytest.mark.parametrize("kind", ["section", "outline", "search"])
def test_route_timer_measures_every_kind(tmp_path: Path, kind: str) -> None:
    from sqlmodel import Session

    from app.core import migrations
    from app.core.db import make_engine, writer
    from app.services.ingest import ingest_text

    db = tmp_path / "routes.db"
    migrations.upgrade(f"sqlite:///{db}")
    with Session(writer(make_engine(f"sqlite:///{db}"))) as session:
        ingest_text(session=session, raw_text=(REPO / "app" / "data" / "labour-day-speech.txt").read_text())
    done = subprocess.run(
        [sys.executable, "scripts/bench_routes.py", str(db), kind, "-n", "20"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "JIANGHUA_RESPONSE_CACHE_MB": "0"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{kind}: median" in done.stdout and "CPU per request over 20 requests" in done.stdout
