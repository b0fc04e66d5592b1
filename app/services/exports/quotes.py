"""Use case: every quote matching the list filters, streamed as CSV or NDJSON, a batch at a time.

Without keywords quotes come in document order (keyset by id, so memory stays flat whatever the
corpus size); with keywords (`q`) in date order, newest speech first, up to COUNT_CAP matches.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date

from pydantic import BaseModel, Field
from sqlmodel import Session

from app import search
from app.repositories import changes as change_repo
from app.repositories import exports as export_repo
from app.repositories import quotes as quote_repo
from app.repositories import search as search_repo
from app.repositories import terms as term_repo
from app.repositories.exports import QuoteRow
from app.services import search as search_service
from app.services.indexing import index_is_current

BATCH = 500


class QuoteExport(BaseModel):
    """One quote with everything needed to use it on its own: where it was said, by whom, when."""

    id: int
    kind: str
    text: str
    source: str | None
    speech_id: int
    speech_slug: str
    speech_title: str | None
    speaker: str | None
    occasion: str | None
    delivered_on: date | None
    eid: str = Field(description="The section the quote sits in.")
    section: str = Field(description="The section's marker and heading, e.g. 二、要争创一流…")
    start: int
    end: int
    score: float | None
    reason: str | None
    uses: int | None = Field(description="Terms: how often the term is used across the corpus.")


COLUMNS = tuple(QuoteExport.model_fields)
# A cell starting with one of these is a formula to a spreadsheet program (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _export(row: QuoteRow, uses: dict[str, int]) -> QuoteExport:
    return QuoteExport(
        id=row.id,
        kind=row.kind,
        text=row.text,
        source=row.source,
        speech_id=row.speech_id,
        speech_slug=row.slug,
        speech_title=row.title,
        speaker=row.speaker,
        occasion=row.occasion,
        delivered_on=row.delivered_on,
        eid=row.eid,
        section=(row.section_marker or "") + (row.section_heading or ""),
        start=row.start,
        end=row.end,
        score=row.score,
        reason=row.reason,
        uses=uses.get(row.text) if row.kind == "term" else None,
    )


def data_version(*, session: Session) -> int:
    """What every bulk export depends on: it moves whenever any speech is created, edited or withdrawn."""
    return change_repo.last_change_id(session=session)


def load(*, session: Session, ids: list[int]) -> list[QuoteExport]:
    rows = export_repo.quote_rows(session=session, ids=ids)
    uses = term_repo.uses_of(session=session, terms=sorted({r.text for r in rows if r.kind == "term"}))
    return [_export(r, uses) for r in rows]


def batches(*, session: Session, q: str | None, filters: search_repo.Filters) -> Iterator[list[QuoteExport]]:
    """Every matching quote, BATCH at a time. Raises EmptyQuery or SearchUnavailable at once
    (before anything is streamed) when `q` cannot be searched."""
    if q is None:
        return _by_id(session, filters)
    if not index_is_current(session=session):
        raise search_service.SearchUnavailable()
    return _by_search(session, search_service.compile_query(q), filters)


def _by_id(session: Session, filters: search_repo.Filters) -> Iterator[list[QuoteExport]]:
    after: int | None = None
    while True:
        ids = quote_repo.list_quote_ids(
            session=session, filters=filters, sort="id", after_id=after, offset=0, limit=BATCH
        )
        if ids:
            yield load(session=session, ids=ids)
        if len(ids) < BATCH:
            return
        after = ids[-1]


def _by_search(
    session: Session, query: search.Query, filters: search_repo.Filters
) -> Iterator[list[QuoteExport]]:
    offset = 0
    while offset < search_repo.COUNT_CAP:
        ids = search_repo.search_ids(
            session=session,
            target="quote",
            query=query,
            filters=filters,
            sort="date",
            limit=min(BATCH, search_repo.COUNT_CAP - offset),
            offset=offset,
        )
        if ids:
            yield load(session=session, ids=ids)
        if len(ids) < BATCH:
            return
        offset += BATCH


def _cell(value: object, excel: bool) -> object:
    if excel and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_chunks(batches: Iterator[list[QuoteExport]], *, excel: bool = False) -> Iterator[str]:
    """CSV (RFC 4180, CRLF line ends) with a header row; `excel` adds a UTF-8 BOM and defuses
    cells a spreadsheet would run as formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    head = buffer.getvalue()
    yield ("\ufeff" + head) if excel else head
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        for quote in batch:
            row = quote.model_dump()
            writer.writerow([_cell("" if row[c] is None else row[c], excel) for c in COLUMNS])
        yield buffer.getvalue()


def ndjson_chunks(batches: Iterator[list[QuoteExport]]) -> Iterator[str]:
    """One JSON object per line (NDJSON)."""
    for batch in batches:
        yield "".join(
            json.dumps(q.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n"
            for q in batch
        )
