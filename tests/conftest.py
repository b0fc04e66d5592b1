"""Shared fixtures: a real Alembic-migrated SQLite file per test, and the ASGI app over it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core import migrations
from app.core.db import get_session, make_engine, writer
from app.main import create_app
from app.services.ingest import ingest_text

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "app" / "data" / "labour-day-speech.txt"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated to head; each test gets a copy, which is faster than migrating."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrations.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def db_url(migrated_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "jianghua.db"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app()

    def session_override() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    app.dependency_overrides[get_session] = session_override
    with TestClient(app, raise_server_exceptions=False) as c:
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
