"""SQL for a speech's section tree and paragraphs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Paragraph, Section


def list_sections(*, session: Session, speech_id: int) -> Sequence[Section]:
    """Every section of a speech in document order."""
    stmt = select(Section).where(Section.speech_id == speech_id).order_by(col(Section.seq))
    return session.exec(stmt).all()


def get_section(*, session: Session, speech_id: int, eid: str) -> Section | None:
    stmt = select(Section).where(Section.speech_id == speech_id, Section.eid == eid)
    return session.exec(stmt).first()


def list_paragraphs(*, session: Session, section_id: int) -> Sequence[Paragraph]:
    stmt = select(Paragraph).where(Paragraph.section_id == section_id).order_by(col(Paragraph.position))
    return session.exec(stmt).all()


def count_sections_by_kind(*, session: Session, speech_id: int) -> dict[str, int]:
    stmt = (
        select(Section.kind, func.count()).where(Section.speech_id == speech_id).group_by(col(Section.kind))
    )
    return dict(session.exec(stmt).all())


def count_paragraphs(*, session: Session, speech_id: int) -> int:
    stmt = select(func.count()).select_from(Paragraph).where(Paragraph.speech_id == speech_id)
    return session.exec(stmt).one()
