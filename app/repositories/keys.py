"""SQL for API keys (only hashes are stored)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, or_, select

from app.models import ApiKey


def save_key(*, session: Session, key: ApiKey) -> ApiKey:
    session.add(key)
    session.flush()
    return key


def get_key_by_hash(*, session: Session, key_hash: str) -> ApiKey | None:
    return session.exec(select(ApiKey).where(ApiKey.key_hash == key_hash)).first()


def list_keys(*, session: Session) -> Sequence[ApiKey]:
    return session.exec(select(ApiKey).order_by(col(ApiKey.id))).all()


def find_keys(*, session: Session, ref: str) -> Sequence[ApiKey]:
    """Keys whose id, name or prefix is `ref`."""
    conds = [ApiKey.name == ref, ApiKey.prefix == ref]
    if ref.isdigit():
        conds.append(ApiKey.id == int(ref))
    return session.exec(select(ApiKey).where(or_(*conds))).all()
