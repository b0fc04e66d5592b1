"""Migrations are the only way the schema is made; they must match the models exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from app.core import migrations
from app.core.db import make_engine
from app.core.migrations import include_object
from tests.databases import POSTGRES, new_database


def test_upgrade_head_creates_schema_that_matches_models() -> None:
    url = new_database("migrations")
    migrations.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        assert compare_metadata(ctx, SQLModel.metadata) == []
        assert ctx.get_current_revision() == migrations.head_revision()
    engine.dispose()


def test_downgrade_to_base_and_back() -> None:
    url = new_database("migrations")
    migrations.upgrade(url)
    migrations.downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    migrations.upgrade(url)


@pytest.mark.skipif(POSTGRES is not None, reason="SQLite connection settings")
def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}", busy_timeout_ms=1234)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    engine.dispose()
