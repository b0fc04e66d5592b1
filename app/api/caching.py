"""Validators for speech resources: an ETag from the speech's version, Last-Modified from its edit time.

Everything under /speeches/{id} changes only when the speech does (its version bumps), so the
ETag is derived from (id, version, representation) without rendering the body, and writes can
check `If-Match` against the same value.
"""

from __future__ import annotations

import hashlib
from email.utils import format_datetime

from fastapi import Request, Response

from app import __version__
from app.api.problems import Problem
from app.models import Speech


def speech_etag(speech: Speech, representation: str = "") -> str:
    # The app version is part of it: a new release may render the same data differently.
    tag = hashlib.sha256(f"{speech.id}|{speech.version}|{__version__}|{representation}".encode()).hexdigest()
    return f'"{tag[:32]}"'


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
