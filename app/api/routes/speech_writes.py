"""Changing speeches (API key with scope write): create, edit metadata, replace text, withdraw."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from app import parser
from app.api import bodies
from app.api.caching import check_if_match, set_validators
from app.api.deps import AnySpeechDep, SpeechDep, WriteKey, WriteSessionDep, accept_json
from app.api.problems import PROBLEM_RESPONSES, Problem
from app.models import Speech
from app.schemas import EidChange, ParseOut, SpeechDetail, SpeechIn, SpeechMetadata, TextReplaced
from app.services import reading, writing
from app.services.ingest import EmptyText, ingest_text, parse_for_storage

# In every route below the key comes before the speech: dependencies resolve in signature order, and
# a request without a valid key must get 401, not learn whether a speech exists or was withdrawn.
router = APIRouter(
    prefix="/api/v1/speeches",
    tags=["speeches"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Depends(accept_json)],
)
BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string", "minLength": 1}},
            "application/json": {"schema": {"$ref": "#/components/schemas/SpeechIn"}},
        },
    }
}
PATCH_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            media: {"schema": {"$ref": "#/components/schemas/SpeechMetadata"}}
            for media in (bodies.MERGE_PATCH, bodies.JSON)
        },
    }
}


async def speech_text(request: Request) -> tuple[str, dict[str, Any]]:
    """The text and validated metadata of a text/plain or JSON body."""
    text, body = await bodies.text_or_json(request, SpeechIn)
    if text is not None:
        return text, {}
    metadata = body.metadata.model_dump(exclude_unset=True) if body.metadata else {}
    if metadata.get("source_url") is not None:
        metadata["source_url"] = str(metadata["source_url"])
    return body.text, metadata


def empty_text() -> Problem:
    return bodies.invalid(
        [{"loc": ["body"], "msg": "Nothing is left of the text once normalised.", "type": "value_error"}]
    )


def withdrawn_meanwhile(speech_id: int) -> Problem:
    return Problem("gone", f"Speech {speech_id} was withdrawn.")


def precondition(request: Request) -> writing.Precondition:
    return lambda speech: check_if_match(request, speech)


@router.post(
    "",
    response_model=SpeechDetail | ParseOut,
    status_code=201,
    summary="Store a speech",
    openapi_extra=BODY_DOC,
    responses={200: {"description": "The same text was stored before: the existing speech (or a dry run)"}},
)
async def create_speech(
    request: Request,
    response: Response,
    session: WriteSessionDep,
    key: WriteKey,
    dry_run: Annotated[bool, Query(description="Parse and validate only; store nothing.")] = False,
) -> SpeechDetail | ParseOut:
    """Parse and store a speech sent as text/plain or as JSON {"text", "metadata"}; idempotent."""
    raw, metadata = await speech_text(request)
    if dry_run:
        # The same checks as a real store, so a dry run that passes predicts a 201 or 200.
        try:
            parsed = await run_in_threadpool(parse_for_storage, raw)
        except EmptyText as exc:
            raise empty_text() from exc
        response.status_code = 200
        return ParseOut.model_validate(parser.to_dict(parsed))

    def store() -> tuple[SpeechDetail, bool]:
        try:
            result = ingest_text(session=session, raw_text=raw, metadata=metadata)
        except EmptyText as exc:
            raise empty_text() from exc
        assert result.speech.id is not None
        if result.speech.withdrawn_at is not None:
            raise Problem(
                "conflict", "This text was stored before and withdrawn.", speech_id=result.speech.id
            )
        return reading.build_speech_detail_by_id(session=session, speech_id=result.speech.id), result.created

    detail, created = await run_in_threadpool(store)
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/api/v1/speeches/{detail.id}"
    return detail


@router.patch(
    "/{speech}", response_model=SpeechDetail, summary="Edit a speech's metadata", openapi_extra=PATCH_DOC
)
async def patch_speech(
    request: Request, response: Response, session: WriteSessionDep, key: WriteKey, speech: SpeechDep
) -> SpeechDetail:
    """A JSON merge patch of metadata fields: present fields are set, null clears one.

    Send `If-Match` with the speech's ETag to get 412 instead of overwriting a newer edit.
    """
    media, _ = bodies.media_type(request)
    if media not in (bodies.MERGE_PATCH, bodies.JSON):
        raise bodies.unsupported(media, (bodies.MERGE_PATCH, bodies.JSON))
    patch: SpeechMetadata = bodies.validate(SpeechMetadata, await bodies.json_body(request))
    changes = {name: getattr(patch, name) for name in patch.model_fields_set}
    if changes.get("source_url") is not None:
        changes["source_url"] = str(changes["source_url"])
    assert speech.id is not None
    speech_id = speech.id

    def apply() -> tuple[Speech, SpeechDetail]:
        try:
            updated = writing.update_metadata(
                session=session, speech_id=speech_id, changes=changes, precondition=precondition(request)
            )
        except writing.Withdrawn as exc:
            raise withdrawn_meanwhile(speech_id) from exc
        return updated, reading.build_speech_detail(session=session, speech=updated)

    updated, detail = await run_in_threadpool(apply)
    set_validators(response, updated, "detail")
    return detail


@router.put(
    "/{speech}/text", response_model=TextReplaced, summary="Replace a speech's text", openapi_extra=BODY_DOC
)
async def put_text(
    request: Request, response: Response, session: WriteSessionDep, key: WriteKey, speech: SpeechDep
) -> TextReplaced:
    """Re-parse a corrected text; eids of unchanged sections and paragraphs stay, and `eid_changes`
    lists those that moved, appeared or went."""
    raw, metadata = await speech_text(request)
    if metadata:  # dropping it silently would look like success to the client
        raise bodies.invalid(
            [
                {
                    "loc": ["body", "metadata"],
                    "msg": "PUT …/text replaces the text only; change metadata with PATCH.",
                    "type": "extra_forbidden",
                }
            ]
        )
    assert speech.id is not None
    speech_id = speech.id

    def apply() -> tuple[Speech, TextReplaced]:
        try:
            updated, changes = writing.replace_text(
                session=session, speech_id=speech_id, raw_text=raw, precondition=precondition(request)
            )
        except writing.TextConflict as exc:
            raise Problem(
                "conflict", "Another speech already has this text.", speech_id=exc.speech_id
            ) from exc
        except EmptyText as exc:
            raise empty_text() from exc
        except writing.Withdrawn as exc:
            raise withdrawn_meanwhile(speech_id) from exc
        return updated, TextReplaced(
            speech=reading.build_speech_detail(session=session, speech=updated),
            eid_changes=[
                EidChange(old=c.old, new=c.new, heading=c.heading, element=c.element) for c in changes
            ],
        )

    updated, body = await run_in_threadpool(apply)
    set_validators(response, updated, "detail")
    return body


@router.delete("/{speech}", status_code=204, summary="Withdraw a speech")
def delete_speech(
    request: Request, session: WriteSessionDep, key: WriteKey, speech: AnySpeechDep
) -> Response:
    """Withdraw: the speech is kept but hidden from lists and search; reading it gives 410."""
    assert speech.id is not None
    writing.withdraw(session=session, speech_id=speech.id, precondition=precondition(request))
    return Response(status_code=204)
