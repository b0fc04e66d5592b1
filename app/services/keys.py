"""Use case: API keys. A key is shown once; only its sha256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Literal

from sqlmodel import Session

from app.models import ApiKey, utcnow
from app.repositories import keys as key_repo

Scope = Literal["write", "admin"]
PREFIX = "jh_"
# What each scope may do; admin can do everything write can.
GRANTS: dict[str, set[str]] = {"write": {"write"}, "admin": {"write", "admin"}}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def create_key(*, session: Session, name: str, scope: Scope) -> tuple[ApiKey, str]:
    """Store a new key and return it with the plain key, which is never stored."""
    plain = PREFIX + secrets.token_urlsafe(32)
    key = key_repo.save_key(
        session=session,
        key=ApiKey(name=name, prefix=plain[:10], key_hash=hash_key(plain), scope=scope),
    )
    session.commit()
    session.refresh(key)
    return key, plain


def authenticate(*, session: Session, plain: str) -> ApiKey | None:
    """The live key matching `plain`, or None (unknown or revoked)."""
    key = key_repo.get_key_by_hash(session=session, key_hash=hash_key(plain))
    return key if key is not None and key.revoked_at is None else None


def list_keys(*, session: Session) -> Sequence[ApiKey]:
    """Every key, live and revoked, oldest first."""
    return key_repo.list_keys(session=session)


def allows(key: ApiKey, needed: str) -> bool:
    return needed in GRANTS.get(key.scope, set())


def revoke(*, session: Session, ref: str) -> list[ApiKey]:
    """Revoke the keys named by id, name or prefix; returns those revoked now."""
    revoked = []
    for key in key_repo.find_keys(session=session, ref=ref):
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            session.add(key)
            revoked.append(key)
    session.commit()
    return revoked
