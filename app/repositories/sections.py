"""SQL for a speech's section tree and paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Paragraph, Section


def list_sections(*, session: Session, speech_id: int) -> Sequence[Section]:
    """Every section of a speech in document order."""
    stmt = select(Section).where(Section.speech_id == speech_id).order_by(col(Section.seq))
    return session.exec(stmt).all()


class SectionHead(NamedTuple):
    """A section without its paragraphs: what outlines, breadcrumbs and neighbours show."""

    id: int
    parent_id: int | None
    eid: str
    kind: str
    level: int
    marker: str | None
    ordinal: int | None
    heading: str | None
    start: int
    end: int


_HEAD_COLUMNS = tuple(col(getattr(Section, name)) for name in SectionHead._fields)


def list_section_heads(*, session: Session, speech_id: int) -> list[SectionHead]:
    """Every section of a speech in document order, as plain tuples (no ORM objects to build)."""
    stmt = select(*_HEAD_COLUMNS).where(Section.speech_id == speech_id).order_by(col(Section.seq))
    return [SectionHead(*row) for row in session.execute(stmt)]


def get_section(*, session: Session, speech_id: int, eid: str) -> Section | None:
    stmt = select(Section).where(Section.speech_id == speech_id, Section.eid == eid)
    return session.exec(stmt).first()


def list_paragraphs(*, session: Session, section_id: int) -> Sequence[Paragraph]:
    stmt = select(Paragraph).where(Paragraph.section_id == section_id).order_by(col(Paragraph.position))
    return session.exec(stmt).all()


def count_paragraphs(*, session: Session, speech_id: int) -> int:
    stmt = select(func.count()).select_from(Paragraph).where(Paragraph.speech_id == speech_id)
    return session.exec(stmt).one()
