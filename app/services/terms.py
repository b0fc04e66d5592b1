"""Use case: term autocomplete by characters, pinyin or pinyin initials."""

from __future__ import annotations

import unicodedata

from sqlmodel import Session

from app import search
from app.repositories import search as search_repo
from app.repositories import terms as term_repo
from app.schemas import TermOut


def suggest(*, session: Session, prefix: str, limit: int) -> list[TermOut]:
    """Terms starting with `prefix`, most used first.

    A pinyin prefix that ends on a syllable boundary inside a longer term also suggests the
    characters it spells when they are used on their own (laomo -> 劳模 from 劳模精神), with the
    number of sentences that contain them.
    """
    typed = unicodedata.normalize("NFKC", prefix.strip())
    folded = search.fold(typed)
    latin = search.normalise_prefix(prefix)
    if not folded and not latin:
        return []
    # Terms are stored as written: match the prefix as typed (魅力XX), folded (勞模 -> 劳模) and
    # with its Latin letters in upper case, as slogans write them (魅力x -> 魅力XX).
    rows = term_repo.list_terms_by_prefix(
        session=session, prefixes=sorted({typed, folded, folded.upper()}), pinyin_prefix=latin, limit=limit
    )
    out = [TermOut(text=t.text, pinyin=t.pinyin, initials=t.initials, uses=t.uses) for t in rows]
    seen = {t.text for t in out}
    for derived in _spelled_prefixes(latin, [t.text for t in out]):
        if derived in seen:
            continue
        seen.add(derived)
        uses = _sentence_count(session, derived)
        if uses:
            pinyin, initials = search.term_keys(derived)
            out.append(TermOut(text=derived, pinyin=pinyin, initials=initials, uses=uses))
    # Terms spelled by the characters typed first, then by pinyin; most used first within each.
    out.sort(key=lambda t: (bool(folded) and not search.fold(t.text).startswith(folded), -t.uses, t.text))
    return out[:limit]


def _spelled_prefixes(latin: str, terms: list[str]) -> list[str]:
    """Leading characters (2 or more) of each term whose pinyin or initials equal `latin`."""
    found: list[str] = []
    if not latin:
        return found
    for term in terms:
        for k in range(2, len(term)):
            pinyin, initials = search.term_keys(term[:k])
            if latin in (pinyin, initials):
                found.append(term[:k])
                break
    return found


def _sentence_count(session: Session, text: str) -> int:
    return search_repo.count_matches(
        session=session, target="sentence", query=search.parse_query(text), filters=search_repo.Filters()
    )
