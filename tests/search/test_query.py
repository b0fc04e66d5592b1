"""The query language: parsing, the FTS5 and tsquery it becomes, and fuzzing both."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search import MAX_QUERY_CHARS, MAX_TERMS, Keyword, match_expr, parse_query, tsquery_text
from app.search.tokens import RUN_CHARS
from tests.search.fts import fts_table, search


@pytest.mark.parametrize(
    ("q", "expr"),
    [
        ("劳模", '"劳模"'),
        ("劳", '"劳" *'),
        ("劳模 创新", '"劳模" AND "创新"'),
        ('"劳模 精神"', '"劳模 模 精神"'),
        ("-创新 劳模", '"劳模" NOT "创新"'),
        ("5G网络", '"5g g网 网络"'),
        ("勞模", '"劳模"'),
        ("劳模精神", '"劳模 模精 精神"'),
        ("劳模\u3000创新", '"劳模" AND "创新"'),
        ("2024年", '"20 02 24 4年"'),
        ("G网", '"g网"'),
        ("劳模，精神", '"劳模 模 精神"'),
        ("劳，模", '"劳 模" *'),
        ('-"劳模 精神" 创新', '"创新" NOT "劳模 模 精神"'),
        ("“中国梦”", '"中国 国梦"'),
        ("AND", '"an nd"'),
        ("NOT 劳模", '"no ot" AND "劳模"'),
        ('劳模"', '"劳模"'),
        ("- 劳模 -", '"劳模"'),
        ("劳模 劳模 勞模", '"劳模"'),
    ],
)
def test_match_expr_examples(q: str, expr: str) -> None:
    assert match_expr(parse_query(q)) == expr


@pytest.mark.parametrize(
    "q", ["", "   ", '"', '""', "*", "(", ")", ":", "-", "-劳模", "-劳模 -创新", "，。！", "\x00", "\ud800"]
)
def test_queries_with_nothing_positive_are_empty(q: str) -> None:
    query = parse_query(q)
    assert query.empty
    assert match_expr(query) is None
    assert tsquery_text(query) is None
    assert query.canonical == ""


@pytest.mark.parametrize(
    ("q", "tsquery"),
    [
        ("劳模精神", "'劳模' <-> '模精' <-> '精神'"),
        ("劳", "'劳':*"),
        ("劳模 创新", "'劳模' & '创新'"),
        ("劳模精神 创新", "('劳模' <-> '模精' <-> '精神') & '创新'"),
        ("劳模 -创新", "'劳模' & !('创新')"),
        ("劳模 -创新精神 -劳", "'劳模' & !('创新' <-> '新精' <-> '精神') & !('劳':*)"),
        ("劳，模", "'劳' <-> '模':*"),
    ],
)
def test_tsquery_text_examples(q: str, tsquery: str) -> None:
    assert tsquery_text(parse_query(q)) == tsquery


def test_query_equality_follows_folding_so_it_can_key_a_cache() -> None:
    assert parse_query("勞模 創新") == parse_query("劳模  创新")
    assert hash(parse_query("勞模")) == hash(parse_query("劳模"))
    assert parse_query("劳模 创新") != parse_query("创新 劳模")  # order is kept (it is the display order)
    assert parse_query('劳模 -"创新 精神"').canonical == '劳模 -"创新 精神"'


def test_at_most_eight_terms_are_used() -> None:
    words = ["劳模", "创新", "发展", "中国", "改革", "开放", "精神", "时代", "人民", "梦想"]
    query = parse_query(" ".join(words))
    assert MAX_TERMS == 8
    assert [k.canonical for k in query.keywords] == words[:8]
    # Dropped terms (punctuation, duplicates) do not count.
    query = parse_query("， * 劳模 劳模 " + " ".join(words[1:]))
    assert len(query.keywords) == 8


def test_at_most_100_characters_are_used() -> None:
    assert MAX_QUERY_CHARS == 100
    query = parse_query("劳" * 99 + "模精神 创新")
    assert query.keywords[0].runs == ("劳" * 99 + "模",)
    assert len(query.keywords) == 1
    # NUL and lone surrogates are dropped before counting.
    assert parse_query("\x00" * 500 + "劳模").keywords[0].runs == ("劳模",)


def test_exclusion_only_and_contradictions() -> None:
    assert parse_query("-劳模").excluded[0].runs == ("劳模",)
    # A contradiction is kept as typed: it is a valid search with no results.
    assert match_expr(parse_query("劳模 -勞模")) == '"劳模" NOT "劳模"'


# --- fuzz ---------------------------------------------------------------------------------------

SYNTAX = [
    '"',
    "'",
    "*",
    "^",
    ":",
    "(",
    ")",
    "+",
    "-",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    "tok:",
    "{",
    "}",
    ",",
    ".",
    ";",
]
ODD = [
    "\x00",
    "\ud800",
    "\udfff",
    "\ud83d\ude00",
    "\u3000",
    " ",
    "\t",
    "\n",
    "\U0002a6d6",
    "\U0001f600",
    "“",
    "”",
]
WORDS = ["劳模", "劳", "勞模", "创新", "5G", "ａｂｃ", "é", "e\u0301", "，", "。", "ー"]
piece = st.one_of(
    st.sampled_from(SYNTAX + ODD + WORDS), st.text(st.characters(exclude_categories=()), max_size=5)
)
fuzz_query = st.lists(piece, max_size=30).map("".join)
huge_query = st.tuples(st.lists(piece, min_size=1, max_size=10).map("".join), st.integers(1, 10_000)).map(
    lambda t: (t[0] * (10_000 // max(1, len(t[0])) + 1))[: 10_000 + t[1]]
)


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    return fts_table(["学习劳模精神，弘扬劳动精神。", "5G网络 and NEAR", "創新發展", "乾隆", ""])


@settings(max_examples=300, deadline=None)
@given(st.one_of(fuzz_query, huge_query))
def test_fuzzed_queries_always_run_on_fts5(conn: sqlite3.Connection, q: str) -> None:
    query = parse_query(q)
    expr = match_expr(query)
    if expr is None:
        assert query.empty
        return
    search(conn, expr)
    conn.execute(
        "SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 5", (expr,)
    ).fetchall()
    assert len(query.keywords) + len(query.excluded) <= MAX_TERMS


_LEXEME = f"'[{RUN_CHARS}]{{1,2}}'(?::\\*)?"
_PHRASE = f"{_LEXEME}(?: <-> {_LEXEME})*"


def valid_tsquery(text: str) -> bool:
    """A small validator for the tsquery subset we emit: phrases, & between terms, !( ) for exclusions."""
    term = f"(?:{_PHRASE}|\\({_PHRASE}\\)|!\\({_PHRASE}\\))"
    if not re.fullmatch(f"{term}(?: & {term})*", text):
        return False
    depth = 0
    for ch in re.sub(_LEXEME, "", text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and not text.startswith("!")


@settings(max_examples=300, deadline=None)
@given(st.one_of(fuzz_query, huge_query))
def test_fuzzed_queries_give_well_formed_tsquery(q: str) -> None:
    query = parse_query(q)
    text = tsquery_text(query)
    assert (text is None) == query.empty
    if text is not None:
        assert valid_tsquery(text), text


def test_tsquery_validator_rejects_malformed_text() -> None:
    for bad in ["'劳模", "劳模", "'劳模' &", "!('劳模')", "('劳模'", "'劳模' & !'创新'", "'a''b'", "''"]:
        assert not valid_tsquery(bad)
    assert valid_tsquery("('劳模' <-> '模精') & '创':* & !('新')")


def test_keywords_built_directly_get_the_same_tokens() -> None:
    assert Keyword(runs=("劳模",)) == parse_query("勞模").keywords[0]
    assert Keyword(runs=("劳", "模")).tokens == ("劳", "模")
    assert Keyword(runs=("劳", "模")).prefix
    for bad in [(), ("",), ("劳 模",), ("A",)]:
        with pytest.raises(ValueError, match="keyword runs"):
            Keyword(runs=bad)
