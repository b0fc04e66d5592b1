"""SQL for speeches and the rows a parse produces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, cast

from sqlalchemy import func, insert, text
from sqlalchemy.orm import defer
from sqlmodel import Session, and_, col, or_, select

from app.models import Paragraph, Quote, Section, Sentence, Speech
from app.repositories import changes as change_repo

# The stored texts (raw and normalised, tens of KB each for a report) and the diagnostics (a JSON
# document) are loaded only when read: loading a speech to check it exists, to compute its ETag or
# to list it needs neither.
_TEXTS_DEFERRED = tuple(defer(cast(Any, c)) for c in (Speech.raw_text, Speech.text, Speech.diagnostics))


def get_speech(*, session: Session, speech_id: int) -> Speech | None:
    return session.get(Speech, speech_id, options=_TEXTS_DEFERRED)


def get_speech_for_update(*, session: Session, speech_id: int) -> Speech | None:
    """The speech, row-locked until the transaction ends (PostgreSQL; SQLite's writer lock covers it)."""
    stmt = select(Speech).where(Speech.id == speech_id).with_for_update()
    return session.exec(stmt).first()


def get_speech_by_slug(*, session: Session, slug: str) -> Speech | None:
    return session.exec(select(Speech).where(Speech.slug == slug).options(*_TEXTS_DEFERRED)).first()


def get_speech_by_hash(*, session: Session, content_hash: str) -> Speech | None:
    return session.exec(select(Speech).where(Speech.content_hash == content_hash)).first()


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


def indexed_texts(*, session: Session, speech_id: int) -> dict[str, list[tuple[int, str | None]]]:
    """(id, indexed text) of a speech's sentences, section headings and quotes."""
    sql = {
        "sentence": "SELECT id, text FROM sentence WHERE speech_id = :s",
        "section": "SELECT id, heading FROM section WHERE speech_id = :s",
        "quote": "SELECT id, text FROM quote WHERE speech_id = :s",
    }
    return {
        target: [(r[0], r[1]) for r in session.execute(text(query), {"s": speech_id})]
        for target, query in sql.items()
    }


def term_texts(*, session: Session, speech_id: int) -> list[str]:
    rows = session.execute(
        text("SELECT text FROM quote WHERE speech_id = :s AND kind = 'term'"), {"s": speech_id}
    )
    return [r[0] for r in rows]


def delete_tree(*, session: Session, speech_id: int) -> None:
    """Remove a speech's sections; paragraphs, sentences and quotes go with them (ON DELETE CASCADE)."""
    session.execute(text("DELETE FROM section WHERE speech_id = :s"), {"s": speech_id})


def save_change(*, session: Session, speech_id: int, kind: str, version: int) -> None:
    """Log a change; must be the last write of its transaction (the log is appended in commit order)."""
    change_repo.append_change(session=session, speech_id=speech_id, kind=kind, version=version)


def list_speeches_filtered(
    *,
    session: Session,
    filters: SpeechFilters,
    sort: Literal["id", "date"],
    after_id: int | None,
    offset: int,
    limit: int,
    after_date: tuple[date | None, int] | None = None,
) -> Sequence[Speech]:
    """A page of live speeches. `sort="id"` continues after `after_id`; `sort="date"` (newest
    delivered first, undated last, ties newest id first) continues after `after_date`, the
    (delivered_on, id) of the last row seen, or skips `offset` rows (older cursors)."""
    stmt = _speech_filters(select(Speech).options(*_TEXTS_DEFERRED), filters)
    if sort == "date":
        stmt = stmt.order_by(
            col(Speech.delivered_on).is_(None), col(Speech.delivered_on).desc(), col(Speech.id).desc()
        )
        if after_date is not None:
            stmt = stmt.where(_after_in_date_order(*after_date))
        else:
            stmt = stmt.offset(offset)
    else:
        stmt = stmt.order_by(col(Speech.id))
        if after_id is not None:
            stmt = stmt.where(col(Speech.id) > after_id)
    rows: Sequence[Speech] = session.exec(stmt.limit(limit)).all()
    return rows


def _after_in_date_order(day: date | None, speech_id: int) -> Any:
    """Rows after (day, speech_id) in the order delivered_on DESC NULLS LAST, id DESC."""
    undated = col(Speech.delivered_on).is_(None)
    if day is None:
        return and_(undated, col(Speech.id) < speech_id)
    return or_(
        undated,
        col(Speech.delivered_on) < day,
        and_(col(Speech.delivered_on) == day, col(Speech.id) < speech_id),
    )


def count_speeches_filtered(*, session: Session, filters: SpeechFilters) -> int:
    return int(session.exec(_speech_filters(select(func.count()).select_from(Speech), filters)).one())


@dataclass(frozen=True, slots=True)
class SpeechFilters:
    speaker: str | None = None
    publisher: str | None = None
    genre: str | None = None
    topic: str | None = None  # a path prefix: 综合政务 matches 综合政务/政务公开
    date_from: date | None = None
    date_to: date | None = None
    title: str | None = None  # substring of the title


def _speech_filters(stmt: Any, f: SpeechFilters) -> Any:
    stmt = stmt.where(col(Speech.withdrawn_at).is_(None))
    if f.speaker is not None:
        stmt = stmt.where(Speech.speaker == f.speaker)
    if f.publisher is not None:
        stmt = stmt.where(Speech.publisher == f.publisher)
    if f.genre is not None:
        stmt = stmt.where(Speech.genre == f.genre)
    if f.topic is not None:
        stmt = stmt.where(
            or_(Speech.topic == f.topic, col(Speech.topic).startswith(f.topic + "/", autoescape=True))
        )
    if f.date_from is not None:
        stmt = stmt.where(col(Speech.delivered_on) >= f.date_from)
    if f.date_to is not None:
        stmt = stmt.where(col(Speech.delivered_on) <= f.date_to)
    if f.title is not None:
        stmt = stmt.where(col(Speech.title).contains(f.title, autoescape=True))
    return stmt
