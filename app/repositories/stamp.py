"""The data stamp: one cheap read that changes whenever anything a reader can see may have changed.

Every create, edit and withdrawal appends to the change log in its own transaction, and change ids
become visible in id order on both engines (see changes.py), so the newest change id moves with
every write. The search index's stamps are part of it too, as a `reindex` changes what search
answers without writing a change: the tokenizer that built the index (503 until rebuilt by this
one) and the index generation, which every reindex moves.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.engine import Connection

Stamp = tuple[int, str | None, str | None]

# The search_meta keys are the ones services/indexing.py writes.
STAMP_SQL = (
    "SELECT (SELECT coalesce(max(id), 0) FROM change), "
    "(SELECT value FROM search_meta WHERE key = 'tokenizer_version'), "
    "(SELECT value FROM search_meta WHERE key = 'index_generation')"
)


def read_stamp_sqlite(conn: sqlite3.Connection) -> Stamp:
    """On a plain sqlite3 connection: a few microseconds, so it can run on the event loop."""
    row = conn.execute(STAMP_SQL).fetchone()
    return int(row[0]), row[1], row[2]


def read_stamp(*, connection: Connection) -> Stamp:
    row = connection.exec_driver_sql(STAMP_SQL).one()
    return int(row[0]), row[1], row[2]
