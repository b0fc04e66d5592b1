"""Migrations are the only way the schema is made; they must match the models exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from app.core import migrations
from app.core.db import make_engine
from app.core.migrations import include_object
from tests.databases import POSTGRES, drop_database, new_database


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


@pytest.mark.skipif(POSTGRES is not None, reason="SQLite connection settings")
def test_a_file_pool_never_makes_a_checkout_wait_and_memory_databases_still_open(tmp_path: Path) -> None:
    # Reads run on the event loop, where a checkout waiting for a connection would wait forever.
    engine = make_engine(f"sqlite:///{tmp_path / 'many.db'}")
    held = [engine.connect() for _ in range(40)]
    assert all(c.exec_driver_sql("SELECT 1").scalar() == 1 for c in held)
    for c in held:
        c.close()
    engine.dispose()
    for url in ("sqlite://", "sqlite:///:memory:"):  # migrate-data --from sqlite:// and tests use these
        with make_engine(url).connect() as conn:
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1


@pytest.mark.skipif(POSTGRES is not None, reason="SQLite connection settings")
def test_app_engine_takes_busy_timeout_from_settings_and_enforces_foreign_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine the app and the CLI use (get_engine) is built from Settings, not from defaults.
    from app.core.config import get_settings
    from app.core.db import get_engine

    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("JIANGHUA_DATABASE_URL", url)
    monkeypatch.setenv("JIANGHUA_SQLITE_BUSY_TIMEOUT_MS", "4321")
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        migrations.upgrade(url)
        engine = get_engine()
        assert str(engine.url) == url
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        # Foreign keys are enforced, not merely switched on: a section of no speech is refused.
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO section (speech_id, eid, kind, level, position, seq, start, "end") '
                    "VALUES (999, 'part_1', 'part', 1, 1, 1, 0, 1)"
                )
            )
        engine.dispose()
    finally:
        get_settings.cache_clear()
        get_engine.cache_clear()
        drop_database(url)
