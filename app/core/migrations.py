"""Run Alembic from code (CLI, tests, serve) with the URL from Settings or an explicit one."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

ROOT = Path(__file__).resolve().parents[2]
# Full-text tables (FTS5 and their shadow tables) are written by hand in migrations and are not
# in the models; autogenerate and schema comparisons must leave them alone.
HAND_WRITTEN_PREFIXES = ("fts_",)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(HAND_WRITTEN_PREFIXES))


def alembic_config(database_url: str | None = None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if database_url:
        cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    """The newest revision in migrations/ (read once per process)."""
    return _head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return current_revision_of(conn)


def current_revision_of(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@lru_cache
def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
