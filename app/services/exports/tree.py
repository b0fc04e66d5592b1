"""Use case: a stored speech -> its whole tree (SpeechExport), the source of every export format."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlmodel import Session

from app.models import Speech
from app.repositories import exports as export_repo
from app.repositories import sections as section_repo
from app.schemas import Diagnostic
from app.services.exports.shapes import (
    ExportMetadata,
    ExportParagraph,
    ExportQuote,
    ExportSection,
    ExportSentence,
    SpeechExport,
)


def utc(value: datetime) -> datetime:
    """Stored times are UTC; the database hands them back without a zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def metadata_of(speech: Speech) -> ExportMetadata:
    return ExportMetadata.model_validate(
        {name: getattr(speech, name) for name in ExportMetadata.model_fields}
    )


def build_export(*, session: Session, speech: Speech) -> SpeechExport:
    """Metadata, text, sections (nested, with paragraphs and sentences) and quotes of a speech."""
    assert speech.id is not None
    sections = section_repo.list_sections(session=session, speech_id=speech.id)
    sentences: dict[int, list[ExportSentence]] = defaultdict(list)
    for sentence in export_repo.list_sentences(session=session, speech_id=speech.id):
        sentences[sentence.paragraph_id].append(
            ExportSentence(text=sentence.text, span=(sentence.start, sentence.end))
        )
    paragraphs: dict[int, list[ExportParagraph]] = defaultdict(list)
    for p in export_repo.list_paragraphs(session=session, speech_id=speech.id):
        assert p.id is not None
        paragraphs[p.section_id].append(
            ExportParagraph(eid=p.eid, text=p.text, span=(p.start, p.end), sentences=sentences[p.id])
        )
    nodes: dict[int, ExportSection] = {}
    roots: list[ExportSection] = []
    for s in sections:  # document order: a parent always comes before its children
        assert s.id is not None
        heading_span = None
        if s.heading_start is not None and s.heading_end is not None:
            heading_span = (s.heading_start, s.heading_end)
        node = ExportSection(
            eid=s.eid,
            kind=s.kind,
            level=s.level,
            marker=s.marker,
            ordinal=s.ordinal,
            heading=s.heading,
            span=(s.start, s.end),
            heading_span=heading_span,
            paragraphs=paragraphs[s.id],
            children=[],
        )
        nodes[s.id] = node
        parent = nodes.get(s.parent_id) if s.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    quotes = [
        ExportQuote(
            id=q.id or 0,
            kind=q.kind,
            text=q.text,
            source=q.source,
            eid=eid,
            span=(q.start, q.end),
            score=q.score,
            reason=q.reason,
        )
        for q, eid in export_repo.list_quotes(session=session, speech_id=speech.id)
    ]
    return SpeechExport(
        id=speech.id,
        slug=speech.slug,
        version=speech.version,
        metadata=metadata_of(speech),
        created_at=utc(speech.created_at),
        updated_at=utc(speech.updated_at),
        parser_version=speech.parser_version,
        content_hash=speech.content_hash,
        text=speech.text,
        sections=roots,
        quotes=quotes,
        diagnostics=[Diagnostic.model_validate(d) for d in speech.diagnostics],
    )
