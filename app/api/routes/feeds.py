"""Atom feeds of new speeches and new quotes, and the OpenSearch description of search."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from app.api.caching import set_corpus_last_modified
from app.api.deps import SessionDep, no_nul, read_access, search_errors
from app.api.problems import SEARCH_PROBLEM_RESPONSES
from app.services import changes as change_service
from app.services import feeds as feed_service

ATOM_TYPE = "application/atom+xml; charset=utf-8"
OPENSEARCH_TYPE = "application/opensearchdescription+xml; charset=utf-8"

router = APIRouter(
    tags=["portals"],
    responses=SEARCH_PROBLEM_RESPONSES,
    dependencies=[Depends(read_access), Depends(no_nul)],
)


def public_base(request: Request) -> str:
    """The URL clients reach this server at (JIANGHUA_PUBLIC_BASE_URL, else the request's own)."""
    configured: str | None = getattr(request.app.state.settings, "public_base_url", None)
    return (configured or str(request.base_url)).rstrip("/")


def self_url(request: Request) -> str:
    query = request.url.query
    return (
        public_base(request)
        + request.url.path.removeprefix(request.scope.get("root_path", ""))
        + (f"?{query}" if query else "")
    )


def _xml_doc(media: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": description, "content": {media.split(";")[0]: {"schema": {"type": "string"}}}}
    }


FeedLimit = Annotated[int, Query(ge=1, le=100, description="How many entries.")]
Speaker = Annotated[str | None, Query(description="Only this speaker (exact).", max_length=255)]


@router.get(
    "/feeds/speeches.atom",
    summary="Atom feed of new speeches",
    response_class=Response,
    responses=_xml_doc(ATOM_TYPE, "An Atom 1.0 feed, the most recently stored speech first."),
)
def read_speeches_feed(
    request: Request,
    session: SessionDep,
    q: Annotated[str | None, Query(description="Words in the title.", min_length=1, max_length=200)] = None,
    speaker: Speaker = None,
    limit: FeedLimit = 30,
) -> Response:
    """New speeches (withdrawn ones left out), optionally by speaker or words in the title."""
    entries = feed_service.newest_speeches(session=session, speaker=speaker, title=q, limit=limit)
    title = "Jianghua：最新讲话" + "".join(f"（{v}）" for v in (speaker, q) if v)
    info = feed_service.FeedInfo(base=public_base(request), self_url=self_url(request), title=title)
    response = Response(feed_service.speeches_atom(entries, info), media_type=ATOM_TYPE)
    set_corpus_last_modified(response, change_service.last_modified(session=session))
    return response


@router.get(
    "/feeds/quotes.atom",
    summary="Atom feed of new quotes",
    response_class=Response,
    responses=_xml_doc(ATOM_TYPE, "An Atom 1.0 feed, the most recently stored quote first."),
)
def read_quotes_feed(
    request: Request,
    session: SessionDep,
    q: Annotated[
        str | None, Query(description="Keywords, as in /api/v1/search.", min_length=1, max_length=200)
    ] = None,
    kind: Annotated[
        Literal["citation", "term", "golden"] | None, Query(description="citation, term or golden.")
    ] = None,
    speaker: Speaker = None,
    limit: FeedLimit = 30,
) -> Response:
    """New quotes of live speeches, optionally by kind (golden: 金句), speaker or keywords."""
    with search_errors():
        rows = feed_service.newest_quotes(session=session, q=q, kind=kind, speaker=speaker, limit=limit)
    label = feed_service.KIND_LABELS.get(kind or "", "语录")
    title = f"Jianghua：最新{label}" + "".join(f"（{v}）" for v in (speaker, q) if v)
    info = feed_service.FeedInfo(base=public_base(request), self_url=self_url(request), title=title)
    response = Response(feed_service.quotes_atom(rows, info), media_type=ATOM_TYPE)
    set_corpus_last_modified(response, change_service.last_modified(session=session))
    return response


@router.get(
    "/opensearch.xml",
    summary="OpenSearch description",
    response_class=Response,
    responses=_xml_doc(OPENSEARCH_TYPE, "An OpenSearch 1.1 description document."),
)
def read_opensearch(request: Request) -> Response:
    """Lets browsers and portals add Jianghua as a search engine (JSON results and Atom feeds)."""
    return Response(feed_service.opensearch(public_base(request)), media_type=OPENSEARCH_TYPE)
