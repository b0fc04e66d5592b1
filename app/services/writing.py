"""Use cases that change stored speeches: metadata edits, text replacement, withdrawal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app import parser
from app.models import Speech, utcnow
from app.repositories import sections as section_repo
from app.repositories import speeches as repo
from app.services import indexing
from app.services.ingest import content_hash, diagnostics_of, write_tree


class TextConflict(Exception):
    """Another stored speech already has this text."""

    def __init__(self, speech_id: int) -> None:
        super().__init__(speech_id)
        self.speech_id = speech_id


@dataclass(frozen=True, slots=True)
class EidChange:
    old: str | None
    new: str | None
    heading: str | None


def _bump(session: Session, speech: Speech, kind: str) -> None:
    speech.version += 1
    speech.updated_at = utcnow()
    session.add(speech)
    session.flush()
    assert speech.id is not None
    repo.save_change(session=session, speech_id=speech.id, kind=kind, version=speech.version)


Precondition = Callable[[Speech], None]


def _locked(session: Session, speech_id: int, precondition: Precondition) -> Speech:
    """Load the speech inside the write transaction (under the lock) and check the precondition."""
    speech = repo.get_speech_for_update(session=session, speech_id=speech_id)
    if speech is None:
        raise LookupError(speech_id)
    precondition(speech)
    return speech


def update_metadata(
    *, session: Session, speech_id: int, changes: dict[str, Any], precondition: Precondition
) -> Speech:
    """Apply a merge patch of validated metadata (None clears a field) in one transaction."""
    speech = _locked(session, speech_id, precondition)
    for field, value in changes.items():
        setattr(speech, field, [] if field == "keywords" and value is None else value)
    _bump(session, speech, "updated")
    session.commit()
    session.refresh(speech)
    return speech


def replace_text(
    *, session: Session, speech_id: int, raw_text: str, precondition: Precondition
) -> tuple[Speech, list[EidChange]]:
    """Re-parse a new text into the same speech; report the sections whose eid changed."""
    speech = _locked(session, speech_id, precondition)
    assert speech.id is not None
    parsed = parser.parse(raw_text)
    digest = content_hash(parsed.text)
    if digest == speech.content_hash:
        session.rollback()
        return speech, []
    other = repo.get_speech_by_hash(session=session, content_hash=digest)
    if other is not None and other.id is not None:
        raise TextConflict(other.id)
    before = [
        (s.eid, s.kind, s.heading) for s in section_repo.list_sections(session=session, speech_id=speech.id)
    ]
    indexing.unindex_speech(session=session, speech_id=speech.id)
    repo.delete_tree(session=session, speech_id=speech.id)
    speech.raw_text = raw_text
    speech.text = parsed.text
    speech.content_hash = digest
    speech.parser_version = parser.PARSER_VERSION
    speech.diagnostics = diagnostics_of(parsed)
    session.add(speech)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent writer stored this text meanwhile
        session.rollback()
        raise TextConflict(0) from exc
    write_tree(session=session, speech_id=speech.id, parsed=parsed)
    _bump(session, speech, "updated")
    after = [
        (s.eid, s.kind, s.heading) for s in section_repo.list_sections(session=session, speech_id=speech.id)
    ]
    session.commit()
    session.refresh(speech)
    return speech, eid_changes(before, after)


def eid_changes(
    before: list[tuple[str, str, str | None]], after: list[tuple[str, str, str | None]]
) -> list[EidChange]:
    """Match sections by kind and heading in document order; list those whose eid moved or that
    appeared or went. Sections with the same eid and heading before and after are unchanged."""
    unmatched = list(before)
    changes: list[EidChange] = []
    for eid, kind, heading in after:
        match = next((b for b in unmatched if b[0] == eid and b[1:] == (kind, heading)), None)
        match = match or next((b for b in unmatched if b[1:] == (kind, heading)), None)
        if match is None:
            changes.append(EidChange(None, eid, heading))
            continue
        unmatched.remove(match)
        if match[0] != eid:
            changes.append(EidChange(match[0], eid, heading))
    changes.extend(EidChange(eid, None, heading) for eid, _, heading in unmatched)
    return changes


def withdraw(*, session: Session, speech_id: int, precondition: Precondition) -> Speech:
    """Mark a speech withdrawn: kept, but out of lists, search and the term counts."""
    speech = _locked(session, speech_id, precondition)
    assert speech.id is not None
    if speech.withdrawn_at is None:
        indexing.unindex_speech(session=session, speech_id=speech.id)
        speech.withdrawn_at = utcnow()
        _bump(session, speech, "withdrawn")
        session.commit()
        session.refresh(speech)
    return speech
