"""Shared fixtures: a real Alembic-migrated SQLite file per test, and the ASGI app over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core import migrations
from app.core.db import get_session, get_write_session, make_engine, writer
from app.main import create_app
from app.services.ingest import ingest_text
from tests.databases import drop_database, new_database

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "app" / "data" / "labour-day-speech.txt"


@pytest.fixture(scope="session")
def migrated_template() -> Iterator[str]:
    """One database migrated to head; each test gets a copy, which is faster than migrating."""
    url = new_database("template")
    migrations.upgrade(url)
    yield url
    drop_database(url)


@pytest.fixture
def db_url(migrated_template: str) -> Iterator[str]:
    """A fresh migrated database for one test (SQLite file, or PostgreSQL under --postgres)."""
    url = new_database("test", template=migrated_template)
    yield url
    drop_database(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def wire(app: FastAPI, engine: Engine) -> FastAPI:
    """Point the app's read and write sessions at a test database."""

    def read_session() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    def write_session() -> Iterator[Session]:
        with Session(writer(engine)) as session:
            yield session

    app.dependency_overrides[get_session] = read_session
    app.dependency_overrides[get_write_session] = write_session
    return app


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(wire(create_app(), engine), raise_server_exceptions=False) as c:
        yield c


def import_text(engine: Engine, text: str) -> int:
    with Session(writer(engine)) as session:
        result = ingest_text(session=session, raw_text=text)
        assert result.speech.id is not None
        return result.speech.id


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_id(engine: Engine, seed_text: str) -> int:
    return import_text(engine, seed_text)


def make_key(engine: Engine, scope: str = "write", name: str = "test") -> str:
    from app.services import keys as key_service

    with Session(engine) as session:
        _, plain = key_service.create_key(session=session, name=f"{name}-{scope}", scope=scope)  # type: ignore[arg-type]
    return plain


@pytest.fixture
def write_key(engine: Engine) -> str:
    return make_key(engine, "write")


@pytest.fixture
def auth(write_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {write_key}"}
