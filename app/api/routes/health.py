"""Liveness and problem-type documentation."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import SessionDep
from app.api.problems import PROBLEM_RESPONSES, PROBLEMS, TYPE_BASE, Problem
from app.schemas import Health, ProblemType, Readiness
from app.services import health

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health, summary="Liveness")
def read_health() -> Health:
    """The process is up and serving requests."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness",
    responses={503: {"description": "Not ready: database unreachable or migrations behind"}},
)
def read_readiness(session: SessionDep) -> Readiness:
    """The database answers and its schema is at the migrations' head."""
    state = health.readiness(session=session)
    if state.status != "ready":
        raise Problem("not-ready", f"database: {state.database}; migrations: {state.migrations}.")
    return state


@router.get(
    TYPE_BASE + "{slug}",
    response_model=ProblemType,
    summary="What a problem type means",
    responses=PROBLEM_RESPONSES,
)
def read_problem_type(slug: str) -> ProblemType:
    """Every error's `type` URI resolves here, to its status and title."""
    if slug not in PROBLEMS:
        raise Problem("not-found", f"No problem type {slug!r}.")
    status, title = PROBLEMS[slug]
    return ProblemType(type=TYPE_BASE + slug, status=status, title=title)
