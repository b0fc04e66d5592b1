"""Quotes: citations, quoted terms and golden sentences."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import CursorQuery, LimitDep, SessionDep
from app.api.pagination import decode_cursor, link_next, next_cursor
from app.api.problems import PROBLEM_RESPONSES
from app.repositories import quotes as quote_repo
from app.schemas import Page, QuoteOut

router = APIRouter(prefix="/api/v1/quotes", tags=["quotes"], responses=PROBLEM_RESPONSES)

QuoteKind = Literal["citation", "term", "golden"]


@router.get("", response_model=Page[QuoteOut], summary="List quotes")
def read_quotes(
    request: Request,
    response: Response,
    session: SessionDep,
    limit: LimitDep,
    cursor: CursorQuery = None,
    speech: Annotated[int | None, Query(ge=1, description="Only quotes of this speech id.")] = None,
    kind: Annotated[QuoteKind | None, Query(description="Only quotes of this kind.")] = None,
) -> Page[QuoteOut]:
    """Quotes in document order of their speeches, filtered by speech and kind."""
    rows = quote_repo.list_quotes(
        session=session, speech_id=speech, kind=kind, after_id=decode_cursor(cursor), limit=limit
    )
    nxt = next_cursor([q.id for q, _ in rows if q.id is not None], limit)
    link_next(request, response, nxt)
    data = [
        QuoteOut(
            id=q.id or 0,
            speech_id=q.speech_id,
            kind=q.kind,
            text=q.text,
            source=q.source,
            eid=eid,
            span=(q.start, q.end),
            score=q.score,
            reason=q.reason,
        )
        for q, eid in rows
    ]
    total = quote_repo.count_quotes(session=session, speech_id=speech, kind=kind)
    return Page[QuoteOut](data=data, total=total, next_cursor=nxt)
