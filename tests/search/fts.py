"""A real in-memory FTS5 table shaped like the production one, for tests that need SQLite's answer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from app.search import index_tokens

DDL = (
    "CREATE VIRTUAL TABLE fts USING fts5(tok, content='', "
    "tokenize='unicode61 remove_diacritics 0', prefix='1')"
)

DEV_TEXTS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev" / "texts"


def fts_table(texts: Iterable[str]) -> sqlite3.Connection:
    """A contentless FTS5 table whose row ``i + 1`` holds ``index_tokens(texts[i])``."""
    conn = sqlite3.connect(":memory:")
    conn.execute(DDL)
    conn.executemany(
        "INSERT INTO fts(rowid, tok) VALUES (?, ?)",
        ((i, index_tokens(t)) for i, t in enumerate(texts, 1)),
    )
    return conn


def search(conn: sqlite3.Connection, expr: str) -> set[int]:
    """Row ids matching ``expr``; the expression is bound, as production code must do."""
    return {row[0] for row in conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expr,))}


def vocabulary(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    """(term, rowid, offset) for every token instance the FTS5 tokenizer actually indexed."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab(fts, 'instance')")
    return list(conn.execute("SELECT term, doc, offset FROM fts_vocab ORDER BY doc, offset"))
