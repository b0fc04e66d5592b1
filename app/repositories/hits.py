"""SQL that loads the rows behind search hits, in bulk (one query per kind of row)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, text
from sqlmodel import Session


@dataclass(frozen=True, slots=True)
class HitRow:
    id: int
    speech_id: int
    section_id: int
    text: str
    start: int
    end: int
    paragraph_eid: str | None = None
    kind: str | None = None  # quotes
    source: str | None = None  # quotes


def sentence_rows(*, session: Session, ids: Sequence[int]) -> dict[int, HitRow]:
    if not ids:
        return {}
    sql = text(
        'SELECT s.id, s.speech_id, p.section_id, s.text, s.start, s."end", p.eid '
        "FROM sentence s JOIN paragraph p ON p.id = s.paragraph_id WHERE s.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    rows = session.execute(sql, {"ids": list(ids)})
    return {r[0]: HitRow(r[0], r[1], r[2], r[3], r[4], r[5], paragraph_eid=r[6]) for r in rows}


def section_rows(*, session: Session, ids: Sequence[int]) -> dict[int, HitRow]:
    if not ids:
        return {}
    sql = text(
        "SELECT id, speech_id, coalesce(heading, ''), coalesce(heading_start, start), "
        'coalesce(heading_end, "end") FROM section WHERE id IN :ids'
    ).bindparams(bindparam("ids", expanding=True))
    rows = session.execute(sql, {"ids": list(ids)})
    return {r[0]: HitRow(r[0], r[1], r[0], r[2], r[3], r[4]) for r in rows}


def quote_rows(*, session: Session, ids: Sequence[int]) -> dict[int, HitRow]:
    if not ids:
        return {}
    sql = text(
        'SELECT id, speech_id, section_id, text, start, "end", kind, source FROM quote WHERE id IN :ids'
    ).bindparams(bindparam("ids", expanding=True))
    rows = session.execute(sql, {"ids": list(ids)})
    return {r[0]: HitRow(r[0], r[1], r[2], r[3], r[4], r[5], kind=r[6], source=r[7]) for r in rows}


@dataclass(frozen=True, slots=True)
class SectionNode:
    """The columns a breadcrumb or a context needs, without an ORM object per row."""

    id: int
    parent_id: int | None
    eid: str
    kind: str
    marker: str | None
    heading: str | None
    start: int
    end: int
    heading_start: int | None
    heading_end: int | None


@dataclass(frozen=True, slots=True)
class SpeechHead:
    id: int
    slug: str
    title: str | None
    speaker: str | None
    delivered_on: date | None


def speeches_by_ids(*, session: Session, ids: Sequence[int]) -> dict[int, SpeechHead]:
    if not ids:
        return {}
    sql = text("SELECT id, slug, title, speaker, delivered_on FROM speech WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    return {
        r[0]: SpeechHead(r[0], r[1], r[2], r[3], _date(r[4]))
        for r in session.execute(sql, {"ids": list(ids)})
    }


def _date(value: object) -> date | None:
    # Text SQL returns SQLite dates as ISO strings and PostgreSQL dates as dates.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def sections_with_ancestors(*, session: Session, ids: Sequence[int]) -> dict[int, SectionNode]:
    """The given sections and every ancestor of theirs, by id (one recursive query)."""
    if not ids:
        return {}
    sql = text(
        "WITH RECURSIVE chain(id) AS (SELECT id FROM section WHERE id IN :ids "
        "UNION SELECT s.parent_id FROM section s JOIN chain c ON s.id = c.id WHERE s.parent_id IS NOT NULL) "
        'SELECT id, parent_id, eid, kind, marker, heading, start, "end", heading_start, heading_end '
        "FROM section WHERE id IN (SELECT id FROM chain)"
    ).bindparams(bindparam("ids", expanding=True))
    return {r[0]: SectionNode(*r) for r in session.execute(sql, {"ids": list(ids)})}
