"""A portal mirrors the corpus through the change feed while others write: its copy ends equal.

A real HTTP server (uvicorn, in a thread) over the test database; writer threads create, edit,
re-text and withdraw speeches through the API while a mirror thread polls /api/v1/changes and
applies each change to its own copy (fetching the JSON export, or dropping the speech). At the
end the copy must equal what the server serves, and every speech's versions must have arrived
exactly once each, in order (1, 2, 3, …): a skipped or repeated change would show as a gap.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import uvicorn
from sqlalchemy.engine import Engine

from app.core.config import Settings
from tests.conftest import make_key, wire
from tests.integration.conftest import portal_app
from tests.server import free_port

pytestmark = pytest.mark.slow
WRITERS = 3
OPERATIONS = 24  # per writer


@contextmanager
def serving(engine: Engine) -> Iterator[str]:
    settings = Settings(rate_limit_per_minute=0, rate_limit_per_key_per_minute=0, access_log=False)
    app = wire(portal_app(settings), engine)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def writer(base: str, key: str, n: int, errors: list[str]) -> None:
    rng = random.Random(n)
    auth = {"Authorization": f"Bearer {key}"}
    mine: list[int] = []
    with httpx.Client(base_url=base, timeout=30) as c:
        for i in range(OPERATIONS):
            op = rng.choice(["create", "create", "patch", "text", "withdraw"]) if mine else "create"
            if op == "create":
                body = (
                    f"写者{n}第{i}篇讲话\n同志们：\n一、抓发展\n发展是第{i}要务。\n二、抓民生\n民生是根本。"
                )
                r = c.post(
                    "/api/v1/speeches", content=body.encode(), headers={**auth, "Content-Type": "text/plain"}
                )
                if r.status_code == 201:
                    mine.append(r.json()["id"])
            elif op == "patch":
                r = c.patch(
                    f"/api/v1/speeches/{rng.choice(mine)}", json={"speaker": f"w{n}-{i}"}, headers=auth
                )
            elif op == "text":
                body = f"写者{n}第{i}次修订\n同志们：\n一、抓落实\n落实第{i}项。"
                r = c.put(
                    f"/api/v1/speeches/{rng.choice(mine)}/text",
                    content=body.encode(),
                    headers={**auth, "Content-Type": "text/plain"},
                )
            else:
                r = c.delete(f"/api/v1/speeches/{mine.pop(rng.randrange(len(mine)))}", headers=auth)
            if r.status_code not in (200, 201, 204):
                errors.append(f"{op} {r.status_code} {r.text[:200]}")


class Mirror:
    """A portal's copy: speech id -> its JSON export, kept up to date from the change feed."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=30)
        self.copy: dict[int, dict[str, Any]] = {}
        self.cursor: str | None = None
        self.versions: dict[int, list[int]] = defaultdict(list)
        self.cursors: list[str] = []

    def poll(self) -> int:
        params = {"limit": 20, **({"since": self.cursor} if self.cursor else {})}
        page = self.client.get("/api/v1/changes", params=params).json()
        for change in page["data"]:
            self.apply(change)
            self.cursors.append(change["cursor"])
        self.cursor = page["next_cursor"]
        return len(page["data"])

    def apply(self, change: dict[str, Any]) -> None:
        sid = change["speech_id"]
        self.versions[sid].append(change["version"])
        if change["kind"] == "withdrawn":
            self.copy.pop(sid, None)
            return
        r = self.client.get(f"/api/v1/speeches/{sid}/export", params={"format": "json"})
        if r.status_code == 410:  # withdrawn since: its own change is on its way
            self.copy.pop(sid, None)
        else:
            assert r.status_code == 200, r.text
            # The export may already be newer than this change; later changes bring it again.
            assert r.json()["version"] >= change["version"]
            self.copy[sid] = r.json()


def server_state(c: httpx.Client) -> dict[int, dict[str, Any]]:
    state: dict[int, dict[str, Any]] = {}
    cursor = None
    while True:
        page = c.get(
            "/api/v1/speeches", params={"limit": 100, **({"cursor": cursor} if cursor else {})}
        ).json()
        for s in page["data"]:
            state[s["id"]] = c.get(f"/api/v1/speeches/{s['id']}/export", params={"format": "json"}).json()
        cursor = page["next_cursor"]
        if cursor is None:
            return state


def test_a_mirror_following_the_feed_ends_equal_to_the_server(engine: Engine) -> None:
    key = make_key(engine)
    errors: list[str] = []
    with serving(engine) as base:
        mirror = Mirror(base)
        writers = [threading.Thread(target=writer, args=(base, key, n, errors)) for n in range(WRITERS)]
        for t in writers:
            t.start()
        polls = 0
        while any(t.is_alive() for t in writers):
            if mirror.poll() == 0:
                time.sleep(0.01)
            polls += 1
        for t in writers:
            t.join()
        while mirror.poll():  # catch up with the last changes
            pass
        with httpx.Client(base_url=base, timeout=30) as c:
            expected = server_state(c)
        mirror.client.close()

    assert not errors, errors[:5]
    assert polls > 5, "the mirror should have polled while writes were happening"
    assert len(mirror.cursors) == len(set(mirror.cursors)), "a change was handed out twice"
    for sid, versions in mirror.versions.items():
        assert versions == list(range(1, len(versions) + 1)), f"speech {sid}: versions {versions}"
    assert sorted(mirror.copy) == sorted(expected)
    assert mirror.copy == expected
    assert len(expected) > 5 and sum(len(v) for v in mirror.versions.values()) > WRITERS * OPERATIONS // 2


def docs_example() -> str:
    """The mirroring script of the portal guide in README (section "Integrating with a portal")."""
    root = Path(__file__).resolve().parents[2]
    for doc in (root / "docs" / "portal-integration.md", root / "README.md"):
        if doc.exists():
            found = re.search(
                r'```python\n("""Mirror every live speech.*?)```', doc.read_text(encoding="utf-8"), re.S
            )
            if found:
                return found.group(1)
    raise AssertionError("the portal guide's mirroring example is gone")


def test_the_documented_mirror_script_works(engine: Engine, tmp_path: Path) -> None:
    key = make_key(engine)
    auth = {"Authorization": f"Bearer {key}"}
    with serving(engine) as base:
        script: dict[str, Any] = {"__name__": "mirror_example"}
        exec(compile(docs_example(), "portal-integration.md", "exec"), script)
        script["BASE"], script["STORE"] = base, tmp_path / "mirror"
        with httpx.Client(base_url=base, timeout=30) as c:
            ids = []
            for i in range(3):
                body = f"第{i}篇讲话\n同志们：\n一、抓发展\n发展是第{i}要务。"
                ids.append(
                    c.post(
                        "/api/v1/speeches",
                        content=body.encode(),
                        headers={**auth, "Content-Type": "text/plain"},
                    ).json()["id"]
                )
            assert script["sync"]() == 3
            c.patch(f"/api/v1/speeches/{ids[0]}", json={"speaker": "张三"}, headers=auth)
            c.delete(f"/api/v1/speeches/{ids[1]}", headers=auth)
            assert script["sync"]() == 2
            assert script["sync"]() == 0
            expected = server_state(c)
    files = {
        int(p.stem): json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "mirror").glob("*.json")
    }
    assert files == expected and sorted(files) == [ids[0], ids[2]]
    assert files[ids[0]]["metadata"]["speaker"] == "张三"
