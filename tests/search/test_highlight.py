"""Highlights on the original text and HTML snippets that are always well-formed."""

from __future__ import annotations

import html
import itertools
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search import find_matches, fold, matches_substring, parse_query, snippet


@pytest.mark.parametrize(
    ("text", "q", "spans"),
    [
        ("学习劳模精神，弘扬劳动精神。", "劳模", [(2, 4)]),
        ("学习劳模精神，弘扬劳动精神。", "精神 劳", [(2, 3), (4, 6), (9, 10), (11, 13)]),
        ("學習勞模精神", "劳模", [(2, 4)]),  # Simplified query, Traditional text
        ("学习劳模精神", "勞模", [(2, 4)]),  # and the other way round
        ("发展5G网络", "5g", [(2, 4)]),
        ("ＡＢＣ公司", "abc", [(0, 3)]),  # full-width letters map back one to one
        ("劳\u200b模", "劳模", [(0, 3)]),  # the invisible character sits inside the match
        ("cafe\u0301 au lait", "café", [(0, 5)]),  # the combining mark belongs to its base
        ("ﬁnance", "fi", [(0, 1)]),  # one ligature, two folded letters
        ("ﬁnance", "i", [(0, 1)]),
        ("劳劳劳", "劳劳", [(0, 3)]),  # overlapping occurrences merge
        ("劳模精神", "劳模 模精", [(0, 3)]),
        ("劳模精神", "劳模 精神", [(0, 4)]),  # touching occurrences merge too
        ("劳模，精神", '"劳模 精神"', [(0, 5)]),
        ("劳模精神", '"劳模 精神"', []),
        ("劳模", "-劳模", []),
        ("", "劳模", []),
    ],
)
def test_find_matches_examples(text: str, q: str, spans: list[tuple[int, int]]) -> None:
    assert find_matches(text, parse_query(q)) == spans


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from("劳勞模精神aAé\u0301ﬁ5，。 \u200b"), max_size=30),
    st.text(st.sampled_from("劳勞模aAé5"), min_size=1, max_size=3),
)
def test_find_matches_agrees_with_the_substring_truth(text: str, keyword: str) -> None:
    query = parse_query(keyword)
    spans = find_matches(text, query)
    assert bool(spans) == matches_substring(text, query)
    assert spans == sorted(spans)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end < start  # merged: no overlap, no touching
    for start, end in spans:
        assert fold(keyword) in fold(text[start:end])


def visible(fragment: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", fragment))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append("<" + tag)

    def handle_endtag(self, tag: str) -> None:
        self.events.append("/" + tag)


def assert_well_formed(fragment: str) -> None:
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    assert parser.events == ["<mark", "/mark"] * (len(parser.events) // 2)
    assert not re.search(r"[<>\"]", re.sub(r"</?mark>", "", fragment))


def test_snippet_escapes_and_marks() -> None:
    text = '在<b>"劳模"</b>&精神'
    fragment, spans = snippet(text, find_matches(text, parse_query("劳模")))
    assert fragment == "在&lt;b&gt;&quot;<mark>劳模</mark>&quot;&lt;/b&gt;&amp;精神"
    assert spans == [(5, 7)]
    assert_well_formed(fragment)


def test_snippet_cuts_a_window_around_the_first_match() -> None:
    text = "前" * 100 + "劳模精神" + "后" * 100 + "劳模"
    fragment, spans = snippet(text, find_matches(text, parse_query("劳模")), width=60)
    assert fragment.startswith("…") and fragment.endswith("…")
    assert "<mark>劳模</mark>" in fragment
    assert spans == [(100, 102)]
    assert 55 <= len(visible(fragment)) - 2 <= 65


def test_snippet_without_matches_is_the_start_of_the_text() -> None:
    assert snippet("劳模" * 50, [], width=10) == ("劳模劳模劳模劳模劳模…", [])
    assert snippet("短", []) == ("短", [])


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from("劳模<>&\"'ab \u0301\n"), max_size=120),
    st.lists(st.tuples(st.integers(-5, 130), st.integers(-5, 130)), max_size=6),
    st.integers(1, 80),
)
def test_snippet_is_always_well_formed(text: str, matches: list[tuple[int, int]], width: int) -> None:
    fragment, spans = snippet(text, matches, width=width)
    assert_well_formed(fragment)
    marked = [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", fragment, re.S)]
    assert marked == [text[s:e] for s, e in spans]
    assert all(0 <= s < e <= len(text) for s, e in spans)
    # The unmarked, unescaped snippet is a window of the text, with … where it was cut.
    window = visible(fragment).removeprefix("…").removesuffix("…")
    assert window in text
    assert len(window) >= min(len(text), width)
