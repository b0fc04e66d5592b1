"""Reading speeches: the list with filters, one speech's outline, sections and points."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from app.api.caching import cacheable, set_validators
from app.api.deps import (
    CursorQuery,
    FromQuery,
    LimitDep,
    SectionDep,
    SessionDep,
    SpeechDep,
    ToQuery,
    accept_json,
    read_access,
)
from app.api.pagination import (
    decode_cursor,
    decode_date_cursor,
    decode_offset,
    encode_cursor,
    encode_date_cursor,
    link_next,
)
from app.api.problems import PROBLEM_RESPONSES
from app.core.db import run_read
from app.repositories import speeches as speech_repo
from app.repositories.speeches import SpeechFilters
from app.schemas import Page, PointOut, SectionDetail, SpeechDetail, SpeechSummary, normalise_topic
from app.services import reading

router = APIRouter(
    prefix="/api/v1/speeches",
    tags=["speeches"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Depends(read_access), Depends(accept_json)],
)


async def speech_filters(
    speaker: Annotated[str | None, Query(description="Exact speaker.", max_length=255)] = None,
    publisher: Annotated[str | None, Query(description="Exact publisher (发布机构).", max_length=255)] = None,
    genre: Annotated[str | None, Query(description="体裁: 讲话, 致辞, 报告…", max_length=32)] = None,
    topic: Annotated[
        str | None,
        Query(
            description="主题分类 path or a prefix of it (综合政务/政务公开 or 综合政务\\政务公开).",
            max_length=255,
        ),
    ] = None,
    from_: FromQuery = None,
    to: ToQuery = None,
    q: Annotated[str | None, Query(description="Words in the title.", max_length=200)] = None,
) -> SpeechFilters:
    return SpeechFilters(
        speaker=speaker,
        publisher=publisher,
        genre=genre,
        topic=normalise_topic(topic),
        date_from=from_,
        date_to=to,
        title=q,
    )


@router.get("", response_model=Page[SpeechSummary], summary="List speeches")
@cacheable
def read_speeches(
    request: Request,
    response: Response,
    session: SessionDep,
    limit: LimitDep,
    filters: Annotated[SpeechFilters, Depends(speech_filters)],
    sort: Annotated[
        Literal["id", "date"],
        Query(description="id: in the order stored; date: newest delivered first (undated last)."),
    ] = "id",
    cursor: CursorQuery = None,
) -> Page[SpeechSummary]:
    """Speeches (withdrawn ones hidden) filtered by metadata, one page at a time."""
    after_id = decode_cursor(cursor) if sort == "id" else None
    after_date = decode_date_cursor(cursor) if sort == "date" and cursor else None
    # An offset cursor issued for date order by an earlier release is still honoured.
    offset = decode_offset(cursor) if sort == "date" and cursor and after_date is None else 0
    rows = speech_repo.list_speeches_filtered(
        session=session,
        filters=filters,
        sort=sort,
        after_id=after_id,
        offset=offset,
        limit=limit,
        after_date=after_date,
    )
    nxt = None
    if len(rows) == limit and rows[-1].id is not None:
        last = rows[-1]
        assert last.id is not None
        nxt = encode_cursor(last.id) if sort == "id" else encode_date_cursor(last.delivered_on, last.id)
    link_next(request, response, nxt)
    return Page[SpeechSummary](
        data=[SpeechSummary.model_validate(r) for r in rows],
        total=speech_repo.count_speeches_filtered(session=session, filters=filters),
        next_cursor=nxt,
    )


@router.get("/{speech}", response_model=SpeechDetail, summary="One speech with its outline")
@cacheable
async def read_speech(response: Response, session: SessionDep, speech: SpeechDep) -> SpeechDetail:
    """Metadata, counts, diagnostics and the section tree (eids, markers, headings; no bodies)."""
    set_validators(response, speech, "detail")
    return await run_read(session, reading.build_speech_detail, speech=speech)


@router.get("/{speech}/sections/{eid}", response_model=SectionDetail, summary="One section")
@cacheable
async def read_section(
    response: Response, session: SessionDep, speech: SpeechDep, section: SectionDep
) -> SectionDetail:
    """A section's paragraphs, children, parent, previous/next sibling and breadcrumb."""
    assert speech.id is not None
    set_validators(response, speech, f"section:{section.eid}")
    return await run_read(session, reading.build_section_detail, speech_id=speech.id, section=section)


@router.get("/{speech}/points", response_model=Page[PointOut], summary="Every point of a speech")
@cacheable
async def read_points(response: Response, session: SessionDep, speech: SpeechDep) -> Page[PointOut]:
    """The second outline level (一是/二是…, （一）… under a part), each with its part."""
    assert speech.id is not None
    set_validators(response, speech, "points")
    points = await run_read(session, reading.build_points, speech_id=speech.id)
    return Page[PointOut](data=points, total=len(points), next_cursor=None)
