"""Reading the data stamp (repositories/stamp.py) of the database that serves reads, per request.

A whole-response cache is only as good as its check that nothing changed, and the check runs on
every request, so it must cost far less than the work it saves:

- SQLite: a plain sqlite3 connection per thread (no pool, no ORM) runs the stamp query on the event
  loop in a few microseconds; WAL lets it read while a writer writes.
- PostgreSQL: one round trip through the engine's pool, in the threadpool so the loop never waits
  on the network.

Any failure (a database not migrated yet, a server down) reads as "no stamp": the caller then
serves the request uncached, the normal way, which reports the problem properly.
"""

from __future__ import annotations

import sqlite3
import threading
from urllib.parse import quote

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from app.repositories import stamp as stamp_repo
from app.repositories.stamp import Stamp


class DataStamp:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        database = engine.url.database
        is_file = engine.dialect.name == "sqlite" and database not in (None, "", ":memory:")
        # mode=ro: the check must never create a database file that is not there.
        self.sqlite_uri = f"file:{quote(database or '')}?mode=ro" if is_file else None
        self._local = threading.local()

    async def read(self) -> Stamp | None:
        if self.sqlite_uri is not None:
            try:
                return stamp_repo.read_stamp_sqlite(self._connection())
            except sqlite3.Error:
                self._local.conn = None  # reconnect next time (the file may have been replaced)
                return None
        if self.engine.dialect.name == "sqlite":
            return None  # an in-memory database is private to one connection: nothing to share
        try:
            return await run_in_threadpool(self._pooled)
        except Exception:
            return None

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            assert self.sqlite_uri is not None
            # timeout=0: this runs on the event loop, which must never wait on a lock (WAL readers
            # rarely meet one); a busy database reads as "no stamp" and the request goes uncached.
            conn = sqlite3.connect(self.sqlite_uri, uri=True, isolation_level=None, timeout=0)
            self._local.conn = conn
        return conn

    def _pooled(self) -> Stamp:
        with self.engine.connect() as connection:
            return stamp_repo.read_stamp(connection=connection)
