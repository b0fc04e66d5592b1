"""Folding and index tokens: what goes into the index, checked against SQLite's own tokenizer."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search import (
    TOKENIZER_VERSION,
    TSVECTOR_MAX_TOKENS,
    fold,
    fold_with_map,
    index_tokens,
    tsvector_literal,
)
from app.search.tokens import HAN_CHARS, RUN_CHARS, fold_spans, run_tokens, runs, token_list
from tests.search.fts import fts_table, vocabulary

# Characters that stress folding: Traditional forms, full-width, ligatures, case with length
# changes, combining marks, invisibles, conjoining jamo, supplementary-plane Han.
AWKWARD = list(
    "劳勞模範乾隆髮后後5GgＡａ５ﬁßẞςΣİǅſé\u0301\u0316\u0307\u0345\u200b\u00ad\ufe00\ufeff"
    "\u1100\u1161가①㍿〇，。 \u3000-\"'\x00\ud800\U00020000\U0002a6d6"
)
awkward_text = st.text(st.sampled_from(AWKWARD), max_size=30)
any_text = st.text(st.characters(exclude_categories=()), max_size=40)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("勞動模範", "劳动模范"),
        ("產業興市", "产业兴市"),
        ("中國夢", "中国梦"),
        ("ＡＢＣ１２３", "abc123"),
        ("5G網絡", "5g网络"),
        ("Straße", "strasse"),
        ("ﬁrst", "first"),
        ("劳\u200b模", "劳模"),  # zero-width space vanishes
        ("劳\ufe00模", "劳模"),  # so does a variation selector
        ("cafe\u0301", "café"),  # combining mark composes with its base
        ("乾隆", "干隆"),  # character-level t2s, on purpose (see _t2s_table)
        ("二〇二四年", "二〇二四年"),
        ("劳\ud800模", "劳\ud800模"),  # total: a lone surrogate passes through
    ],
)
def test_fold_examples(raw: str, folded: str) -> None:
    assert fold(raw) == folded
    assert fold_with_map(raw)[0] == folded


@settings(max_examples=300, deadline=None)
@given(awkward_text, awkward_text)
def test_fold_is_cluster_wise_so_substrings_stay_substrings(a: str, b: str) -> None:
    if b and unicodedata.combining(b[0]):
        b = "x" + b
    assert fold(a + b) == fold(a) + fold(b)


@settings(max_examples=300, deadline=None)
@given(st.one_of(awkward_text, any_text))
def test_fold_with_map_agrees_with_fold_and_points_at_the_source(text: str) -> None:
    folded, starts, ends = fold_spans(text)
    assert folded == fold(text)
    assert fold_with_map(text) == (folded, starts)
    assert len(starts) == len(ends) == len(folded)
    assert starts == sorted(starts)
    for j, ch in enumerate(folded):
        assert 0 <= starts[j] < ends[j] <= len(text)
        assert ch in fold(text[starts[j] : ends[j]])


@settings(max_examples=300, deadline=None)
@given(st.one_of(awkward_text, any_text))
def test_fold_spans_equals_folding_each_character_on_its_own(text: str) -> None:
    """The one-to-one fast path gives what folding character by character gives."""
    if any(unicodedata.combining(c) for c in text):
        return  # clusters: covered above
    parts = [fold(c) for c in text]
    starts = [i for i, p in enumerate(parts) for _ in p]
    assert fold_spans(text) == ("".join(parts), starts, [i + 1 for i in starts])


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("劳勞模範乾髮後5GgＡａ５ﬁßÉé〇，。 -"), max_size=30))
def test_fold_is_idempotent_on_ordinary_text(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("学习劳模精神", "学习 习劳 劳模 模精 精神 神"),
        ("劳", "劳"),
        ("学习劳模精神，弘扬劳动精神。", "学习 习劳 劳模 模精 精神 神 弘扬 扬劳 劳动 动精 精神 神"),
        ("5G网络", "5g g网 网络 络"),
        ("2024年", "20 02 24 4年 年"),
        ("COVID-19疫情", "co ov vi id d 19 9疫 疫情 情"),
        ("Café au lait", "ca af fé é au u la ai it t"),
        ("勞模", "劳模 模"),
        ("", ""),
        ('，。！？ ()*"', ""),
        ("\U00020000\U0002a6d6", "\U00020000\U0002a6d6 \U0002a6d6"),
    ],
)
def test_index_tokens_examples(text: str, tokens: str) -> None:
    assert index_tokens(text) == tokens


@settings(max_examples=200, deadline=None)
@given(st.one_of(awkward_text, any_text))
def test_index_tokens_are_the_bigrams_of_each_run(text: str) -> None:
    expected = [t for run in runs(fold(text)) for t in run_tokens(run)]
    assert token_list(text) == expected
    assert all(re.fullmatch(f"[{RUN_CHARS}]{{1,2}}", t) for t in expected)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(awkward_text, any_text), min_size=1, max_size=5))
def test_unicode61_keeps_every_token_whole(texts: list[str]) -> None:
    conn = fts_table(texts)
    indexed = vocabulary(conn)
    expected = [(t, i, n) for i, text in enumerate(texts, 1) for n, t in enumerate(token_list(text))]
    assert indexed == expected


def test_unicode61_treats_every_run_character_as_a_token_character() -> None:
    # Every code point of the run class that can survive folding, indexed one per token.
    run_char = re.compile(f"[{RUN_CHARS}]")
    chars = [chr(cp) for cp in range(0x110000) if run_char.fullmatch(chr(cp)) and fold(chr(cp)) == chr(cp)]
    assert len(chars) > 90_000
    conn = fts_table([" ".join(chars)])
    assert [term for term, _, _ in vocabulary(conn)] == chars


def test_han_class_covers_unified_ideographs_and_extensions() -> None:
    han = re.compile(f"[{HAN_CHARS}]")
    for ch in "劳〇\u3400\u9fff\U00020000\U0002a6d6\U00030000":
        assert han.fullmatch(ch)
    for ch in "，。、ー々\u3000":
        assert not han.fullmatch(ch)


def test_tsvector_literal_numbers_tokens_from_one() -> None:
    assert tsvector_literal("学习劳模精神") == "'学习':1 '习劳':2 '劳模':3 '模精':4 '精神':5 '神':6"
    assert tsvector_literal("，。") == ""


def test_tsvector_literal_is_capped_for_postgresql_positions() -> None:
    literal = tsvector_literal("劳模" * 10_000)
    entries = literal.split(" ")
    assert len(entries) == TSVECTOR_MAX_TOKENS
    assert entries[-1] == f"'模劳':{TSVECTOR_MAX_TOKENS}"
    assert all(re.fullmatch(r"'[^'\\ ]{1,2}':\d+", e) for e in entries)


def test_tokenizer_version_names_what_the_tokens_depend_on() -> None:
    assert TOKENIZER_VERSION.startswith("1;")
    assert f"unicode={unicodedata.unidata_version}" in TOKENIZER_VERSION
    assert "opencc=" in TOKENIZER_VERSION
