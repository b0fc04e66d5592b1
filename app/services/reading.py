"""Use case: rows -> API shapes (outlines, section views with their neighbourhood)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from app.models import Section, Speech
from app.repositories import quotes as quote_repo
from app.repositories import sections as section_repo
from app.repositories import speeches as speech_repo
from app.repositories.search import Filters
from app.repositories.sections import SectionHead
from app.schemas import (
    OutlineNode,
    ParagraphOut,
    PointOut,
    SectionDetail,
    SectionRef,
    SpeechCounts,
    SpeechDetail,
)

OUTLINE_KINDS = ("part", "point", "item", "subitem")


def ref(s: Section | SectionHead) -> SectionRef:
    return SectionRef(eid=s.eid, kind=s.kind, marker=s.marker, heading=s.heading)


def build_outline(sections: Sequence[SectionHead]) -> list[OutlineNode]:
    """The section tree (document order), without bodies."""
    nodes: dict[int, OutlineNode] = {}
    roots: list[OutlineNode] = []
    for s in sections:
        node = OutlineNode(
            eid=s.eid,
            kind=s.kind,
            level=s.level,
            marker=s.marker,
            ordinal=s.ordinal,
            heading=s.heading,
            span=(s.start, s.end),
        )
        nodes[s.id] = node
        parent = nodes.get(s.parent_id) if s.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return roots


# SpeechDetail's own fields, read off the row; the rest (counts, outline) is assembled here.
_SPEECH_FIELDS = tuple(name for name in SpeechDetail.model_fields if name not in ("counts", "outline"))


def build_speech_detail(*, session: Session, speech: Speech) -> SpeechDetail:
    assert speech.id is not None
    sections = section_repo.list_section_heads(session=session, speech_id=speech.id)
    counts = SpeechCounts(
        parts=sum(1 for s in sections if s.kind == "part" and s.level == 1),
        points=sum(1 for s in sections if s.kind == "point"),
        paragraphs=section_repo.count_paragraphs(session=session, speech_id=speech.id),
        quotes=quote_repo.count_quotes(session=session, filters=Filters(speech_id=speech.id)),
    )
    fields = {name: getattr(speech, name) for name in _SPEECH_FIELDS}
    return SpeechDetail.model_validate({**fields, "counts": counts, "outline": build_outline(sections)})


def build_speech_detail_by_id(*, session: Session, speech_id: int) -> SpeechDetail:
    speech = speech_repo.get_speech(session=session, speech_id=speech_id)
    assert speech is not None
    return build_speech_detail(session=session, speech=speech)


def build_section_detail(*, session: Session, speech_id: int, section: Section) -> SectionDetail:
    assert section.id is not None
    sections = section_repo.list_section_heads(session=session, speech_id=speech_id)
    by_id = {s.id: s for s in sections}
    siblings = [s for s in sections if s.parent_id == section.parent_id]
    here = next(i for i, s in enumerate(siblings) if s.id == section.id)
    chain: list[SectionHead] = [by_id[section.id]]
    while chain[-1].parent_id is not None:
        chain.append(by_id[chain[-1].parent_id])
    paragraphs = section_repo.list_paragraphs(session=session, section_id=section.id)
    return SectionDetail(
        speech_id=speech_id,
        eid=section.eid,
        kind=section.kind,
        level=section.level,
        marker=section.marker,
        ordinal=section.ordinal,
        heading=section.heading,
        span=(section.start, section.end),
        paragraphs=[ParagraphOut(eid=p.eid, text=p.text, span=(p.start, p.end)) for p in paragraphs],
        children=[ref(s) for s in sections if s.parent_id == section.id],
        parent=ref(chain[1]) if len(chain) > 1 else None,
        previous=ref(siblings[here - 1]) if here > 0 else None,
        next=ref(siblings[here + 1]) if here + 1 < len(siblings) else None,
        breadcrumb=[ref(s) for s in reversed(chain)],
    )


def build_points(*, session: Session, speech_id: int) -> list[PointOut]:
    """Every point (second outline level) with the part it belongs to."""
    sections = section_repo.list_section_heads(session=session, speech_id=speech_id)
    by_id = {s.id: s for s in sections}
    return [
        PointOut(
            eid=s.eid,
            marker=s.marker,
            ordinal=s.ordinal,
            heading=s.heading,
            span=(s.start, s.end),
            part=ref(by_id[s.parent_id]),
        )
        for s in sections
        if s.kind == "point" and s.parent_id is not None
    ]
