"""Pure search core: folding, index tokens, the query language, highlights and pinyin keys.

No database access here: repositories call these functions and own the SQL. See
/work/shared/research/chinese-search.md for the measured design (CJK bigrams in a contentless
FTS5 table, the same tokens as a PostgreSQL tsvector).
"""

from app.search.highlight import find_matches, snippet
from app.search.pinyin import normalise_prefix, term_keys
from app.search.query import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Keyword,
    Query,
    match_expr,
    matches_folded,
    matches_substring,
    parse_query,
    tsquery_text,
)
from app.search.tokens import (
    TOKENIZER_VERSION,
    TSVECTOR_MAX_TOKENS,
    fold,
    fold_with_map,
    index_tokens,
    tsvector_literal,
)

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "TOKENIZER_VERSION",
    "TSVECTOR_MAX_TOKENS",
    "Keyword",
    "Query",
    "find_matches",
    "fold",
    "fold_with_map",
    "index_tokens",
    "match_expr",
    "matches_folded",
    "matches_substring",
    "normalise_prefix",
    "parse_query",
    "snippet",
    "term_keys",
    "tsquery_text",
    "tsvector_literal",
]
