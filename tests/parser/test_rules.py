"""One fixture per row of the marker table, plus the false-structure cases that must stay prose.

Adding a numbering style = adding a row to app/parser/rules.py and a fixture to POSITIVE.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.parser import Section, parse
from app.parser.rules import RULES, match_marker

BODY = "这项工作关系全局，必须抓紧抓实。各地要结合实际，制定具体措施，确保取得实效。"
BODY2 = "我们要坚持问题导向，补短板、强弱项，推动各项任务落地见效。"


def doc(*lines: str) -> str:
    return "\n".join(lines)


# style -> (text, [(marker, title)] of the sections at the level the style lands on)
POSITIVE: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "cn_dun": (
        doc("一、加强基础建设", BODY, "二、推进改革开放", BODY2),
        [("一、", "加强基础建设"), ("二、", "推进改革开放")],
    ),
    "paren_cn": (
        doc("（一）加强基础建设", BODY, "(二)推进改革开放", BODY2),
        [("（一）", "加强基础建设"), ("(二)", "推进改革开放")],
    ),
    "paren_num": (
        doc("（1）加强基础建设", BODY, "（２）推进改革开放", BODY2),
        [("（1）", "加强基础建设"), ("（２）", "推进改革开放")],
    ),
    "paren_glyph": (
        doc("⑴加强基础建设", BODY, "⑵推进改革开放", BODY2),
        [("⑴", "加强基础建设"), ("⑵", "推进改革开放")],
    ),
    "roman": (
        doc("Ⅰ、加强基础建设", BODY, "Ⅱ、推进改革开放", BODY2),
        [("Ⅰ、", "加强基础建设"), ("Ⅱ、", "推进改革开放")],
    ),
    "circled": (
        doc("①加强基础建设", BODY, "②推进改革开放", BODY2),
        [("①", "加强基础建设"), ("②", "推进改革开放")],
    ),
    "fin_dun": (
        doc("壹、加強基礎建設", BODY, "貳、推進改革開放", BODY2),
        [("壹、", "加強基礎建設"), ("貳、", "推進改革開放")],
    ),
    "ordinal": (
        doc("第一：社會和解", BODY, "第二、朝野合作", BODY2, "第三点 两岸和平", BODY),
        [("第一：", "社會和解"), ("第二、", "朝野合作"), ("第三点", "两岸和平")],
    ),
    "cn_space": (
        doc("一 加强基础建设", BODY, "二\u3000推进改革开放", BODY2),
        [("一", "加强基础建设"), ("二", "推进改革开放")],
    ),
    "cn_bare": (
        doc("一", "加强基础建设", BODY, "二", "推进改革开放", BODY2),
        [("一", "加强基础建设"), ("二", "推进改革开放")],
    ),
    "arabic": (
        doc("1.加强基础建设", BODY, "２．推进改革开放", BODY2, "3、深化作风建设", BODY),
        [("1.", "加强基础建设"), ("２．", "推进改革开放"), ("3、", "深化作风建设")],
    ),
    "ordinal_comma": (
        doc(
            "一、总体部署",
            BODY,
            "第一，向深化改革要动力。" + BODY,
            "第二，保持经济运行处在合理区间。" + BODY2,
        ),
        [("第一，", "向深化改革要动力"), ("第二，", "保持经济运行处在合理区间")],
    ),
    "shi": (
        doc("一、工作回顾", BODY, "一是加大宣传，营造氛围。" + BODY, "二是深入学习，学以致用。" + BODY2),
        [("一是", "加大宣传，营造氛围"), ("二是", "深入学习，学以致用")],
    ),
    "yao": (
        doc("一、工作要求", BODY, "一要全力维权解难。" + BODY, "二要全员提升素质。" + BODY2),
        [("一要", "全力维权解难"), ("二要", "全员提升素质")],
    ),
    "seq": (
        doc(
            "一、工作要求",
            BODY,
            "首先，要统一思想。" + BODY,
            "其次，要压实责任。" + BODY2,
            "最后，要加强督查。" + BODY,
        ),
        [("首先，", "要统一思想"), ("其次，", "要压实责任"), ("最后，", "要加强督查")],
    ),
    "jie": (
        doc("第一节　基础建设", BODY, "第二节 改革开放", BODY2),
        [("第一节", "基础建设"), ("第二节", "改革开放")],
    ),
    "tiao": (
        doc(
            "第一条　为了规范管理，制定本办法。",
            "第2条 本办法适用于本市的管理活动。",
            "第三條本办法自公布之日起施行。",
        ),
        [
            ("第一条", "为了规范管理，制定本办法"),
            ("第2条", "本办法适用于本市的管理活动"),
            ("第三條", "本办法自公布之日起施行"),
        ],
    ),
    "ordinal_noun": (
        doc(
            "一、当前的难题",
            "今年我们要面对以下三个难题。",
            "第一个难题，就是物价上涨太快。" + BODY,
            "第二个难题，就是青年就业困难。" + BODY2,
            "第三个难题，就是人口老化加速。" + BODY,
        ),
        [
            ("第一个难题，就是", "物价上涨太快"),
            ("第二个难题，就是", "青年就业困难"),
            ("第三个难题，就是", "人口老化加速"),
        ],
    ),
}


def test_every_rule_has_a_fixture() -> None:
    assert {r.name for r in RULES} == set(POSITIVE)


def _level_with(parsed_sections: Sequence[Section], style: str) -> list[tuple[str | None, str | None]]:
    """(marker, title) of the sections of ``style`` at the shallowest level where it occurs."""
    found = [s for s in parsed_sections if s.style == style]
    if found:
        return [(s.marker, s.title) for s in found]
    children = tuple(c for s in parsed_sections for c in s.children)
    return _level_with(children, style) if children else []


@pytest.mark.parametrize("style", sorted(POSITIVE))
def test_parse_rule_recognises_its_style(style: str) -> None:
    text, expected = POSITIVE[style]
    parsed = parse(text)
    assert _level_with(parsed.sections, style) == expected
    assert all(s.style == style for s in parsed.sections) or parsed.sections[0].style == "cn_dun"


@pytest.mark.parametrize(
    ("line", "style", "ordinal"),
    [
        ("十二、深化改革", "cn_dun", 12),
        ("（十四）坚持全面从严治党", "paren_cn", 14),
        ("(3)完善制度", "paren_num", 3),
        ("（１０）继续发展", "paren_num", 10),
        ("⑦加强领导", "circled", 7),
        ("柒、結語", "fin_dun", 7),
        ("第五、外交与全球议题", "ordinal", 5),
        ("第二部分 总体要求", "ordinal", 2),
        ("第三，着力提质增效", "ordinal_comma", 3),
        ("十是加强作风建设", "shi", 10),
        ("三要全面加强领导", "yao", 3),
        ("其次是压实责任", "seq", 2),
        ("10.发放补贴", "arabic", 10),
        ("第二個挑戰，就是區域自由貿易區塊加速形成", "ordinal_noun", 2),
        ("第三个方面是要加强领导", "ordinal_noun", 3),
        ("第十个问题：如何稳就业", "ordinal_noun", 10),
        ("第二节　安全管理", "jie", 2),
        ("第三百二十一条　本条例自公布之日起施行。", "tiao", 321),
        ("第一百零五条　违反本办法的，依法处理。", "tiao", 105),
        ("第十二條 本辦法由市政府負責解釋。", "tiao", 12),
        ("第1条　为了规范管理，制定本办法。", "tiao", 1),
        ("第４０条本办法自公布之日起施行。", "tiao", 40),
    ],
)
def test_match_marker_reads_value(line: str, style: str, ordinal: int) -> None:
    marker = match_marker(line)
    assert marker is not None
    assert (marker.style, marker.ordinal) == (style, ordinal)


@pytest.mark.parametrize(
    "line",
    [
        "一方面要扩大内需，另一方面要稳定外需。",
        "第一次全国代表大会在上海召开。",
        "2024年1月，我们召开了全市大会。",
        "1.5倍的增长速度令人瞩目。",
        "一是一，二是二，实事求是。",
        "一、二线城市房价保持稳定。",
        "三、四月间，全市降雨偏多。",
        "一、二季度经济运行平稳。",
        "一要求各地抓好落实。",
        "最后说到文教战线上的情况.",
        "——这五年综合经济实力大幅提升。",
        "从1到N的迭代创新同样重要。",
        "第一个百年奋斗目标，我们已经实现了。",  # the noun is longer than a counted category
        "第一个五年计划，奠定了工业化的基础。",  # a numeral inside the noun: a proper name
        "第一个百年目标，我们已经实现了。",
        "第一个问题是否解决，关系全局。",  # 是否 is a word, not the copula
        "第一个走进课堂的人是他。",  # no pause or copula after a short noun
        "第一款规定的情形除外。",  # 款 and 项 divide an article: never markers
        "第三项所列的事项，由市政府决定。",
        "第一条，我们要把握好方向。",  # 条 followed by a pause: a measure word in prose
    ],
)
def test_match_marker_rejects_prose(line: str) -> None:
    assert match_marker(line) is None


NEGATIVE = {
    "inline run mid-paragraph": doc(
        "各位代表：",
        "我们要做到三点：一是稳增长，二是促改革，三是惠民生。" + BODY,
        BODY2,
    ),
    "lone enumerator": doc("同志们：", "一是加大宣传。" + BODY, BODY2),
    "dash list": doc("同志们：", "——这五年经济实力大幅提升。" + BODY, "——这五年民生福祉不断增进。" + BODY2),
    "repeated salutations": doc("各位代表：", BODY, "各位代表！", BODY2, "各位代表！", BODY),
    "quoted numbered lines": doc("同志们：", "“一、坚持党的领导”", BODY, "“二、坚持人民至上”", BODY2),
    "dates and counts": doc("2024年1月，全市召开大会。" + BODY, "第一次会议于3月召开。" + BODY2),
    "idiom": doc("同志们：", "一是一，二是二，这是我们的作风。" + BODY, BODY2),
    "quotation over several lines": doc(
        "同志们：", "文件指出：", "“一、坚持党的领导；", "二、坚持人民至上。”", BODY
    ),
    "month range": doc("同志们：", "三、四月间，全市降雨偏多。" + BODY, BODY2),
    "measure word 条": doc("同志们：", "第一条生产线去年建成投产。" + BODY, BODY2),
    "measure word 条 not in sequence": doc(
        "同志们：", "第一条生产线去年建成投产。" + BODY, "第三条生产线今年开工。" + BODY2
    ),
    "article cited in prose": doc(
        "同志们：", "依照本办法第六条第二款的规定，第三项所列事项由市政府决定。" + BODY, BODY2
    ),
    "one-sided": doc("同志们：", "一方面要扩大内需。" + BODY, "另一方面要稳定外需。" + BODY2),
}


@pytest.mark.parametrize("name", sorted(NEGATIVE))
def test_parse_false_structure_stays_prose(name: str) -> None:
    parsed = parse(NEGATIVE[name])
    assert parsed.sections == ()
    assert parsed.preamble is not None


def test_parse_enumerators_beside_explicit_headings_are_not_points() -> None:
    parsed = parse(
        doc(
            "一、重点任务",
            "一是稳增长。" + BODY,
            "二是促改革。" + BODY2,
            "（一）扩大内需。" + BODY,
            "（二）稳定外需。" + BODY2,
        )
    )
    assert [c.marker for c in parsed.sections[0].children] == ["（一）", "（二）"]


def test_parse_announced_inline_run_is_the_division() -> None:
    parsed = parse(
        doc(
            "一、工作回顾",
            BODY,
            "二、总体部署",
            "做好今年工作，要把握好以下几点。一是贯彻稳中求进。" + BODY + "二是坚持深化改革。" + BODY2,
        )
    )
    part = parsed.sections[1]
    assert part.paragraphs[0].text == "做好今年工作，要把握好以下几点。"
    assert [(c.marker, c.title) for c in part.children] == [
        ("一是", "贯彻稳中求进"),
        ("二是", "坚持深化改革"),
    ]


@pytest.mark.parametrize(
    ("line", "ordinal"),
    [
        ("一、一季度经济运行情况", 1),  # a heading that starts with a numeral word
        ("三、十日内完成整改", 3),
        ("二、一季度以来的主要工作", 2),
        ("四、三产融合发展", 4),
        ("五、二〇二五年工作安排", 5),
    ],
)
def test_match_marker_cn_dun_heading_may_start_with_another_numeral(line: str, ordinal: int) -> None:
    marker = match_marker(line)
    assert marker is not None
    assert (marker.style, marker.ordinal, marker.text) == ("cn_dun", ordinal, line[: line.index("、") + 1])


@pytest.mark.parametrize(
    "line",
    [
        "一、二、三等奖各十名。",
        "一、二月份工业增速回升。",
        "九、十月份雨水偏多。",
        "十、十一月间完成验收。",
        "二、三产业协调发展。",
    ],
)
def test_match_marker_cn_dun_rejects_a_run_of_consecutive_numerals(line: str) -> None:
    assert match_marker(line) is None


def test_parse_parts_whose_headings_start_with_a_numeral() -> None:
    parsed = parse(doc("一、一季度经济运行情况", BODY, "二、十日内完成整改", BODY2, "三、下一步打算", BODY))
    assert [(s.marker, s.title) for s in parsed.sections] == [
        ("一、", "一季度经济运行情况"),
        ("二、", "十日内完成整改"),
        ("三、", "下一步打算"),
    ]
