"""Speeches, their outline, sections and points."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.api.deps import CursorQuery, LimitDep, SectionDep, SessionDep, SpeechDep
from app.api.pagination import decode_cursor, link_next, next_cursor
from app.api.problems import PROBLEM_RESPONSES
from app.repositories import speeches as speech_repo
from app.schemas import Page, PointOut, SectionDetail, SpeechDetail, SpeechSummary
from app.services import reading

router = APIRouter(prefix="/api/v1/speeches", tags=["speeches"], responses=PROBLEM_RESPONSES)


@router.get("", response_model=Page[SpeechSummary], summary="List speeches")
def read_speeches(
    request: Request, response: Response, session: SessionDep, limit: LimitDep, cursor: CursorQuery = None
) -> Page[SpeechSummary]:
    """Speeches in the order they were stored, one page at a time."""
    rows = speech_repo.list_speeches(session=session, after_id=decode_cursor(cursor), limit=limit)
    nxt = next_cursor([r.id for r in rows if r.id is not None], limit)
    link_next(request, response, nxt)
    return Page[SpeechSummary](
        data=[SpeechSummary.model_validate(r) for r in rows],
        total=speech_repo.count_speeches(session=session),
        next_cursor=nxt,
    )


@router.get("/{speech}", response_model=SpeechDetail, summary="One speech with its outline")
def read_speech(session: SessionDep, speech: SpeechDep) -> SpeechDetail:
    """Metadata, counts, diagnostics and the section tree (eids, markers, headings; no bodies)."""
    return reading.build_speech_detail(session=session, speech=speech)


@router.get("/{speech}/sections/{eid}", response_model=SectionDetail, summary="One section")
def read_section(session: SessionDep, speech: SpeechDep, section: SectionDep) -> SectionDetail:
    """A section's paragraphs, children, parent, previous/next sibling and breadcrumb."""
    assert speech.id is not None
    return reading.build_section_detail(session=session, speech_id=speech.id, section=section)


@router.get("/{speech}/points", response_model=Page[PointOut], summary="Every point of a speech")
def read_points(session: SessionDep, speech: SpeechDep) -> Page[PointOut]:
    """The second outline level (一是/二是…, （一）… under a part), each with its part."""
    assert speech.id is not None
    points = reading.build_points(session=session, speech_id=speech.id)
    return Page[PointOut](data=points, total=len(points), next_cursor=None)
