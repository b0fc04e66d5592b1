"""Use case: listing, showing and sampling quotes (with search when a keyword is given)."""

from __future__ import annotations

import random
from typing import Literal

from sqlmodel import Session

from app.models import Quote
from app.repositories import hits as hit_repo
from app.repositories import quotes as quote_repo
from app.repositories import search as search_repo
from app.repositories import terms as term_repo
from app.schemas import QuoteContext, QuoteDetail, QuoteOut
from app.services import search as search_service
from app.services.indexing import index_is_current


def quote_out(q: Quote, eid: str, uses: dict[str, int]) -> QuoteOut:
    assert q.id is not None
    return QuoteOut(
        id=q.id,
        speech_id=q.speech_id,
        kind=q.kind,
        text=q.text,
        source=q.source,
        eid=eid,
        span=(q.start, q.end),
        score=q.score,
        reason=q.reason,
        uses=uses.get(q.text) if q.kind == "term" else None,
    )


def load(*, session: Session, ids: list[int]) -> list[QuoteOut]:
    rows = quote_repo.quotes_by_ids(session=session, ids=ids)
    terms = sorted({q.text for q, _ in rows if q.kind == "term"})
    uses = term_repo.uses_of(session=session, terms=terms)
    return [quote_out(q, eid, uses) for q, eid in rows]


def snapshot(*, session: Session) -> int:
    """Where a paged quote list starts: its later pages see quotes up to this id (pagination.py)."""
    return search_repo.newest_row_id(session=session, target="quote")


def list_ids(
    *,
    session: Session,
    q: str | None,
    filters: search_repo.Filters,
    sort: Literal["relevance", "date", "id"],
    after_id: int | None,
    offset: int,
    limit: int,
) -> tuple[list[int], int, bool]:
    """Ids of one page, the total and whether it was capped (like search's, when `q` is given)."""
    if q is not None:
        if not index_is_current(session=session):
            raise search_service.SearchUnavailable()
        query = search_service.compile_query(q)
        total = search_repo.count_matches(session=session, target="quote", query=query, filters=filters)
        ids = search_service.find_ids(
            session=session,
            target="quote",
            query=query,
            filters=filters,
            sort="date" if sort == "date" else "relevance",
            limit=limit,
            offset=offset,
            total=total,
        )
        return ids, min(total, search_repo.COUNT_CAP), total > search_repo.COUNT_CAP
    ids = quote_repo.list_quote_ids(
        session=session,
        filters=filters,
        sort="date" if sort == "date" else "id",
        after_id=after_id,
        offset=offset,
        limit=limit,
    )
    return ids, quote_repo.count_quotes(session=session, filters=filters), False


def sample(
    *, session: Session, q: str | None, filters: search_repo.Filters, limit: int, seed: str | None
) -> list[QuoteOut]:
    """Random quotes; the same `seed` (e.g. today's date) gives the same choice while data stands."""
    rng = random.Random(seed)
    if q is not None:
        ids, _, _ = list_ids(
            session=session, q=q, filters=filters, sort="relevance", after_id=None, offset=0, limit=200
        )
        chosen = rng.sample(ids, min(limit, len(ids)))
    else:
        chosen = quote_repo.random_quote_ids(session=session, filters=filters, limit=limit, rng=rng)
    return load(session=session, ids=chosen)


def detail(*, session: Session, quote_id: int) -> QuoteDetail | None:
    found = quote_repo.get_quote(session=session, quote_id=quote_id)
    if found is None:
        return None
    quote, speech = found
    sections = hit_repo.sections_with_ancestors(session=session, ids=[quote.section_id])
    section = sections[quote.section_id]
    crumbs = search_service.breadcrumb(section, sections)
    paragraph = quote_repo.paragraph_at(session=session, speech_id=quote.speech_id, offset=quote.start)
    if paragraph is not None:
        context = QuoteContext(
            paragraph_eid=paragraph.eid,
            text=paragraph.text,
            span=(quote.start - paragraph.start, quote.end - paragraph.start),
        )
    else:  # a quote in a heading: the heading is its context
        start = section.heading_start if section.heading_start is not None else section.start
        end = section.heading_end if section.heading_end is not None else section.end
        context = QuoteContext(
            paragraph_eid=None, text=speech.text[start:end], span=(quote.start - start, quote.end - start)
        )
    base = load(session=session, ids=[quote_id])[0]
    return QuoteDetail(
        **base.model_dump(),
        speech=search_service.speech_ref(speech),
        breadcrumb=crumbs,
        breadcrumb_text=search_service.breadcrumb_text(crumbs),
        context=context,
    )
