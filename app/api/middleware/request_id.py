"""Request ids: one per request, echoed in `X-Request-ID`, readable anywhere through a contextvar."""

from __future__ import annotations

import os
import re
from contextvars import ContextVar, Token

HEADER = b"x-request-id"

# Ids end up in log lines and response headers, so anything that could forge a log field or split a
# header is refused; a client sending such an id gets a fresh one rather than an error.
_VALID = re.compile(rb"[A-Za-z0-9._-]{1,128}")

_current: ContextVar[str | None] = ContextVar("jianghua_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being served in this context, or None outside a request."""
    return _current.get()


def accept_or_generate(given: bytes | None) -> str:
    """The client's id when it is safe to reuse, else a new random 32-hex-digit one."""
    if given is not None and _VALID.fullmatch(given):
        return given.decode("ascii")
    # 128 random bits as 32 hex digits, the shape of uuid4().hex at a quarter of its cost (uuid4
    # builds a UUID object only to print it); the id needs to be unique, not a versioned UUID.
    return os.urandom(16).hex()


def bind(request_id: str) -> Token[str | None]:
    """Make `request_id` current; pass the returned token to `unbind` when the request ends."""
    return _current.set(request_id)


def unbind(token: Token[str | None]) -> None:
    _current.reset(token)
