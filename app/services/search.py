"""Use case: keyword search over sentences, section headings and quotes, with highlights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sqlmodel import Session

from app import search
from app.models import Speech
from app.repositories import hits as hit_repo
from app.repositories import search as search_repo
from app.repositories import stamp as stamp_repo
from app.repositories.hits import SectionNode, SpeechHead
from app.schemas import SearchHit, SearchPage, SectionRef, SpeechRef
from app.services.cache import LRU
from app.services.indexing import index_is_current

In = Literal["sentences", "sections", "quotes"]
TARGET_OF: dict[In, search_repo.Target] = {"sentences": "sentence", "sections": "section", "quotes": "quote"}
SEPARATOR = " › "
PAGES: LRU[SearchPage] = LRU(512)


class SearchUnavailable(Exception):
    """The index was built by another tokenizer version and must be rebuilt (app reindex)."""


class EmptyQuery(Exception):
    """Nothing searchable is left in the query (only punctuation, operators or exclusions)."""


def breadcrumb(section: SectionNode, by_id: dict[int, SectionNode]) -> list[SectionRef]:
    chain = [section]
    while chain[-1].parent_id is not None and chain[-1].parent_id in by_id:
        chain.append(by_id[chain[-1].parent_id])
    return [SectionRef(eid=s.eid, kind=s.kind, marker=s.marker, heading=s.heading) for s in reversed(chain)]


def breadcrumb_text(refs: list[SectionRef]) -> str:
    return SEPARATOR.join(((r.marker or "") + (r.heading or "")) or r.eid for r in refs)


def speech_ref(s: Speech | SpeechHead) -> SpeechRef:
    assert s.id is not None
    return SpeechRef(id=s.id, slug=s.slug, title=s.title, speaker=s.speaker, delivered_on=s.delivered_on)


def compile_query(q: str) -> search.Query:
    """The parsed query; EmptyQuery when nothing searchable is left in it."""
    query = search.parse_query(q)
    if query.empty or search.match_expr(query) is None:
        raise EmptyQuery(q)
    return query


def snapshot(*, session: Session, where: In) -> int:
    """Where a paged search starts: its later pages see rows up to this id (pagination.py)."""
    return search_repo.newest_row_id(session=session, target=TARGET_OF[where])


def run(
    *,
    session: Session,
    q: str,
    where: In,
    filters: search_repo.Filters,
    sort: Literal["relevance", "date"],
    limit: int,
    offset: int,
) -> SearchPage:
    if not index_is_current(session=session):
        raise SearchUnavailable()
    query = compile_query(q)
    # Popular searches repeat, and the frequent terms are the expensive ones: cache whole pages.
    key = (
        str(session.get_bind().engine.url),
        stamp_repo.read_stamp(connection=session.connection()),
        where,
        query,
        filters,
        sort,
        limit,
        offset,
    )
    cached = PAGES.get(key)
    if cached is not None:
        return cached.model_copy()
    page = _compute(
        session=session, query=query, where=where, filters=filters, sort=sort, limit=limit, offset=offset
    )
    PAGES.put(key, page)
    return page.model_copy()


def _compute(
    *,
    session: Session,
    query: search.Query,
    where: In,
    filters: search_repo.Filters,
    sort: Literal["relevance", "date"],
    limit: int,
    offset: int,
) -> SearchPage:
    target = TARGET_OF[where]
    total = search_repo.count_matches(session=session, target=target, query=query, filters=filters)
    ids = find_ids(
        session=session,
        target=target,
        query=query,
        filters=filters,
        sort=sort,
        limit=limit,
        offset=offset,
        total=total,
    )
    capped = total > search_repo.COUNT_CAP
    shown = min(total, search_repo.COUNT_CAP)
    # Past the cap the total is only a lower bound: a full page means there may be more.
    more = len(ids) == limit and (capped or offset + len(ids) < shown)
    return SearchPage(
        data=build_hits(session=session, target=target, ids=ids, query=query),
        total=shown,
        total_capped=capped,
        total_text=f"{shown}+" if capped else str(shown),
        next_offset=offset + limit if more else None,
        query=query.canonical,
    )


def find_ids(
    *,
    session: Session,
    target: search_repo.Target,
    query: search.Query,
    filters: search_repo.Filters,
    sort: Literal["relevance", "date"],
    limit: int,
    offset: int,
    total: int,
) -> list[int]:
    if sort == "date" and search_repo.date_walk_pays(
        session=session, query=query, filters=filters, total=total, need=offset + limit
    ):
        return search_repo.search_ids_by_date_walk(
            session=session, target=target, query=query, filters=filters, limit=limit, offset=offset
        )
    return search_repo.search_ids(
        session=session,
        target=target,
        query=query,
        filters=filters,
        sort=sort,
        limit=limit,
        offset=offset,
        total=total,
    )


def build_hits(
    *, session: Session, target: search_repo.Target, ids: Sequence[int], query: search.Query | None
) -> list[SearchHit]:
    loader = {
        "sentence": hit_repo.sentence_rows,
        "section": hit_repo.section_rows,
        "quote": hit_repo.quote_rows,
    }
    rows = loader[target](session=session, ids=ids)
    speech_ids = sorted({r.speech_id for r in rows.values()})
    speeches = hit_repo.speeches_by_ids(session=session, ids=speech_ids)
    sections = hit_repo.sections_with_ancestors(
        session=session, ids=sorted({r.section_id for r in rows.values()})
    )
    hits = []
    for i in ids:
        row = rows.get(i)
        if row is None:  # deleted between the index lookup and now
            continue
        section = sections[row.section_id]
        crumbs = breadcrumb(section, sections)
        matches = search.find_matches(row.text, query) if query is not None else []
        snippet, _ = search.snippet(row.text, matches, width=80)
        hits.append(
            SearchHit(
                kind=target,
                id=row.id,
                speech=speech_ref(speeches[row.speech_id]),
                eid=section.eid,
                paragraph_eid=row.paragraph_eid,
                breadcrumb=crumbs,
                breadcrumb_text=breadcrumb_text(crumbs),
                text=row.text,
                snippet=snippet,
                highlights=[(s, e) for s, e in matches],
                span=(row.start, row.end),
                quote_kind=row.kind,
                source=row.source,
            )
        )
    return hits
