"""Keyword search over sentences, section headings and quotes; term autocomplete."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

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
from app.api.pagination import decode_offset, decode_snapshot, encode_offset, link_next
from app.api.problems import SEARCH_PROBLEM_RESPONSES
from app.repositories.search import Filters
from app.schemas import Page, SearchPage, TermOut
from app.services import search as search_service
from app.services import terms as term_service

router = APIRouter(
    prefix="/api/v1",
    tags=["search"],
    responses=SEARCH_PROBLEM_RESPONSES,
    dependencies=[Depends(read_access), Depends(accept_json)],
)

QText = Annotated[
    str,
    Query(description='Keywords (ANDed); "a phrase" keeps words together; -word excludes.', min_length=1),
]


@router.get("/search", response_model=SearchPage, summary="Search the text by Chinese keyword")
@cacheable
def read_search(
    request: Request,
    response: Response,
    session: SessionDep,
    limit: LimitDep,
    q: QText,
    in_: Annotated[
        Literal["sentences", "sections", "quotes"], Query(alias="in", description="What to search.")
    ] = "sentences",
    speech: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this speech id.")] = None,
    from_: FromQuery = None,
    to: ToQuery = None,
    sort: Annotated[
        Literal["relevance", "date"], Query(description="Best match first, or newest.")
    ] = "relevance",
    cursor: CursorQuery = None,
) -> SearchPage:
    """Every sentence (or heading, or quote) containing all keywords, with snippet and breadcrumb."""
    offset = decode_offset(cursor)
    upto = decode_snapshot(cursor) or search_service.snapshot(session=session, where=in_)
    with search_errors():
        page = search_service.run(
            session=session,
            q=q,
            where=in_,
            filters=Filters(speech_id=speech, date_from=from_, date_to=to, upto=upto),
            sort=sort,
            limit=limit,
            offset=offset,
        )
    page.next_cursor = encode_offset(page.next_offset, upto) if page.next_offset is not None else None
    link_next(request, response, page.next_cursor)
    return page


@router.get("/terms", response_model=Page[TermOut], summary="Autocomplete terms")
@cacheable
def read_terms(
    session: SessionDep,
    prefix: Annotated[
        str, Query(description="Characters, pinyin (laomo) or initials (lmjs).", max_length=64)
    ],
    limit: Annotated[int, Query(ge=1, le=50, description="How many suggestions.")] = 10,
) -> Page[TermOut]:
    """Quoted terms and slogans starting with the prefix, most used first; pinyin works too."""
    terms = term_service.suggest(session=session, prefix=prefix, limit=limit)
    return Page[TermOut](data=terms, total=len(terms), next_cursor=None)
