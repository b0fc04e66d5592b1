"""SQL for the full-text index: the same Python tokens (app.search) on SQLite and PostgreSQL.

Each searchable table `X` (sentence, section, quote) has an index `fts_X` whose rowid is `X.id`:
on SQLite a contentless FTS5 table, on PostgreSQL a table of tsvectors with a GIN index. Only
expressions built from tokens (`match_expr`, `tsquery_text`), never user text, reach SQL, and
always as bound parameters. Both engines rank the newest WINDOW matches (bm25 / ts_rank) and
list older matches after them, newest first, so they return the same result sets; the order
within the ranked window can differ between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import search

Target = Literal["sentence", "section", "quote"]
TARGETS: tuple[Target, ...] = ("sentence", "section", "quote")

# bm25 costs about a microsecond per matching row, so relevance ranks only the newest WINDOW
# matches (exact whenever there are fewer; older ones follow, newest first):
# ../shared/research/chinese-search.md §2.4, §6.3.
WINDOW = 2000
COUNT_CAP = 10_000


@dataclass(frozen=True, slots=True)
class Filters:
    speech_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    kind: str | None = None  # quotes only
    source: str | None = None  # quotes only
    min_len: int | None = None  # quotes only
    max_len: int | None = None  # quotes only
    upto: int | None = None  # rows with ids up to this: the snapshot a paged list started from

    def where(self, target: Target, alias: str) -> tuple[str, str, dict[str, Any]]:
        """The joins this filter needs, its SQL conditions (each with a leading AND), parameters.

        Without filters a query touches the full-text index alone: withdrawn speeches are taken
        out of the index, so nothing has to be joined to hide them.
        """
        f, b, s = f"f{alias}", f"b{alias}", f"s{alias}"
        conds: list[str] = []
        params: dict[str, Any] = {}

        def add(sql: str, value: object) -> None:
            name = f"p{len(params)}"
            conds.append(f"{sql} :{name}")
            params[name] = value

        if self.speech_id is not None:
            add(f"{b}.speech_id =", self.speech_id)
        if self.date_from is not None:
            add(f"{s}.delivered_on >=", self.date_from)
        if self.date_to is not None:
            add(f"{s}.delivered_on <=", self.date_to)
        if target == "quote":
            if self.kind is not None:
                add(f"{b}.kind =", self.kind)
            if self.source is not None:
                add(f"{b}.source =", self.source)
            if self.min_len is not None:
                add(f"length({b}.text) >=", self.min_len)
            if self.max_len is not None:
                add(f"length({b}.text) <=", self.max_len)
        joins = f" JOIN {target} AS {b} ON {b}.id = {f}.rowid" if conds else ""
        if self.date_from is not None or self.date_to is not None:
            joins += f" JOIN speech AS {s} ON {s}.id = {b}.speech_id"
        if self.upto is not None:  # on the index's own rowid: needs no join
            add(f"{f}.rowid <=", self.upto)
        return joins, "".join(f" AND {c}" for c in conds), params


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _expr(session: Session, query: search.Query) -> str | None:
    return search.match_expr(query) if _sqlite(session) else search.tsquery_text(query)


def _matches(session: Session, target: Target, alias: str) -> str:
    """The condition that row `f{alias}` of fts_{target} matches the bound expression :q."""
    if _sqlite(session):
        return f"f{alias}.fts_{target} MATCH :q"
    return f"f{alias}.tok @@ CAST(:q AS tsquery)"


def search_ids(
    *,
    session: Session,
    target: Target,
    query: search.Query,
    filters: Filters,
    sort: Literal["relevance", "date"],
    limit: int,
    offset: int,
    total: int | None = None,
) -> list[int]:
    """Ids of matching rows, best first (relevance) or newest speech first (date); every match
    is on some page in either order. `total`, when the caller counted it (`count_matches`),
    lets PostgreSQL pick a plan it would misjudge."""
    expr = _expr(session, query)
    if expr is None:
        return []
    joins, cond, params = filters.where(target, "")
    params |= {"q": expr, "limit": limit, "offset": offset, "w": WINDOW}
    if sort == "relevance":
        return _relevance_ids(
            session=session,
            target=target,
            joins=joins,
            cond=cond,
            params=params,
            limit=limit,
            offset=offset,
            total=total,
        )
    # Newest speech first; speeches without a date after those with one.
    sql = (
        f"SELECT f.rowid FROM fts_{target} AS f JOIN {target} AS d ON d.id = f.rowid "
        f"JOIN speech AS ds ON ds.id = d.speech_id{joins} WHERE {_matches(session, target, '')}{cond} "
        "ORDER BY ds.delivered_on IS NULL, ds.delivered_on DESC, d.speech_id DESC, f.rowid "
        "LIMIT :limit OFFSET :offset"
    )
    return [row[0] for row in session.execute(text(sql), params)]


def _relevance_ids(
    *,
    session: Session,
    target: Target,
    joins: str,
    cond: str,
    params: dict[str, Any],
    limit: int,
    offset: int,
    total: int | None,
) -> list[int]:
    """Relevance order that reaches every match: the newest WINDOW matches ranked, then the rest.

    Ranking costs about a microsecond per ranked row, so only the newest WINDOW matches are ranked
    (bm25 on SQLite, ts_rank on PostgreSQL); older matches follow them newest first. Paging thus
    walks all matches exactly once, and the order is plain relevance whenever there are at most
    WINDOW matches.
    """
    fts, match = f"fts_{target}", _matches(session, target, "")
    ids: list[int] = []
    if _sqlite(session):
        boundary_sql = (
            f"SELECT f.rowid FROM {fts} AS f{joins} WHERE {match}{cond} "
            "ORDER BY f.rowid DESC LIMIT 1 OFFSET :w - 1"
        )
        boundary = session.execute(text(boundary_sql), params).scalar()
        if offset < WINDOW or boundary is None:
            head = (
                f"SELECT f.rowid FROM {fts} AS f{joins} WHERE {match}{cond} AND f.rowid >= :b "
                "ORDER BY f.rank, f.rowid LIMIT :limit OFFSET :offset"
            )
            ids = [r[0] for r in session.execute(text(head), params | {"b": boundary or 0})]
        if boundary is None or len(ids) == limit:
            return ids
        tail = (
            f"SELECT f.rowid FROM {fts} AS f{joins} WHERE {match}{cond} AND f.rowid < :b "
            "ORDER BY f.rowid DESC LIMIT :n OFFSET :o"
        )
        more = {"b": boundary, "n": limit - len(ids), "o": max(0, offset - WINDOW)}
        return ids + [r[0] for r in session.execute(text(tail), params | more)]
    # PostgreSQL: a GIN index yields matches in no useful order, so "newest first" sorts them.
    # Given `ORDER BY rowid DESC LIMIT`, the planner walks the primary key backwards, filtering:
    # right for very frequent terms, but 90 ms instead of 5 for one in a hundred rows. Below the
    # count cap every match is fetched through the index first (a materialised CTE keeps them).
    matches = f"SELECT f.rowid, f.tok FROM {fts} AS f{joins} WHERE {match}{cond}"
    source = f"({matches})" if total is None or total > COUNT_CAP else "m"
    prefix = "" if source != "m" else f"WITH m AS MATERIALIZED ({matches}) "
    if offset < WINDOW:
        head = (
            f"{prefix}SELECT c.rowid FROM (SELECT x.rowid, x.tok FROM {source} AS x "
            "ORDER BY x.rowid DESC LIMIT :w) AS c "
            "ORDER BY ts_rank(c.tok, CAST(:q AS tsquery)) DESC, c.rowid LIMIT :limit OFFSET :offset"
        )
        ids = [r[0] for r in session.execute(text(head), params)]
        if len(ids) == limit or offset + len(ids) < WINDOW:
            return ids  # a full page, or every match is inside the window
    tail = f"{prefix}SELECT x.rowid FROM {source} AS x ORDER BY x.rowid DESC LIMIT :n OFFSET :o"
    more = {"n": limit - len(ids), "o": WINDOW + max(0, offset - WINDOW)}
    return ids + [r[0] for r in session.execute(text(tail), params | more)]


def search_ids_by_date_walk(
    *, session: Session, target: Target, query: search.Query, filters: Filters, limit: int, offset: int
) -> list[int]:
    """Date order without sorting every match: walk speeches newest first, probing them in batches.

    The same order as `search_ids(sort="date")`. Worth it when matches are dense (a frequent
    term): the first few speeches fill the page, where sorting all matches joins them all.
    Speeches come from the (withdrawn_at, delivered_on) index, dated ones first; one statement
    probes a whole batch of speeches, each probe a match within that speech's id range, which
    the full-text index seeks into. Batches grow while matches stay sparse.
    """
    expr = _expr(session, query)
    if expr is None:
        return []
    joins, cond, params = filters.where(target, "")
    conds = ["withdrawn_at IS NULL"]
    if filters.speech_id is not None:
        conds.append("id = :only")
    if filters.date_from is not None:
        conds.append("delivered_on >= :dfrom")
    if filters.date_to is not None:
        conds.append("delivered_on <= :dto")
    where = " AND ".join(conds)
    walks = [
        f"SELECT id, delivered_on FROM speech WHERE {where} AND delivered_on IS NOT NULL "
        "ORDER BY delivered_on DESC, id DESC LIMIT :n OFFSET :o",
        f"SELECT id, delivered_on FROM speech WHERE {where} AND delivered_on IS NULL "
        "ORDER BY id DESC LIMIT :n OFFSET :o",
    ]
    params |= {"q": expr, "only": filters.speech_id, "dfrom": filters.date_from, "dto": filters.date_to}
    # Per speech: the matches inside its id range, each row checked against the speech too
    # (concurrent writers can interleave ids on PostgreSQL).
    if _sqlite(session):
        # CROSS JOIN fixes SQLite's join order: per speech, one ranged MATCH, then its rows.
        probe = (
            f"FROM r CROSS JOIN fts_{target} AS f CROSS JOIN {target} AS d{joins} "
            f"WHERE {_matches(session, target, '')}{cond} AND f.rowid >= r.lo AND f.rowid <= r.hi "
            "AND d.id = f.rowid AND d.speech_id = r.sid"
        )
    else:
        # ts_match_vq is `@@` without the GIN index: each probe scans one speech's primary-key
        # range (about a hundred rows) instead of rebuilding the bitmap of every match.
        probe = (
            f"FROM r CROSS JOIN LATERAL (SELECT f.rowid FROM fts_{target} AS f "
            f"JOIN {target} AS d ON d.id = f.rowid{joins} WHERE f.rowid BETWEEN r.lo AND r.hi "
            f"AND ts_match_vq(f.tok, CAST(:q AS tsquery)){cond} AND d.speech_id = r.sid) AS f"
        )
    found: list[int] = []
    for walk in walks:
        sql = text(
            f"WITH sp AS ({walk}), "
            f"r AS MATERIALIZED (SELECT sp.id AS sid, sp.delivered_on AS don, "
            f"(SELECT min(id) FROM {target} WHERE speech_id = sp.id) AS lo, "
            f"(SELECT max(id) FROM {target} WHERE speech_id = sp.id) AS hi FROM sp) "
            f"SELECT f.rowid {probe} ORDER BY r.don DESC, r.sid DESC, f.rowid LIMIT :need"
        )
        start, batch = 0, 16
        while len(found) < offset + limit:
            need = offset + limit - len(found)
            found += [r[0] for r in session.execute(sql, params | {"n": batch, "o": start, "need": need})]
            if len(found) < offset + limit:
                # Not full: were there more speeches to walk?
                more = session.execute(text(walk), params | {"n": 1, "o": start + batch}).first()
                if more is None:
                    break
            start += batch
            batch = min(batch * 2, 1024)
    return found[offset : offset + limit]


# Date order either sorts every match or walks speeches newest first, probing each one. Sorting
# costs about 2-3 µs per match on SQLite (5-6 on PostgreSQL); a probe about 10 µs per index
# token on SQLite (150 on PostgreSQL, which checks each of the speech's rows), and sparse matches
# need many probes per page. The walk pays when matches² >= cost x rows needed x speeches, with
# the costs measured by scripts/bench-search at one million sentences.
SORT_ALWAYS = 300  # so few matches that sorting them all is always cheap


def date_walk_pays(*, session: Session, query: search.Query, filters: Filters, total: int, need: int) -> bool:
    """Whether walking speeches newest first beats sorting all `total` matches by date."""
    if total <= SORT_ALWAYS:
        return False
    speeches = count_speeches(session=session, filters=filters)
    if _sqlite(session):
        cost = 8 * max(1, sum(len(k.tokens) for k in (*query.keywords, *query.excluded)))
    else:
        cost = 30
    return total * total >= cost * need * speeches


def count_speeches(*, session: Session, filters: Filters) -> int:
    """How many live speeches the filters allow: what a date-order walk may have to visit."""
    conds = ["withdrawn_at IS NULL"]
    params: dict[str, Any] = {}
    if filters.speech_id is not None:
        conds.append("id = :only")
        params["only"] = filters.speech_id
    if filters.date_from is not None:
        conds.append("delivered_on >= :dfrom")
        params["dfrom"] = filters.date_from
    if filters.date_to is not None:
        conds.append("delivered_on <= :dto")
        params["dto"] = filters.date_to
    sql = f"SELECT count(*) FROM speech WHERE {' AND '.join(conds)}"
    return int(session.execute(text(sql), params).scalar_one())


def newest_row_id(*, session: Session, target: Target) -> int:
    """The highest id of a target's rows: where a paged list's snapshot ends."""
    return int(session.execute(text(f"SELECT coalesce(max(id), 0) FROM {target}")).scalar_one())


def count_matches(*, session: Session, target: Target, query: search.Query, filters: Filters) -> int:
    """How many rows match, counted up to COUNT_CAP + 1 (so callers can say "10000+")."""
    expr = _expr(session, query)
    if expr is None:
        return 0
    joins, cond, params = filters.where(target, "")
    sql = (
        f"SELECT count(*) FROM (SELECT 1 FROM fts_{target} AS f{joins} "
        f"WHERE {_matches(session, target, '')}{cond} LIMIT :cap) AS t"
    )
    return int(session.execute(text(sql), params | {"q": expr, "cap": COUNT_CAP + 1}).scalar_one())


def index_rows(*, session: Session, target: Target, rows: Iterable[tuple[int, str | None]]) -> None:
    """Add (id, text) pairs to a target's index, inside the caller's transaction."""
    if _sqlite(session):
        batch = [{"id": i, "tok": search.index_tokens(t or "")} for i, t in rows]
        sql = f"INSERT INTO fts_{target}(rowid, tok) VALUES (:id, :tok)"
    else:
        batch = [{"id": i, "tok": search.tsvector_literal(t or "")} for i, t in rows]
        sql = f"INSERT INTO fts_{target}(rowid, tok) VALUES (:id, CAST(:tok AS tsvector))"
    if batch:
        session.execute(text(sql), batch)


def unindex_rows(*, session: Session, target: Target, rows: Iterable[tuple[int, str | None]]) -> None:
    """Remove (id, text) pairs; a contentless FTS5 index needs the tokens that were indexed."""
    if _sqlite(session):
        batch = [{"id": i, "tok": search.index_tokens(t or "")} for i, t in rows]
        sql = f"INSERT INTO fts_{target}(fts_{target}, rowid, tok) VALUES ('delete', :id, :tok)"
    else:
        batch = [{"id": i} for i, _ in rows]
        sql = f"DELETE FROM fts_{target} WHERE rowid = :id"
    if batch:
        session.execute(text(sql), batch)


def clear_index(*, session: Session, target: Target) -> None:
    if _sqlite(session):
        session.execute(text(f"INSERT INTO fts_{target}(fts_{target}) VALUES ('delete-all')"))
    else:
        session.execute(text(f"DELETE FROM fts_{target}"))


def optimize_index(*, session: Session, target: Target) -> None:
    if _sqlite(session):
        session.execute(text(f"INSERT INTO fts_{target}(fts_{target}) VALUES ('optimize')"))
    else:
        session.execute(text(f"ANALYZE fts_{target}"))


def vacuum_indexes(*, engine: Engine) -> None:
    """PostgreSQL: give back the space a reindex left as dead rows (it deletes and re-inserts, so
    readers keep the old index until it commits). VACUUM runs outside a transaction. No-op on SQLite,
    whose FTS5 'optimize' already merged the index."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for target in TARGETS:
            conn.execute(text(f"VACUUM ANALYZE fts_{target}"))


def rows_to_index(
    *, session: Session, target: Target, after_id: int, limit: int
) -> Sequence[tuple[int, str]]:
    """(id, text) of a target's live rows in id order, for rebuilding the index in batches.

    Rows of withdrawn speeches are left out: the index holds exactly the live rows.
    """
    column = "coalesce(t.heading, '')" if target == "section" else "t.text"
    sql = (
        f"SELECT t.id, {column} FROM {target} AS t JOIN speech AS s ON s.id = t.speech_id "
        "WHERE t.id > :after AND s.withdrawn_at IS NULL ORDER BY t.id LIMIT :limit"
    )
    return [(r[0], r[1]) for r in session.execute(text(sql), {"after": after_id, "limit": limit})]


def count_rows(*, session: Session, target: Target, live_only: bool = False) -> int:
    """How many rows a target has (only those of speeches not withdrawn, with `live_only`)."""
    sql = f"SELECT count(*) FROM {target}"
    if live_only:
        sql += " AS t JOIN speech AS s ON s.id = t.speech_id WHERE s.withdrawn_at IS NULL"
    return int(session.execute(text(sql)).scalar_one())


def get_meta(*, session: Session, key: str) -> str | None:
    row = session.execute(text("SELECT value FROM search_meta WHERE key = :k"), {"k": key}).first()
    return None if row is None else str(row[0])


def set_meta(*, session: Session, key: str, value: str) -> None:
    session.execute(
        text(
            "INSERT INTO search_meta(key, value) VALUES (:k, :v) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"k": key, "v": value},
    )
