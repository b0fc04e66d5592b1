"""Annotated dependencies. "Load X or 404" lives here, once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Path, Query
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.api.problems import Problem
from app.core.config import get_settings
from app.core.db import get_session
from app.models import Section, Speech
from app.repositories import sections as section_repo
from app.repositories import speeches as speech_repo
from app.services import search as search_service

SessionDep = Annotated[Session, Depends(get_session)]


def valid_speech(
    session: SessionDep,
    speech: Annotated[str, Path(description="The speech's numeric id or its slug.", max_length=64)],
) -> Speech:
    found = (
        speech_repo.get_speech(session=session, speech_id=int(speech))
        if speech.isascii() and speech.isdigit() and len(speech) < 19
        else speech_repo.get_speech_by_slug(session=session, slug=speech)
    )
    if found is None:
        raise Problem("not-found", f"No speech {speech!r}.")
    return found


SpeechDep = Annotated[Speech, Depends(valid_speech)]


def valid_section(
    session: SessionDep,
    speech: SpeechDep,
    eid: Annotated[str, Path(description="The section's eid, e.g. part_2__point_3.", max_length=255)],
) -> Section:
    assert speech.id is not None
    found = section_repo.get_section(session=session, speech_id=speech.id, eid=eid)
    if found is None:
        raise Problem("not-found", f"Speech {speech.id} has no section {eid!r}.")
    return found


SectionDep = Annotated[Section, Depends(valid_section)]


def page_limit(
    limit: Annotated[int | None, Query(ge=1, description="Page size (bounded by the server).")] = None,
) -> int:
    settings = get_settings()
    if limit is None:
        return settings.page_size_default
    if limit > settings.page_size_max:
        raise Problem("bad-request", f"limit must be at most {settings.page_size_max}.")
    return limit


LimitDep = Annotated[int, Depends(page_limit)]
CursorQuery = Annotated[str | None, Query(description="Opaque cursor from a previous page.", max_length=512)]


@contextmanager
def search_errors() -> Iterator[None]:
    """Map search failures to problems: a query with nothing to search, an outdated index."""
    try:
        yield
    except search_service.EmptyQuery as exc:
        raise Problem(
            "invalid-query", "The query has no characters to search for (letters, digits or Chinese)."
        ) from exc
    except search_service.SearchUnavailable as exc:
        raise Problem(
            "index-outdated",
            "The search index was built by another tokenizer version; run `python -m app reindex`.",
        ) from exc
    except OperationalError as exc:
        # Backstop: a MATCH expression the index rejects is the query's fault, not a 500.
        if "fts5" not in str(exc.orig).lower():
            raise
        raise Problem("invalid-query", "The search query could not be run.") from exc
