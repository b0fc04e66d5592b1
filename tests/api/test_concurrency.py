"""Writers and readers at once on one SQLite file, through a real server: nothing lost or doubled."""

from __future__ import annotations

import threading
import time
from collections import Counter

import httpx2 as httpx
import pytest
from sqlalchemy.engine import Engine

from tests.conftest import make_key
from tests.server import running_server

pytestmark = pytest.mark.slow
SECONDS = 4.0


def test_concurrent_writers_and_readers_lose_nothing(db_url: str, engine: Engine) -> None:
    key = make_key(engine)
    auth = {"Authorization": f"Bearer {key}"}
    plain = {**auth, "Content-Type": "text/plain"}
    statuses: Counter[int] = Counter()
    created: dict[str, int] = {}
    errors: list[str] = []
    lock = threading.Lock()

    with running_server(db_url) as base:
        # The clock starts once the server answers: on a loaded machine its start-up alone can take
        # longer than SECONDS, which left the writers no time at all.
        stop = time.monotonic() + SECONDS

        def writer(n: int) -> None:
            with httpx.Client(base_url=base, timeout=30) as c:
                i = 0
                while time.monotonic() < stop:
                    # Every other text is shared by all writers: idempotency under contention.
                    text = (
                        f"第{i}次会议讲话\n同志们，今天讲{i}点。"
                        if i % 2
                        else f"写者{n}的第{i}篇讲话\n同志们，好。"
                    )
                    r = c.post("/api/v1/speeches", content=text.encode(), headers=plain)
                    with lock:
                        statuses[r.status_code] += 1
                        if r.status_code in (200, 201):
                            sid = r.json()["id"]
                            if created.setdefault(text, sid) != sid:
                                errors.append(f"same text, two ids: {text!r}")
                        else:
                            errors.append(f"POST {r.status_code} {r.text[:200]}")
                    if r.status_code in (200, 201) and i % 3 == 0:
                        p = c.patch(
                            f"/api/v1/speeches/{r.json()['id']}", json={"speaker": f"w{n}"}, headers=auth
                        )
                        if p.status_code != 200:
                            with lock:
                                errors.append(f"PATCH {p.status_code} {p.text[:200]}")
                    i += 1

        def reader() -> None:
            with httpx.Client(base_url=base, timeout=30) as c:
                while time.monotonic() < stop:
                    for url in ("/api/v1/speeches?limit=50", "/api/v1/search?q=%E8%AE%B2%E8%AF%9D"):
                        r = c.get(url)
                        with lock:
                            statuses[r.status_code] += 1
                            if r.status_code != 200:
                                errors.append(f"GET {r.status_code} {r.text[:200]}")

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
        threads += [threading.Thread(target=reader) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert not errors, errors[:5]
        assert "locked" not in str(errors)
        assert statuses[201] >= 4  # at least one create per writer; the point is correctness, not speed
        with httpx.Client(base_url=base, timeout=30) as c:
            stored: list[int] = []
            url: str | None = "/api/v1/speeches?limit=100"
            while url:
                page = c.get(url).json()
                stored += [s["id"] for s in page["data"]]
                url = (
                    f"/api/v1/speeches?limit=100&cursor={page['next_cursor']}"
                    if page["next_cursor"]
                    else None
                )
            assert sorted(stored) == sorted(set(created.values()))  # none lost, none stored twice
            for text, sid in created.items():  # every accepted write reads back as written
                r = c.get(f"/api/v1/speeches/{sid}")
                assert r.status_code == 200
                assert r.json()["title"] == text.split("\n")[0]
            # Every accepted create and edit is in the change feed exactly once, in version order.
            events: list[tuple[int, int]] = []
            since = None
            while True:
                page = c.get("/api/v1/changes", params={"limit": 100, **({"since": since} if since else {})})
                events += [(e["speech_id"], e["version"]) for e in page.json()["data"]]
                since = page.json()["next_cursor"]
                if not page.json()["has_more"]:
                    break
            assert len(events) == len(set(events))
            for sid in set(created.values()):
                versions = [v for s, v in events if s == sid]
                assert versions == list(range(1, len(versions) + 1)), (sid, versions)
