"""Use case: text in, rows out. One transaction per speech; the same text twice is a no-op."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app import parser
from app.models import Speech
from app.repositories import speeches as repo
from app.services import indexing


@dataclass(frozen=True, slots=True)
class IngestResult:
    speech: Speech
    created: bool


class EmptyText(ValueError):
    """Nothing is left of the text once normalised (only whitespace, markup or control characters)."""


def parse_for_storage(raw_text: str) -> parser.ParsedSpeech:
    """Parse a text that is to be stored; EmptyText when normalising leaves nothing to store."""
    parsed = parser.parse(raw_text)
    if not parsed.text.strip():
        raise EmptyText("the text is empty once normalised")
    return parsed


def content_hash(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def stored_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """Validated metadata as the speech row stores it: null clears a field, and a cleared keyword
    list is empty (a JSON column would store None as the JSON value null, past NOT NULL, and every
    read of the speech would fail)."""
    if "keywords" in metadata and metadata["keywords"] is None:
        return {**metadata, "keywords": []}
    return metadata


def ingest_text(*, session: Session, raw_text: str, metadata: dict[str, Any] | None = None) -> IngestResult:
    """Parse and store a speech, or return the stored one with the same normalised text.

    The caller's session must come from a writer engine (BEGIN IMMEDIATE on SQLite), so the
    existence check and the insert happen under one write lock. `metadata` (validated field ->
    value) overrides what the parser read from the text; it is ignored for a stored text.
    Raises EmptyText for a text with nothing left once normalised (e.g. only `[]` or `<br>`).
    """
    parsed = parse_for_storage(raw_text)
    digest = content_hash(parsed.text)
    existing = repo.get_speech_by_hash(session=session, content_hash=digest)
    if existing is not None:
        return IngestResult(_detach(session, existing), created=False)
    try:
        speech = _store(
            session=session, raw_text=raw_text, parsed=parsed, digest=digest, metadata=metadata or {}
        )
        session.expunge(speech)  # keep its loaded values readable after the commit
        session.commit()
    except IntegrityError:
        # Another writer (another process, on PostgreSQL) stored the same text first.
        session.rollback()
        winner = repo.get_speech_by_hash(session=session, content_hash=digest)
        if winner is None:
            raise
        return IngestResult(_detach(session, winner), created=False)
    return IngestResult(speech, created=True)


def _detach(session: Session, speech: Speech) -> Speech:
    """Hand back a loaded row and end the transaction, releasing the write lock at once."""
    session.expunge(speech)
    session.rollback()
    return speech


def _store(
    *, session: Session, raw_text: str, parsed: parser.ParsedSpeech, digest: str, metadata: dict[str, Any]
) -> Speech:
    meta = parsed.metadata
    values: dict[str, Any] = {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "speaker": meta.speaker,
        "occasion": meta.occasion,
        "delivered_on": _iso_date(meta.date),
    }
    metadata = stored_metadata(metadata)
    speech = repo.save_speech(
        session=session,
        speech=Speech(
            slug=digest[:12],
            content_hash=digest,
            raw_text=raw_text,
            text=parsed.text,
            parser_version=parser.PARSER_VERSION,
            diagnostics=[_diagnostic(d) for d in parsed.diagnostics],
            **(values | metadata),
        ),
    )
    assert speech.id is not None
    write_tree(session=session, speech_id=speech.id, parsed=parsed)
    repo.save_change(session=session, speech_id=speech.id, kind="created", version=speech.version)
    return speech


def write_tree(*, session: Session, speech_id: int, parsed: parser.ParsedSpeech) -> None:
    """Store a parse's sections, paragraphs, sentences and quotes, and index them."""
    _TreeWriter(session, speech_id).write(parsed)


def diagnostics_of(parsed: parser.ParsedSpeech) -> list[dict[str, object]]:
    return [_diagnostic(d) for d in parsed.diagnostics]


def _diagnostic(d: parser.Diagnostic) -> dict[str, object]:
    return {"code": d.code, "message": d.message, "line": d.line, "span": [d.span.start, d.span.end]}


class _TreeWriter:
    """Writes the section tree in document order, then paragraphs, sentences and quotes in bulk."""

    def __init__(self, session: Session, speech_id: int) -> None:
        self.session = session
        self.speech_id = speech_id
        self.seq = 0
        self.section_ids: dict[str, int] = {}
        self.paragraphs: list[tuple[int, parser.Paragraph, int]] = []
        self.headings: list[tuple[int, str | None]] = []

    def write(self, parsed: parser.ParsedSpeech) -> None:
        top: list[parser.Section] = []
        if parsed.preamble is not None:
            top.append(parsed.preamble)
        top.extend(parsed.sections)
        if parsed.closing is not None:
            top.append(parsed.closing)
        for position, section in enumerate(top):
            self._section(section, parent_id=None, position=position)
        if parsed.footnotes:
            self._footnotes(parsed.footnotes, position=len(top))
        self._bodies()
        self._quotes(parsed.quotes)
        indexing.index_rows(session=self.session, target="section", rows=self.headings)
        indexing.add_terms(session=self.session, terms=(q.text for q in parsed.quotes if q.kind == "term"))

    def _section(self, s: parser.Section, *, parent_id: int | None, position: int) -> None:
        heading = s.heading
        section_id = repo.save_section(
            session=self.session,
            values={
                "speech_id": self.speech_id,
                "parent_id": parent_id,
                "eid": s.eid,
                "kind": s.kind,
                "level": s.level,
                "position": position,
                "seq": self._next_seq(),
                "marker": s.marker,
                "ordinal": s.ordinal,
                "heading": s.title,
                "style": s.style,
                "start": s.span.start,
                "end": s.span.end,
                "heading_start": heading.span.start if heading else None,
                "heading_end": heading.span.end if heading else None,
            },
        )
        self.section_ids[s.eid] = section_id
        self.headings.append((section_id, s.title))
        self.paragraphs.extend((section_id, p, i) for i, p in enumerate(s.paragraphs))
        for i, child in enumerate(s.children):
            self._section(child, parent_id=section_id, position=i)

    def _footnotes(self, notes: tuple[parser.Paragraph, ...], *, position: int) -> None:
        section_id = repo.save_section(
            session=self.session,
            values={
                "speech_id": self.speech_id,
                "parent_id": None,
                "eid": "footnotes",
                "kind": "footnotes",
                "level": 0,
                "position": position,
                "seq": self._next_seq(),
                "start": notes[0].span.start,
                "end": notes[-1].span.end,
            },
        )
        self.section_ids["footnotes"] = section_id
        self.paragraphs.extend((section_id, p, i) for i, p in enumerate(notes))

    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq - 1

    def _bodies(self) -> None:
        rows: list[dict[str, Any]] = [
            {
                "speech_id": self.speech_id,
                "section_id": section_id,
                "eid": p.eid,
                "position": position,
                "text": p.text,
                "start": p.span.start,
                "end": p.span.end,
            }
            for section_id, p, position in self.paragraphs
        ]
        ids = repo.save_paragraphs(session=self.session, rows=rows)
        sentences = [
            {
                "speech_id": self.speech_id,
                "paragraph_id": paragraph_id,
                "position": i,
                "text": s.text,
                "start": s.span.start,
                "end": s.span.end,
            }
            for paragraph_id, (_, p, _) in zip(ids, self.paragraphs, strict=True)
            for i, s in enumerate(p.sentences)
        ]
        ids = repo.save_sentences(session=self.session, rows=sentences)
        indexing.index_rows(
            session=self.session,
            target="sentence",
            rows=((i, str(r["text"])) for i, r in zip(ids, sentences, strict=True)),
        )

    def _quotes(self, quotes: tuple[parser.Quote, ...]) -> None:
        rows = [
            {
                "speech_id": self.speech_id,
                "section_id": self.section_ids[q.eid],
                "kind": q.kind,
                "text": q.text,
                "source": q.source,
                "start": q.span.start,
                "end": q.span.end,
                "score": q.score,
                "reason": q.reason,
            }
            for q in quotes
            if q.eid in self.section_ids
        ]
        ids = repo.save_quotes(session=self.session, rows=rows)
        indexing.index_rows(
            session=self.session,
            target="quote",
            rows=((i, str(r["text"])) for i, r in zip(ids, rows, strict=True)),
        )
