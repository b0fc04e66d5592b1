"""SQL for quotes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Quote, Section


def list_quotes(
    *,
    session: Session,
    speech_id: int | None,
    kind: str | None,
    after_id: int | None,
    limit: int,
) -> Sequence[tuple[Quote, str]]:
    """Quotes with their section's eid, ordered by id (keyset pagination)."""
    stmt = (
        select(Quote, Section.eid)
        .join(Section, col(Section.id) == col(Quote.section_id))
        .order_by(col(Quote.id))
        .limit(limit)
    )
    if speech_id is not None:
        stmt = stmt.where(Quote.speech_id == speech_id)
    if kind is not None:
        stmt = stmt.where(Quote.kind == kind)
    if after_id is not None:
        stmt = stmt.where(col(Quote.id) > after_id)
    return session.exec(stmt).all()


def count_quotes(*, session: Session, speech_id: int | None, kind: str | None) -> int:
    stmt = select(func.count()).select_from(Quote)
    if speech_id is not None:
        stmt = stmt.where(Quote.speech_id == speech_id)
    if kind is not None:
        stmt = stmt.where(Quote.kind == kind)
    return session.exec(stmt).one()
