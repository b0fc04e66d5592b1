"""The central property: the FTS5 index answers exactly the brute-force substring truth.

For every text and query, the rows of a real contentless FTS5 table (unicode61, prefix='1')
filled with ``index_tokens`` that ``match_expr`` selects are exactly the rows for which
``matches_substring`` holds. Checked on random texts from a small alphabet (so matches are
frequent) and on the sentences of the dev corpus, including Traditional-Simplified folding.
"""

from __future__ import annotations

import random
import re
import sqlite3
from dataclasses import dataclass

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search import fold, match_expr, matches_folded, matches_substring, parse_query
from tests.search.fts import DEV_TEXTS, fts_table, search

# Han (with a Traditional form that folds onto one of them), Latin with case and an accent,
# digits, and separators: small, so that random keywords hit often.
ALPHABET = "劳劳模模精神新勞aaGé25，。 -"


def fts_rows(conn: sqlite3.Connection, q: str) -> set[int] | None:
    expr = match_expr(parse_query(q))
    return None if expr is None else search(conn, expr)


def truth_rows(texts: list[str], q: str) -> set[int]:
    query = parse_query(q)
    return {i for i, t in enumerate(texts, 1) if matches_substring(t, query)}


def as_keyword(fragment: str) -> str:
    """A fragment as one query term: no whitespace, no leading '-' or quote."""
    return re.sub(r"\s", "，", fragment).lstrip('-"“”')


@st.composite
def corpus_and_query(draw: st.DrawFn) -> tuple[list[str], str]:
    texts = draw(st.lists(st.text(st.sampled_from(ALPHABET), max_size=16), min_size=1, max_size=25))

    def keyword() -> str:
        if draw(st.booleans()):  # a substring of some text: frequent hits, 1..6+ characters
            text = draw(st.sampled_from(texts))
            start = draw(st.integers(0, len(text)))
            length = draw(st.sampled_from([1, 1, 2, 2, 3, 4, 6, 8]))
            return as_keyword(text[start : start + length])
        return as_keyword(draw(st.text(st.sampled_from(ALPHABET), min_size=1, max_size=4)))

    kind = draw(st.sampled_from(["one", "two", "exclude", "phrase", "mixed"]))
    if kind == "one":
        q = keyword()
    elif kind == "two":
        q = f"{keyword()} {keyword()}"
    elif kind == "exclude":
        q = f"{keyword()} -{keyword()}"
    elif kind == "phrase":
        q = f'"{keyword()} {keyword()}"'
    else:  # several positives and exclusions: NOT must bind as "and not" whatever the order
        q = f'{keyword()} -{keyword()} "{keyword()} {keyword()}" -{keyword()} {keyword()}'
    return texts, q


@settings(max_examples=300, deadline=None)
@given(corpus_and_query())
def test_fts_rows_are_exactly_the_substring_truth(case: tuple[list[str], str]) -> None:
    texts, q = case
    rows = fts_rows(fts_table(texts), q)
    if rows is None:
        assert parse_query(q).empty
        return
    assert rows == truth_rows(texts, q)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("劳模精神新aG25"), max_size=12), min_size=1, max_size=20), st.data())
def test_keywords_without_punctuation_mean_plain_substrings(texts: list[str], data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(text)))
    keyword = text[start : start + data.draw(st.integers(1, 6))] or "劳"
    rows = fts_rows(fts_table(texts), keyword)
    assert rows == {i for i, t in enumerate(texts, 1) if keyword.lower() in t.lower()}


def test_known_mixed_script_cases() -> None:
    texts = [
        "发展5G网络",
        "2024年工作报告",
        "G网",
        "5 G",
        "劳模精神",
        "劳动模范",
        "振兴市场",
        "a-b",
        "ab",
        "学劳模，精神好",
    ]
    conn = fts_table(texts)
    assert fts_rows(conn, "5G") == {1}
    assert fts_rows(conn, "G网") == {1, 3}
    assert fts_rows(conn, "024") == {2}
    assert fts_rows(conn, "4年") == {2}
    assert fts_rows(conn, "g") == {1, 3, 4}
    assert fts_rows(conn, "模范") == {6}
    assert fts_rows(conn, "兴市") == {7}  # substring semantics: the documented precision caveat
    assert fts_rows(conn, "a-b") == {8}
    assert fts_rows(conn, '"a b"') == {8}
    assert fts_rows(conn, "劳 -劳模") == {6}
    # A phrase's runs must be adjacent runs of the text: separated, not joined.
    assert fts_rows(conn, '"劳模 精神"') == {10}
    assert fts_rows(conn, "劳模。精神") == {10}
    assert fts_rows(conn, '"精神 好"') == set()


# --- the dev corpus -----------------------------------------------------------------------------

REAL_WORDS = ["劳模", "创新", "发展", "中国梦", "改革开放", "5G", "2024年"]


@dataclass(frozen=True)
class Corpus:
    sentences: list[str]  # row i + 1 is sentences[i]
    traditional: dict[int, int]  # row of a Traditional copy -> row of its source sentence
    folded: list[str]
    conn: sqlite3.Connection

    def rows(self, q: str) -> set[int]:
        rows = fts_rows(self.conn, q)
        assert rows is not None, q
        return rows

    def truth(self, q: str) -> set[int]:
        query = parse_query(q)
        return {i for i, f in enumerate(self.folded, 1) if matches_folded(f, query)}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    if not DEV_TEXTS.is_dir():
        pytest.skip("the shared dev corpus is not available")
    sentences = [
        s.strip()
        for path in sorted(DEV_TEXTS.glob("*.txt"))
        for s in re.split(r"(?<=[。！？])", path.read_text(encoding="utf-8"))
        if s.strip()
    ]
    s2t = opencc.OpenCC("s2t")
    sources = list(range(0, len(sentences), 5))
    copies = [str(s2t.convert(sentences[i])) for i in sources]
    traditional = {len(sentences) + n + 1: i + 1 for n, i in enumerate(sources)}
    texts = sentences + copies
    return Corpus(texts, traditional, [fold(t) for t in texts], fts_table(texts))


def random_fragments(corpus: Corpus, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    fragments: list[str] = []
    while len(fragments) < count:
        sentence = rng.choice(corpus.sentences)
        length = rng.randint(1, 6)
        start = rng.randrange(max(1, len(sentence) - length + 1))
        fragment = as_keyword(sentence[start : start + length])
        if parse_query(fragment).keywords:
            fragments.append(fragment)
    return fragments


def test_corpus_random_substrings(corpus: Corpus) -> None:
    for fragment in random_fragments(corpus, 300, seed=20240501):
        rows = corpus.rows(fragment)
        assert rows == corpus.truth(fragment), fragment
        # Independent of folding: every row whose raw text contains the fragment is found.
        assert {i for i, t in enumerate(corpus.sentences, 1) if fragment in t} <= rows, fragment


def test_corpus_multi_keyword_and_exclusion_queries(corpus: Corpus) -> None:
    fragments = random_fragments(corpus, 120, seed=7)
    for a, b in zip(fragments[::2], fragments[1::2], strict=True):
        for q in (f"{a} {b}", f"{a} -{b}", f'"{a} {b}"'):
            assert corpus.rows(q) == corpus.truth(q), q


@pytest.mark.parametrize("word", REAL_WORDS)
def test_corpus_real_words(corpus: Corpus, word: str) -> None:
    rows = corpus.rows(word)
    assert rows == corpus.truth(word)
    assert {i for i, t in enumerate(corpus.sentences, 1) if word in t} <= rows
    assert rows, f"{word} occurs in the dev corpus"


@pytest.mark.parametrize("word", ["劳模", "创新", "发展", "中国梦", "改革开放"])
def test_traditional_and_simplified_find_each_other(corpus: Corpus, word: str) -> None:
    traditional_word = str(opencc.OpenCC("s2t").convert(word))
    rows = corpus.rows(word)
    assert corpus.rows(traditional_word) == rows
    # Every Traditional copy of a sentence containing the word is found by the Simplified query.
    expected = {copy for copy, source in corpus.traditional.items() if word in corpus.sentences[source - 1]}
    assert expected
    assert expected <= rows


def test_traditional_query_finds_simplified_text(corpus: Corpus) -> None:
    simplified_rows = {i for i, t in enumerate(corpus.sentences, 1) if "劳模" in t}
    assert simplified_rows
    assert simplified_rows <= corpus.rows("勞模")
