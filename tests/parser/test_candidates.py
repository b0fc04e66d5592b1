"""Which lines can be headings: quotations spanning lines, and where a run-in title ends."""

from __future__ import annotations

from app.parser import parse
from tests.parser.support import assert_invariants

P1 = "这项工作关系全局，必须抓紧抓实。各地要结合实际，制定具体措施，确保取得实效。"
P2 = "我们要坚持问题导向，补短板、强弱项，推动各项任务落地见效。"


def doc(*lines: str) -> str:
    return "\n".join(lines)


def titles(text: str) -> list[tuple[str | None, str | None]]:
    parsed = parse(text)
    assert_invariants(parsed)
    return [(s.marker, s.title) for s in parsed.sections]


PARTS = [("一、", "坚持理论武装"), ("二、", "加强组织建设"), ("三、", "改进工作作风")]


def test_multi_paragraph_quotation_does_not_hide_later_parts() -> None:
    # Each quoted paragraph opens with “ and only the last one closes it.
    text = doc(
        "同志们：", P1,
        "一、坚持理论武装", P1,
        "毛泽东同志说过：",
        "“第一段引文，" + P1,
        "“第二段引文，" + P2,
        "“第三段引文到此结束。" + P1 + "”",
        "二、加强组织建设", P2,
        "三、改进工作作风", P1,
    )  # fmt: skip
    assert titles(text) == PARTS


def test_numbered_lines_inside_a_multi_paragraph_quotation_stay_prose() -> None:
    text = doc(
        "同志们：", P1,
        "一、坚持理论武装", P1,
        "文件指出：",
        "“一、坚持党的领导；",
        "“二、坚持人民至上；",
        "“三、坚持自我革命。”",
        "二、加强组织建设", P2,
        "三、改进工作作风", P1,
    )  # fmt: skip
    assert titles(text) == PARTS


def test_stray_unclosed_quote_does_not_hide_the_next_part() -> None:
    text = doc(
        "同志们：", P1,
        "一、坚持理论武装",
        "他说“这个问题" + P1, P2,
        "二、加强组织建设", P2,
        "三、改进工作作风", P1,
    )  # fmt: skip
    assert titles(text) == PARTS


def test_ascii_quotation_over_several_lines_is_closed_by_an_ascii_quote() -> None:
    text = doc(
        "同志们：", P1,
        "一、坚持理论武装", P1,
        "文件指出：",
        '"一、坚持党的领导；',
        '二、坚持人民至上。"',
        "二、加强组织建设", P2,
        "三、改进工作作风", P1,
    )  # fmt: skip
    assert titles(text) == PARTS


def test_stray_ascii_quote_does_not_hide_the_next_part() -> None:
    text = doc(
        "同志们：", P1,
        "一、坚持理论武装",
        '屏幕尺寸为55" ' + P1, P2,
        "二、加强组织建设", P2,
        "三、改进工作作风", P1,
    )  # fmt: skip
    assert titles(text) == PARTS


def test_colon_in_a_time_of_day_does_not_end_a_run_in_title() -> None:
    text = doc(
        "同志们：", P1,
        "一、会议于上午9:00在北京召开，" + P1, P2,
        "二、分组讨论时间为9：30至11：00，" + P2, P1,
    )  # fmt: skip
    got = titles(text)
    assert [m for m, _ in got] == ["一、", "二、"]
    assert got[0][1] is not None and got[0][1].startswith("会议于上午9:00在北京召开")
    assert got[1][1] is not None and got[1][1].startswith("分组讨论时间为9：30至11：00")


def test_colon_after_a_reporting_verb_does_not_end_a_run_in_title() -> None:
    text = doc(
        "同志们：", P1,
        "一、总书记强调：要坚持以人民为中心的发展思想。" + P1, P2,
        "二、会议指出：必须把握新发展阶段，贯彻新发展理念。" + P2, P1,
    )  # fmt: skip
    got = titles(text)
    assert got == [
        ("一、", "总书记强调：要坚持以人民为中心的发展思想"),
        ("二、", "会议指出：必须把握新发展阶段，贯彻新发展理念"),
    ]


def test_colon_closed_run_in_title_still_cuts() -> None:
    got = titles(doc("同志们：", P1, "一、改革金融体制：" + P1 + P2, "二、追求政党和解：" + P2 + P1))
    assert got == [("一、", "改革金融体制"), ("二、", "追求政党和解")]


def test_reported_requirement_does_not_end_a_title_but_a_noun_requirement_does() -> None:
    text = doc(
        "同志们：", P1,
        "一、总体要求：" + P1 + P2,
        "二、会议要求：各地要压实责任，确保各项任务落地。" + P2,
        "三、马克思主义学说：" + P2 + P1,
    )  # fmt: skip
    assert titles(text) == [
        ("一、", "总体要求"),
        ("二、", "会议要求：各地要压实责任，确保各项任务落地"),
        ("三、", "马克思主义学说"),
    ]
