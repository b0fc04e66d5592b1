"""Use cases that change stored speeches: metadata edits, text replacement, withdrawal."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app import parser
from app.models import Speech, utcnow
from app.repositories import exports as export_repo
from app.repositories import sections as section_repo
from app.repositories import speeches as repo
from app.services import indexing
from app.services.ingest import content_hash, diagnostics_of, parse_for_storage, stored_metadata, write_tree


class Withdrawn(Exception):
    """The speech was withdrawn (possibly by a concurrent request after the caller loaded it)."""


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
    element: str = "section"  # "section" or "paragraph"


@dataclass(frozen=True, slots=True)
class Addressed:
    """A section or paragraph as its eid addresses it: `key` is what stays when it is unchanged
    (a section's kind and heading, a paragraph's text); `heading` is what to show for it."""

    element: str
    eid: str
    key: tuple[str | None, ...]
    heading: str | None


def _bump(session: Session, speech: Speech, kind: str) -> None:
    speech.version += 1
    speech.updated_at = utcnow()
    session.add(speech)
    session.flush()
    assert speech.id is not None
    repo.save_change(session=session, speech_id=speech.id, kind=kind, version=speech.version)


Precondition = Callable[[Speech], None]


def _locked(session: Session, speech_id: int, precondition: Precondition, *, live: bool = True) -> Speech:
    """Load the speech inside the write transaction (under the lock) and check the precondition.

    `live`: refuse (Withdrawn) a speech withdrawn meanwhile; the caller saw it live before the lock,
    and editing it now would log an update after its withdrawal."""
    speech = repo.get_speech_for_update(session=session, speech_id=speech_id)
    if speech is None:
        raise LookupError(speech_id)
    if live and speech.withdrawn_at is not None:
        session.rollback()
        raise Withdrawn(speech_id)
    precondition(speech)
    return speech


def update_metadata(
    *, session: Session, speech_id: int, changes: dict[str, Any], precondition: Precondition
) -> Speech:
    """Apply a merge patch of validated metadata (None clears a field) in one transaction."""
    speech = _locked(session, speech_id, precondition)
    wanted = stored_metadata(changes)
    if all(getattr(speech, field) == value for field, value in wanted.items()):
        # Nothing changes: no new version, so ETags hold and mirrors have nothing to fetch again.
        session.expunge(speech)
        session.rollback()
        return speech
    for field, value in wanted.items():
        setattr(speech, field, value)
    _bump(session, speech, "updated")
    session.commit()
    session.refresh(speech)
    return speech


def replace_text(
    *, session: Session, speech_id: int, raw_text: str, precondition: Precondition
) -> tuple[Speech, list[EidChange]]:
    """Re-parse a new text into the same speech; report the sections whose eid changed."""
    parsed = parse_for_storage(raw_text)  # EmptyText before any lock is taken
    speech = _locked(session, speech_id, precondition)
    assert speech.id is not None
    digest = content_hash(parsed.text)
    if digest == speech.content_hash:
        session.rollback()
        return speech, []
    other = repo.get_speech_by_hash(session=session, content_hash=digest)
    if other is not None and other.id is not None:
        raise TextConflict(other.id)
    before = _addressed(session, speech.id)
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
    after = _addressed(session, speech.id)
    _bump(session, speech, "updated")  # takes the change-log lock, held to the commit: nothing after it
    session.commit()
    session.refresh(speech)
    return speech, eid_changes(before, after)


def _addressed(session: Session, speech_id: int) -> list[Addressed]:
    """Every section, then every paragraph, of a speech in document order."""
    sections = section_repo.list_sections(session=session, speech_id=speech_id)
    heading_of = {s.id: s.heading for s in sections}
    return [
        *(Addressed("section", s.eid, (s.kind, s.heading), s.heading) for s in sections),
        *(
            Addressed("paragraph", p.eid, (p.text,), heading_of.get(p.section_id))
            for p in export_repo.list_paragraphs(session=session, speech_id=speech_id)
        ),
    ]


def eid_changes(before: list[Addressed], after: list[Addressed]) -> list[EidChange]:
    """The eids a client may hold that now address something else or nothing, and where it went.

    Per element kind, in document order: an eid with the same content before and after is
    unchanged; content found again under another eid moved (old -> new); an eid still there with
    edited content (a corrected heading or paragraph) is unchanged too; what is left appeared
    (null -> new) or went (old -> null).
    """
    changes: list[EidChange] = []
    for element in ("section", "paragraph"):
        old = [a for a in before if a.element == element]
        new = [a for a in after if a.element == element]
        same = {(a.eid, a.key) for a in old} & {(a.eid, a.key) for a in new}
        old = [a for a in old if (a.eid, a.key) not in same]
        new = [a for a in new if (a.eid, a.key) not in same]
        # Pair equal content in document order; by key, so a long speech stays linear.
        waiting: dict[tuple[str | None, ...], deque[int]] = {}
        for i, b in enumerate(old):
            waiting.setdefault(b.key, deque()).append(i)
        moved: list[tuple[Addressed, Addressed]] = []
        paired_old: set[int] = set()
        unpaired_new: list[Addressed] = []
        for a in new:
            queue = waiting.get(a.key)
            if queue:
                i = queue.popleft()
                paired_old.add(i)
                moved.append((old[i], a))
            else:
                unpaired_new.append(a)
        old = [b for i, b in enumerate(old) if i not in paired_old]
        new = unpaired_new
        kept = {a.eid for a in old} & {a.eid for a in new}
        changes += [EidChange(b.eid, a.eid, a.heading, element) for b, a in moved if b.eid != a.eid]
        changes += [EidChange(None, a.eid, a.heading, element) for a in new if a.eid not in kept]
        changes += [EidChange(b.eid, None, b.heading, element) for b in old if b.eid not in kept]
    return changes


def withdraw(*, session: Session, speech_id: int, precondition: Precondition) -> Speech:
    """Mark a speech withdrawn: kept, but out of lists, search and the term counts."""
    speech = _locked(session, speech_id, precondition, live=False)
    assert speech.id is not None
    if speech.withdrawn_at is None:
        indexing.unindex_speech(session=session, speech_id=speech.id)
        speech.withdrawn_at = utcnow()
        _bump(session, speech, "withdrawn")
        session.commit()
        session.refresh(speech)
    return speech
