"""Keeping the full-text index and the term table in step with the rows, in the same transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import search
from app.repositories import search as search_repo
from app.repositories import speeches as speech_repo
from app.repositories import terms as term_repo

VERSION_KEY = "tokenizer_version"
GENERATION_KEY = "index_generation"
BATCH = 5000


def index_rows(
    *, session: Session, target: search_repo.Target, rows: Iterable[tuple[int, str | None]]
) -> None:
    """Index (id, text) pairs of one target (sentence text, section heading, quote text)."""
    search_repo.index_rows(session=session, target=target, rows=rows)
    _stamp(session)


def unindex_rows(
    *, session: Session, target: search_repo.Target, rows: Iterable[tuple[int, str | None]]
) -> None:
    search_repo.unindex_rows(session=session, target=target, rows=rows)


def add_terms(*, session: Session, terms: Iterable[str]) -> None:
    counts = Counter(terms)
    term_repo.add_term_uses(session=session, uses={t: (n, *search.term_keys(t)) for t, n in counts.items()})


def remove_terms(*, session: Session, terms: Iterable[str]) -> None:
    term_repo.remove_term_uses(session=session, uses=dict(Counter(terms)))


def _stamp(session: Session) -> None:
    # The first write into an empty index records which tokenizer built it.
    if search_repo.get_meta(session=session, key=VERSION_KEY) is None:
        search_repo.set_meta(session=session, key=VERSION_KEY, value=search.TOKENIZER_VERSION)


def index_is_current(*, session: Session) -> bool:
    """True when the index was built by this tokenizer (or nothing has been indexed yet)."""
    built_by = search_repo.get_meta(session=session, key=VERSION_KEY)
    if built_by is None:
        if all(search_repo.count_rows(session=session, target=t) == 0 for t in search_repo.TARGETS):
            return True
        # Rows and stamp commit together: rows seen now mean the stamp is visible now too (a
        # writer may have committed between the first read and the counts).
        built_by = search_repo.get_meta(session=session, key=VERSION_KEY)
    return built_by == search.TOKENIZER_VERSION


def reindex(
    *, session: Session, progress: Callable[[search_repo.Target, int, int], None] | None = None
) -> int:
    """Rebuild every index from the live rows with the current tokenizer; one transaction.

    Rows of withdrawn speeches stay out, as they were taken out when the speech was withdrawn.
    """
    done = 0
    for target in search_repo.TARGETS:
        search_repo.clear_index(session=session, target=target)
        total = search_repo.count_rows(session=session, target=target, live_only=True)
        after, seen = 0, 0
        while batch := search_repo.rows_to_index(session=session, target=target, after_id=after, limit=BATCH):
            index_rows(session=session, target=target, rows=batch)
            after, seen = batch[-1][0], seen + len(batch)
            if progress is not None:
                progress(target, seen, total)
        search_repo.optimize_index(session=session, target=target)
        done += seen
    search_repo.set_meta(session=session, key=VERSION_KEY, value=search.TOKENIZER_VERSION)
    # A rebuild may change answers without a change-log entry (it leaves withdrawn rows out, for one):
    # the new generation moves the data stamp, so no cache replays a search from before it.
    generation = int(search_repo.get_meta(session=session, key=GENERATION_KEY) or 0) + 1
    search_repo.set_meta(session=session, key=GENERATION_KEY, value=str(generation))
    return done


def rebuild(*, engine: Engine, progress: Callable[[search_repo.Target, int, int], None] | None = None) -> int:
    """`reindex` in its own transaction, then give back the space the old index held."""
    with Session(engine) as session:
        done = reindex(session=session, progress=progress)
        session.commit()
    search_repo.vacuum_indexes(engine=engine)
    return done


def unindex_speech(*, session: Session, speech_id: int) -> None:
    """Take a speech's rows out of the full-text index and its terms out of the counts."""
    for target, rows in speech_repo.indexed_texts(session=session, speech_id=speech_id).items():
        unindex_rows(session=session, target=target, rows=rows)  # type: ignore[arg-type]
    remove_terms(session=session, terms=speech_repo.term_texts(session=session, speech_id=speech_id))
