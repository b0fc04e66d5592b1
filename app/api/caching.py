"""Validators for speech resources: an ETag from the speech's version, Last-Modified from its edit time.

Everything under /speeches/{id} changes only when the speech does (its version bumps), so the
ETag is derived from (id, version, representation) without rendering the body, and writes can
check `If-Match` against the same value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime
from typing import Any, TypeVar

from fastapi import Request, Response
from starlette.types import Scope

from app import __version__
from app.api.middleware.conditional import none_match
from app.api.problems import Problem
from app.models import Speech


def speech_etag(speech: Speech, representation: str = "") -> str:
    # The app version is part of it: a new release may render the same data differently.
    tag = hashlib.sha256(f"{speech.id}|{speech.version}|{__version__}|{representation}".encode()).hexdigest()
    return f'"{tag[:32]}"'


def data_etag(data_version: int, representation: str) -> str:
    """A strong ETag for a view of the whole corpus (a bulk export) at one data version.

    The data version is the newest change-log id, which moves with every create, edit and
    withdrawal, so the tag names the body without rendering it: a streamed answer, whose body
    the caching layer never holds, still gets a validator and a 304.
    """
    tag = hashlib.sha256(f"data|{data_version}|{__version__}|{representation}".encode()).hexdigest()
    return f'"{tag[:32]}"'


def set_corpus_last_modified(response: Response, at: datetime | None) -> None:
    """Last-Modified of a view of the whole corpus: when anything in it last changed.

    Not the newest entry's time: withdrawing a speech removes entries, and a date that moved back
    would turn the client's If-Modified-Since into a 304 for content that has changed.
    """
    if at is not None:
        response.headers["Last-Modified"] = format_datetime(at, usegmt=True)


def client_has(request: Request, etag: str) -> bool:
    """Whether If-None-Match names `etag`, in its identity or its gzip (`-gz`) variant."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    given = header.encode("latin-1")
    return none_match(given, etag.encode()) or none_match(given, etag[:-1].encode() + b'-gz"')


def set_validators(response: Response, speech: Speech, representation: str) -> None:
    """`representation` names what the body shows of the speech: "detail", "section:part_1", …"""
    response.headers["ETag"] = speech_etag(speech, representation)
    response.headers["Last-Modified"] = format_datetime(speech.updated_at, usegmt=True)


def check_if_match(request: Request, speech: Speech) -> None:
    """412 when If-Match names another version of the speech (lost-update protection)."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return
    current = speech_etag(speech, "detail")
    tags = {t.strip() for t in header.split(",")}
    if current not in tags and current[:-1] + '-gz"' not in tags:
        raise Problem(
            "precondition-failed",
            "The speech changed since you read it; GET it again and retry.",
            etag=current,
        )


F = TypeVar("F", bound=Callable[..., Any])
_CACHEABLE = "__jianghua_cacheable__"


def cacheable(endpoint: F) -> F:
    """Mark a GET route whose answer depends only on the request's URL, Accept and the stored data,
    so the response cache (app/api/middleware/response_cache.py) may keep and replay it."""
    setattr(endpoint, _CACHEABLE, True)
    return endpoint


def is_cacheable(scope: Scope) -> bool:
    """Whether the route that answered this request is marked `@cacheable`."""
    return getattr(getattr(scope.get("route"), "endpoint", None), _CACHEABLE, False) is True
