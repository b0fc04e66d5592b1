"""Opaque cursors and the `Link: rel="next"` header for paginated lists.

Three kinds of cursor, all base64url JSON that clients must treat as opaque:
- keyset (`{"after": id}`) for lists in id order: stable under concurrent inserts;
- date keyset (`{"date": "YYYY-MM-DD" | null, "before": id}`) for speeches newest delivered first:
  stable under concurrent inserts too;
- offset (`{"offset": n}`) for ranked lists (search relevance, quotes by date).
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


def encode_offset(offset: int) -> str:
    return _encode({"offset": offset})


def decode_offset(cursor: str | None) -> int:
    offset = _decode(cursor, "offset") or 0
    if offset > MAX_OFFSET:
        raise Problem("invalid-cursor", f"Results are served up to offset {MAX_OFFSET}; narrow the query.")
    return offset


def next_cursor(ids: list[int], limit: int) -> str | None:
    """A cursor after the last id when the page is full (there may be more)."""
    return encode_cursor(ids[-1]) if len(ids) == limit and ids else None


def link_next(request: Request, response: Response, cursor: str | None) -> None:
    if cursor is not None:
        url = request.url.include_query_params(cursor=cursor)
        response.headers["Link"] = f'<{url}>; rel="next"'
