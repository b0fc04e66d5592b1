"""scripts/bench-search still runs: a tiny build through the real ingest, every query class timed.

The real benchmark (about a million sentences) is far too slow for the suite; this keeps the
script from rotting and checks the shape of what it prints.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow
CLASSES = ["1 char", "2 char", "3 char", "4+ chars", "two keywords", "frequent terms"]


def test_bench_search_prints_build_size_and_latency_per_query_class(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            "scripts/bench_search.py",
            "--sentences",
            "1500",
            "--queries",
            "5",
            "--db",
            str(tmp_path / "bench.db"),
            "--json",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for name in CLASSES:
        assert any(line.startswith(name) for line in lines), name
    assert "goals: p50 < 5 ms, p99 < 25 ms" in done.stdout
    report = json.loads(out.read_text())
    assert report["build"]["speeches"] == 15
    assert report["build"]["reindex_s"] >= 0
    assert report["size"]["sentences"] > 1000
    assert report["size"]["fts_mb"] > 0
    for sort in ("relevance", "date"):
        assert set(report["latency"][sort]) == set(CLASSES)
        for name in CLASSES:
            row = report["latency"][sort][name]
            assert row["n"] >= 5 or name == "frequent terms"
            assert 0 < row["p50_ms"] <= row["p99_ms"]
