"""SQL for quotes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Paragraph, Quote, Section, Speech
from app.repositories.search import Filters


def _filtered(stmt: Any, filters: Filters) -> Any:
    stmt = stmt.where(col(Speech.withdrawn_at).is_(None))
    if filters.speech_id is not None:
        stmt = stmt.where(Quote.speech_id == filters.speech_id)
    if filters.kind is not None:
        stmt = stmt.where(Quote.kind == filters.kind)
    if filters.source is not None:
        stmt = stmt.where(Quote.source == filters.source)
    if filters.min_len is not None:
        stmt = stmt.where(func.length(Quote.text) >= filters.min_len)
    if filters.max_len is not None:
        stmt = stmt.where(func.length(Quote.text) <= filters.max_len)
    if filters.date_from is not None:
        stmt = stmt.where(col(Speech.delivered_on) >= filters.date_from)
    if filters.date_to is not None:
        stmt = stmt.where(col(Speech.delivered_on) <= filters.date_to)
    if filters.upto is not None:
        stmt = stmt.where(col(Quote.id) <= filters.upto)
    return stmt


def list_quote_ids(
    *,
    session: Session,
    filters: Filters,
    sort: Literal["id", "date"],
    after_id: int | None,
    offset: int,
    limit: int,
) -> list[int]:
    """Quote ids in document order (keyset by id) or newest speech first (offset)."""
    stmt = _filtered(select(Quote.id).join(Speech, col(Speech.id) == col(Quote.speech_id)), filters)
    if sort == "date":
        stmt = stmt.order_by(
            col(Speech.delivered_on).is_(None), col(Speech.delivered_on).desc(), col(Quote.id)
        ).offset(offset)
    else:
        stmt = stmt.order_by(col(Quote.id))
        if after_id is not None:
            stmt = stmt.where(col(Quote.id) > after_id)
    return list(session.exec(stmt.limit(limit)).all())


def count_quotes(*, session: Session, filters: Filters) -> int:
    stmt = _filtered(
        select(func.count()).select_from(Quote).join(Speech, col(Speech.id) == col(Quote.speech_id)), filters
    )
    return int(session.exec(stmt).one())


def random_quote_ids(*, session: Session, filters: Filters, limit: int, rng: random.Random) -> list[int]:
    """Up to `limit` distinct random quotes: probe random ids, so no table scan or ORDER BY random()."""
    base = _filtered(select(Quote.id).join(Speech, col(Speech.id) == col(Quote.speech_id)), filters)
    bounds = session.exec(
        _filtered(
            select(func.min(Quote.id), func.max(Quote.id)).join(
                Speech, col(Speech.id) == col(Quote.speech_id)
            ),
            filters,
        )
    ).one()
    low, high = bounds
    if low is None or high is None:
        return []
    found: list[int] = []
    for _ in range(limit * 4):
        probe = rng.randint(low, high)
        hit = session.exec(base.where(col(Quote.id) >= probe).order_by(col(Quote.id)).limit(1)).first()
        if hit is not None and hit not in found:
            found.append(hit)
        if len(found) == limit:
            break
    return found


def get_quote(*, session: Session, quote_id: int) -> tuple[Quote, Speech] | None:
    stmt = (
        select(Quote, Speech)
        .join(Speech, col(Speech.id) == col(Quote.speech_id))
        .where(Quote.id == quote_id, col(Speech.withdrawn_at).is_(None))
    )
    row = session.exec(stmt).first()
    return None if row is None else (row[0], row[1])


def quotes_by_ids(*, session: Session, ids: Sequence[int]) -> list[tuple[Quote, str]]:
    """Quotes with their section eid, in the order of `ids`."""
    if not ids:
        return []
    stmt = select(Quote, Section.eid).join(Section, col(Section.id) == col(Quote.section_id))
    rows = {q.id: (q, eid) for q, eid in session.exec(stmt.where(col(Quote.id).in_(ids))).all()}
    return [rows[i] for i in ids if i in rows]


def paragraph_at(*, session: Session, speech_id: int, offset: int) -> Paragraph | None:
    """The paragraph whose span contains `offset`."""
    stmt = (
        select(Paragraph)
        .where(Paragraph.speech_id == speech_id, col(Paragraph.start) <= offset, col(Paragraph.end) > offset)
        .order_by(col(Paragraph.start).desc())
        .limit(1)
    )
    return session.exec(stmt).first()
