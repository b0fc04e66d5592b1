"""A real uvicorn process over a migrated SQLite file, for tests that need real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(db_url: str, **env: str) -> Iterator[str]:
    """Start `python -m app serve` on a free loopback port; yield its base URL; stop it."""
    port = free_port()
    environ = {
        **os.environ,
        "JIANGHUA_DATABASE_URL": db_url,
        "JIANGHUA_RATE_LIMIT_PER_MINUTE": "0",
        "JIANGHUA_RATE_LIMIT_PER_KEY_PER_MINUTE": "0",
        "JIANGHUA_ACCESS_LOG": "false",
        **env,
    }
    log = Path(tempfile.mkdtemp(prefix="jianghua-server-")) / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port)],
            cwd=REPO,
            env=environ,
            stdout=out,
            stderr=out,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
