"""Use case: is this process ready to serve (database reachable, schema at head)?"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.core import migrations
from app.schemas import Readiness


def readiness(*, session: Session) -> Readiness:
    try:
        session.execute(text("SELECT 1"))
        connection = session.connection()
        current = migrations.current_revision_of(connection)
    except SQLAlchemyError as exc:
        return Readiness(
            status="not ready", database=f"unreachable ({type(exc).__name__})", migrations="unknown"
        )
    head = migrations.head_revision()
    if current != head:
        return Readiness(status="not ready", database="ok", migrations=f"at {current}, head is {head}")
    return Readiness(status="ready", database="ok", migrations=f"at head ({head})")
