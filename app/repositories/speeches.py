"""SQL for speeches and the rows a parse produces."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from app.models import Paragraph, Quote, Section, Sentence, Speech


def get_speech(*, session: Session, speech_id: int) -> Speech | None:
    return session.get(Speech, speech_id)


def get_speech_by_slug(*, session: Session, slug: str) -> Speech | None:
    return session.exec(select(Speech).where(Speech.slug == slug)).first()


def get_speech_by_hash(*, session: Session, content_hash: str) -> Speech | None:
    return session.exec(select(Speech).where(Speech.content_hash == content_hash)).first()


def count_speeches(*, session: Session) -> int:
    return session.exec(select(func.count()).select_from(Speech)).one()


def list_speeches(*, session: Session, after_id: int | None, limit: int) -> Sequence[Speech]:
    """Keyset page by id: stable under concurrent inserts, unlike OFFSET."""
    stmt = select(Speech).order_by(col(Speech.id)).limit(limit)
    if after_id is not None:
        stmt = stmt.where(col(Speech.id) > after_id)
    return session.exec(stmt).all()


def save_speech(*, session: Session, speech: Speech) -> Speech:
    session.add(speech)
    session.flush()
    return speech


def save_section(*, session: Session, values: dict[str, Any]) -> int:
    row = Section(**values)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def _insert_many(
    session: Session, model: type[Paragraph | Sentence | Quote], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert many rows in one statement and return their ids in the order given."""
    if not rows:
        return []
    stmt = insert(model).returning(col(model.id), sort_by_parameter_order=True)
    return [r[0] for r in session.execute(stmt, rows)]


def save_paragraphs(*, session: Session, rows: list[dict[str, Any]]) -> list[int]:
    return _insert_many(session, Paragraph, rows)


def save_sentences(*, session: Session, rows: list[dict[str, Any]]) -> list[int]:
    return _insert_many(session, Sentence, rows)


def save_quotes(*, session: Session, rows: list[dict[str, Any]]) -> list[int]:
    return _insert_many(session, Quote, rows)
