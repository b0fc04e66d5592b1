"""SQL behind exports, feeds and embeds: a speech's whole tree, quotes with their speech, the newest rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.models import Paragraph, Quote, Section, Sentence, Speech


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """A quote with the section it sits in and the speech it comes from (one row per quote)."""

    id: int
    speech_id: int
    kind: str
    text: str
    source: str | None
    start: int
    end: int
    score: float | None
    reason: str | None
    eid: str
    section_heading: str | None
    section_marker: str | None
    slug: str
    title: str | None
    speaker: str | None
    occasion: str | None
    delivered_on: date | None
    updated_at: datetime


def list_paragraphs(*, session: Session, speech_id: int) -> Sequence[Paragraph]:
    """Every paragraph of a speech in document order."""
    stmt = select(Paragraph).where(Paragraph.speech_id == speech_id).order_by(col(Paragraph.start))
    return session.exec(stmt).all()


def list_sentences(*, session: Session, speech_id: int) -> Sequence[Sentence]:
    """Every sentence of a speech in document order."""
    stmt = select(Sentence).where(Sentence.speech_id == speech_id).order_by(col(Sentence.start))
    return session.exec(stmt).all()


def list_quotes(*, session: Session, speech_id: int) -> list[tuple[Quote, str]]:
    """Every quote of a speech with its section's eid, in document order."""
    stmt = (
        select(Quote, Section.eid)
        .join(Section, col(Section.id) == col(Quote.section_id))
        .where(Quote.speech_id == speech_id)
        .order_by(col(Quote.start), col(Quote.id))
    )
    return [(q, eid) for q, eid in session.exec(stmt).all()]


def quote_rows(*, session: Session, ids: Sequence[int]) -> list[QuoteRow]:
    """Quotes of live speeches with their section and speech, in the order of `ids`."""
    if not ids:
        return []
    columns = (
        Quote.id, Quote.speech_id, Quote.kind, Quote.text, Quote.source, Quote.start, Quote.end,
        Quote.score, Quote.reason, Section.eid, Section.heading, Section.marker, Speech.slug,
        Speech.title, Speech.speaker, Speech.occasion, Speech.delivered_on, Speech.updated_at,
    )  # fmt: skip
    stmt = (
        sa_select(*(col(c) for c in columns))
        .join(Section, col(Section.id) == col(Quote.section_id))
        .join(Speech, col(Speech.id) == col(Quote.speech_id))
        .where(col(Quote.id).in_(ids), col(Speech.withdrawn_at).is_(None))
    )
    rows = {row[0]: QuoteRow(*row) for row in session.execute(stmt).all()}
    return [rows[i] for i in ids if i in rows]


def newest_speeches(
    *, session: Session, speaker: str | None, title: str | None, limit: int
) -> Sequence[Speech]:
    """Live speeches, the most recently stored first, optionally by speaker or words in the title."""
    stmt = select(Speech).where(col(Speech.withdrawn_at).is_(None))
    if speaker is not None:
        stmt = stmt.where(Speech.speaker == speaker)
    if title is not None:
        stmt = stmt.where(col(Speech.title).contains(title, autoescape=True))
    return session.exec(stmt.order_by(col(Speech.id).desc()).limit(limit)).all()


def first_paragraphs(*, session: Session, speech_ids: Sequence[int]) -> dict[int, str]:
    """The first paragraph of each speech (a summary for feeds)."""
    if not speech_ids:
        return {}
    first = (
        select(Paragraph.speech_id, func.min(Paragraph.start).label("start"))
        .where(col(Paragraph.speech_id).in_(speech_ids))
        .group_by(col(Paragraph.speech_id))
        .subquery()
    )
    stmt = select(Paragraph.speech_id, Paragraph.text).join(
        first, (first.c.speech_id == Paragraph.speech_id) & (first.c.start == Paragraph.start)
    )
    return dict(session.exec(stmt).all())


def newest_quote_ids(
    *, session: Session, kind: str | None, speaker: str | None, within: Sequence[int] | None, limit: int
) -> list[int]:
    """Quotes of live speeches, the most recently stored first; `within` restricts to given ids."""
    stmt = (
        select(Quote.id)
        .join(Speech, col(Speech.id) == col(Quote.speech_id))
        .where(col(Speech.withdrawn_at).is_(None))
    )
    if kind is not None:
        stmt = stmt.where(Quote.kind == kind)
    if speaker is not None:
        stmt = stmt.where(Speech.speaker == speaker)
    if within is not None:
        stmt = stmt.where(col(Quote.id).in_(within))
    return [i for i in session.exec(stmt.order_by(col(Quote.id).desc()).limit(limit)).all() if i is not None]


def live_speech_ids(*, session: Session, after_id: int, limit: int) -> list[int]:
    """Ids of live speeches after `after_id`, in id order (for full dumps, a batch at a time)."""
    stmt = (
        select(Speech.id)
        .where(col(Speech.id) > after_id, col(Speech.withdrawn_at).is_(None))
        .order_by(col(Speech.id))
        .limit(limit)
    )
    return [i for i in session.exec(stmt).all() if i is not None]
