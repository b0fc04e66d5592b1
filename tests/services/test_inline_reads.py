"""run_read: short reads inline on the event loop, and a deadline that stops one that is not short."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core import db
from app.core.db import QueryTimeout, run_read
from app.main import create_app
from tests.conftest import wire

T = TypeVar("T")
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def run(fn: Callable[[], Awaitable[T]]) -> T:
    """anyio.run in a thread of its own: the browser tests leave an event loop in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, fn).result()


def count_forever(*, session: Session) -> int:
    return int(session.execute(text(ENDLESS)).scalar_one())


def count_rows(*, session: Session, table: str) -> int:
    return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_short_read_returns_its_result(engine: Engine, seed_id: int) -> None:
    with Session(engine) as session:
        assert run(lambda: run_read(session, count_rows, table="speech")) == 1


def test_a_read_past_its_budget_is_interrupted_not_left_to_stall_the_loop(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("other engines run reads in the threadpool, off the event loop")
    with Session(engine) as session:
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            run(lambda: run_read(session, count_forever))
        assert time.monotonic() - started < db.INLINE_READ_BUDGET_S + 5.0
        # The session is still usable for the next read.
        session.rollback()
        assert run(lambda: run_read(session, count_rows, table="speech")) == 0


def test_an_interrupted_read_is_a_503_problem_with_retry_after(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("other engines run reads in the threadpool, off the event loop")
    app = wire(create_app(), engine)

    @app.get("/_t/endless")
    async def endless() -> int:
        with Session(engine) as session:
            return await run_read(session, count_forever)

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/_t/endless")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["type"].endswith("/query-timeout")
