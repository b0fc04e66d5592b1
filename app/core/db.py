"""Engines and sessions.

SQLite gets WAL, foreign keys and a busy timeout on every connection, and writers begin
IMMEDIATE. PostgreSQL gets a pooled engine; GET traffic may go to a read replica
(JIANGHUA_READ_DATABASE_URL) while every write goes to the primary.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from functools import lru_cache
from pathlib import Path
from time import thread_time
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine
from starlette.concurrency import run_in_threadpool

from app.core.config import get_settings

T = TypeVar("T")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_dir(url: str) -> None:
    """Create the folder of a file-backed SQLite URL so a fresh clone can start without set-up."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        Path(u.database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, *, busy_timeout_ms: int = 5000) -> Engine:
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    ensure_sqlite_dir(url)
    # The stdlib driver opens its own implicit transactions; we take control so that
    # "BEGIN IMMEDIATE" can be issued for writes (no deadlocking lock upgrades under WAL).
    # The pool never makes a checkout wait (max_overflow=-1): reads run on the event loop (run_read),
    # where waiting for a connection that only the loop can give back would wait forever. A SQLite
    # connection is a file handle; the pool keeps 16 and closes extra ones when they come back.
    # (An in-memory database keeps SQLAlchemy's one-connection-per-thread pool.)
    database = make_url(url).database
    in_memory = database in (None, "", ":memory:") or "mode=memory" in url
    pool: dict[str, Any] = {} if in_memory else {"pool_size": 16, "max_overflow": -1}
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000}, **pool
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers take the write lock up front (BEGIN IMMEDIATE): a deferred transaction that
        # upgrades from read to write under WAL fails with SQLITE_BUSY instead of waiting.
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


# --- short reads on the event loop -----------------------------------------------------------------
#
# A `def` route or dependency costs a threadpool hop each, and on the hot read paths the hops cost
# more than the queries (BENCHMARKS.md). On SQLite, a read of a few indexed rows takes microseconds,
# so run_read runs it inline on the event loop, under a budget that SQLite's progress handler
# enforces: a read that overruns is interrupted (QueryTimeout, a 503) instead of stalling every other
# request. The budget is CPU time of the loop's thread, not wall time: on a busy machine the process
# may wait for a core for longer than a read takes, and that wait is no reason to fail the read.
# Readers never wait for SQLite locks under WAL. Other engines go over the network: there run_read
# hops to the threadpool once.

INLINE_READ_BUDGET_S = 0.25
PROGRESS_STEPS = 1000  # SQLite VM instructions between budget checks: microseconds apart


class QueryTimeout(Exception):
    """A read on the event loop used up its CPU budget and was interrupted."""


async def run_read(session: Session, fn: Callable[..., T], /, **kwargs: Any) -> T:
    """`fn(session=session, **kwargs)`: inline under a budget on SQLite, in the threadpool elsewhere.

    The budget is a progress handler on this read's connection only, set for the call and removed
    after it: sqlite3 takes the GIL back for every callback, which other queries need not pay.
    """
    if session.get_bind().dialect.name != "sqlite":
        return await run_in_threadpool(fn, session=session, **kwargs)
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    until = thread_time() + INLINE_READ_BUDGET_S
    raw.set_progress_handler(lambda: 1 if thread_time() > until else 0, PROGRESS_STEPS)
    try:
        return fn(session=session, **kwargs)
    except OperationalError as exc:
        if "interrupted" in str(exc.orig):
            raise QueryTimeout(f"a read used more than {INLINE_READ_BUDGET_S * 1000:.0f} ms of CPU") from exc
        raise
    finally:
        raw.set_progress_handler(None, 0)


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions start with BEGIN IMMEDIATE on SQLite."""
    return engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(str(engine.url)) else engine


@lru_cache
def get_engine() -> Engine:
    """The primary database: every write, and reads when no replica is configured."""
    settings = get_settings()
    return make_engine(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)


@lru_cache
def get_read_engine() -> Engine:
    settings = get_settings()
    if not settings.read_database_url:
        return get_engine()
    return make_engine(settings.read_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)


async def get_session() -> AsyncIterator[Session]:
    """A session for reads (the replica when one is configured).

    An async generator so that FastAPI opens and closes it without two threadpool hops per request:
    making a Session does no I/O, and closing one returns its connection with a rollback, which on
    SQLite is a local call of microseconds. A network round trip (PostgreSQL) goes to the threadpool.
    """
    engine = get_read_engine()
    session = Session(engine)
    try:
        yield session
    finally:
        if engine.dialect.name == "sqlite":
            session.close()
        else:
            await run_in_threadpool(session.close)


def get_write_session() -> Iterator[Session]:
    """A session on the primary whose transactions take the write lock at BEGIN."""
    with Session(writer(get_engine())) as session:
        yield session


def database_problems(engine: Engine, *, unreachable_ok: bool = False) -> list[str]:
    """What is wrong with the database for Jianghua, each with its fix; empty when all is well.

    PostgreSQL must store UTF-8 and use a non-C LC_CTYPE: with the C ctype, text functions treat
    every Chinese character as a non-letter (../shared/research/chinese-search.md, section 4).
    With `unreachable_ok`, a server that does not answer is no problem (yet): /readyz reports it.
    """
    if engine.dialect.name != "postgresql":
        return []
    from sqlalchemy import text

    try:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT pg_encoding_to_char(encoding), datctype, current_database() "
                    "FROM pg_database WHERE datname = current_database()"
                )
            ).one()
    except TypeError:
        # The driver hands text out as bytes only for a SQL_ASCII database, and the dialect's first
        # look at the server (a regex over its version string) then fails.
        return [
            "the database's encoding is SQL_ASCII (text comes back as bytes), not UTF8",
            "fix: CREATE DATABASE … ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
        ]
    except Exception as exc:
        if unreachable_ok and isinstance(exc, OperationalError):
            return []
        return [
            f"cannot use the database ({type(exc).__name__}: {exc}); is it UTF8?",
            "fix: CREATE DATABASE … ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0",
        ]
    encoding, ctype, name = row
    problems = []
    if encoding != "UTF8":
        problems.append(f"database {name} uses encoding {encoding}, not UTF8")
    if ctype in ("C", "POSIX"):
        problems.append(f"database {name} uses LC_CTYPE {ctype}, which does not know Chinese letters")
    if problems:
        problems.append(
            f"fix: CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
            "TEMPLATE template0; then run `python -m app migrate` (or migrate-data) into it"
        )
    return problems
