"""Opaque cursors and the `Link: rel="next"` header for keyset-paginated lists."""

from __future__ import annotations

import base64
import binascii
import json

from fastapi import Request, Response

from app.api.problems import Problem


def encode_cursor(after_id: int) -> str:
    raw = json.dumps({"after": after_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
        after = value["after"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise Problem("invalid-cursor", "The cursor is not one this API issued.") from exc
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise Problem("invalid-cursor", "The cursor is not one this API issued.")
    return after


def next_cursor(ids: list[int], limit: int) -> str | None:
    """A cursor after the last id when the page is full (there may be more)."""
    return encode_cursor(ids[-1]) if len(ids) == limit and ids else None


def link_next(request: Request, response: Response, cursor: str | None) -> None:
    if cursor is not None:
        url = request.url.include_query_params(cursor=cursor)
        response.headers["Link"] = f'<{url}>; rel="next"'
