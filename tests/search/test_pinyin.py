"""Pinyin keys for the term table: laomo / lmjs must lead to 劳模 and 劳模精神."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search import normalise_prefix, term_keys


@pytest.mark.parametrize(
    ("term", "keys"),
    [
        ("劳模精神", ("laomojingshen", "lmjs")),
        ("劳模", ("laomo", "lm")),
        ("勞模", ("laomo", "lm")),  # Traditional input, same keys
        ("中国梦", ("zhongguomeng", "zgm")),
        ("重庆", ("chongqing", "cq")),  # heteronyms: pypinyin's phrase-aware reading
        ("银行", ("yinhang", "yh")),
        ("乾隆", ("qianlong", "ql")),  # phrase-level t2s keeps 乾 here
        ("绿色", ("lvse", "ls")),  # ü is typed v
        ("5G网络", ("5gwangluo", "5gwl")),
        ("“中国梦”", ("zhongguomeng", "zgm")),
        ("", ("", "")),
    ],
)
def test_term_keys_examples(term: str, keys: tuple[str, str]) -> None:
    assert term_keys(term) == keys


@pytest.mark.parametrize(
    ("typed", "prefix"),
    [
        ("laomo", "laomo"),
        ("Lao Mo", "laomo"),
        ("lǎo mó", "laomo"),
        ("xi'an", "xian"),
        ("xi’an", "xian"),
        ("lǜ", "lv"),
        ("ＬＭＪＳ", "lmjs"),
        ("lmjs%_", "lmjs"),
        ("", ""),
    ],
)
def test_normalise_prefix_examples(typed: str, prefix: str) -> None:
    assert normalise_prefix(typed) == prefix


def test_typed_prefixes_find_their_terms() -> None:
    terms = {t: term_keys(t) for t in ["劳模", "劳模精神", "劳动模范", "中国梦", "创新"]}

    def suggest(typed: str) -> set[str]:
        p = normalise_prefix(typed)
        return {t for t, (full, initials) in terms.items() if full.startswith(p) or initials.startswith(p)}

    assert suggest("laomo") == {"劳模", "劳模精神"}
    assert suggest("lmjs") == {"劳模精神"}
    assert suggest("Lao Mo") == {"劳模", "劳模精神"}
    assert suggest("ldmf") == {"劳动模范"}


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(exclude_categories=()), max_size=12))
def test_keys_are_ascii_lowercase_and_digits(term: str) -> None:
    full, initials = term_keys(term)
    assert re.fullmatch("[a-z0-9]*", full)
    assert re.fullmatch("[a-z0-9]*", initials)
    assert re.fullmatch("[a-z0-9]*", normalise_prefix(term))
