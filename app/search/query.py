"""The search query language and its translation to SQLite FTS5 MATCH and PostgreSQL tsquery.

Language (``parse_query``), deliberately small and impossible to get wrong:

* keywords are separated by whitespace (ASCII, U+3000 and other Unicode spaces) and all must match;
* ``"…"`` (or “…”) keeps a phrase whose runs must be consecutive runs of the text: ``"劳模 精神"``
  finds 劳模，精神 and 劳模 精神 but not 劳模精神 (type 劳模精神 for that);
* ``-word`` or ``-"…"`` excludes; a ``-`` with nothing after it is ignored;
* only the first 100 characters of the (cleaned) input and the first 8 useful terms are used;
  the rest is ignored, never an error; NUL and lone surrogates are dropped;
* a term with no run characters (``*``, ``:``, ``(``, ``，``) is dropped. ``AND``/``OR``/``NOT``/``NEAR``
  are ordinary letters, searched as text: no user character ever reaches FTS5 or PostgreSQL syntax.

Semantics (``matches_substring`` is the executable definition): a keyword without punctuation or
spaces matches a text iff ``fold(keyword)`` is a substring of ``fold(text)``. A keyword with
several runs ("劳模，精神", "COVID-19", a phrase) matches where its runs appear in order with only
non-run characters between them: the first run may end a longer text run, the last may begin
one, the ones in between are whole runs. The index answers exactly this (tests/search).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from app.search.tokens import RUN_CHARS, fold, pg_quote, run_tokens, runs

MAX_TERMS = 8
MAX_QUERY_CHARS = 100

_OPEN_QUOTES = '"“”'
_CLOSE_QUOTES = '"”“'
_SEPARATOR = f"[^{RUN_CHARS}]+"
_RUN = re.compile(f"[{RUN_CHARS}]+")


@dataclass(frozen=True, slots=True)
class Keyword:
    """One search term: its folded runs and the tokens it becomes in the index language.

    Equality ignores how it was typed, so 勞模 and 劳模 are the same keyword.
    """

    runs: tuple[str, ...]
    text: str = field(default="", compare=False)
    tokens: tuple[str, ...] = field(init=False, compare=False)
    prefix: bool = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if not self.runs or not all(_RUN.fullmatch(r) for r in self.runs):
            raise ValueError(f"keyword runs must be non-empty runs of folded text: {self.runs!r}")
        tokens: list[str] = []
        prefix = False
        for i, run in enumerate(self.runs):
            last = i == len(self.runs) - 1
            if len(run) == 1:
                # A lone character is a token prefix at the end ("劳" -> 劳模, 劳动, 劳 ...) and the
                # final-character token elsewhere (the run must end there).
                tokens.append(run)
                prefix = last
            else:
                # Bigrams give substring semantics; the final-character token keeps the next
                # run adjacent, so it is dropped only for the last run (which may continue).
                tokens.extend(run_tokens(run) if not last else run_tokens(run)[:-1])
        object.__setattr__(self, "tokens", tuple(tokens))
        object.__setattr__(self, "prefix", prefix)

    @classmethod
    def of(cls, text: str) -> Keyword | None:
        """The keyword for ``text``, or None when it has no run characters."""
        found = tuple(runs(fold(text)))
        return cls(runs=found, text=text) if found else None

    @property
    def canonical(self) -> str:
        """The folded keyword as the query language would write it: 劳模, "劳模 精神"."""
        return self.runs[0] if len(self.runs) == 1 else '"' + " ".join(self.runs) + '"'


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search: keywords that must all match and keywords that must not.

    Hashable, and equal for inputs that fold to the same search (勞模 == 劳模), so it can key a
    result cache.
    """

    keywords: tuple[Keyword, ...] = ()
    excluded: tuple[Keyword, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing positive is left to search: callers return no results (or a 400)."""
        return not self.keywords

    @property
    def canonical(self) -> str:
        """The normalised query text, e.g. ``劳模 "劳模 精神" -创新``; "" when empty."""
        parts = [k.canonical for k in self.keywords] + ["-" + k.canonical for k in self.excluded]
        return " ".join(parts) if self.keywords else ""


def _clean(q: str) -> str:
    # UTF-16 round trip: a well-formed surrogate pair becomes its character, a lone surrogate goes.
    q = q.encode("utf-16", "surrogatepass").decode("utf-16", "ignore").replace("\x00", "")
    return unicodedata.normalize("NFKC", q[:MAX_QUERY_CHARS])


def _terms(q: str) -> list[tuple[str, bool]]:
    """(body, excluded) for each term of the cleaned query, in order."""
    terms: list[tuple[str, bool]] = []
    i, n = 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        excluded = q[i] == "-"
        if excluded:
            i += 1
            if i == n or q[i].isspace():
                continue
        if q[i] in _OPEN_QUOTES:
            end = n
            for j in range(i + 1, n):
                if q[j] in _CLOSE_QUOTES:
                    end = j
                    break
            terms.append((q[i + 1 : end], excluded))
            i = end + 1
        else:
            j = i
            while j < n and not q[j].isspace():
                j += 1
            terms.append((q[i:j], excluded))
            i = j
    return terms


def parse_query(q: str) -> Query:
    """Parse user input into a ``Query`` (language in the module docstring). Never raises.

    Terms without run characters are dropped, duplicates are merged, and at most ``MAX_TERMS``
    terms from the first ``MAX_QUERY_CHARS`` characters are kept. ``Query.empty`` says whether
    anything positive is left.
    """
    keywords: list[Keyword] = []
    excluded: list[Keyword] = []
    for body, negative in _terms(_clean(q)):
        keyword = Keyword.of(body)
        bucket = excluded if negative else keywords
        if keyword is None or keyword in bucket:
            continue
        bucket.append(keyword)
        if len(keywords) + len(excluded) == MAX_TERMS:
            break
    return Query(keywords=tuple(keywords), excluded=tuple(excluded))


def _fts_phrase(keyword: Keyword) -> str:
    return '"' + " ".join(keyword.tokens).replace('"', '""') + '"' + (" *" if keyword.prefix else "")


def match_expr(query: Query) -> str | None:
    """The FTS5 MATCH expression for ``query``, built only from index tokens; None when empty.

    Each keyword is one quoted phrase of its tokens (``"劳模 模精 精神"``, a trailing lone character
    as a prefix phrase ``"劳" *``), keywords are joined with ``AND`` and exclusions appended as
    ``NOT "…"``. User text never reaches FTS5 syntax, so the expression always parses; bind it as a
    parameter. Against a table filled with ``index_tokens`` it selects exactly the rows for which
    ``matches_substring`` holds.
    """
    if query.empty:
        return None
    expr = " AND ".join(_fts_phrase(k) for k in query.keywords)
    return expr + "".join(" NOT " + _fts_phrase(k) for k in query.excluded)


def _pg_phrase(keyword: Keyword) -> str:
    lexemes = [pg_quote(t) for t in keyword.tokens]
    if keyword.prefix:
        lexemes[-1] += ":*"
    return " <-> ".join(lexemes)


def tsquery_text(query: Query) -> str | None:
    """The PostgreSQL tsquery text for ``query`` (cast with ``::tsquery``); None when empty.

    Same tokens as ``match_expr``: ``'劳模' <-> '模精' <-> '精神'``, a trailing lone character as
    ``'劳':*``, keywords joined with ``&``, exclusions as ``& !(…)``. Use it against a column filled
    with ``tsvector_literal``; never pass user text to ``to_tsquery``.
    """
    if query.empty:
        return None
    several = len(query.keywords) + len(query.excluded) > 1
    positives = [
        f"({_pg_phrase(k)})" if several and len(k.tokens) > 1 else _pg_phrase(k) for k in query.keywords
    ]
    return " & ".join(positives) + "".join(f" & !({_pg_phrase(k)})" for k in query.excluded)


@functools.lru_cache(maxsize=1024)
def keyword_pattern(keyword_runs: tuple[str, ...]) -> re.Pattern[str]:
    """A regex over folded text matching where a keyword with these runs matches."""
    return re.compile(_SEPARATOR.join(re.escape(r) for r in keyword_runs))


def _contains(folded: str, keyword: Keyword) -> bool:
    if len(keyword.runs) == 1:
        return keyword.runs[0] in folded
    return keyword_pattern(keyword.runs).search(folded) is not None


def matches_folded(folded: str, query: Query) -> bool:
    """``matches_substring`` for text already passed through ``fold`` (fold once, test many)."""
    if query.empty:
        return False
    return all(_contains(folded, k) for k in query.keywords) and not any(
        _contains(folded, k) for k in query.excluded
    )


def matches_substring(text: str, query: Query) -> bool:
    """The brute-force truth the index must reproduce: every keyword matches, no exclusion does.

    For keywords without punctuation or spaces this is plain substring containment of
    ``fold(keyword)`` in ``fold(text)``; keywords with several runs follow the module docstring.
    False for an empty query (it has no results).
    """
    return matches_folded(fold(text), query)
