"""Throwaway databases for tests, on SQLite (default) or PostgreSQL.

`scripts/test --postgres` starts a private server and sets JIANGHUA_TEST_POSTGRES_URL; then every
test database is a PostgreSQL database made from a migrated template (CREATE DATABASE … TEMPLATE),
so the whole suite runs on both engines with the same tests.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES = os.environ.get("JIANGHUA_TEST_POSTGRES_URL")
ENGINE_NAME = "postgresql" if POSTGRES else "sqlite"


def _admin(sql: str) -> None:
    assert POSTGRES
    engine = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def new_database(hint: str = "db", *, template: str | None = None) -> str:
    """The URL of a new, empty database (or a copy of `template`, a URL from this function)."""
    if not POSTGRES:
        path = Path(tempfile.mkdtemp(prefix=f"jianghua-{hint}-")) / f"{hint}.db"
        if template:
            source = Path(make_url(template).database or "")
            path.write_bytes(source.read_bytes())
        return f"sqlite:///{path}"
    name = f"jh_{hint}_{uuid.uuid4().hex[:10]}"
    clause = f' TEMPLATE "{make_url(template).database}"' if template else ""
    _admin(f'CREATE DATABASE "{name}"{clause}')
    return make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        Path(u.database or "").unlink(missing_ok=True)
        return
    _admin(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
