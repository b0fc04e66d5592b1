"""Title, subtitle, speaker, date and occasion from the text itself; None when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.parser import Metadata, parse

BODY = "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。"


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("在全市工作会议\n暨表彰大会上的讲话", Metadata("在全市工作会议暨表彰大会上的讲话", None, None, None, "全市工作会议暨表彰大会")),
        (
            "政府工作报告\n——2024年1月15日在市第十届人民代表大会第三次会议上\n市长 王某",
            Metadata("政府工作报告", "——2024年1月15日在市第十届人民代表大会第三次会议上", "市长 王某", "2024-01-15",
                     "市第十届人民代表大会第三次会议"),
        ),
        (
            "新华社北京2月4日电\n关于推进乡村振兴的意见\n（2018年1月2日）",
            Metadata("关于推进乡村振兴的意见", None, None, "2018-01-02", None),
        ),
        (
            "政府工作报告——二〇二四年三月五日在全国人民代表大会上国务院总理 李某",
            Metadata("政府工作报告", "——二〇二四年三月五日在全国人民代表大会上国务院总理 李某", "国务院总理 李某",
                     "2024-03-05", "全国人民代表大会"),
        ),
        ("", Metadata(None, None, None, None, None)),
    ],
)  # fmt: skip
def test_parse_metadata_from_front_matter(front: str, expected: Metadata) -> None:
    parsed = parse(f"{front}\n{BODY}" if front else BODY)
    assert parsed.metadata == expected
    assert len(parsed.front_matter) == len(front.splitlines())


def test_parse_web_chrome_is_front_matter_not_title() -> None:
    parsed = parse("打印\n全屏\n【字号：\n加大\n】\n年度工作报告\n来源：日报\n" + BODY)
    assert parsed.metadata.title == "年度工作报告"
    assert parsed.sections == ()


def test_parse_markdown_h1_is_the_title() -> None:
    assert parse("# 在表彰大会上的讲话\n\n" + BODY).metadata.title == "在表彰大会上的讲话"


def test_parse_page_header_before_a_dateline_is_not_the_title() -> None:
    front = "\n".join(
        [
            "市长同师生代表座谈时的讲话 (全文)",
            "发表时间：2020-09-10　来源：本市日报",
            "新华社北京9月9日电",
            "做人民满意的好老师",
            "——同师范大学师生代表座谈时的讲话",
            "(2020年9月9日)",
            "王某",
        ]
    )
    meta = parse(f"{front}\n{BODY}").metadata
    assert meta == Metadata(
        "做人民满意的好老师",
        "——同师范大学师生代表座谈时的讲话",
        "王某",
        "2020-09-09",
        "同师范大学师生代表座谈",
    )


def test_parse_title_followed_only_by_a_source_line_is_kept() -> None:
    assert parse("年度工作报告\n来源：日报\n" + BODY).metadata.title == "年度工作报告"


def test_parse_occasion_of_a_speech_given_at_a_meeting_with_someone() -> None:
    meta = parse("在会见全市优秀教师时的讲话\n" + BODY).metadata
    assert meta.occasion == "会见全市优秀教师"


def test_parse_dateline_with_the_title_run_into_it() -> None:
    front = "\n".join(
        [
            "王某：关于年度计划的说明",
            "2020年11月15日19:16    来源：本市新闻网",
            "视频：王某关于年度计划的说明",
            "新华网北京11月15日电 关于年度计划的说明",
            "王某",
        ]
    )
    parsed = parse(f"{front}\n{BODY}")
    assert (parsed.metadata.title, parsed.metadata.speaker) == ("关于年度计划的说明", "王某")
    assert len(parsed.front_matter) == 5


def test_parse_dateline_glued_to_the_title() -> None:
    # A text that lost the break after its dateline: 新华社北京5月1日电决胜…
    meta = parse("新华社北京5月1日电凝心聚力奋勇争先\n——在全市大会上的讲话\n" + BODY).metadata
    assert (meta.title, meta.occasion) == ("凝心聚力奋勇争先", "全市大会")


def test_parse_speaker_name_before_the_title() -> None:
    meta = parse("王某：在全市工作会议上的讲话\n（2020年1月12日）\n" + BODY).metadata
    assert (meta.title, meta.speaker, meta.date) == ("在全市工作会议上的讲话", "王某", "2020-01-12")


def test_parse_news_label_before_the_title_is_not_a_speaker() -> None:
    meta = parse("视频：在全市工作会议上的讲话\n" + BODY).metadata
    assert meta.speaker is None


@pytest.mark.parametrize(
    ("front", "title", "speaker", "date"),
    [
        ("张三同志在全市经济工作会议上的讲话", "张三同志在全市经济工作会议上的讲话", "张三", None),
        (
            "市长张三在全市大会上的讲话（2024年5月1日）",
            "市长张三在全市大会上的讲话",
            "市长张三",
            "2024-05-01",
        ),
        ("在全市大会上的讲话", "在全市大会上的讲话", None, None),
    ],
)
def test_parse_speaker_and_date_inside_the_title(
    front: str, title: str, speaker: str | None, date: str | None
) -> None:
    meta = parse(f"{front}\n{BODY}").metadata
    assert (meta.title, meta.speaker, meta.date) == (title, speaker, date)


def test_parse_page_label_before_the_title_is_chrome() -> None:
    parsed = parse("今日要闻：\n【头条】本市新闻一则\n在全市工作会议上的讲话\n" + BODY)
    assert parsed.metadata.title == "在全市工作会议上的讲话"
    assert parsed.preamble is not None and parsed.preamble.paragraphs[0].text == "各位代表："


@pytest.mark.parametrize("first", ["各位代表：", "同学们：", "各区县人民政府：", "现通知如下："])
def test_parse_short_addressee_or_lead_in_starts_the_body(first: str) -> None:
    parsed = parse(f"{first}\n现在，我代表市人民政府向大会报告工作，请予审议。")
    assert parsed.front_matter == ()


_SPEECH = "现在，我代表市人民政府向大会报告工作，请予审议。\n一、过去一年的工作\n我们做了很多工作。"


@pytest.mark.parametrize(
    "salutation",
    [
        "乡亲们：",
        "同胞们：",
        "代表们：",
        "各位代表：",
        "女士们、先生们：",
        "同志们：",
        "亲爱的同学们：",
        "朋友们：",
        "青年朋友们：",
        "来宾们、朋友们：",
        "老師們、同學們：",
    ],
)
def test_parse_salutation_under_the_title_opens_the_preamble(salutation: str) -> None:
    parsed = parse(f"在全市大会上的讲话\n（2024年5月1日）\n{salutation}\n{_SPEECH}")
    assert [h.text for h in parsed.front_matter] == ["在全市大会上的讲话", "（2024年5月1日）"]
    assert parsed.preamble is not None and parsed.preamble.paragraphs[0].text == salutation
    assert (parsed.metadata.title, parsed.metadata.date) == ("在全市大会上的讲话", "2024-05-01")


@pytest.mark.parametrize(
    "front",
    [
        "凝心聚力开新局\n原标题：在全市大会上的讲话",
        "凝心聚力开新局\n（2024年5月1日）\n原标题：在全市大会上的讲话",
        "原标题：在全市大会上的讲话\n凝心聚力开新局",
        "凝心聚力开新局\n原标题：在全市大会上的讲话\n来源：本市新闻网",
    ],
)
def test_parse_original_title_line_is_front_matter_not_title_or_speaker(front: str) -> None:
    parsed = parse(f"{front}\n{BODY}")
    assert (parsed.metadata.title, parsed.metadata.speaker) == ("凝心聚力开新局", None)
    assert len(parsed.front_matter) == len(front.splitlines())


def test_parse_original_title_alone_still_names_the_speech() -> None:
    meta = parse("原标题：在全市大会上的讲话\n" + BODY).metadata
    assert (meta.title, meta.speaker) == ("在全市大会上的讲话", None)


@pytest.mark.parametrize("separator", ["讲话全文：", "全文如下：", "以下为讲话全文：", "讲话全文如下："])
def test_parse_full_text_separator_is_front_matter_not_speaker(separator: str) -> None:
    parsed = parse(f"凝心聚力开新局\n（2024年5月1日）\n{separator}\n{BODY}")
    assert parsed.metadata == Metadata("凝心聚力开新局", None, None, "2024-05-01", None)
    assert parsed.front_matter[-1].text == separator
    assert parsed.preamble is not None and parsed.preamble.paragraphs[0].text == "各位代表："


def test_parse_full_text_label_before_the_title_is_not_a_speaker() -> None:
    meta = parse("讲话全文：在全市大会上的讲话\n" + BODY).metadata
    assert meta.speaker is None


@pytest.mark.parametrize(
    "after",
    [
        "来源：新华社\n责任编辑：李四",
        "来源：新华社\n本文作者：李四",
        "来源：新华社\n记者 王五 刘六",
        "责任编辑：李四\n张三 2024-05-01",
        "2024年05月01日 来源：新华社\n责任编辑：李四\n（2024年5月1日）",
    ],
)
def test_parse_title_at_the_top_survives_a_source_block(after: str) -> None:
    parsed = parse(f"在全市大会上的讲话\n{after}\n{BODY}")
    assert parsed.metadata.title == "在全市大会上的讲话"
    assert len(parsed.front_matter) == 1 + len(after.splitlines())


@pytest.mark.parametrize(
    "real",
    [
        "凝心聚力开新局\n——在全市大会上的讲话",
        "凝心聚力开新局——在全市大会上的讲话",
        "凝心聚力开新局\n（2024年5月1日）",
    ],
)
def test_parse_page_header_before_a_source_line_gives_way_to_a_titled_speech(real: str) -> None:
    meta = parse(f"张三在全市大会上的讲话（全文）\n来源：新华社\n{real}\n{BODY}").metadata
    assert meta.title == "凝心聚力开新局"


@pytest.mark.parametrize("credit", ["本文作者：李四", "记者 王五 刘六", "通讯员 赵七"])
def test_parse_credit_line_under_the_title_is_not_the_speaker(credit: str) -> None:
    meta = parse(f"在全市大会上的讲话\n来源：新华社\n{credit}\n{BODY}").metadata
    assert (meta.title, meta.speaker) == ("在全市大会上的讲话", None)


def test_parse_byline_under_the_title_is_still_the_speaker() -> None:
    meta = parse(f"在全市大会上的讲话\n来源：新华社\n市长 王某\n{BODY}").metadata
    assert (meta.title, meta.speaker) == ("在全市大会上的讲话", "市长 王某")


def test_parse_title_that_starts_with_a_credit_word_is_still_the_title() -> None:
    assert parse(f"记者节座谈会上的讲话\n{BODY}").metadata.title == "记者节座谈会上的讲话"


def test_parse_label_line_under_a_dated_title_is_not_the_speaker() -> None:
    meta = parse(f"在全市大会上的讲话\n（2024年5月1日）\n主办单位：市政府\n{BODY}").metadata
    assert (meta.title, meta.speaker) == ("在全市大会上的讲话", None)


@pytest.mark.parametrize(
    ("front", "title", "date", "first"),
    [
        (
            ["在全市大会上的讲话", "原标题：凝心聚力开新局", "乡亲们："],
            "在全市大会上的讲话",
            None,
            "乡亲们：",
        ),
        (
            [
                "在全市大会上的讲话",
                "（2024年5月1日）",
                "来源：新华社",
                "责任编辑：李某",
                "讲话全文：",
                "同志们：",
            ],
            "在全市大会上的讲话",
            "2024-05-01",
            "同志们：",
        ),
    ],
)
def test_readme_metadata_rows(front: list[str], title: str, date: str | None, first: str) -> None:
    """The README's metadata examples, as written there."""
    parsed = parse("\n".join([*front, "这项工作关系全局，必须抓紧抓实。"]))
    meta = parsed.metadata
    assert (meta.title, meta.subtitle, meta.speaker, meta.date, meta.occasion) == (
        title,
        None,
        None,
        date,
        "全市大会",
    )
    assert parsed.preamble is not None and parsed.preamble.paragraphs[0].text == first


_REPORT = "\n".join(
    [
        "各位代表：",
        "现在，我代表市人民政府，向大会报告工作，请予审议。",
        "一、去年工作回顾",
        "全年生产总值增长百分之五。",
        "二、今年工作安排",
        "推动消费回升，壮大先进制造业。",
        "各位代表！让我们团结奋斗，再创佳绩！",
    ]
)


@pytest.mark.parametrize(
    "trail",
    [
        ["您的位置:", "首页", ">", "本地要闻", "本地要闻"],
        ["当前位置：", "首页", ">", "新闻动态", ">", "本地要闻"],
        ["首页", ">", "政务公开", ">", "政府工作报告"],
        ["您的位置：首页 > 本地要闻 > 正文"],
    ],
)
def test_parse_breadcrumb_trail_is_chrome_not_title_or_speaker(trail: list[str]) -> None:
    front = [
        *trail,
        "2026年政府工作报告",
        "来源：某某日报",
        "2026-02-03 09:02:33",
        "——2026年1月20日在某某市第九届人民代表大会第四次会议上",
        "市长\u3000张三",
    ]
    parsed = parse("\n".join([*front, _REPORT]))
    meta = parsed.metadata
    assert (meta.title, meta.speaker, meta.date) == ("2026年政府工作报告", "市长\u3000张三", "2026-01-20")
    assert meta.occasion == "某某市第九届人民代表大会第四次会议"
    assert [h.text for h in parsed.front_matter] == [x for x in front if x != ">"]  # (> is dropped)
    assert [s.title for s in parsed.sections] == ["去年工作回顾", "今年工作安排"]


@pytest.mark.parametrize("label", ["本地要闻", "新闻动态", "政务信息", "政府信息公开", "返回列表"])
def test_parse_menu_item_under_a_dated_title_is_not_the_speaker(label: str) -> None:
    meta = parse(f"在全市大会上的讲话\n（2024年5月1日）\n{label}\n{BODY}").metadata
    assert (meta.title, meta.speaker) == ("在全市大会上的讲话", None)


@pytest.mark.parametrize("byline", ["市长 王某", "王某某", "市长王某", "自治区人民政府主席 张某"])
def test_parse_byline_under_a_dated_title_is_the_speaker(byline: str) -> None:
    meta = parse(f"在全市大会上的讲话\n（2024年5月1日）\n{byline}\n{BODY}").metadata
    assert (meta.title, meta.speaker) == ("在全市大会上的讲话", byline)


def test_parse_occasion_line_without_a_dash_that_ends_with_the_speaker() -> None:
    front = [
        "某某市2026年政府工作报告",
        "2026年1月20日在某某市第九届人民代表大会第四次会议上 某某市市长 张三",
        "时间：",
        "2026-02-02 09:20",
    ]
    parsed = parse("\n".join([*front, _REPORT]))
    meta = parsed.metadata
    assert (meta.title, meta.speaker, meta.date) == (
        "某某市2026年政府工作报告",
        "某某市市长 张三",
        "2026-01-20",
    )
    assert (meta.subtitle, meta.occasion) == (front[1], "某某市第九届人民代表大会第四次会议")
    assert len(parsed.front_matter) == len(front)


def test_parse_occasion_line_in_brackets_under_the_title() -> None:
    front = ["政府工作报告", "（2026年1月20日在某某市第九届人民代表大会第四次会议上）", "市长 张三"]
    parsed = parse("\n".join([*front, _REPORT]))
    meta = parsed.metadata
    assert meta == Metadata(
        "政府工作报告", front[1], "市长 张三", "2026-01-20", "某某市第九届人民代表大会第四次会议"
    )
    assert len(parsed.front_matter) == len(front)


def test_parse_occasion_line_in_brackets_without_a_byline_names_no_speaker() -> None:
    meta = parse(f"政府工作报告\n（2026年1月20日在某某市第九届人民代表大会第四次会议上）\n{_REPORT}").metadata
    assert (meta.title, meta.speaker, meta.date) == ("政府工作报告", None, "2026-01-20")


def test_parse_page_label_with_its_value_on_the_next_line_is_chrome() -> None:
    front = [
        "当前位置：",
        "首页",
        ">",
        "新闻动态",
        ">",
        "本地要闻",
        "2030年某某市政府工作报告",
        "发表时间：",
        "2030-02-01 10:00:00",
        "来源：",
        "某某日报客户端",
        "政府工作报告",
        "——2030年1月20日在某某市第九届人民代表大会第三次会议上",
        "市长 王某某",
    ]
    parsed = parse("\n".join([*front, _REPORT]))
    meta = parsed.metadata
    # The document's own title under the page's (as with a page header before a source line).
    assert meta == Metadata(
        "政府工作报告", front[12], "市长 王某某", "2030-01-20", "某某市第九届人民代表大会第三次会议"
    )
    assert [h.text for h in parsed.front_matter] == [x for x in front if x != ">"]


@pytest.mark.parametrize("value", ["某某日报客户端", "市人民政府"])
def test_parse_source_value_on_its_own_line_is_not_part_of_the_title(value: str) -> None:
    meta = parse(f"年度工作报告\n来源：\n{value}\n{BODY}").metadata
    assert (meta.title, meta.speaker) == ("年度工作报告", None)


def test_readme_web_page_rows() -> None:
    """The README's breadcrumb and occasion-line examples, as written there."""
    body = "各位代表：\n这项工作关系全局，必须抓紧抓实。"
    page = "您的位置：\n首页\n>\n本地要闻\n政府工作报告\n来源：\n某某日报\n"
    page += "（2026年1月20日在某某市第九届人民代表大会第四次会议上）\n市长 张三\n"
    meta = parse(page + body).metadata
    assert (meta.title, meta.subtitle, meta.speaker, meta.date, meta.occasion) == (
        "政府工作报告",
        "（2026年1月20日在某某市第九届人民代表大会第四次会议上）",
        "市长 张三",
        "2026-01-20",
        "某某市第九届人民代表大会第四次会议",
    )
    line = "2026年1月20日在某某市第九届人民代表大会第四次会议上 某某市市长 张三"
    meta = parse(f"某某市2026年政府工作报告\n{line}\n{body}").metadata
    assert (meta.title, meta.subtitle, meta.speaker, meta.date) == (
        "某某市2026年政府工作报告",
        line,
        "某某市市长 张三",
        "2026-01-20",
    )


CMS_PAGE = (
    "乘风破浪，逐梦扬帆——在开学典礼上的讲话\n"
    "文章来源：本站原创 作者：李四 发布时间：2021年02月27日 点击数：\n"
    "次\n"
    "乘风破浪，逐梦扬帆\n"
    "——在开学典礼上的讲话\n"
    "李  四\n"
    "2021/02/27\n"
    "老师们、同学们：\n"
    "新学期开始了，我讲几句话。\n"
    "希望大家努力学习，锻炼身体。\n"
    "最后祝愿同学们学业有成。谢谢大家！\n"
    "【打印正文】\n"
    "上一篇：在毕业典礼上的讲话\n"
    "下一篇：群众教育观浅析\n"
)


def test_parse_cms_article_page_front_matter_and_footer() -> None:
    """A school site's article page: the page title, a property line of several labels and the
    article's own title, subtitle, spaced-out name and slash date; print and prev/next links."""
    parsed = parse(CMS_PAGE)
    meta = parsed.metadata
    assert (meta.title, meta.subtitle, meta.speaker, meta.date, meta.occasion) == (
        "乘风破浪，逐梦扬帆",
        "——在开学典礼上的讲话",
        "李四",
        "2021-02-27",
        "开学典礼",
    )
    assert len(parsed.front_matter) == 7
    assert parsed.preamble is not None
    assert parsed.preamble.paragraphs[0].text == "老师们、同学们："
    assert parsed.closing is not None
    assert [p.text for p in parsed.closing.paragraphs] == ["最后祝愿同学们学业有成。谢谢大家！"]
    assert [p.text for p in parsed.footnotes] == [
        "【打印正文】",
        "上一篇：在毕业典礼上的讲话",
        "下一篇：群众教育观浅析",
    ]


@pytest.mark.parametrize(
    "line",
    ["信息来源：教育局 浏览次数：12", "发布者：管理员 发布时间：2021-02-27", "发布人：张三 时间：7月8号"],
)
def test_parse_page_property_line_is_front_matter(line: str) -> None:
    parsed = parse(f"在开学典礼上的讲话\n{line}\n{BODY}")
    assert parsed.metadata.title == "在开学典礼上的讲话"
    assert parsed.metadata.speaker is None
    assert len(parsed.front_matter) == 2


@pytest.mark.parametrize("line", ["2021/02/27", "2021-02-27", "2021.02.27", "（2021/2/27）"])
def test_parse_numeric_date_line_is_the_date(line: str) -> None:
    meta = parse(f"在开学典礼上的讲话\n{line}\n{BODY}").metadata
    assert (meta.title, meta.date) == ("在开学典礼上的讲话", "2021-02-27")


def test_parse_repeated_title_is_not_the_speaker() -> None:
    """A page title (title——subtitle) repeated by the article as its own title and subtitle."""
    front = "砥砺前行——在开学典礼上的讲话\n作者：李四\n砥砺前行\n——在开学典礼上的讲话\n李  四\n"
    meta = parse(front + BODY).metadata
    assert (meta.title, meta.subtitle, meta.speaker) == ("砥砺前行", "——在开学典礼上的讲话", "李四")


ORDER_BODY = (
    "第一章　总　　则\n第一条　为了规范管理，制定本办法。\n第二章　附　　则\n第二条　本办法自公布之日起施行。"
)


@pytest.mark.parametrize(
    "cover",
    [
        "某某省人民政府令第12号\n现公布《某某办法》，自2020年1月1日起施行。省长　　张三 　　2019年12月1日\n",
        "某某省人民政府令\n（第12号）\n《某某办法》已经省政府常务会议通过，现予公布，自2020年1月1日起施行。\n"
        "省长　张三\n2019年12月1日\n",
    ],
)
def test_parse_order_promulgating_a_regulation(cover: str) -> None:
    """An order (令第N号) and its promulgation line are the cover of the document it promulgates:
    the title is that document's, the date the order's signing date; the signer is no speaker."""
    parsed = parse(cover + "某某办法\n" + ORDER_BODY)
    meta = parsed.metadata
    assert (meta.title, meta.speaker, meta.date) == ("某某办法", None, "2019-12-01")
    assert parsed.front_matter[-1].text == "某某办法"
    assert [s.marker for s in parsed.sections] == ["第一章", "第二章"]


def test_parse_order_header_without_promulgation_stays_the_title() -> None:
    meta = parse("某某省人民政府令第12号\n" + ORDER_BODY).metadata
    assert meta.title == "某某省人民政府令第12号"


def _readme_row(start: str) -> list[str]:
    """The front-matter lines of the README metadata row that starts with ``start``."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| `{start}"))
    return row.split(" | ")[0].removeprefix("| ").strip("`").split("` / `")


def test_readme_cms_page_and_order_rows() -> None:
    """The README's CMS article page and promulgating order examples, as written there."""
    meta = parse(
        "\n".join(_readme_row("砥砺前行")) + "\n老师们、同学们：\n新学期开始了，我讲几句话。"
    ).metadata
    assert (meta.title, meta.subtitle, meta.speaker, meta.date, meta.occasion) == (
        "砥砺前行",
        "——在开学典礼上的讲话",
        "李四",
        "2021-02-27",
        "开学典礼",
    )
    parsed = parse("\n".join(_readme_row("某某省人民政府令")) + "\n" + ORDER_BODY)
    meta = parsed.metadata
    assert (meta.title, meta.speaker, meta.date) == ("某某办法", None, "2019-12-01")
    assert [s.marker for s in parsed.sections] == ["第一章", "第二章"]


@pytest.mark.parametrize(
    ("subtitle", "speaker"),
    [
        ("——2026年2月3日在上海市第十六届人民代表大会第四次会议上", None),
        ("——2026年2月3日在上饶市人大会议上", None),
        ("——2026年2月3日在上海市人大会议上的报告", None),
        ("——2026年2月3日在上海市人大会议上 上海市市长 龚正", "上海市市长 龚正"),
        ("——在上海市第十六届人民代表大会第四次会议上上海市市长 龚正", "上海市市长 龚正"),
    ],
)
def test_parse_place_name_with_shang_is_no_speaker(subtitle: str, speaker: str | None) -> None:
    """A 上 in a place name (上海, 上饶) does not end the occasion: what follows it up to the
    closing 上 is the rest of the occasion, not a speaker's byline."""
    meta = parse(f"2026年某市政府工作报告\n{subtitle}\n{BODY}").metadata
    assert meta.speaker == speaker


@pytest.mark.parametrize(
    ("byline", "speaker"),
    [
        ("北京市市长 张 三", "北京市市长 张三"),
        ("自治区主席 韦 韬", "自治区主席 韦韬"),
        ("上海市市长　龚　正", "上海市市长　龚正"),
        ("某省人民政府省长  李  四", "某省人民政府省长  李四"),
    ],
)
def test_parse_byline_with_a_padded_two_character_name(byline: str, speaker: str) -> None:
    """A two-character name padded to the width of three (张 三) in a byline: the name is closed
    up, the space between the office and the name kept."""
    front = f"2026年某市政府工作报告\n——2026年2月3日在某市第十六届人民代表大会第四次会议上\n{byline}\n"
    parsed = parse(front + BODY)
    assert parsed.metadata.speaker == speaker
    assert len(parsed.front_matter) == 3


def test_parse_spaced_chapter_heading_is_no_byline() -> None:
    """第一章 总 则 ends in no office: no speaker."""
    meta = parse("某某办法\n第一章 总 则\n" + BODY).metadata
    assert meta.speaker is None


@pytest.mark.parametrize(
    "stamp", ["2026年02月10日 07时41分", "2026-02-10 07:41", "2026年02月10日 07:41:00", "2026/2/10 7:41"]
)
def test_parse_page_timestamp_is_not_part_of_the_title(stamp: str) -> None:
    """A page's publication time under the title is chrome, not the title's second line and not
    the speech's date (that comes from the meeting line)."""
    front = (
        f"2026年某省人民政府工作报告\n{stamp}\n来源:\n某某日报\n"
        "2026年2月3日在某省第十四届人民代表大会第五次会议上\n某省人民政府省长 张三\n"
    )
    parsed = parse(front + BODY)
    meta = parsed.metadata
    assert (meta.title, meta.speaker, meta.date) == (
        "2026年某省人民政府工作报告",
        "某省人民政府省长 张三",
        "2026-02-03",
    )
    assert meta.occasion == "某省第十四届人民代表大会第五次会议"
    assert len(parsed.front_matter) == 6


def test_parse_page_timestamp_alone_gives_no_date() -> None:
    meta = parse("在全市大会上的讲话\n2026-02-10 07:41\n" + BODY).metadata
    assert (meta.title, meta.date) == ("在全市大会上的讲话", None)


@pytest.mark.parametrize(
    "caption",
    [
        "李明作政府工作报告。",
        "李明同志作政府工作报告。",
        "李明在市第一届人民代表大会第一次会议上作政府工作报告。",
        "李明代表市人民政府作政府工作报告。",
        "李明讲话。",
        "李明在会议上讲话。",
    ],
)
def test_parse_photo_caption_without_credit_is_front_matter(caption: str) -> None:
    """The scene after the byline told in the third person (李明作政府工作报告。), a photo's
    caption without its photographer's credit, is front matter, not the first body paragraph."""
    front = f"2026年某市政府工作报告\n——2026年1月5日在某市第一届人民代表大会第一次会议上\n某市市长 李明\n{caption}\n"
    parsed = parse(front + "各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。")
    assert parsed.front_matter[-1].text == caption
    assert parsed.preamble is not None
    assert parsed.preamble.paragraphs[0].text == "各位代表："
    assert parsed.metadata.speaker == "某市市长 李明"


@pytest.mark.parametrize(
    "first", ["现在，我代表市人民政府，向大会报告工作。", "我们作报告。", "我代表市政府作报告。"]
)
def test_parse_report_sentence_in_the_first_person_stays_body(first: str) -> None:
    parsed = parse(f"2026年某市政府工作报告\n{first}\n一、去年工作回顾\n去年经济平稳运行。")
    assert [x.text for x in parsed.front_matter] == ["2026年某市政府工作报告"]


@pytest.mark.parametrize(
    ("first", "second", "subtitle"),
    [
        (
            "——2026年1月26日在某省第十四届",
            "人民代表大会第五次会议上",
            "——2026年1月26日在某省第十四届人民代表大会第五次会议上",
        ),
        (
            "——在某省第十四届",
            "人民代表大会第五次会议上的讲话",
            "——在某省第十四届人民代表大会第五次会议上的讲话",
        ),
        (
            "2026年1月26日在上海市第十六届",
            "人民代表大会第四次会议上",
            "2026年1月26日在上海市第十六届人民代表大会第四次会议上",
        ),
    ],
)
def test_parse_meeting_line_split_over_two_lines(first: str, second: str, subtitle: str) -> None:
    """A meeting line broken by typesetting (——…在某省第十四届 / 人民代表大会第五次会议上) is one
    subtitle: its second half completes the occasion and is not lost."""
    front = f"政府工作报告\n{first}\n{second}\n某省省长 张三\n"
    meta = parse(front + BODY).metadata
    assert meta.subtitle == subtitle
    assert meta.occasion == subtitle[subtitle.index("在") + 1 : subtitle.rindex("上")]
    assert meta.speaker == "某省省长 张三"
    assert meta.date == ("2026-01-26" if "日" in first else None)


def test_parse_closed_meeting_line_is_not_joined_to_the_next() -> None:
    front = "政府工作报告\n——2026年1月26日在某省人民代表大会上\n某某会议上\n"
    meta = parse(front + BODY).metadata
    assert meta.subtitle == "——2026年1月26日在某省人民代表大会上"


def test_readme_provincial_report_row() -> None:
    """The README's provincial report example (publication time, broken meeting line, padded
    name, caption without credit), as written there."""
    front = _readme_row("2026年某省人民政府工作报告")
    parsed = parse("\n".join(front) + "\n" + BODY)
    meta = parsed.metadata
    assert (meta.title, meta.subtitle, meta.speaker, meta.date, meta.occasion) == (
        "2026年某省人民政府工作报告",
        "——2026年1月26日在某省第十四届人民代表大会第五次会议上",
        "某省省长 张三",
        "2026-01-26",
        "某省第十四届人民代表大会第五次会议",
    )
    assert [x.text for x in parsed.front_matter] == front


@pytest.mark.parametrize(
    "dated",
    ["（2015年12月16日，乌镇）", "（2014年3月27日，巴黎）", "(2014年3月27日, 巴黎)", "2014年3月27日，巴黎"],
)
def test_parse_date_and_place_line_under_the_title(dated: str) -> None:
    """A date line with the place after it (（2015年12月16日，乌镇）) is the speech's date, not the
    title's second line."""
    text = f"在某某大会开幕式上的讲话\n\n{dated}\n\n中华人民共和国主席  习近平\n\n各位嘉宾，各位朋友：\n欢迎大家。\n"
    parsed = parse(text)
    meta = parsed.metadata
    assert meta.title == "在某某大会开幕式上的讲话"
    assert meta.date == _iso(dated)
    assert meta.speaker == "中华人民共和国主席  习近平"
    assert meta.occasion == "某某大会开幕式"
    assert parsed.preamble is not None
    assert parsed.preamble.paragraphs[0].text == "各位嘉宾，各位朋友："


def _iso(dated: str) -> str:
    return "2015-12-16" if "2015" in dated else "2014-03-27"


def test_parse_date_and_place_in_brackets_after_the_title() -> None:
    meta = parse("在某某大会开幕式上的讲话（2015年12月16日，乌镇）\n" + BODY).metadata
    assert (meta.title, meta.date) == ("在某某大会开幕式上的讲话", "2015-12-16")


def test_parse_first_body_line_with_a_date_and_a_place_stays_body() -> None:
    """A sentence that opens with a date is prose, never a date line."""
    parsed = parse("在全市大会上的讲话\n2024年5月1日，在全市大会召开之际，我讲几句话。\n")
    assert parsed.metadata.date is None
    assert parsed.preamble is not None


@pytest.mark.parametrize(
    "first",
    [
        "2013-04-28_在同劳动模范代表座谈时的讲话",
        "20130428_在同劳动模范代表座谈时的讲话",
        "2013-4-28 在同劳动模范代表座谈时的讲话",
    ],
)
def test_parse_file_name_style_title(first: str) -> None:
    """A title saved as a file name (2013-04-28_在…时的讲话): the date prefix is the date, not
    part of the title, and never a speaker."""
    meta = parse(f"{first}\n同志们：\n今天和大家座谈，很高兴。\n").metadata
    assert meta == Metadata("在同劳动模范代表座谈时的讲话", None, None, "2013-04-28", "同劳动模范代表座谈")


@pytest.mark.parametrize(
    "title", ["2013_04在全市大会上的讲话", "ABC在全市大会上的讲话", "2013-04在全市大会上的讲话"]
)
def test_parse_title_speaker_is_never_digits_or_latin(title: str) -> None:
    assert parse(f"{title}\n{BODY}").metadata.speaker is None


SPEECH = "在某某大会开幕式上的讲话\n（2015年12月16日，乌镇）\n中华人民共和国主席  习近平\n各位嘉宾，各位朋友：\n欢迎大家来到乌镇。\n"
LEAD = "12月16日，某某大会在乌镇开幕。国家主席习近平出席开幕式并发表主旨演讲。"


@pytest.mark.parametrize(
    "page",
    [
        f"习近平在某某大会开幕式上的讲话（全文）\n发表时间：2015-12-16　　　来源：新华社\n{LEAD}\n",
        f"习近平在某某大会开幕式上的讲话（全文）\n发表时间：2015-12-16　　　来源：新华社\n{LEAD}\n新华社乌镇12月16日电\n",
        f"习近平在某某大会开幕式上的讲话（全文）\n{LEAD}\n",
        f"{LEAD}\n",
    ],
)
def test_parse_news_lead_before_the_title_is_front_matter(page: str) -> None:
    """A reprint's news lead (12月16日，…习近平出席开幕式并发表主旨演讲。) between the page's
    headline and the speech's own title, date and byline is front matter, not preamble."""
    parsed = parse(page + SPEECH)
    meta = parsed.metadata
    assert (meta.title, meta.date, meta.speaker) == (
        "在某某大会开幕式上的讲话",
        "2015-12-16",
        "中华人民共和国主席  习近平",
    )
    assert parsed.preamble is not None
    assert parsed.preamble.paragraphs[0].text == "各位嘉宾，各位朋友："


@pytest.mark.parametrize(
    "text",
    [
        "在全市大会上的讲话\n5月1日，市长出席会议并讲话。\n同志们：\n今天开会。\n",
        "在全市大会上的讲话\n同志们：\n5月1日，市长出席会议并讲话。\n在全市大会上\n同志们：\n今天开会。\n",
        "5月1日，市长出席会议并讲话。会议强调，要抓好落实。\n今年以来，全市经济稳中有进。\n",
    ],
)
def test_parse_body_paragraph_starting_with_a_date_stays_body(text: str) -> None:
    parsed = parse(text)
    assert parsed.preamble is not None
    assert "5月1日，市长出席会议并讲话。" in "".join(p.text for p in parsed.preamble.paragraphs)


def test_parse_file_name_title_before_a_reprint_keeps_one_title() -> None:
    """The file name's date does not stop a dateline from reopening the title: the reprint's
    title after it replaces the file name's, never doubles it."""
    front = "2013-11-15_关于某某决定的说明\n张三：关于某某决定的说明\n新华网北京11月15日电 关于某某决定的说明\n张三\n"
    meta = parse(front + "受委托，我就某某决定向全会作说明。\n").metadata
    assert (meta.title, meta.speaker, meta.date) == ("关于某某决定的说明", "张三", "2013-11-15")


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (
            "在某某论坛",
            ("在某某论坛开幕式上的讲话", None, "某某协会会长  张三", "2015-12-16", "某某论坛开幕式"),
        ),
        (
            "张三在某某论坛",
            ("在某某论坛开幕式上的讲话", None, "某某协会会长  张三", "2015-12-16", "某某论坛开幕式"),
        ),
        ("2013-04-28_", ("在同劳动模范代表座谈时的讲话", None, None, "2013-04-28", "同劳动模范代表座谈")),
    ],
)
def test_readme_reprint_rows(start: str, expected: tuple[str | None, ...]) -> None:
    """The README's date-and-place, news-lead and file-name examples, as written there."""
    front = [x.split("` (")[0] for x in _readme_row(start)]
    parsed = parse("\n".join(front) + "\n各位嘉宾，各位朋友：\n欢迎大家。\n")
    meta = parsed.metadata
    assert (meta.title, meta.subtitle, meta.speaker, meta.date, meta.occasion) == expected
    assert [x.text for x in parsed.front_matter] == front


LETTER = "王某致某某研究所建所60周年的贺信\n\n值此某某研究所建所60周年之际，我表示热烈的祝贺！\n\n希望大家再接再厉！\n\n"


@pytest.mark.parametrize(
    ("signature", "speaker", "date"),
    [
        ("王某\n\n2020年5月1日\n", "王某", "2020-05-01"),
        ("某某市市长 王某\n2020年5月1日\n", "某某市市长 王某", "2020-05-01"),
        ("王某\n二〇二〇年五月一日\n", "王某", "2020-05-01"),
        ("2020年5月1日\n", None, "2020-05-01"),
        ("某某市人民政府\n2020年5月1日\n", None, "2020-05-01"),  # an organisation signs, no speaker
        ("某某市委员会\n2020年5月1日\n", None, "2020-05-01"),
    ],
)
def test_parse_signature_gives_speaker_and_date(signature: str, speaker: str | None, date: str) -> None:
    meta = parse(LETTER + signature).metadata
    assert (meta.title, meta.speaker, meta.date) == ("王某致某某研究所建所60周年的贺信", speaker, date)


def test_parse_front_matter_speaker_and_date_win_over_the_signature() -> None:
    front = "在全市大会上的讲话\n（2020年4月30日）\n市长 张三\n同志们：\n今天开会。\n"
    meta = parse(front + "张三\n2020年5月1日\n").metadata
    assert (meta.speaker, meta.date) == ("市长 张三", "2020-04-30")


@pytest.mark.parametrize(
    "lead",
    [
        "新华社北京5月1日电　某某市市长李明1日在论坛午餐会上发言。发言全文如下：",
        "新华社北京5月1日电 某某市市长李明1日在论坛午餐会上发表演讲。演讲全文如下：",
        "5月1日，某某市市长李明在论坛午餐会上发言。讲话全文如下：",
        "5月1日，某某市市长李明在论坛午餐会上致辞。",
        "5月1日，某某市市长李明在论坛午餐会上作报告。",
        "新华社北京5月1日电　某某市市长李明1日在论坛午餐会上发言。",
    ],
)
def test_parse_dateline_news_lead_before_the_title_is_front_matter(lead: str) -> None:
    """A Xinhua lead (dateline, the scene, 发言全文如下：) before the speech's own title."""
    speech = "\n\n在论坛午餐会上的发言\n\n（2020年5月1日，北京）\n\n某某市市长 李明\n\n各位同事：\n\n首先，我要祝贺大会顺利召开。\n\n谢谢大家！\n"
    parsed = parse("李明在论坛午餐会上的发言\n\n" + lead + speech)
    meta = parsed.metadata
    assert (meta.title, meta.date, meta.speaker) == ("在论坛午餐会上的发言", "2020-05-01", "某某市市长 李明")
    assert parsed.preamble is not None
    assert [p.text for p in parsed.preamble.paragraphs] == ["各位同事：", "首先，我要祝贺大会顺利召开。"]
    assert parsed.closing is not None and [p.text for p in parsed.closing.paragraphs] == ["谢谢大家！"]


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # a dateline lead with no title block after it: the salutation follows at once
        (
            "新华社北京5月1日电　李明1日在论坛午餐会上发言。发言全文如下：\n各位同事：\n首先，祝贺大会召开。\n",
            "新华社北京5月1日电　李明1日在论坛午餐会上发言。发言全文如下：",
        ),
        # a body paragraph that tells of a speech, with no title after it
        (
            "在全市大会上的讲话\n同志们：\n5月1日，市长在会上发言。讲话全文如下：\n今天开会。\n",
            "5月1日，市长在会上发言。讲话全文如下：",
        ),
    ],
)
def test_parse_lead_without_a_title_block_after_it_stays_body(text: str, lead: str) -> None:
    parsed = parse(text)
    assert parsed.preamble is not None
    assert lead in [p.text for p in parsed.preamble.paragraphs]


def test_a_transliterated_name_with_a_middle_dot_is_a_speaker() -> None:
    front = "2030年某自治区政府工作报告\n——2030年1月5日在某自治区第九届人民代表大会第二次会议上\n"
    for name in ("阿卜杜拉·买买提明", "艾力·买买"):
        meta = parse(
            front + f"自治区主席 {name}\n各位代表：\n现在，我代表自治区人民政府向大会报告工作。"
        ).metadata
        assert meta.speaker == f"自治区主席 {name}"


def test_a_photo_caption_with_the_reporter_after_it_is_front_matter() -> None:
    text = (
        "2030年某省政府工作报告\n——2030年1月5日在某省第九届人民代表大会第二次会议上\n某省省长 王明\n"
        "王明作政府工作报告。某省日报记者 李华\n各位代表：\n现在，我代表省人民政府向大会报告工作。"
    )
    parsed = parse(text)
    assert parsed.preamble is not None and parsed.preamble.paragraphs[0].text == "各位代表："
    assert parsed.metadata.speaker == "某省省长 王明"


def test_a_date_line_with_the_time_of_day_and_the_place_is_the_date() -> None:
    for line in ("（2019年5月6日上午，某某宾馆）", "（2019年5月6日下午）", "（2019年5月6日晚，北京）"):
        meta = parse(
            f"在某某论坛开幕式上的致辞\n\n{line}\n\n各位嘉宾：\n\n今天论坛开幕，我表示祝贺。"
        ).metadata
        assert (meta.title, meta.date) == ("在某某论坛开幕式上的致辞", "2019-05-06"), line
