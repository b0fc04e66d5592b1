"""The guarantees written in app/parser/normalise.py's docstring, one test each."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.parser import normalise

P = "这项工作关系全局，必须抓紧抓实。"


def test_normalise_removes_bom_and_line_ending_variants() -> None:
    assert normalise("\ufeff标题\r\n" + P + "\r第二段。\n") == "标题\n" + P + "\n第二段。"


def test_normalise_strips_indent_and_blank_lines() -> None:
    assert normalise("\u3000\u3000" + P + "\u3000\n\n \n\t第二段。 \n\xa0") == P + "\n第二段。"


def test_normalise_keeps_characters_as_written() -> None:
    text = "一、１９９４年国内工作的回顾.\n（一）ＧＤＰ增长１．４倍，(二)保持稳定。"
    assert normalise(text) == text


def test_normalise_removes_invisible_and_control_characters() -> None:
    assert normalise("劳\u200b动\x07创造\u2028财富") == "劳动创造\n财富"


def test_normalise_html_to_lines() -> None:
    html = '[<div class="box">\n<h4>各位代表：</h4>\n<p>现在，我代表国务院&nbsp;报告工作。</p><!-- x -->\n<h5>一、回顾 </h5><p>过去<b>一年</b>。<br>新段。</p>\n</div>]'
    assert normalise(html) == "各位代表：\n现在，我代表国务院 报告工作。\n一、回顾\n过去一年。\n新段。"


def test_normalise_markdown_to_lines() -> None:
    assert (
        normalise("# 标题\n\n> 引文。\n## 一、**统一思想**\n正文。") == "标题\n引文。\n一、统一思想\n正文。"
    )


def test_normalise_sep_tokens_become_line_breaks() -> None:
    assert (
        normalise("\u3000\u3000各位代表：[SEP]\u3000\u3000" + P + "[SEP]一、回顾.")
        == "各位代表：\n" + P + "\n一、回顾."
    )


def test_normalise_unwraps_csv_text_column() -> None:
    csv_text = 'province,year,title,full_text\n某省,2026,报告,"标题\n各位代表：\n他说：""好。""\n"\n'
    assert normalise(csv_text) == '标题\n各位代表：\n他说："好。"'


def test_normalise_splits_one_line_dump_before_markers() -> None:
    one_line = "各位代表：" + P * 10 + "一、回顾过去。" + P * 5 + "二、展望未来。" + P
    assert normalise(one_line).split("\n")[1:3] == ["一、回顾过去。" + P * 5, "二、展望未来。" + P]


def test_normalise_drops_junk_lines() -> None:
    assert normalise("[\n正文。\n]\n】") == "正文。"


@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff", " \u3000 ", "[SEP][SEP]"])
def test_normalise_empty_inputs(text: str) -> None:
    assert normalise(text) == ""


MIX = st.lists(
    st.sampled_from(
        ["一、", "（一）", "<p>", "</p>", "<h5>", "&amp;", "&lt;p&gt;", "[SEP]", "\r\n", "\n", "\u3000", "#", "> ",
         "**", "１", "ａ", "\ufeff", "，", "。", "同志们：", "结语", "——", ",", '"', "full_text", "\u2028", "劳动",
         "（", "(", "三）", "12)"]
    )
    | st.text(max_size=8),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(MIX)
def test_normalise_is_idempotent_and_canonical(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once and "\n\n" not in once and "\ufeff" not in once
    assert all(line == line.strip() and line for line in once.split("\n")) or once == ""


@pytest.mark.parametrize("bracket", ["（", "("])
def test_normalise_joins_a_lone_opening_bracket_to_its_marker(bracket: str) -> None:
    assert (
        normalise(f"前文。\n{bracket}\n三）改革不断深化。\n后文。")
        == f"前文。\n{bracket}三）改革不断深化。\n后文。"
    )
    assert normalise(f"{bracket}\n12)数字序号。") == f"{bracket}12)数字序号。"


@pytest.mark.parametrize(
    "text", ["（\n改革不断深化。", "（\n三是改革。", "前文（\n三）改革。", "（\n（三）改革。"]
)
def test_normalise_keeps_a_lone_bracket_that_opens_no_marker(text: str) -> None:
    assert normalise(text) == text


def test_normalise_html_drops_scripts_styles_and_keeps_the_page_title_on_its_own_line() -> None:
    page = (
        "<html><head><title>某某网</title><style>p { color: red }</style></head><body>"
        "<h1>在全市大会上的讲话</h1><p>同志们：</p>"
        '<script type="text/javascript">$(document).ready(function() { a("<p>"); });</script>'
        "<noscript>请启用脚本</noscript><p>这项工作关系全局。</p></body></html>"
    )
    assert normalise(page).split("\n") == ["某某网", "在全市大会上的讲话", "同志们：", "这项工作关系全局。"]
