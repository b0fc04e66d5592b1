"""Bulk SQL for copying whole tables between databases (SQLite -> PostgreSQL and back)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

# Parents before children, so foreign keys hold at every insert.
TABLES = ("speech", "section", "paragraph", "sentence", "quote", "term", "api_key", "change")


def table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def count_rows(conn: Connection, name: str) -> int:
    return int(conn.execute(select(func.count()).select_from(table(name))).scalar_one())


def read_batches(conn: Connection, name: str, size: int) -> Iterator[list[dict[str, Any]]]:
    """All rows of a table in primary-key order, `size` at a time (keyset, so memory stays flat)."""
    t = table(name)
    key = next(iter(t.primary_key.columns))
    last: Any = None
    while True:
        stmt = select(t).order_by(key).limit(size)
        if last is not None:
            stmt = stmt.where(key > last)
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
        if not rows:
            return
        last = rows[-1][key.name]
        yield rows


def insert_rows(conn: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    conn.execute(insert(table(name)), rows)


def reset_sequences(conn: Connection) -> None:
    """After rows were inserted with explicit ids, new ids must continue after the largest."""
    if conn.dialect.name != "postgresql":
        return
    for name in TABLES:
        if "id" in table(name).columns:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)"
                )
            )
