"""Quotes: citations, quoted terms and golden sentences."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.caching import cacheable
from app.api.deps import (
    MAX_ID,
    CursorQuery,
    FromQuery,
    LimitDep,
    SessionDep,
    ToQuery,
    accept_json,
    read_access,
    search_errors,
)
from app.api.pagination import (
    decode_cursor,
    decode_offset,
    decode_snapshot,
    encode_cursor,
    encode_offset,
    link_next,
)
from app.api.problems import SEARCH_PROBLEM_RESPONSES, Problem
from app.repositories.search import Filters
from app.schemas import Page, QuoteDetail, QuoteOut, QuotePage
from app.services import quotes as quote_service

router = APIRouter(
    prefix="/api/v1/quotes",
    tags=["quotes"],
    responses=SEARCH_PROBLEM_RESPONSES,
    dependencies=[Depends(read_access), Depends(accept_json)],
)

QuoteKind = Literal["citation", "term", "golden"]
KindQuery = Annotated[QuoteKind | None, Query(description="citation, term or golden.")]
KeywordQuery = Annotated[
    str | None, Query(description="Keywords, as in /api/v1/search (phrases, -exclusions).", min_length=1)
]


async def quote_filters(
    speech: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only quotes of this speech id.")
    ] = None,
    kind: KindQuery = None,
    source: Annotated[
        str | None, Query(description="Citations from this source (宪法, 党章…).", max_length=64)
    ] = None,
    min_len: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="At least this many characters.")
    ] = None,
    max_len: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="At most this many characters.")
    ] = None,
    from_: FromQuery = None,
    to: ToQuery = None,
) -> Filters:
    return Filters(
        speech_id=speech,
        kind=kind,
        source=source,
        min_len=min_len,
        max_len=max_len,
        date_from=from_,
        date_to=to,
    )


@router.get("", response_model=QuotePage, summary="List and search quotes")
@cacheable
def read_quotes(
    request: Request,
    response: Response,
    session: SessionDep,
    limit: LimitDep,
    filters: Annotated[Filters, Depends(quote_filters)],
    q: KeywordQuery = None,
    sort: Annotated[
        Literal["relevance", "date"] | None,
        Query(
            description="relevance (needs q; the default with q), date (newest first); else document order."
        ),
    ] = None,
    cursor: CursorQuery = None,
) -> QuotePage:
    """Quotes filtered by speech, kind, source, length and date; with `q`, by keyword too."""
    if sort == "relevance" and q is None:
        raise Problem("bad-request", "sort=relevance needs a keyword in q.")
    keyset = q is None and sort is None
    upto = None if keyset else decode_snapshot(cursor) or quote_service.snapshot(session=session)
    with search_errors():
        ids, total, capped = quote_service.list_ids(
            session=session,
            q=q,
            filters=replace(filters, upto=upto),
            sort=sort or ("relevance" if q else "id"),
            after_id=decode_cursor(cursor) if keyset else None,
            offset=0 if keyset else decode_offset(cursor),
            limit=limit,
        )
    data = quote_service.load(session=session, ids=ids)
    nxt = None
    if len(ids) == limit:
        nxt = encode_cursor(ids[-1]) if keyset else encode_offset(decode_offset(cursor) + limit, upto)
    link_next(request, response, nxt)
    return QuotePage(data=data, total=total, total_capped=capped, next_cursor=nxt)


@router.get("/random", response_model=Page[QuoteOut], summary="Random quotes")
def read_random_quotes(
    session: SessionDep,
    kind: KindQuery = None,
    q: KeywordQuery = None,
    limit: Annotated[int, Query(ge=1, le=20, description="How many quotes.")] = 1,
    seed: Annotated[
        str | None,
        Query(description="Same seed, same choice: pass today's date for a quote of the day.", max_length=64),
    ] = None,
) -> Page[QuoteOut]:
    """Random quotes for quote-of-the-day widgets, optionally of one kind or matching keywords."""
    with search_errors():
        data = quote_service.sample(session=session, q=q, filters=Filters(kind=kind), limit=limit, seed=seed)
    return Page[QuoteOut](data=data, total=len(data), next_cursor=None)


@router.get("/{quote_id}", response_model=QuoteDetail, summary="One quote with its context")
@cacheable
def read_quote(
    session: SessionDep, quote_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The quote's id.")]
) -> QuoteDetail:
    """A quote with its speech, section breadcrumb and the paragraph around it."""
    found = quote_service.detail(session=session, quote_id=quote_id)
    if found is None:
        raise Problem("not-found", f"No quote {quote_id}.")
    return found
