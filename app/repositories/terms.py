"""SQL for the term table: quoted coinages with their use counts and pinyin keys."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlmodel import Session, col, or_, select

from app.models import Term

# The largest character, so that `x >= p AND x < p || TOP` is an index-friendly prefix range.
TOP = "\U0010ffff"


def add_term_uses(*, session: Session, uses: dict[str, tuple[int, str, str]]) -> None:
    """Add use counts: term -> (how many more uses, pinyin, initials); new terms are created."""
    if not uses:
        return
    session.execute(
        text(
            "INSERT INTO term(text, pinyin, initials, uses) VALUES (:t, :p, :i, :n) "
            "ON CONFLICT(text) DO UPDATE SET uses = term.uses + excluded.uses"
        ),
        [{"t": t, "n": n, "p": p, "i": i} for t, (n, p, i) in uses.items()],
    )


def remove_term_uses(*, session: Session, uses: dict[str, int]) -> None:
    for term, n in uses.items():
        session.execute(
            text("UPDATE term SET uses = CASE WHEN uses > :n THEN uses - :n ELSE 0 END WHERE text = :t"),
            {"t": term, "n": n},
        )


def list_terms_by_prefix(
    *, session: Session, prefixes: Sequence[str], pinyin_prefix: str, limit: int
) -> Sequence[Term]:
    """Terms whose text starts with one of the prefixes, or whose pinyin or initials start with
    the pinyin prefix; most used first."""
    conds = [(col(Term.text) >= p) & (col(Term.text) < p + TOP) for p in prefixes if p]
    if pinyin_prefix:
        conds.append((col(Term.pinyin) >= pinyin_prefix) & (col(Term.pinyin) < pinyin_prefix + TOP))
        conds.append((col(Term.initials) >= pinyin_prefix) & (col(Term.initials) < pinyin_prefix + TOP))
    if not conds:
        return []
    stmt = (
        select(Term)
        .where(or_(*conds), col(Term.uses) > 0)
        .order_by(col(Term.uses).desc(), col(Term.text))
        .limit(limit)
    )
    return session.exec(stmt).all()


def uses_of(*, session: Session, terms: Sequence[str]) -> dict[str, int]:
    if not terms:
        return {}
    rows = session.exec(select(Term.text, Term.uses).where(col(Term.text).in_(terms))).all()
    return dict(rows)
