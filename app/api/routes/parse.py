"""Stateless parse preview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from app import parser
from app.api import bodies
from app.api.deps import accept_json, read_access
from app.api.problems import PROBLEM_RESPONSES, Problem
from app.api.routes.speech_writes import BODY_DOC
from app.schemas import ParseOut, SpeechIn

router = APIRouter(
    prefix="/api/v1",
    tags=["parse"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Depends(read_access), Depends(accept_json)],
)


@router.post("/parse", response_model=ParseOut, summary="Preview a parse", openapi_extra=BODY_DOC)
async def parse_text(
    request: Request,
    strict: Annotated[bool, Query(description="Answer 422 when the parser reports diagnostics.")] = False,
) -> ParseOut:
    """The parse result of a text (the `parse` contract of `python -m app parse`); nothing is stored."""
    text, body = await bodies.text_or_json(request, SpeechIn)
    raw = text if text is not None else body.text
    result = parser.to_dict(await run_in_threadpool(parser.parse, raw))
    if strict and result["diagnostics"]:
        raise Problem(
            "parse-diagnostics",
            f"The parser reported {len(result['diagnostics'])} problem(s); see `diagnostics`.",
            diagnostics=result["diagnostics"],
        )
    return ParseOut.model_validate(result)
