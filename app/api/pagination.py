"""Opaque cursors and the `Link: rel="next"` header for paginated lists.

Three kinds of cursor, all base64url JSON that clients must treat as opaque:
- keyset (`{"after": id}`) for lists in id order: stable under concurrent inserts;
- date keyset (`{"date": "YYYY-MM-DD" | null, "before": id}`) for speeches newest delivered first:
  stable under concurrent inserts too;
- offset (`{"offset": n, "upto": id}`) for ranked lists (search, quotes by relevance or date).
  `upto` is the newest row id when the first page was made: every later page is computed over
  rows up to it, so rows inserted meanwhile cannot shift pages (no skips, no repeats); they show
  from the next first page on.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from typing import Any

from fastapi import Request, Response

from app.api.problems import Problem

MAX_OFFSET = 100_000


def _encode(value: dict[str, Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str | None, key: str) -> int | None:
    if cursor is None or cursor == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)[key]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise Problem("invalid-cursor", "The cursor is not one this API issued.") from exc
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 2**31 - 1:
        raise Problem("invalid-cursor", "The cursor is not one this API issued.")
    return value


def encode_cursor(after_id: int) -> str:
    return _encode({"after": after_id})


def decode_cursor(cursor: str | None) -> int | None:
    """The id to continue after, or None for the first page."""
    return _decode(cursor, "after")


def encode_date_cursor(delivered_on: date | None, speech_id: int) -> str:
    return _encode({"date": delivered_on.isoformat() if delivered_on else None, "before": speech_id})


def decode_date_cursor(cursor: str) -> tuple[date | None, int] | None:
    """(delivered_on, id) of the last row seen, or None when the cursor is an offset cursor (issued
    for date order before keyset cursors were; still honoured). Anything else is invalid-cursor."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise Problem("invalid-cursor", "The cursor is not one this API issued.") from exc
    if isinstance(raw, dict) and set(raw) == {"offset"}:
        return None
    try:
        day, before = raw["date"], raw["before"]
        parsed = date.fromisoformat(day) if day is not None else None
    except (KeyError, TypeError, ValueError) as exc:
        raise Problem("invalid-cursor", "The cursor is not one this API issued.") from exc
    if not isinstance(before, int) or isinstance(before, bool) or not 0 <= before <= 2**31 - 1:
        raise Problem("invalid-cursor", "The cursor is not one this API issued.")
    return parsed, before


def encode_offset(offset: int, upto: int | None = None) -> str:
    return _encode({"offset": offset} if upto is None else {"offset": offset, "upto": upto})


def decode_offset(cursor: str | None) -> int:
    offset = _decode(cursor, "offset") or 0
    if offset > MAX_OFFSET:
        raise Problem("invalid-cursor", f"Results are served up to offset {MAX_OFFSET}; narrow the query.")
    return offset


def decode_snapshot(cursor: str | None) -> int | None:
    """The `upto` row id of an offset cursor; None on a first page (or a cursor issued without one)."""
    if not cursor:
        return None
    decode_offset(cursor)  # the cursor as a whole must be one of ours: a JSON object with an offset
    upto = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))).get("upto")
    if upto is None:
        return None
    if not isinstance(upto, int) or isinstance(upto, bool) or not 0 <= upto <= 2**31 - 1:
        raise Problem("invalid-cursor", "The cursor is not one this API issued.")
    return upto


def next_cursor(ids: list[int], limit: int) -> str | None:
    """A cursor after the last id when the page is full (there may be more)."""
    return encode_cursor(ids[-1]) if len(ids) == limit and ids else None


def link_next(request: Request, response: Response, cursor: str | None) -> None:
    if cursor is not None:
        url = request.url.include_query_params(cursor=cursor)
        response.headers["Link"] = f'<{url}>; rel="next"'
