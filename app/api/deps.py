"""Annotated dependencies. "Load X or 404", authentication and content negotiation live here, once."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.api.problems import Problem
from app.core.config import Settings
from app.core.db import get_engine, get_session, get_write_session, run_read
from app.models import ApiKey, Section, Speech
from app.repositories import sections as section_repo
from app.repositories import speeches as speech_repo
from app.services import keys as key_service
from app.services import search as search_service

SessionDep = Annotated[Session, Depends(get_session)]
# Ids are INTEGER columns (32-bit on PostgreSQL): a bigger number cannot name a row.
MAX_ID = 2**31 - 1


WriteSessionDep = Annotated[Session, Depends(get_write_session)]


# Dependencies that do no I/O are `async def`: FastAPI runs every plain `def` dependency in the
# threadpool, and each hop costs more than the check itself (BENCHMARKS.md, "dependency hops").


async def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(settings_of)]


# --- authentication -------------------------------------------------------------------------

BEARER = {"WWW-Authenticate": 'Bearer realm="jianghua"'}


def _authenticate_on_primary(plain: str) -> ApiKey | None:
    with Session(get_engine()) as session:
        return key_service.authenticate(session=session, plain=plain)


async def current_key(request: Request, session: SessionDep, settings: SettingsDep) -> ApiKey | None:
    """The API key of the request, None without one; 401 for a malformed, unknown or revoked key.

    Keys are checked on the primary when reads go to a replica: a replica's lag must not keep a
    revoked key working, nor refuse a key made a moment ago.
    """
    header = request.headers.get("authorization")
    if header is None:
        return None  # the common public read: no database, no threadpool hop
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem("unauthorized", "Use `Authorization: Bearer <key>`.", headers=BEARER)
    if settings.read_database_url:
        key = await run_in_threadpool(_authenticate_on_primary, token.strip())
    else:
        key = await run_read(session, key_service.authenticate, plain=token.strip())
    if key is None:
        raise Problem("unauthorized", "The API key is unknown or revoked.", headers=BEARER)
    return key


KeyDep = Annotated[ApiKey | None, Depends(current_key)]


# Declares the scheme in OpenAPI (components.securitySchemes, and `security` on every operation
# that needs a key) so generated clients know how to authenticate; current_key does the checking.
BEARER_SCHEME = HTTPBearer(
    scheme_name="ApiKey",
    description="An API key made with `python -m app keys create`, sent as `Authorization: Bearer <key>`.",
    auto_error=False,
)
DeclaredBearer = Annotated[HTTPAuthorizationCredentials | None, Security(BEARER_SCHEME)]


def require(
    scope: str,
) -> Callable[[ApiKey | None, HTTPAuthorizationCredentials | None], Awaitable[ApiKey]]:
    async def check(key: KeyDep, _declared: DeclaredBearer) -> ApiKey:
        if key is None:
            raise Problem(
                "unauthorized", "This needs an API key: `Authorization: Bearer <key>`.", headers=BEARER
            )
        if not key_service.allows(key, scope):
            raise Problem(
                "forbidden", f"The key {key.prefix}… has scope {key.scope!r}; this needs {scope!r}."
            )
        return key

    return check


WriteKey = Annotated[ApiKey, Depends(require("write"))]
AdminKey = Annotated[ApiKey, Depends(require("admin"))]


async def read_access(settings: SettingsDep, key: KeyDep) -> None:
    """Reads are public unless JIANGHUA_READ_REQUIRES_KEY is set."""
    if settings.read_requires_key and key is None:
        raise Problem("unauthorized", "Reads need an API key on this server.", headers=BEARER)


async def no_nul(request: Request) -> None:
    """NUL cannot be stored or matched (PostgreSQL text refuses it): refuse it in paths and queries."""
    if "\x00" in request.url.path or any(
        "\x00" in k or "\x00" in v for k, v in request.query_params.multi_items()
    ):
        raise Problem("bad-request", "NUL characters are not allowed in paths or query parameters.")


# --- content negotiation --------------------------------------------------------------------

JSON_TYPES = ("application/json", "application/problem+json", "application/*", "*/*")


def accepted_types(request: Request) -> list[str]:
    """The media ranges of the Accept header, most wanted first (q-values honoured, q=0 dropped)."""
    wanted: list[tuple[float, int, str]] = []
    for i, item in enumerate(request.headers.get("accept", "").split(",")):
        media, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media.strip() and q > 0:
            wanted.append((-q, i, media.strip().lower()))
    return [media for _, _, media in sorted(wanted)]


def matches(media_range: str, media_type: str) -> bool:
    major = media_type.split("/")[0]
    return media_range in (media_type, f"{major}/*", "*/*")


def accepts(request: Request, offered: tuple[str, ...]) -> bool:
    """Whether the Accept header (absent: anything) allows any of `offered`."""
    if not request.headers.get("accept", "").strip():
        return True
    return any(matches(r, o) for r in accepted_types(request) for o in offered)


async def accept_json(request: Request) -> None:
    await no_nul(request)
    if not accepts(request, ("application/json", "application/problem+json")):
        raise Problem("not-acceptable", "This resource is served as application/json only.")


# --- loading ----------------------------------------------------------------------------------


def load_speech(*, session: Session, ref: str) -> Speech:
    if ref.isascii() and ref.isdigit():
        found = speech_repo.get_speech(session=session, speech_id=int(ref)) if int(ref) <= MAX_ID else None
    else:
        found = speech_repo.get_speech_by_slug(session=session, slug=ref)
    if found is None:
        raise Problem("not-found", f"No speech {ref!r}.")
    return found


SpeechRef = Annotated[str, Path(description="The speech's numeric id or its slug.", max_length=64)]


async def valid_speech(session: SessionDep, speech: SpeechRef) -> Speech:
    found = await run_read(session, load_speech, ref=speech)
    if found.withdrawn_at is not None:
        raise Problem(
            "gone", f"Speech {found.id} was withdrawn.", withdrawn_at=found.withdrawn_at.isoformat()
        )
    return found


async def any_speech(session: SessionDep, speech: SpeechRef) -> Speech:
    """The speech, withdrawn or not (for DELETE, which is idempotent)."""
    return await run_read(session, load_speech, ref=speech)


SpeechDep = Annotated[Speech, Depends(valid_speech)]
AnySpeechDep = Annotated[Speech, Depends(any_speech)]


async def valid_section(
    session: SessionDep,
    speech: SpeechDep,
    eid: Annotated[str, Path(description="The section's eid, e.g. part_2__point_3.", max_length=255)],
) -> Section:
    assert speech.id is not None
    found = await run_read(session, section_repo.get_section, speech_id=speech.id, eid=eid)
    if found is None:
        raise Problem("not-found", f"Speech {speech.id} has no section {eid!r}.")
    return found


SectionDep = Annotated[Section, Depends(valid_section)]


async def page_limit(
    settings: SettingsDep,
    limit: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Page size (bounded by the server).")
    ] = None,
) -> int:
    if limit is None:
        return settings.page_size_default
    if limit > settings.page_size_max:
        raise Problem("bad-request", f"limit must be at most {settings.page_size_max}.")
    return limit


LimitDep = Annotated[int, Depends(page_limit)]


def _iso_date(value: object) -> object:
    # Pydantic's lax mode reads "0" or "1700000000" as a Unix time; a date filter must be a date.
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("use a date as YYYY-MM-DD")
    return value


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
FromQuery = Annotated[IsoDate | None, Query(alias="from", description="On or after this date (YYYY-MM-DD).")]
ToQuery = Annotated[IsoDate | None, Query(description="On or before this date (YYYY-MM-DD).")]
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
