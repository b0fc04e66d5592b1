"""Use case: the change feed, so a portal can mirror the corpus by polling.

Every create, edit and withdrawal appends one row to the change log in the transaction that makes
it, and the log is read in id order, which is commit order (app/repositories/changes.py says how
that holds on PostgreSQL too). A cursor names the last change a client has seen; the next page
starts right after it, so following `next_cursor` visits every change exactly once.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal, cast

from pydantic import BaseModel, Field
from sqlmodel import Session

from app.repositories import changes as change_repo

ChangeKind = Literal["created", "updated", "withdrawn"]
MAX_ID = 2**31 - 1


class InvalidCursor(ValueError):
    """The cursor was not issued by the change feed."""


class ChangeOut(BaseModel):
    kind: ChangeKind
    speech_id: int
    slug: str
    version: int = Field(description="The speech's version after this change.")
    etag: str = Field(description="The ETag of GET /api/v1/speeches/{id} at this version (identity).")
    at: datetime
    href: str = Field(description="Where to fetch the speech (410 Gone once withdrawn).")
    cursor: str = Field(description="Pass as `since` to continue right after this change.")


class ChangeFeed(BaseModel):
    """Changes in the order they were committed, oldest first."""

    data: list[ChangeOut]
    next_cursor: str = Field(description="Always present: poll again with since=next_cursor.")
    has_more: bool = Field(description="True when more changes are waiting: fetch the next page now.")


def encode_cursor(change_id: int) -> str:
    raw = json.dumps({"change": change_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The change id a cursor points after; 0 (the start of the log) for none."""
    if not cursor:
        return 0
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["change"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor(cursor) from exc
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ID:
        raise InvalidCursor(cursor)
    return value


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def feed(*, session: Session, after_id: int, limit: int, etag: Callable[[int, int], str]) -> ChangeFeed:
    """Up to `limit` changes after `after_id`; `etag(speech_id, version)` names each version."""
    rows = change_repo.list_changes(session=session, after_id=after_id, limit=limit + 1)
    page = rows[:limit]
    data = [
        ChangeOut(
            kind=cast(ChangeKind, row.kind),
            speech_id=row.speech_id,
            slug=row.slug,
            version=row.version,
            etag=etag(row.speech_id, row.version),
            at=_utc(row.at),
            href=f"/api/v1/speeches/{row.speech_id}",
            cursor=encode_cursor(row.id),
        )
        for row in page
    ]
    last = page[-1].id if page else after_id
    return ChangeFeed(data=data, next_cursor=encode_cursor(last), has_more=len(rows) > limit)


def last_modified(*, session: Session) -> datetime | None:
    """When the corpus last changed (any create, edit or withdrawal), as an aware UTC time."""
    at = change_repo.last_change_at(session=session)
    return _utc(at) if at is not None else None


def latest_cursor(*, session: Session) -> str:
    """A cursor after the newest change: follow it to see only what happens from now on."""
    return encode_cursor(change_repo.last_change_id(session=session))
