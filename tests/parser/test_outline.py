"""Level assignment, preamble/closing, footnotes and ids on short synthetic speeches."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.parser import Section, parse
from tests.parser.support import assert_invariants

P1 = "这项工作关系全局，必须抓紧抓实。各地要结合实际，制定具体措施，确保取得实效。"
P2 = "我们要坚持问题导向，补短板、强弱项，推动各项任务落地见效。"


def doc(*lines: str) -> str:
    return "\n".join(lines)


Shape = list[tuple[str | None, "Shape"]]


def shape(sections: tuple[Section, ...]) -> Shape:
    """The outline as (marker, or title when unnumbered) with children, for whole-tree asserts."""
    return [(s.marker or s.title, shape(s.children)) for s in sections]


def test_parse_gbt_levels_nest_in_order() -> None:
    text = doc(
        "一、总体要求", P1,
        "（一）指导思想", P2,
        "1.坚持党的领导", P1,
        "（1）提高站位", P2,
        "①统一思想", P1,
        "②压实责任", P2,
        "二、重点任务", P1,
    )  # fmt: skip
    parsed = parse(text)
    assert shape(parsed.sections) == [
        ("一、", [("（一）", [("1.", [("（1）", [("①", []), ("②", [])])])])]),
        ("二、", []),
    ]
    kinds = [s.kind for s in (parsed.sections[0], parsed.sections[0].children[0])]
    assert kinds == ["part", "point"]
    item = parsed.sections[0].children[0].children[0]
    assert (item.kind, item.level, item.eid) == ("item", 3, "part_1__point_1__item_1")
    assert item.children[0].kind == "subitem"
    assert_invariants(parsed)


def test_parse_numbering_restarts_under_each_part() -> None:
    text = doc("一、回顾", "（一）经济", P1, "（二）民生", P2, "二、任务", "（一）改革", P1, "（二）开放", P2)
    parsed = parse(text)
    assert [len(s.children) for s in parsed.sections] == [2, 2]
    assert parsed.diagnostics == ()


def test_parse_paren_numerals_can_be_the_top_level() -> None:
    text = doc(
        "各位代表：",
        P1,
        "（一）经济战线的胜利.",
        P1,
        "第一、关于基本建设.",
        P2,
        "第二、关于工业生产.",
        P1,
        "（二）新的跃进.",
        P2,
    )
    parsed = parse(text)
    assert shape(parsed.sections) == [("（一）", [("第一、", []), ("第二、", [])]), ("（二）", [])]


def test_parse_unnumbered_headings_above_numbered_ones() -> None:
    text = doc(
        "各位代表：", P1,
        "过去五年的工作回顾", P1,
        "今后五年的主要任务", P2,
        "一、加强民族团结", P1,
        "二、推动高质量发展", P2,
        "加强政府自身建设", P1,
    )  # fmt: skip
    parsed = parse(text)
    assert shape(parsed.sections) == [
        ("过去五年的工作回顾", []),
        ("今后五年的主要任务", [("一、", []), ("二、", [])]),
        ("加强政府自身建设", []),
    ]


def test_parse_ordinal_headings_are_siblings_of_unnumbered_ones() -> None:
    text = doc(
        "各位来宾，大家好",
        "感谢与承担",
        P1,
        "为年轻人打造更好的国家",
        P2,
        "第一、经济结构的转型",
        P1,
        "第二、强化社会安全网",
        P2,
        "结语",
        P1,
    )
    parsed = parse(text)
    assert [s.marker or s.title for s in parsed.sections] == [
        "感谢与承担", "为年轻人打造更好的国家", "第一、", "第二、", "结语",
    ]  # fmt: skip


def test_parse_closing_heading_is_a_top_level_part() -> None:
    text = doc("各位代表：", P1, "一、回顾.", P1, "二、任务.", P2, "结束语.", "各位代表！", P1)
    parsed = parse(text)
    assert [s.title for s in parsed.sections] == ["回顾", "任务", "结束语"]
    assert parsed.closing is None


def test_parse_unnumbered_subheads_between_numbered_parts_nest() -> None:
    text = doc("（一）工作回顾.", P1, "先说工业的情况.", P1, "再说农业的情况.", P2, "（二）今年任务.", P2)
    parsed = parse(text)
    assert shape(parsed.sections) == [
        ("（一）", [("先说工业的情况", []), ("再说农业的情况", [])]),
        ("（二）", []),
    ]


def test_parse_run_in_heading_with_full_width_space() -> None:
    text = doc(
        "各位乡亲：",
        "百年昌盛的基础",
        P1,
        "一、百年树人\u3000教育是国力的根基，孩子是未来的希望。" + P2,
        "二、百年生机\u3000" + P1,
    )
    parsed = parse(text)
    point = parsed.sections[0].children[0]
    assert (point.marker, point.title) == ("一、", "百年树人")
    assert point.paragraphs[0].text.startswith("教育是国力的根基")
    assert_invariants(parsed)


def test_parse_closing_after_last_point_and_mid_text_salutations() -> None:
    text = doc(
        "各位代表：", P1,
        "一、回顾", P1,
        "各位代表！", P2,
        "二、任务", "（一）改革。" + P1, "（二）开放。" + P2, P1,
        "各位代表！", "使命重在担当，奋斗创造未来！",
    )  # fmt: skip
    parsed = parse(text)
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == ["各位代表！", "使命重在担当，奋斗创造未来！"]
    assert parsed.sections[0].paragraphs[1].text == "各位代表！"
    assert len(parsed.sections) == 2


def test_parse_footnotes_after_a_rule_are_not_outline() -> None:
    text = doc("一、回顾", P1, "二、任务", P2, "——————", "注：本文根据录音整理。")
    parsed = parse(text)
    assert [p.text for p in parsed.footnotes] == ["——————", "注：本文根据录音整理。"]
    assert parsed.sections[-1].paragraphs[-1].text == P2
    assert_invariants(parsed)


def test_parse_text_without_outline_is_all_preamble() -> None:
    parsed = parse(doc("各位代表！", P1, P2))
    assert parsed.sections == ()
    assert parsed.preamble is not None and len(parsed.preamble.paragraphs) == 3


def test_parse_markdown_and_html_headings() -> None:
    md = parse(doc("# 在全市大会上的讲话", "同志们：", P1, "## 一、统一思想", P1, "## 二、狠抓落实", P2))
    assert md.metadata.title == "在全市大会上的讲话"
    assert [s.marker for s in md.sections] == ["一、", "二、"]
    html = parse(
        "<h4>同志们：</h4><p>"
        + P1
        + "</p><h5>一、统一思想</h5><p>"
        + P2
        + "</p><h5>二、狠抓落实</h5><p>"
        + P1
    )
    assert [s.title for s in html.sections] == ["统一思想", "狠抓落实"]


def test_parse_numbered_list_in_preamble_is_not_the_outline() -> None:
    text = doc(
        "同志们：",
        "会议的任务是：",
        "1.总结工作。" + P1,
        "2.部署任务。" + P2,
        "一、统一思想",
        P1,
        "二、狠抓落实",
        P2,
    )
    parsed = parse(text)
    assert [s.marker for s in parsed.sections] == ["一、", "二、"]
    assert parsed.preamble is not None and len(parsed.preamble.paragraphs) == 4


def test_parse_lone_short_line_inside_a_part_is_prose() -> None:
    text = doc("一、统一思想", P1, "不忘初心 牢记使命", P2, "二、狠抓落实", P2)
    parsed = parse(text)
    assert [len(s.children) for s in parsed.sections] == [0, 0]
    assert parsed.sections[0].paragraphs[1].text == "不忘初心 牢记使命"


def test_parse_enumerated_speech_without_headings() -> None:
    text = doc(
        "同志们：", "借此机会，我讲三点意见。",
        "第一，要统一思想。" + P1, "第二，要压实责任。" + P2, "第三，要狠抓落实。" + P1,
        "同志们，让我们团结奋斗，再创佳绩！",
    )  # fmt: skip
    parsed = parse(text)
    assert [(s.marker, s.title) for s in parsed.sections] == [
        ("第一，", "要统一思想"), ("第二，", "要压实责任"), ("第三，", "要狠抓落实"),
    ]  # fmt: skip
    assert parsed.closing is not None and parsed.diagnostics == ()


def test_parse_same_style_list_nested_in_a_part_when_the_outer_numbering_resumes() -> None:
    text = doc(
        "一、总体情况", P1,
        "二、改革任务", P1,
        "这里着重讲几个认识问题。",
        "一、认识改革的必要性", P2,
        "二、认识改革的艰巨性", P1,
        "三、认识改革的长期性", P2,
        "三、对外政策", P1,
    )  # fmt: skip
    parsed = parse(text)
    assert shape(parsed.sections) == [
        ("一、", []),
        ("二、", [("一、", []), ("二、", []), ("三、", [])]),
        ("三、", []),
    ]
    assert parsed.diagnostics == ()


def test_parse_numbering_that_starts_again_is_a_second_run_with_a_diagnostic() -> None:
    text = doc(
        "各位来宾：", P1,
        "一、民主政治成长", P1,
        "二、经济发展进步", P2,
        "面对新的一年，我们必须确立三大目标：",
        "一、加速灾后重建", P1,
        "二、提升竞争能力", P2,
        "三、推动心灵改革", P1,
    )  # fmt: skip
    parsed = parse(text)
    assert [s.marker for s in parsed.sections] == ["一、", "二、", "一、", "二、", "三、"]
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("numbering-restart", 8)]
    assert_invariants(parsed)


def test_parse_run_in_title_ends_at_a_colon() -> None:
    text = doc("同志们：", P1, "第一、改革金融体制：" + P1 + P2, "第二、追求政党和解：" + P2 + P1)
    parsed = parse(text)
    assert [s.title for s in parsed.sections] == ["改革金融体制", "追求政党和解"]
    assert parsed.sections[0].heading is not None
    assert parsed.sections[0].heading.text == "第一、改革金融体制："
    assert parsed.sections[0].paragraphs[0].text == P1 + P2
    assert_invariants(parsed)


def test_parse_colon_before_a_quotation_does_not_cut_the_title() -> None:
    parsed = parse(doc("一、总书记指出：“" + P1 + "”", P2, "二、抓好落实", P1))
    assert parsed.sections[0].title != "总书记指出"


def test_parse_closing_address_to_any_audience() -> None:
    text = doc(
        "各位女士、各位先生：", P1, "一、回顾", P1, "二、展望", P2, P1, "各位女士、各位先生：" + P2, P1
    )
    parsed = parse(text)
    assert parsed.closing is not None
    assert parsed.closing.paragraphs[0].text.startswith("各位女士、各位先生：")
    assert len(parsed.sections[-1].paragraphs) == 2


def test_parse_sign_off_lines_at_the_end_are_the_closing() -> None:
    text = doc(
        "各位乡亲，大家好！", P1,
        "一、回顾", P1,
        "二、展望", P2, P1,
        "让我们一起敬祝", "国家繁荣昌盛！", "全体同胞新年快乐！",
    )  # fmt: skip
    parsed = parse(text)
    assert [s.title for s in parsed.sections] == ["回顾", "展望"]
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == [
        "让我们一起敬祝",
        "国家繁荣昌盛！",
        "全体同胞新年快乐！",
    ]


def test_parse_numbered_closing_heading_keeps_its_sign_off() -> None:
    parsed = parse(doc("各位来宾：", P1, "一、回顾", P1, "二、结语", P2, "谢谢大家！"))
    assert parsed.closing is None
    assert parsed.sections[-1].paragraphs[-1].text == "谢谢大家！"


def test_parse_short_lines_of_a_verse_block_are_not_headings() -> None:
    text = doc(
        P1,
        "在这里",
        "每一个细节都体现着",
        "绿色健康、智慧共享的生活模式",
        "市民服务中心",
        "是未来智慧城市的缩影和样板",
        "未来之城正踏步而来……",
        P2,
    )
    parsed = parse(text)
    assert parsed.sections == ()


def test_parse_shouxian_opens_a_run_of_ordinals() -> None:
    text = doc(
        "一、形势", P1,
        "二、任务", P1,
        "首先，要推动产业转型。" + P2,
        "第二、要破除保护主义。" + P1,
        "第三、要强化产学合作。" + P2,
    )  # fmt: skip
    parsed = parse(text)
    assert [c.marker for c in parsed.sections[1].children] == ["首先，", "第二、", "第三、"]


def test_parse_shouxian_inside_an_ordinal_section_stays_prose() -> None:
    text = doc("第一、经济转型", "首先，要推动产业转型。" + P1, "第二、社会安全", P2, "第三、公平正义", P1)
    parsed = parse(text)
    assert [s.marker for s in parsed.sections] == ["第一、", "第二、", "第三、"]
    assert parsed.sections[0].children == ()


def test_parse_newspaper_source_note_at_the_end_is_a_footnote() -> None:
    parsed = parse(doc("一、回顾", P1, "二、任务", P2, "《 本市日报 》（ 2016年05月03日 02 版）"))
    assert [p.text for p in parsed.footnotes] == ["《 本市日报 》（ 2016年05月03日 02 版）"]
    assert parsed.sections[-1].paragraphs[-1].text == P2
    assert_invariants(parsed)


def _closing_texts(*tail: str) -> list[str] | None:
    parsed = parse(doc("一、回顾", P1, "二、展望", P2, *tail))
    return [p.text for p in parsed.closing.paragraphs] if parsed.closing else None


@pytest.mark.parametrize(
    "last",
    [
        "同志们的努力有目共睹，各项任务都落实到位。",  # 同志们 as a subject, not a vocative
        "全体干部要学习身边的先进代表，做到令行禁止。",  # 全体… is a clause, 代表 is no addressee
        "热烈庆祝建党一百周年。",  # 庆祝 is no wish
        "我们向获奖同志表示祝贺。",  # nor is a congratulation inside the sentence
    ],
)
def test_parse_last_paragraph_that_only_looks_like_a_closing_stays_in_the_part(last: str) -> None:
    assert _closing_texts(P1, last) is None


@pytest.mark.parametrize(
    ("tail", "closing"),
    [
        (("同志们！" + P1,), ["同志们！" + P1]),
        (("同志们、朋友们：", P1), ["同志们、朋友们：", P1]),
        (("女士们、先生们，" + P1,), ["女士们、先生们，" + P1]),
        (("全体同志们：", P1), ["全体同志们：", P1]),
        (("亲爱的青年朋友们，" + P1,), ["亲爱的青年朋友们，" + P1]),
        ((P1, "祝大家新年快乐。"), ["祝大家新年快乐。"]),
        ((P1, "最后，预祝大会圆满成功。"), ["最后，预祝大会圆满成功。"]),
        ((P1, "我衷心祝愿大家工作顺利。"), ["我衷心祝愿大家工作顺利。"]),
    ],
)
def test_parse_closing_addresses_and_wishes(tail: tuple[str, ...], closing: list[str]) -> None:
    assert _closing_texts(*tail) == closing


def test_parse_page_chrome_after_the_closing_is_footnotes() -> None:
    chrome = ["》》点击图片进入专题《《", "收藏", "|", "分享到:", "分享到微信", "×", "相关文档："]
    closing = "各位代表！让我们团结奋斗，再创佳绩！"
    opening = ("各位代表：", "现在，我代表市人民政府，向大会报告工作。")
    parsed = parse(doc(*opening, "一、回顾", P1, "二、任务", P2, closing, *chrome))
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == [closing]
    assert [p.text for p in parsed.footnotes] == [x for x in chrome if x != "|"]
    assert [s.marker for s in parsed.sections] == ["一、", "二、"]
    assert_invariants(parsed)


@pytest.mark.parametrize(
    "last",
    [
        "欢迎大家把好经验分享到微信群里，收藏起来反复学习。",  # mentions 分享/收藏 but is prose
        "分享",  # chrome, but with prose after it
    ],
)
def test_parse_chrome_words_inside_the_text_stay(last: str) -> None:
    parsed = parse(doc("一、回顾", P1, "二、任务", P2, last, "同志们！" + P1))
    assert parsed.footnotes == ()
    assert_invariants(parsed)


def test_parse_chrome_words_in_the_last_paragraph_stay() -> None:
    last = "同志们！欢迎大家分享经验、收藏好做法。"
    parsed = parse(doc("一、回顾", P1, "二、任务", P2, last))
    assert parsed.footnotes == ()
    assert [p.text for p in parsed.closing.paragraphs] == [last]


@pytest.mark.parametrize(
    "chrome",
    [
        ("（责任编辑：张三）",),
        ("分享至", "微信", "微博"),
        ("上一篇：市长在全市大会上的讲话", "下一篇：政府工作报告"),
        ("打印本页", "关闭窗口"),
    ],
)
def test_parse_other_trailing_chrome_is_footnotes(chrome: tuple[str, ...]) -> None:
    parsed = parse(doc("一、回顾", P1, "二、任务", P2, "同志们！" + P1, *chrome))
    assert [p.text for p in parsed.closing.paragraphs] == ["同志们！" + P1]
    assert tuple(p.text for p in parsed.footnotes) == chrome


def test_parse_marker_split_after_its_opening_bracket() -> None:
    text = doc(
        "各位代表：", "现在，我代表市政府报告工作。",
        "一、回顾", "（一）经济稳中有进。", P1, "（二）产业加快转型。", P2,
        "（", "三）改革不断深化。", P1, "（四）民生持续改善。", P2,
        "二、任务", "（一）扩大有效需求。", P1, "（二）发展实体经济。", P2,
    )  # fmt: skip
    parsed = parse(text)
    assert shape(parsed.sections) == [
        ("一、", [("（一）", []), ("（二）", []), ("（三）", []), ("（四）", [])]),
        ("二、", [("（一）", []), ("（二）", [])]),
    ]
    third = parsed.sections[0].children[2]
    assert third.heading is not None and third.heading.text.startswith("（三）改革不断深化。")
    assert parsed.diagnostics == ()
    assert_invariants(parsed)


def _ordinal_noun_speech(cls: str) -> str:
    return doc(
        "各位朋友，大家好！",
        "一、當前的難題",
        "今年我們要面對以下三個難題。",
        f"第一{cls}難題，就是物價上漲太快。市場供給不足，民眾負擔加重，這是大家都感受到的。",
        f"第二{cls}難題，就是青年就業困難。畢業生找工作不易，薪資也沒有成長，必須設法改善。",
        f"第三{cls}難題，就是人口老化加速。照顧長者的人力越來越少，社會負擔越來越重。",
        "二、解決的方法",
        "政府將全力以赴，提出具體的措施，逐一克服這些難題，讓大家安心過日子。",
        "謝謝大家！",
    )


@pytest.mark.parametrize("cls", ["個", "个"])
def test_parse_paragraph_initial_ordinal_noun_run_is_the_division(cls: str) -> None:
    """第一個難題，… / 第二個難題，… / 第三個難題，…: an ordinal, a classifier and the same noun
    opening each paragraph divide the part like 第一，/第二，."""
    parsed = parse(_ordinal_noun_speech(cls))
    assert_invariants(parsed)
    one, two = parsed.sections
    assert one.paragraphs[0].text == "今年我們要面對以下三個難題。"
    assert [(c.marker, c.ordinal, c.title) for c in one.children] == [
        (f"第一{cls}難題，就是", 1, "物價上漲太快"),
        (f"第二{cls}難題，就是", 2, "青年就業困難"),
        (f"第三{cls}難題，就是", 3, "人口老化加速"),
    ]
    assert one.children[0].paragraphs[0].text.startswith("市場供給不足")
    assert two.children == ()


def test_parse_two_ordinal_noun_paragraphs_stay_prose() -> None:
    """分两个阶段来安排。第一个阶段，… 第二个阶段，…: two stages described in turn are the
    part's prose, not its division (a run needs three items)."""
    parsed = parse(
        doc(
            "一、发展目标",
            "从现在到本世纪中叶，可以分两个阶段来安排。",
            "第一个阶段，从二〇二〇年到二〇三五年，基本实现现代化。" + P1,
            "第二个阶段，从二〇三五年到本世纪中叶，建成现代化强国。" + P2,
            "二、重点任务",
            P1,
        )
    )
    assert [s.marker for s in parsed.sections] == ["一、", "二、"]
    assert parsed.sections[0].children == ()
    assert len(parsed.sections[0].paragraphs) == 3


@pytest.mark.parametrize(
    "items",
    [
        # the same long name in consecutive paragraphs: prose, no enumerator
        ("第一个百年奋斗目标，我们已经如期实现。", "第一个百年奋斗目标的实现，", "第二个百年奋斗目标，"),
        # different nouns: no run
        ("第一个阶段，打好基础。", "第二个任务，攻坚克难。", "第三个目标，全面建成。"),
        # numbers that skip: no run
        ("第一个难题，就是物价。", "第三个难题，就是就业。", "第四个难题，就是养老。"),
        # a run that does not start at 第一
        ("第二个难题，就是物价。", "第三个难题，就是就业。", "第四个难题，就是养老。"),
    ],
)
def test_parse_ordinal_noun_paragraphs_that_are_no_run_stay_prose(items: tuple[str, str, str]) -> None:
    parsed = parse(doc("一、发展目标", P1, *(x + P2 for x in items), "二、重点任务", P1))
    assert [s.marker for s in parsed.sections] == ["一、", "二、"]
    assert parsed.sections[0].children == ()


def test_parse_ordinal_noun_run_inside_one_paragraph_is_not_counted() -> None:
    """The 第一个X family counts only as paragraph-initial items, one per paragraph."""
    parsed = parse(
        doc(
            "一、当前的难题",
            "今年要面对以下三个难题。第一个难题，就是物价。第二个难题，就是就业。第三个难题，就是养老。" + P1,
            "二、解决的方法",
            P2,
        )
    )
    assert parsed.sections[0].children == ()


def test_parse_a_sentence_broken_across_lines_is_no_unnumbered_heading() -> None:
    """Bold markup on a web page can split a sentence (…的 / 主要预期目标 / 是：…): the middle line
    is a fragment of that sentence, not a heading, so it starts no part of its own."""
    parsed = parse(
        doc(
            "各位代表：",
            "现在，我代表市政府作报告。",
            "一、去年工作回顾",
            "去年经济平稳运行，各项工作取得新进展，人民生活持续改善。",
            "二、今年工作安排",
            "今年经济社会发展的",
            "主要预期目标",
            "是：生产总值增长5%左右。重点抓好以下3个方面的工作：",
            "（一）扩大有效需求，稳住经济大盘。",
            "坚持内需主导，促进消费和投资良性互动。",
            "（二）推进改革开放，激发市场活力。",
            "坚持有效市场和有为政府相结合。",
        )
    )
    assert [s.title for s in parsed.sections] == ["去年工作回顾", "今年工作安排"]
    assert [c.marker for c in parsed.sections[1].children] == ["（一）", "（二）"]


@pytest.mark.parametrize("formula", ["特此通知。", "特此公告。", "特此通告。", "特此函告。", "特此批复。"])
def test_parse_closing_formula_of_an_official_document(formula: str) -> None:
    text = doc(
        "关于做好春季防火工作的通知",
        "各乡镇人民政府：",
        "现就有关工作通知如下。",
        "一、加强巡查",
        P1,
        "二、落实责任",
        P2,
        formula,
    )
    parsed = parse(text)
    assert [s.marker for s in parsed.sections] == ["一、", "二、"]
    assert [p.text for p in parsed.sections[1].paragraphs] == [P2]
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == [formula]


def test_parse_comment_block_after_the_body_is_footnotes() -> None:
    """A web app's comment list under the document: heading, dated comments, buttons."""
    text = doc(
        "关于做好春季防火工作的通知", "各乡镇人民政府：", "现就有关工作通知如下。",
        "一、加强巡查", P1, "二、落实责任", P2, "特此通知。",
        "评论回复", "张三：请审签，已按意见修改 ［2016-07-10］", "李四：同意 ［2016-07-10］", "提交回复返回",
    )  # fmt: skip
    parsed = parse(text)
    assert [p.text for p in parsed.sections[1].paragraphs] == [P2]
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == ["特此通知。"]
    assert parsed.footnotes[0].text == "评论回复"
    assert len(parsed.footnotes) == 4
    assert parsed.metadata.date is None and parsed.metadata.speaker is None


@pytest.mark.parametrize("heading", ["网友评论", "发表评论"])
def test_parse_comment_heading_starts_the_footnotes(heading: str) -> None:
    text = doc("一、加强巡查", P1, "二、落实责任", P2, heading, "王五：很好 ［2020-01-02］", "提交")
    parsed = parse(text)
    assert [p.text for p in parsed.sections[1].paragraphs] == [P2]
    assert [p.text for p in parsed.footnotes] == [heading, "王五：很好 ［2020-01-02］", "提交"]


def test_readme_comment_list_and_closing_formula() -> None:
    """The README's comment-list example, as written there, after a notice's last part."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("A\n  page's comment list after the text (", 1)[1].split(")", 1)[0]
    comments = [x.strip("`") for x in block.split(";")[0].split(" / ")]
    parsed = parse(doc("一、加强巡查", P1, "二、落实责任", P2, "特此通知。", *comments))
    assert [p.text for p in parsed.sections[1].paragraphs] == [P2]
    assert parsed.closing is not None and parsed.closing.paragraphs[0].text == "特此通知。"
    assert [p.text for p in parsed.footnotes] == comments


def test_parse_a_glossary_after_the_closing_is_trailing_matter() -> None:
    parsed = parse(
        doc(
            "各位代表：",
            "现在，我代表市政府作报告。",
            "一、去年工作回顾",
            "去年经济平稳运行，各项工作取得新进展，人民生活持续改善。",
            "二、今年工作安排",
            "（一）扩大有效需求。坚持内需主导，促进消费和投资良性互动。",
            "（二）保障改善民生。坚持尽力而为、量力而行。",
            "各位代表！让我们团结一心，为建设美好家园而努力奋斗！",
            "名词解释",
            "1.“两重”：是指重大战略实施和重点领域安全能力建设。",
            "2.“两新”：是指大规模设备更新和消费品以旧换新。",
        )
    )
    assert [s.title for s in parsed.sections] == ["去年工作回顾", "今年工作安排"]
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == [
        "各位代表！让我们团结一心，为建设美好家园而努力奋斗！"
    ]
    assert parsed.footnotes[0].text == "名词解释"


REGULATION = doc(
    "某某管理办法",
    "第一章　总　　则",
    "第一条　为了规范管理，制定本办法。",
    "第二条　本办法适用于本市行政区域内的管理活动。",
    "第二章　管理职责",
    "第三条　市人民政府负责组织实施本办法。",
    "第四条　各区人民政府负责本辖区内的管理工作。",
    "第三章　附　　则",
    "第五条　本办法自公布之日起施行。",
)


def test_parse_regulation_articles_numbered_through_the_chapters() -> None:
    """第一章 chapters are parts; the articles, numbered continuously through the document, are
    the points of the chapter they sit in, with no gap or restart reported."""
    parsed = parse(REGULATION)
    assert parsed.metadata.title == "某某管理办法"
    assert shape(parsed.sections) == [
        ("第一章", [("第一条", []), ("第二条", [])]),
        ("第二章", [("第三条", []), ("第四条", [])]),
        ("第三章", [("第五条", [])]),
    ]
    art = parsed.sections[1].children[0]
    assert (art.kind, art.title, art.ordinal) == ("point", "市人民政府负责组织实施本办法", 3)
    assert parsed.diagnostics == ()
    assert_invariants(parsed)


def test_parse_regulation_sections_sit_between_chapters_and_articles() -> None:
    parsed = parse(
        doc(
            "某某条例",
            "第一章　总则",
            "第一条　为了规范管理，制定本条例。",
            "第二章　管理措施",
            "第一节　一般规定",
            "第二条　管理部门应当依法履行职责。",
            "第三条　管理部门应当公开办事程序。",
            "第二节　特别规定",
            "第四条　特殊情形由市政府另行规定。",
            "第三章　附则",
            "第一节　施行",
            "第五条　本条例自公布之日起施行。",
        )
    )
    assert shape(parsed.sections) == [
        ("第一章", [("第一条", [])]),
        ("第二章", [("第一节", [("第二条", []), ("第三条", [])]), ("第二节", [("第四条", [])])]),
        ("第三章", [("第一节", [("第五条", [])])]),
    ]
    assert parsed.diagnostics == ()
    assert_invariants(parsed)


def test_parse_articles_without_chapters_are_the_parts() -> None:
    parsed = parse(
        doc(
            "某某实施细则",
            "第一条　为了规范管理，制定本细则。",
            "第二条　本细则适用于本市的管理活动。",
            "第三条　市人民政府负责组织实施本细则。管理部门应当依法履行职责，公开办事程序。",
            "第四条　本细则自公布之日起施行。",
        )
    )
    assert [(s.kind, s.marker, s.title) for s in parsed.sections] == [
        ("part", "第一条", "为了规范管理，制定本细则"),
        ("part", "第二条", "本细则适用于本市的管理活动"),
        ("part", "第三条", "市人民政府负责组织实施本细则"),
        ("part", "第四条", "本细则自公布之日起施行"),
    ]
    assert [p.text for p in parsed.sections[2].paragraphs] == ["管理部门应当依法履行职责，公开办事程序。"]
    assert parsed.diagnostics == ()


def test_parse_article_items_nest_under_the_article() -> None:
    parsed = parse(
        doc(
            "第一章　总则",
            "第一条　为了规范管理，制定本办法。",
            "第二条　有下列情形之一的，依法处理：",
            "（一）未按规定登记的；",
            "（二）提供虚假材料的。",
            "第二章　附则",
            "第三条　本办法自公布之日起施行。",
        )
    )
    assert shape(parsed.sections) == [
        ("第一章", [("第一条", []), ("第二条", [("（一）", []), ("（二）", [])])]),
        ("第二章", [("第三条", [])]),
    ]


def test_parse_articles_without_a_space_after_the_marker_need_a_run() -> None:
    parsed = parse(doc("某某办法", "第一条为了规范管理，制定本办法。", "第二条本办法自公布之日起施行。"))
    assert [(s.marker, s.title) for s in parsed.sections] == [
        ("第一条", "为了规范管理，制定本办法"),
        ("第二条", "本办法自公布之日起施行"),
    ]


def test_readme_regulation_row() -> None:
    """The README's regulation example, as written there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| regulations"))
    example = row.split(" | ")[1].strip("`").split("` / `")
    parsed = parse(doc("某某管理办法", *example))
    assert shape(parsed.sections) == [
        ("第一章", [("第一条", []), ("第二条", [])]),
        ("第二章", [("第三条", [])]),
    ]
    assert parsed.diagnostics == ()


REPRINT_FOOTER = (
    "（新华社北京4月28日电）",
    "（原标题：在同劳动模范代表座谈时的讲话 （2013年4月28日） 习近平）",
)


@pytest.mark.parametrize(
    "footer",
    [
        REPRINT_FOOTER,
        REPRINT_FOOTER[:1],
        REPRINT_FOOTER[1:],
        ("(新华社北京4月28日电)",),
        ("（来源：本市日报）", *REPRINT_FOOTER),
    ],
)
def test_parse_reprint_footer_lines_are_footnotes_not_closing(footer: tuple[str, ...]) -> None:
    """A reprint's bracketed dateline and its 原标题 note after the closing are footnotes."""
    parsed = parse(
        doc(
            "同志们：",
            "今天座谈。",
            "第一，发挥作用。P。",
            "第二，弘扬精神。P。",
            "同志们，让我们一起奋斗！",
            *footer,
        )
    )
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == ["同志们，让我们一起奋斗！"]
    assert tuple(p.text for p in parsed.footnotes) == footer
    assert_invariants(parsed)


def test_parse_bracketed_remark_in_the_closing_stays_closing() -> None:
    parsed = parse(doc("一、回顾", P1, "二、任务", P2, "同志们，让我们一起奋斗！", "（全场鼓掌）"))
    assert parsed.footnotes == ()


def test_readme_reprint_footer_example() -> None:
    """The README's reprint footer example, as written there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("`（新华社北京4月28日电）`")
    footer = readme[start : readme.index("）`", start + 20) + 2].replace("\n", " ")
    notes = tuple(x.strip("`") for x in footer.split("` / `"))
    assert len(notes) == 2
    parsed = parse(doc("一、回顾", P1, "二、任务", P2, "同志们，让我们一起奋斗！", *notes))
    assert tuple(p.text for p in parsed.footnotes) == notes
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == ["同志们，让我们一起奋斗！"]


@pytest.mark.parametrize(
    "markers", [("第一，", "第二，", "第三，", "第四，"), ("一是", "二是", "三是", "四是")]
)
def test_a_numbered_list_inside_an_enumerator_point_nests_under_it(markers: tuple[str, ...]) -> None:
    """（一）（二） after 第三， while 第四， follows: a list inside 第三， (the run goes on after
    it), not headings beside the run that would make the run prose."""
    first, second, third, fourth = markers
    text = doc(
        "各位代表：", "现在报告工作。",
        "一、过去一年的回顾", P1,
        "二、今年的主要任务", "今年要做好以下工作。",
        f"{first}抓好粮食生产。" + P1,
        f"{second}改变市场疲软状况。" + P2,
        f"{third}推动科学技术进步。需要阐明以下观点：",
        "（一）计划和市场应当结合起来。", "（二）结合的形式要经常调整。",
        f"{fourth}发展教育事业。" + P1,
        "（一）加强廉政建设。", "（二）纠正不正之风。",
        "各位代表！让我们团结奋斗！",
    )  # fmt: skip
    parsed = parse(text)
    assert shape(parsed.sections) == [
        ("一、", []),
        ("二、", [
            (first, []), (second, []),
            (third, [("（一）", []), ("（二）", [])]),
            (fourth, [("（一）", []), ("（二）", [])]),
        ]),
    ]  # fmt: skip
    assert_invariants(parsed)


def test_a_numbered_list_after_a_lead_paragraph_nests_under_the_point_before_it() -> None:
    text = doc(
        "一、去年的回顾", P1,
        "二、今年的任务",
        "第一，抓好农业。" + P1,
        "第二，搞好工业。" + P2,
        "需要阐明以下观点：",
        "（一）计划和市场应当结合。", "（二）结合形式要经常调整。",
        "第三，发展教育。" + P1,
        "三、外交工作", P2,
    )  # fmt: skip
    assert shape(parse(text).sections) == [
        ("一、", []),
        ("二、", [("第一，", []), ("第二，", [("（一）", []), ("（二）", [])]), ("第三，", [])]),
        ("三、", []),
    ]


def test_enumerators_beside_headings_stay_prose_when_the_run_resumes_in_another_part() -> None:
    """三是 in a later part does not continue the 一是/二是 beside （一）（二）."""
    text = doc(
        "一、重点任务",
        "一是稳增长。" + P1, "二是促改革。" + P2,
        "（一）扩大内需。" + P1, "（二）稳定外需。" + P2,
        "二、保障措施",
        "三是强化督查。" + P1,
    )  # fmt: skip
    assert shape(parse(text).sections) == [("一、", [("（一）", []), ("（二）", [])]), ("二、", [])]


def test_parse_a_comma_after_an_enumerator_belongs_to_its_marker() -> None:
    parsed = parse(doc("一、工作要求", P1, "一是，抓好生产。要增加投入。", "二是：搞好流通。要畅通渠道。"))
    assert [(c.marker, c.title) for c in parsed.sections[0].children] == [
        ("一是，", "抓好生产"),
        ("二是：", "搞好流通"),
    ]


def test_parse_an_inline_run_announced_by_its_count_divides_the_part() -> None:
    """…着力把握好三点。一是…二是…三是… in one paragraph: the count announces the run, like 以下几点。"""
    run = "一是牢牢抓住发展不放松。发展是关键。二是大力推进改革。要破解难题。三是加快动能转换。要培育新动能。"
    part = ["二、今后五年主要任务", P1, "做好今后五年的工作，必须着力把握好三点。" + run]
    parsed = parse(doc("一、过去一年工作回顾", P1, *part))
    assert [c.marker for c in parsed.sections[1].children] == ["一是", "二是", "三是"]
    # a count that does not match the run announces something else
    parsed = parse(doc("一、过去一年工作回顾", P1, "二、今后五年主要任务", P1, "要把握好两点。" + run))
    assert parsed.sections[1].children == ()


@pytest.mark.parametrize(
    ("tail", "closing"),
    [
        (("各位同事！", P1), ["各位同事！", P1]),
        (("各位同事：", P1), ["各位同事：", P1]),
        (("同事们，" + P1,), ["同事们，" + P1]),
        (("各位伙伴，" + P1,), ["各位伙伴，" + P1]),
        (("各位夥伴，" + P1,), ["各位夥伴，" + P1]),
        (("各位贵宾，" + P1,), ["各位贵宾，" + P1]),
        # a chain of vocatives separated by commas, like the 、-chains: 客人 is no addressee word,
        # but the vocative after the comma makes the chain an address
        (("各位远道而来的客人，亲爱的同胞，" + P1,), ["各位远道而来的客人，亲爱的同胞，" + P1]),
    ],
)
def test_parse_closing_addressed_to_colleagues_and_partners(
    tail: tuple[str, ...], closing: list[str]
) -> None:
    assert _closing_texts(*tail) == closing


def test_parse_summit_remarks_close_at_the_repeated_salutation() -> None:
    """各位同事： opens the remarks (preamble); 各位同事！ near the end opens the closing."""
    parsed = parse(
        doc(
            "在某某会议上的闭幕辞",
            "各位同事：",
            "下面，我来进行简要总结。",
            "——我们回顾了过去的成就。",
            "各位同事！",
            "这次会议不是终点，而是新的起点。",
            "谢谢大家！",
        )
    )
    assert parsed.preamble is not None
    assert parsed.preamble.paragraphs[0].text == "各位同事："
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == [
        "各位同事！",
        "这次会议不是终点，而是新的起点。",
        "谢谢大家！",
    ]
    assert_invariants(parsed)


def test_parse_closing_address_chain_after_a_comma() -> None:
    parsed = parse(
        doc(
            "各位夥伴：大家好！",
            "今天是元旦。",
            "一、第一個主題",
            "第一段內容。",
            "二、第二個主題",
            "第二段內容。",
            "各位夥伴，親愛的國人同胞，我們今天的努力都是為了下一代。",
            "最後，敬祝國運昌隆！",
        )
    )
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == [
        "各位夥伴，親愛的國人同胞，我們今天的努力都是為了下一代。",
        "最後，敬祝國運昌隆！",
    ]
    assert [p.text for p in parsed.sections[-1].paragraphs] == ["第二段內容。"]
    assert_invariants(parsed)


def test_readme_closing_addresses() -> None:
    """The README's summit-remarks and comma-chain closing examples, as written there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    part = " ".join(
        readme.split("Colleagues and partners are addressed too:", 1)[1].split("closing.", 1)[0].split()
    )
    opening, closing, chain = (x for x in part.split("`")[1::2] if len(x) > 1)
    parsed = parse(doc(opening, P1, "一、回顾", P1, "二、任务", P2, closing, P1, "谢谢大家！"))
    assert parsed.preamble is not None and parsed.preamble.paragraphs[0].text == opening
    assert parsed.closing is not None and parsed.closing.paragraphs[0].text == closing
    parsed = parse(doc(opening, P1, "一、回顾", P1, "二、任务", P2, chain))
    assert parsed.closing is not None and [p.text for p in parsed.closing.paragraphs] == [chain]


NOTICE = (
    "关于做好某项工作的通知",
    "各区县人民政府：",
    "为做好某项工作，现通知如下：",
    "一、提高认识",
    P1,
    "二、加强领导",
    P2,
)


@pytest.mark.parametrize(
    "signature",
    [
        ("某某市人民政府", "2020年5月1日"),
        ("中共某某市委办公室", "二〇二〇年五月一日"),
        ("某某省教育厅", "2020年5月1日"),
        ("2020年5月1日",),
    ],
)
def test_parse_signature_block_of_a_notice_is_footnotes(signature: tuple[str, ...]) -> None:
    """The issuer and the date under 特此通知。 sign the document: outside the outline, and the
    formula stays the closing."""
    parsed = parse(doc(*NOTICE, "特此通知。", *signature))
    assert [p.text for p in parsed.sections[1].paragraphs] == [P2]
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == ["特此通知。"]
    assert tuple(p.text for p in parsed.footnotes) == signature
    assert parsed.metadata.speaker is None  # an organisation is no speaker
    assert parsed.metadata.date == "2020-05-01"
    assert_invariants(parsed)


def test_parse_signature_of_a_letter_is_footnotes() -> None:
    letter = ("王某致某某研究所建所60周年的贺信", "值此某某研究所建所60周年之际，我表示热烈的祝贺！", P1)
    parsed = parse(doc(*letter, "王某", "2020年5月1日"))
    assert parsed.preamble is not None
    assert [p.text for p in parsed.preamble.paragraphs] == list(letter[1:])
    assert [p.text for p in parsed.footnotes] == ["王某", "2020年5月1日"]
    assert_invariants(parsed)


@pytest.mark.parametrize(
    "last",
    [
        "王某",  # a name without a date under it is no signature
        "一、回顾",  # nor a heading
        "这项工作定于2020年5月1日完成。",  # nor a sentence with a date in it
    ],
)
def test_parse_lines_that_only_look_like_a_signature_stay(last: str) -> None:
    parsed = parse(doc(*NOTICE, P1, last))
    assert parsed.footnotes == ()


def test_parse_sign_off_above_a_final_date_is_no_signer() -> None:
    parsed = parse(doc(*NOTICE, "谢谢大家", "2020年5月1日"))
    assert [p.text for p in parsed.footnotes] == ["2020年5月1日"]
    assert parsed.closing is not None and [p.text for p in parsed.closing.paragraphs] == ["谢谢大家"]


def test_readme_signature_examples() -> None:
    """The README's notice and letter signatures, as written there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    part = " ".join(readme.split("So a notice ending ", 1)[1].split("\n\n", 1)[0].split())
    notice_end, letter_end = (
        part.split(" has the closing ")[0],
        part.split("a letter ending ")[1].split(" has ")[0],
    )
    notice_lines = [x.strip("`") for x in notice_end.split(" / ")]
    parsed = parse(doc(*NOTICE, *notice_lines))
    assert parsed.closing is not None and [p.text for p in parsed.closing.paragraphs] == notice_lines[:1]
    assert [p.text for p in parsed.footnotes] == notice_lines[1:]
    assert (parsed.metadata.speaker, parsed.metadata.date) == (None, "2020-05-01")
    for issuers in ("中共中央 国务院", "某某市人民政府"):
        assert parse(doc(*NOTICE, "特此通知。", issuers, "2020年5月1日")).metadata.speaker is None
    letter_lines = [x.strip("`") for x in letter_end.split(" / ")]
    parsed = parse(doc("王某致某某研究所的贺信", "值此建所之际，我表示热烈的祝贺！", *letter_lines))
    assert [p.text for p in parsed.footnotes] == letter_lines
    assert (parsed.metadata.speaker, parsed.metadata.date) == ("王某", "2020-05-01")


def test_parse_the_closing_is_the_final_rally_when_address_blocks_follow_the_last_point() -> None:
    """各位代表！ separators after a run-in last point still belong to it; the closing is the final
    address block that rallies (让我们…). Without a rally, the first address opens the closing."""
    tail = [
        "各位代表！",
        "我们要做好民族宗教工作，维护团结稳定。",
        "我们要支持驻地部队建设，巩固军政军民团结。",
        "各位代表！",
        "让我们团结一心，为建设美好家园而努力奋斗！",
    ]
    head = ["各位代表：", "现在，我代表市政府作工作报告。", "一、去年工作回顾", "去年全市经济运行平稳。"]
    points = [
        "二、今年主要任务",
        "第一，加快转变职能。建设服务型政府。",
        "第二，加强廉政建设。严肃查处违纪案件。",
    ]
    parsed = parse(doc(*head, *points, *tail))
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == tail[-2:]
    # 同志们！… closing blocks of a congress report, none of them a rally: all of them close
    congress = [
        "同志们！伟大的事业必须有坚强的党来领导。",
        "青年兴则国家兴。",
        "同志们！中华民族是伟大民族。",
    ]
    parsed = parse(doc(*head, *points, *congress))
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == congress


def test_parse_a_labelled_note_block_after_the_closing_is_footnotes() -> None:
    parsed = parse(
        doc(
            "各位代表：",
            "我代表市政府作报告。",
            "一、去年的工作",
            "去年新建磷＠①肥厂两座。",
            "二、今年的任务",
            "今年要办好几件实事。",
            "各位代表！让我们共同努力，为完成今年的任务而奋斗！",
            "字库未存字注释：",
            "＠①原字石右加安",
        )
    )
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == [
        "各位代表！让我们共同努力，为完成今年的任务而奋斗！"
    ]
    assert [f.text for f in parsed.footnotes] == ["字库未存字注释：", "＠①原字石右加安"]


def test_parse_a_closing_address_may_name_its_addressees_more_closely() -> None:
    """青年朋友们，… / 少先队员们，…: a plural addressee with words before it is still an address."""
    closing = [
        "青年朋友们，人的一生只有一次青春。青春是用来奋斗的，我们要珍惜青春、不负韶华。",
        "青年朋友们，我坚信，我们必将成功！",
    ]
    parsed = parse(
        doc(
            "在某某座谈会上的讲话",
            "青年朋友们：",
            "今天是节日。",
            "第一，广大青年要学习。" + P1,
            "第二，广大青年要奋斗。" + P2,
            *closing,
        )
    )
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == closing
