"""API keys (admin scope): who may write."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from app.api.deps import AdminKey, SessionDep, accept_json
from app.api.problems import PROBLEM_RESPONSES
from app.repositories import keys as key_repo
from app.schemas import ApiKeyOut, Page

router = APIRouter(
    prefix="/api/v1", tags=["keys"], responses=PROBLEM_RESPONSES, dependencies=[Depends(accept_json)]
)


@router.get("/keys", response_model=Page[ApiKeyOut], summary="List API keys")
def read_keys(response: Response, session: SessionDep, key: AdminKey) -> Page[ApiKeyOut]:
    """Every key's name, prefix, scope and dates; never the key or its hash."""
    # An answer to an admin's credentials: no shared cache may keep it (the default is `public`).
    response.headers["Cache-Control"] = "no-store"
    keys = [ApiKeyOut.model_validate(k, from_attributes=True) for k in key_repo.list_keys(session=session)]
    return Page[ApiKeyOut](data=keys, total=len(keys), next_cursor=None)
