"""Validators and conditional requests (RFC 9110 section 13), and the default Cache-Control."""

from __future__ import annotations

import hashlib
import re
from email.utils import parsedate_to_datetime

from app.core.config import Settings

_ENTITY_TAG = re.compile(rb'(?:W/)?"[^"]*"')


def default_cache_control(settings: Settings) -> str:
    """settings.cache_control, made `private` when reads need a key.

    A shared cache may store a `public` response to a request with Authorization and hand it to
    the next client without one (RFC 9111 3.5), which would defeat read_requires_key.
    """
    if not settings.read_requires_key:
        return settings.cache_control
    directives = [d.strip() for d in settings.cache_control.split(",") if d.strip()]
    shared_only = ("public", "private", "s-maxage")
    return ", ".join(["private", *(d for d in directives if not d.lower().startswith(shared_only))])


def strong_etag(body: bytes) -> bytes:
    return b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'


def none_match(if_none_match: bytes, etag: bytes) -> bool:
    """True when If-None-Match lists `etag` (weak comparison) or is `*`."""
    if if_none_match.strip() == b"*":
        return True
    opaque = etag.removeprefix(b"W/")
    return any(tag.removeprefix(b"W/") == opaque for tag in _ENTITY_TAG.findall(if_none_match))


def not_modified_since(if_modified_since: bytes, last_modified: bytes) -> bool:
    try:
        since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
        modified = parsedate_to_datetime(last_modified.decode("latin-1"))
    except (TypeError, ValueError, IndexError):
        return False  # an unparseable date is ignored (RFC 9110 13.1.3)
    if (since.tzinfo is None) != (modified.tzinfo is None):
        return False
    return modified <= since


def is_not_modified(
    *,
    if_none_match: bytes | None,
    if_modified_since: bytes | None,
    etag: bytes | None,
    last_modified: bytes | None,
) -> bool:
    """Whether a conditional GET gets a 304. If-None-Match wins over If-Modified-Since when both
    are sent (RFC 9110 13.2.2)."""
    if if_none_match is not None:
        return etag is not None and none_match(if_none_match, etag)
    if if_modified_since is not None and last_modified is not None:
        return not_modified_since(if_modified_since, last_modified)
    return False
