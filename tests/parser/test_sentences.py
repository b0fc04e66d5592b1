"""Sentence splitting: contiguous pieces with closing quotes and brackets attached."""

from __future__ import annotations

import pytest

from app.parser.sentences import first_sentence_end, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("劳动创造财富，劳动成就未来。荣誉属于你们！", ["劳动创造财富，劳动成就未来。", "荣誉属于你们！"]),
        ("他说：“劳动光荣。”我们赞同？是的", ["他说：“劳动光荣。”", "我们赞同？", "是的"]),
        ("一是稳增长；二是促改革……三是惠民生!好?", ["一是稳增长；", "二是促改革……", "三是惠民生!", "好?"]),
        ("（见附件。）下文", ["（见附件。）", "下文"]),
        ("没有句末标点", ["没有句末标点"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text, 0, len(text))
    assert [s.text for s in sentences] == expected
    assert all(text[s.span.start : s.span.end] == s.text for s in sentences)


def test_split_sentences_within_a_window() -> None:
    text = "前文。甲。乙！后文。"
    [a, b] = split_sentences(text, 3, 7)
    assert (a.text, a.span.start, b.text, b.span.end) == ("甲。", 3, "乙！", 7)


def test_first_sentence_end_stops_at_semicolon_and_attaches_quotes() -> None:
    assert first_sentence_end("加大宣传，让他们的美名传遍XX。今天", 0, 19) == 16
    assert first_sentence_end("引用“原文。”后面", 0, 9) == 7
    assert first_sentence_end("没有结束", 0, 4) is None
