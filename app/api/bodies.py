"""Request bodies: a speech text as text/plain (any encoding) or JSON, merge patches."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ValidationError

from app import parser
from app.api.problems import Problem

TEXT = "text/plain"
JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"


def media_type(request: Request) -> tuple[str, dict[str, str]]:
    header = request.headers.get("content-type", "")
    media, *params = header.split(";")
    values = {}
    for p in params:
        name, _, value = p.strip().partition("=")
        values[name.strip().lower()] = value.strip().strip('"')
    return media.strip().lower(), values


def unsupported(media: str, allowed: tuple[str, ...]) -> Problem:
    shown = media or "none"
    return Problem(
        "unsupported-media-type", f"Content-Type {shown} is not accepted here; use {', '.join(allowed)}."
    )


def invalid(errors: list[dict[str, Any]]) -> Problem:
    return Problem("validation-error", "The request body is not valid; see `errors`.", errors=errors)


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": ["body", *[str(p) for p in e["loc"]]], "msg": e["msg"], "type": e["type"]}
        for e in exc.errors()
    ]


async def json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid([{"loc": ["body"], "msg": f"Invalid JSON: {exc}", "type": "json_invalid"}]) from exc
    except RecursionError as exc:
        # `[[[[…` a few thousand deep exhausts the decoder's stack: the body's fault, not a 500.
        raise invalid(
            [{"loc": ["body"], "msg": "Invalid JSON: nested too deeply.", "type": "json_invalid"}]
        ) from exc


def validate(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(_errors(exc)) from exc


async def text_or_json(request: Request, model: type[BaseModel]) -> tuple[str | None, Any]:
    """(text, None) for text/plain, (None, model instance) for JSON; 415 for anything else."""
    media, params = media_type(request)
    if media == TEXT:
        raw = await request.body()
        # An unknown or wrong charset never fails: decode falls back to detection.
        text = parser.decode(raw, encoding=params.get("charset"))
        if not text.strip():
            raise invalid([{"loc": ["body"], "msg": "The text is empty.", "type": "missing"}])
        if "\x00" in text:
            raise invalid(
                [{"loc": ["body"], "msg": "NUL characters are not allowed.", "type": "value_error"}]
            )
        return text, None
    if media == JSON:
        return None, validate(model, await json_body(request))
    raise unsupported(media, (TEXT, JSON))
