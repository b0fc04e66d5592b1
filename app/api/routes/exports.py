"""Exports: one speech as JSON, Markdown, plain text, Akoma Ntoso or JSON-LD; quotes as CSV or NDJSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from app.api.caching import cacheable, client_has, data_etag, set_corpus_last_modified, set_validators
from app.api.deps import SessionDep, SpeechDep, accepted_types, matches, no_nul, read_access, search_errors
from app.api.problems import SEARCH_PROBLEM_RESPONSES, Problem
from app.api.routes.feeds import public_base
from app.api.routes.quotes import KeywordQuery, quote_filters
from app.repositories.search import Filters
from app.services import changes as change_service
from app.services.exports import FORMATS, Format, FormatKey
from app.services.exports import quotes as quote_export
from app.services.exports.shapes import SpeechExport
from app.services.exports.tree import build_export

router = APIRouter(
    tags=["exports"],
    responses=SEARCH_PROBLEM_RESPONSES,
    dependencies=[Depends(read_access), Depends(no_nul)],
)

EXPORT_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The speech in the chosen format (`format`, else the Accept header).",
        "model": SpeechExport,
        "content": {
            "text/markdown": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "application/akn+xml": {"schema": {"type": "string"}},
            "application/ld+json": {"schema": {"type": "object"}},
        },
    }
}


def negotiate(request: Request, key: FormatKey | None) -> Format:
    """`format` wins; else the Accept header (q-values honoured); else JSON. 406 when nothing fits."""
    if key is not None:
        return FORMATS[key]
    wanted = accepted_types(request)
    if not wanted:
        return FORMATS["json"]
    for media in wanted:
        for fmt in FORMATS.values():
            if media in fmt.accepts or matches(media, fmt.accepts[0]):
                return fmt
    offered = ", ".join(f.accepts[0] for f in FORMATS.values())
    raise Problem("not-acceptable", f"This export is offered as {offered}.")


@router.get(
    "/api/v1/speeches/{speech}/export",
    summary="Export a speech",
    response_class=Response,
    responses=EXPORT_DOC,
)
@cacheable
def read_export(
    request: Request,
    session: SessionDep,
    speech: SpeechDep,
    format: Annotated[
        FormatKey | None,
        Query(description="json (the whole tree), md, txt, akn (Akoma Ntoso 3.0) or jsonld (schema.org)."),
    ] = None,
    download: Annotated[bool, Query(description="Send as an attachment with a file name.")] = False,
) -> Response:
    """The whole speech in one format; every format lists the government metadata in its usual order."""
    fmt = negotiate(request, format)
    base = public_base(request)
    body = fmt.render(build_export(session=session, speech=speech), base)
    response = Response(body, media_type=fmt.media_type)
    # JSON-LD holds absolute URLs, so its ETag depends on the base URL it was rendered for.
    set_validators(response, speech, f"export:{fmt.key}" + (f":{base}" if fmt.key == "jsonld" else ""))
    response.headers["Vary"] = "Accept"
    if download:
        response.headers["Content-Disposition"] = f'attachment; filename="{speech.slug}.{fmt.extension}"'
    return response


def _bulk_doc(media: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {media: {"schema": {"type": "string"}}}}}


def bulk_validator(request: Request, session: SessionDep) -> str:
    """The ETag of a bulk export: the data version and exactly what was asked for."""
    return data_etag(quote_export.data_version(session=session), f"{request.url.path}?{request.url.query}")


def not_modified(etag: str) -> Response:
    return Response(status_code=304, headers={"ETag": etag})


def streamed(
    body: Iterator[str],
    media_type: str,
    etag: str,
    session: SessionDep,
    headers: dict[str, str] | None = None,
) -> Response:
    response = StreamingResponse(body, media_type=media_type, headers={"ETag": etag, **(headers or {})})
    set_corpus_last_modified(response, change_service.last_modified(session=session))
    return response


@router.get(
    "/api/v1/quotes.csv",
    summary="All matching quotes as CSV",
    response_class=StreamingResponse,
    responses=_bulk_doc("text/csv", "CSV with a header row, streamed; one row per quote."),
)
def read_quotes_csv(
    request: Request,
    session: SessionDep,
    filters: Annotated[Filters, Depends(quote_filters)],
    q: KeywordQuery = None,
    excel: Annotated[
        bool, Query(description="For spreadsheets: a UTF-8 BOM, and cells that look like formulas defused.")
    ] = False,
) -> Response:
    """Every quote matching the filters of /api/v1/quotes (no paging), streamed."""
    with search_errors():
        batches = quote_export.batches(session=session, q=q, filters=filters)
    etag = bulk_validator(request, session)
    if client_has(request, etag):
        return not_modified(etag)
    return streamed(
        quote_export.csv_chunks(batches, excel=excel),
        "text/csv; charset=utf-8; header=present",
        etag,
        session,
        {"Content-Disposition": 'attachment; filename="quotes.csv"'},
    )


@router.get(
    "/api/v1/quotes.ndjson",
    summary="All matching quotes as NDJSON",
    response_class=StreamingResponse,
    responses=_bulk_doc("application/x-ndjson", "One JSON object per line, streamed; one line per quote."),
)
def read_quotes_ndjson(
    request: Request,
    session: SessionDep,
    filters: Annotated[Filters, Depends(quote_filters)],
    q: KeywordQuery = None,
) -> Response:
    """Every quote matching the filters of /api/v1/quotes (no paging), streamed."""
    with search_errors():
        batches = quote_export.batches(session=session, q=q, filters=filters)
    etag = bulk_validator(request, session)
    if client_has(request, etag):
        return not_modified(etag)
    return streamed(quote_export.ndjson_chunks(batches), "application/x-ndjson", etag, session)
