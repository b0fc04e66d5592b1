"""The data stamp: one cheap read that changes whenever anything a reader can see may have changed.

Every create, edit and withdrawal appends to the change log in its own transaction, and change ids
become visible in id order on both engines (see changes.py), so the newest change id moves with
every write. The search index's tokenizer stamp is part of it too: a `reindex` by another tokenizer
changes what search answers (503 until rebuilt) without writing a change.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.engine import Connection

Stamp = tuple[int, str | None]

STAMP_SQL = (
    "SELECT (SELECT coalesce(max(id), 0) FROM change), "
    "(SELECT value FROM search_meta WHERE key = 'tokenizer_version')"
)


def read_stamp_sqlite(conn: sqlite3.Connection) -> Stamp:
    """On a plain sqlite3 connection: a few microseconds, so it can run on the event loop."""
    row = conn.execute(STAMP_SQL).fetchone()
    return int(row[0]), row[1]


def read_stamp(*, connection: Connection) -> Stamp:
    row = connection.exec_driver_sql(STAMP_SQL).one()
    return int(row[0]), row[1]
