"""The change feed: every create, edit and withdrawal once, in order, with versions and ETags."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core.db import writer
from app.repositories import changes as change_repo
from app.services import changes as change_service
from tests.conftest import import_text
from tests.databases import ENGINE_NAME

PROBLEM = "application/problem+json"


def all_changes(
    client: TestClient, since: str | None = None, limit: int = 100
) -> tuple[list[dict[str, Any]], str]:
    seen: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": limit}
        if since is not None:
            params["since"] = since
        page = client.get("/api/v1/changes", params=params).json()
        seen += page["data"]
        since = page["next_cursor"]
        if not page["has_more"]:
            return seen, since


def test_feed_lists_created_updated_withdrawn_in_order(
    portal: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    assert (
        portal.patch(f"/api/v1/speeches/{seed_id}", json={"speaker": "张三"}, headers=auth).status_code == 200
    )
    assert portal.delete(f"/api/v1/speeches/{seed_id}", headers=auth).status_code == 204
    changes, _ = all_changes(portal)
    assert [(c["kind"], c["speech_id"], c["version"]) for c in changes] == [
        ("created", seed_id, 1),
        ("updated", seed_id, 2),
        ("withdrawn", seed_id, 3),
    ]
    assert all(c["href"] == f"/api/v1/speeches/{seed_id}" for c in changes)
    assert len({c["cursor"] for c in changes}) == 3


def test_change_etag_is_the_speech_etag_at_that_version(portal: TestClient, seed_id: int) -> None:
    change = portal.get("/api/v1/changes").json()["data"][0]
    speech = portal.get(f"/api/v1/speeches/{seed_id}", headers={"Accept-Encoding": "identity"})
    assert change["etag"] == speech.headers["etag"]
    assert change["version"] == speech.json()["version"]


def test_cursors_page_without_skipping_or_repeating(portal: TestClient, engine: Engine) -> None:
    for i in range(7):
        import_text(engine, f"第{i}次会议讲话\n同志们，今天讲{i}点。")
    first = portal.get("/api/v1/changes?limit=3")
    body = first.json()
    assert body["has_more"] is True
    assert 'rel="next"' in first.headers["link"] and "since=" in first.headers["link"]
    paged, cursor = all_changes(portal, limit=3)
    whole, _ = all_changes(portal, limit=100)
    assert paged == whole and len(whole) == 7
    # Resume from any item's cursor: exactly the changes after it.
    rest = portal.get("/api/v1/changes", params={"since": whole[3]["cursor"]}).json()["data"]
    assert rest == whole[4:]
    # At the end: an empty page that hands back a cursor to poll with.
    end = portal.get("/api/v1/changes", params={"since": cursor}).json()
    assert end == {"data": [], "next_cursor": cursor, "has_more": False}
    import_text(engine, "新的讲话\n同志们，好。")
    new = portal.get("/api/v1/changes", params={"since": cursor}).json()["data"]
    assert [c["kind"] for c in new] == ["created"]


def test_latest_cursor_follows_only_new_changes(
    portal: TestClient, seed_id: int, auth: dict[str, str]
) -> None:
    cursor = portal.get("/api/v1/changes/latest").json()["cursor"]
    assert portal.get("/api/v1/changes", params={"since": cursor}).json()["data"] == []
    portal.patch(f"/api/v1/speeches/{seed_id}", json={"genre": "讲话"}, headers=auth)
    data = portal.get("/api/v1/changes", params={"since": cursor}).json()["data"]
    assert [(c["kind"], c["version"]) for c in data] == [("updated", 2)]


@pytest.mark.parametrize("cursor", ["nope", "eyJhZnRlciI6MX0", "eyJjaGFuZ2UiOi0xfQ", "e30"])
def test_foreign_cursors_are_400(portal: TestClient, cursor: str) -> None:
    r = portal.get("/api/v1/changes", params={"since": cursor})
    assert (r.status_code, r.headers["content-type"]) == (400, PROBLEM)
    assert r.json()["type"] == "/problems/invalid-cursor"


def test_feed_is_not_served_stale(portal: TestClient) -> None:
    assert portal.get("/api/v1/changes").headers["cache-control"] == "no-cache"


def test_cursor_codec_round_trips() -> None:
    for n in (0, 1, 2**31 - 1):
        assert change_service.decode_cursor(change_service.encode_cursor(n)) == n
    with pytest.raises(change_service.InvalidCursor):
        change_service.decode_cursor(change_service.encode_cursor(2**31))


@pytest.mark.skipif(ENGINE_NAME != "postgresql", reason="SQLite serialises writers by itself")
def test_appends_commit_in_id_order_on_postgresql(engine: Engine, seed_id: int) -> None:
    """Two writers: the first draws an id and holds its transaction open; the second must wait, so
    a reader can never see the second change while the first (smaller id) is still invisible."""
    first_appended = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def slow() -> None:
        with Session(writer(engine)) as session:
            change_repo.append_change(session=session, speech_id=seed_id, kind="updated", version=2)
            first_appended.set()
            release.wait(10)
            order.append("slow commits")
            session.commit()

    def fast() -> None:
        first_appended.wait(10)
        with Session(writer(engine)) as session:
            change_repo.append_change(session=session, speech_id=seed_id, kind="updated", version=3)
            order.append("fast appended")
            session.commit()

    threads = [threading.Thread(target=slow), threading.Thread(target=fast)]
    for t in threads:
        t.start()
    first_appended.wait(10)
    time.sleep(0.5)
    with Session(engine) as session:  # the fast writer is blocked: nothing new is visible yet
        visible = [c.version for c in change_repo.list_changes(session=session, after_id=0, limit=10)]
    assert visible == [1]
    release.set()
    for t in threads:
        t.join(10)
    assert order == ["slow commits", "fast appended"]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT version FROM change ORDER BY id")).scalars().all()
    assert rows == [1, 2, 3]


@pytest.mark.skipif(ENGINE_NAME != "postgresql", reason="SQLite serialises writers by itself")
def test_the_write_path_appends_under_the_change_log_lock(
    portal: TestClient, seed_id: int, auth: dict[str, str], engine: Engine
) -> None:
    """Edits through the API take the change-log lock (repositories.speeches.save_change must
    append with changes.append_change): while another transaction holds it, an edit waits."""
    done = threading.Event()
    with Session(writer(engine)) as holder:
        change_repo.lock_change_log(session=holder)

        def edit() -> None:
            portal.patch(f"/api/v1/speeches/{seed_id}", json={"speaker": "李四"}, headers=auth)
            done.set()

        thread = threading.Thread(target=edit)
        thread.start()
        assert not done.wait(1.0), "the edit did not wait for the change-log lock"
        holder.rollback()
    thread.join(10)
    assert done.is_set()
