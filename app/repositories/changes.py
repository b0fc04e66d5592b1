"""SQL for the change log (table `change`): reading it in order, and appending to it in order.

The feed hands out changes by id, so ids must become visible in id order: a reader that has seen
change N must already see every change before N that will ever commit. SQLite gives that for free
(one writer at a time: BEGIN IMMEDIATE). PostgreSQL does not: two transactions draw ids 10 and 11
from the sequence, 11 commits first, a poller moves past 11, then 10 appears behind its cursor.
`lock_change_log` closes that gap: a writer takes a transaction-scoped advisory lock just before
it inserts its change row, so writers append one at a time and each commits (and becomes visible,
on the primary and, replaying the WAL in commit order, on replicas) before the next draws an id.
The lock is held from the change insert to the commit, which must be the transaction's last step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, text
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.models import Change, Speech

# An arbitrary 64-bit key that names "the change log" among advisory locks ("jh-chg" in ASCII).
CHANGE_LOG_LOCK = 0x6A682D636867


@dataclass(frozen=True, slots=True)
class ChangeRow:
    id: int
    speech_id: int
    slug: str
    kind: str
    version: int
    at: datetime


def lock_change_log(*, session: Session) -> None:
    """Serialise appends to the change log until this transaction ends (PostgreSQL; a no-op on
    SQLite, whose writers are serialised already). Call right before inserting a change row."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK})


def append_change(*, session: Session, speech_id: int, kind: str, version: int) -> None:
    """Add one change row, in log order (see the module docstring)."""
    lock_change_log(session=session)
    session.add(Change(speech_id=speech_id, kind=kind, version=version))
    session.flush()


def list_changes(*, session: Session, after_id: int, limit: int) -> list[ChangeRow]:
    """Changes with an id above `after_id`, oldest first, with their speech's slug."""
    stmt = (
        sa_select(
            col(Change.id),
            col(Change.speech_id),
            col(Speech.slug),
            col(Change.kind),
            col(Change.version),
            col(Change.at),
        )
        .join(Speech, col(Speech.id) == col(Change.speech_id))
        .where(col(Change.id) > after_id)
        .order_by(col(Change.id))
        .limit(limit)
    )
    return [ChangeRow(*row) for row in session.execute(stmt).all()]


def last_change_id(*, session: Session) -> int:
    """The id of the newest visible change (0 when the log is empty)."""
    found: int | None = session.exec(select(func.max(Change.id))).one()
    return found or 0


def last_change_at(*, session: Session) -> datetime | None:
    """When the newest visible change was made (None when the log is empty).

    The newest by id, found through the primary key: `max(at)` would scan the whole log, which
    has no index on `at`, on every feed and bulk-export request."""
    found: datetime | None = session.exec(select(Change.at).order_by(col(Change.id).desc()).limit(1)).first()
    return found
