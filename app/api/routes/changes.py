"""The change feed: created, updated and withdrawn speeches in commit order, for mirroring portals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from app.api.caching import cacheable, speech_etag
from app.api.deps import LimitDep, SessionDep, accept_json, read_access
from app.api.problems import PROBLEM_RESPONSES, Problem
from app.models import Speech
from app.services import changes as change_service

router = APIRouter(
    prefix="/api/v1/changes",
    tags=["changes"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Depends(read_access), Depends(accept_json)],
)


class ChangeCursor(BaseModel):
    cursor: str = Field(description="Pass as `since` to receive only the changes made after now.")


def version_etag(speech_id: int, version: int) -> str:
    """The ETag GET /api/v1/speeches/{id} sends at this version (and If-Match expects)."""
    # speech_etag reads only the id and the version; a table model skips validation of the rest.
    return speech_etag(Speech(id=speech_id, version=version), "detail")  # type: ignore[call-arg]


@router.get("", response_model=change_service.ChangeFeed, summary="Changes to speeches, oldest first")
@cacheable
def read_changes(
    request: Request,
    response: Response,
    session: SessionDep,
    limit: LimitDep,
    since: Annotated[
        str | None,
        Query(
            description="`next_cursor` (or an item's `cursor`) from before; none: from the start.",
            max_length=512,
        ),
    ] = None,
) -> change_service.ChangeFeed:
    """Every create, edit and withdrawal after `since`, in commit order, each with the speech's
    version and ETag. Follow `next_cursor` (always present) to never miss or repeat a change."""
    try:
        after = change_service.decode_cursor(since)
    except change_service.InvalidCursor as exc:
        raise Problem("invalid-cursor", "The cursor is not one the change feed issued.") from exc
    feed = change_service.feed(session=session, after_id=after, limit=limit, etag=version_etag)
    response.headers["Cache-Control"] = "no-cache"
    if feed.has_more:
        response.headers["Link"] = f'<{request.url.include_query_params(since=feed.next_cursor)}>; rel="next"'
    return feed


@router.get("/latest", response_model=ChangeCursor, summary="A cursor at the end of the change feed")
@cacheable
def read_latest_cursor(response: Response, session: SessionDep) -> ChangeCursor:
    """Start following from now (e.g. after loading a full export): pass this cursor as `since`."""
    response.headers["Cache-Control"] = "no-cache"
    return ChangeCursor(cursor=change_service.latest_cursor(session=session))
