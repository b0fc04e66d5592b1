"""Properties: parse is total and lossless on random text and random mixes of outline markers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.parser import normalise, parse, to_dict
from tests.parser.support import assert_invariants, walk

MARKERS = [
    "一、", "二、", "三、", "十一、", "（一）", "(二)", "（三）", "1.", "2.", "３．", "（1）", "(2)", "①", "②",
    "壹、", "貳、", "第一、", "第二：", "第一，", "第二，", "一是", "二是", "三是", "一要", "二要", "首先，",
    "其次，", "最后，", "一", "二", "一 ", "结束语", "結語", "——", "各位代表！", "同志们：", "附件", "———",
    "“一、", "# ", "<h5>", "</h5>", "<p>", "[SEP]", "\u3000\u3000", "\t", "”", "「", "首先，", "第二、",
    "各位女士、各位先生：", "让我们一起敬祝", "谢谢大家！", "《 日报 》（ 2016年05月03日 02 版）", "王某：",
]  # fmt: skip
PHRASES = [
    "加强基础建设", "推进改革开放", "劳动创造财富，劳动成就未来。", "我们要坚持问题导向，推动任务落地见效。",
    "借此机会，我讲三点意见。", "要把握好以下几点。", "一方面要扩大内需，另一方面要稳定外需。",
    "2024年1月，", "“中国梦”", "《宪法》规定：“劳动光荣。”", "！", "？", "；", "。", "…", "：", "　", " ",
]  # fmt: skip
LINE = st.tuples(
    st.sampled_from([*MARKERS, ""]), st.lists(st.sampled_from(PHRASES) | st.text(max_size=6), max_size=5)
)
SPEECH = st.lists(LINE.map(lambda t: t[0] + "".join(t[1])), max_size=25).map("\n".join)
JOINERS = st.sampled_from(["\n", "\r\n", "\n\n", "[SEP]", "\r"])


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_parse_random_text_is_total_and_lossless(text: str) -> None:
    parsed = parse(text)
    assert parsed.text == normalise(text)
    assert_invariants(parsed)
    to_dict(parsed, include_text=True)


@settings(max_examples=250, deadline=None)
@given(SPEECH, JOINERS)
def test_parse_marker_mixes_are_lossless(speech: str, joiner: str) -> None:
    parsed = parse(speech.replace("\n", joiner))
    assert_invariants(parsed)
    for section in walk(parsed.sections):
        assert section.level >= 1
        assert all(child.level == section.level + 1 for child in section.children)
        assert all(child.eid.startswith(section.eid + "__") for child in section.children)
    for d in parsed.diagnostics:
        assert 1 <= d.line <= parsed.text.count("\n") + 1


@settings(max_examples=100, deadline=None)
@given(SPEECH)
def test_parse_of_normalised_text_is_the_same(speech: str) -> None:
    once = parse(speech)
    assert parse(once.text) == once
