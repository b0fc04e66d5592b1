"""Folding and index tokens: the one definition of what the full-text index contains.

``fold`` is applied to indexed text and to query keywords alike, so both sides agree on what a
character is. ``index_tokens`` turns folded text into CJK-style bigrams for a contentless FTS5
table (``tokenize='unicode61 remove_diacritics 0', prefix='1'``); ``tsvector_literal`` writes the
same tokens as a PostgreSQL ``tsvector``. Everything here is pure: no I/O, no database.

Guarantees (tested in tests/search/):

1. ``fold`` works cluster by cluster (a cluster is a character and the combining marks after it):
   ``fold(a + b) == fold(a) + fold(b)`` whenever ``b`` does not start with a combining mark. So a
   substring of a text, folded, is a substring of the folded text: search cannot miss on folding.
2. A *run* is a maximal stretch of folded text made of run characters: Han (CJK unified
   ideographs, all extensions, compatibility ideographs, and 〇), ASCII letters and digits, and
   Latin letters (U+00C0-U+024F, U+1E00-U+1EFF). Every other character separates runs.
3. Each run of length n >= 2 yields its n-1 overlapping bigrams then its last character; a run of
   length 1 yields that character. Tokens contain run characters only, all of which SQLite's
   ``unicode61`` tokenizer treats as token characters, so it never splits our tokens.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

import opencc

# Index tokens depend on this code, on the Unicode tables behind NFKC and casefold (they move with
# the Python version) and on OpenCC's dictionary. A change in any of them means a reindex.
TOKENIZER_VERSION = f"1;unicode={unicodedata.unidata_version};opencc={opencc.__version__}"

# PostgreSQL stores tsvector positions up to 16,383; tokens past this cap are not indexed there.
TSVECTOR_MAX_TOKENS = 16_000

# Character classes in ``re`` bracket syntax (without the brackets). Whole blocks, unassigned code
# points included: SQLite's unicode61 treats every one of them as a token character (tested).
HAN_CHARS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af"
"""Han: CJK unified ideographs with extensions A-H, compatibility ideographs, and 〇."""
_LATIN = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
RUN_CHARS = f"0-9a-z{_LATIN}{HAN_CHARS}"
"""Run characters: ASCII digits and lower-case letters, Latin letters, Han."""

_RUN = re.compile(f"[{RUN_CHARS}]+")
# All index tokens in one C-level scan: at each run character, the bigram it starts, or the
# character alone when it ends its run. Same tokens as ``run_tokens`` over ``runs``.
_TOKEN = re.compile(f"(?=([{RUN_CHARS}][{RUN_CHARS}]?))[{RUN_CHARS}]")
_HAN_CHAR = re.compile(f"[{HAN_CHARS}]")

# Invisible characters vanish in folding, so "劳\u200b模" is the word 劳模: format characters
# (zero-width space and joiners, soft hyphen, BOM, bidi marks) and variation selectors.
_VARIATION_SELECTORS = re.compile("[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")

# The per-character fold table may learn at most this many characters; beyond that (only a
# hostile stream of distinct rare characters gets there) folds are computed without caching.
_TABLE_LIMIT = 200_000


@functools.cache
def _t2s_table() -> dict[str, str]:
    """OpenCC t2s applied character by character, for every Han code point (about 5,000 differ).

    Character level on purpose: phrase rules would make folding context-dependent (乾 alone
    folds to 干 but 乾隆 stays), so a keyword could fail to match the very text it was copied from.
    """
    converter = opencc.OpenCC("t2s")
    ranges = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F), (0x30000, 0x323AF))
    chars = [chr(cp) for lo, hi in ranges for cp in range(lo, hi + 1)]
    # Newlines keep OpenCC's phrase matching from joining neighbours: each line is one character.
    converted = str(converter.convert("\n".join(chars))).split("\n")
    table = {a: b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}
    for source, target in table.items():
        # Close chains (薴 -> 苧 -> 苎) so that folding is idempotent.
        seen = {source}
        while target in table and target not in seen:
            seen.add(target)
            target = table[target]
        table[source] = target
    return table


def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) == "Cf" or _VARIATION_SELECTORS.match(ch):
        return ""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", ch).casefold())
    if _HAN_CHAR.search(folded):
        t2s = _t2s_table()
        folded = "".join(t2s.get(c, c) for c in folded)
    return folded


class _FoldTable(dict[int, str]):
    """code point -> folded string, learnt on first sight; ``str.translate`` reads it at C speed."""

    def __missing__(self, cp: int) -> str:
        folded = _fold_char(chr(cp))
        if len(self) < _TABLE_LIMIT:
            self[cp] = folded  # a single dict store: safe under concurrent readers
        return folded


_TABLE = _FoldTable()


class _OddTable(dict[int, str]):
    """code point -> "" when it folds to exactly one character, else the character itself.

    ``text.translate(_ODD)`` is empty exactly when every character folds one to one, so folded
    offsets equal original offsets (the usual case: Han, Latin, punctuation).
    """

    def __missing__(self, cp: int) -> str:
        odd = "" if len(_TABLE[cp]) == 1 else chr(cp)
        if len(self) < _TABLE_LIMIT:
            self[cp] = odd
        return odd


_ODD = _OddTable()


def _class_of(lo: int, hi: int, test: Callable[[str], int]) -> str:
    ranges: list[list[int]] = []
    for cp in range(lo, hi):
        if test(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


@functools.cache
def _combining() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Characters with a non-zero combining class (all below U+20000), built once (~10 ms).

    Two patterns because ``re`` keeps a fast bitmap only for classes within the BMP.
    """
    bmp = re.compile(f"[{_class_of(0, 0x10000, unicodedata.combining)}]")
    astral = re.compile(f"[{_class_of(0x10000, 0x20000, unicodedata.combining)}]")
    return bmp, astral


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _has_combining(text: str) -> bool:
    bmp, astral = _combining()
    return bool(bmp.search(text) or (_ASTRAL.search(text) and astral.search(text)))


def _fold_cluster(cluster: str) -> str:
    if len(cluster) == 1:
        return _TABLE[ord(cluster)]
    # The marks compose with their base first (e + U+0301 -> é), then each character folds.
    return "".join(_TABLE[ord(c)] for c in unicodedata.normalize("NFKC", cluster))


def _clusters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each base character with the combining marks that follow it."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            bounds.append((start, i))
            start = i
    return bounds


def fold(text: str) -> str:
    """Fold ``text`` for matching: NFKC, casefold, OpenCC t2s (character level), no invisibles.

    Total (never raises; lone surrogates pass through) and cluster by cluster (module docstring,
    1), so it is safe at index and at query time alike. ``fold(text) == fold_with_map(text)[0]``.
    Traditional and Simplified forms fold together (勞模 -> 劳模), as do full-width and ASCII
    (５Ｇ -> 5g) and letter case (Straße -> strasse). NFKC is applied per cluster, so it differs
    from whole-string NFKC only for compositions between base characters (conjoining Hangul
    jamo, some Indic two-part vowels), which stay as written.
    """
    if text.isascii():
        return text.lower()
    if not _has_combining(text):
        return text.translate(_TABLE)
    return "".join(_fold_cluster(text[a:b]) for a, b in _clusters(text))


def fold_spans(text: str) -> tuple[str, list[int], list[int]]:
    """``fold(text)`` with, for each folded character, the original span [start, end) it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text))), list(range(1, len(text) + 1))
    combining = _has_combining(text)
    if not combining and not text.translate(_ODD):
        # One folded character per original character, at C speed.
        return text.translate(_TABLE), list(range(len(text))), list(range(1, len(text) + 1))
    clusters = _clusters(text) if combining else [(i, i + 1) for i in range(len(text))]
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for a, b in clusters:
        part = _fold_cluster(text[a:b])
        parts.append(part)
        starts.extend([a] * len(part))
        ends.extend([b] * len(part))
    return "".join(parts), starts, ends


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each folded character, the index of the original character it came from.

    When one original character folds to several (ﬁ -> fi) they all map to it; characters that
    vanish (zero-width space) have no folded index; a base with its combining marks maps to the base.
    """
    folded, starts, _ = fold_spans(text)
    return folded, starts


def runs(folded: str) -> list[str]:
    """The runs of already folded text (module docstring, 2)."""
    return _RUN.findall(folded)


def run_tokens(run: str) -> list[str]:
    """Index tokens of one run: overlapping bigrams, then the last character (module docstring, 3)."""
    if len(run) == 1:
        return [run]
    tokens = [run[i : i + 2] for i in range(len(run) - 1)]
    tokens.append(run[-1])
    return tokens


def token_list(text: str) -> list[str]:
    """Index tokens of ``text``, in order (see ``index_tokens``)."""
    return _TOKEN.findall(fold(text))


def index_tokens(text: str) -> str:
    """Space-joined index tokens of ``text`` for the contentless FTS5 ``tok`` column.

    "学习劳模精神" -> "学习 习劳 劳模 模精 精神 神"; "5G网络" -> "5g g网 网络 络". Each keyword built by
    ``query.match_expr`` then matches exactly the texts whose folded form contains it (exact
    substring semantics for keywords without punctuation or spaces). The same text always gives
    the same tokens, so deleting a row from a contentless table can recompute them.
    """
    return " ".join(token_list(text))


def pg_quote(token: str) -> str:
    """A PostgreSQL tsvector/tsquery lexeme: quotes doubled, backslashes escaped (tokens have none)."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(text: str) -> str:
    """The PostgreSQL ``tsvector`` literal of ``text``'s index tokens: "'学习':1 '习劳':2 …".

    Positions count tokens from 1, so ``<->`` in ``query.tsquery_text`` means "next token" just as
    an FTS5 phrase does. Only the first ``TSVECTOR_MAX_TOKENS`` tokens are kept (PostgreSQL
    positions stop at 16,383): index sentences or paragraphs, not whole speeches. No text-search
    parser, dictionary or locale is involved; cast with ``::tsvector``.
    """
    tokens = token_list(text)[:TSVECTOR_MAX_TOKENS]
    return " ".join(f"{pg_quote(t)}:{i}" for i, t in enumerate(tokens, 1))
