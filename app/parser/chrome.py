"""Lines of a scraped web page around a speech: its vocabulary of page chrome (buttons, share
targets, link-list labels: ``CHROME``, ``is_page_chrome``, for the front matter and the footer),
breadcrumb trails and label values around the title; bylines.

A breadcrumb trail is the page's menu path (您的位置： / 首页 / > / 本地要闻, or on one line:
当前位置：首页 > 本地要闻 > 正文), often with the column's name once more. Normalisation drops
the lone ``>`` lines, so the trail is the run of short menu items after 首页; its last short line
is the page's title when what follows is the title's company (a source or date line, a subtitle,
a byline). None of the trail is the title or the speaker. Nor is the value of a page label
that stands on the line below it (来源： / 某某日报客户端, 发表时间： / 2030-02-01 10:00).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# A page's publication labels: 来源：新华社 / 发布时间：2024-05-01, and the property line of a
# CMS article page (文章来源：本站原创 作者：… 点击数： / 信息来源：… 浏览次数：… / 发布者：…).
SOURCE = re.compile(
    r"^(?:(?:文章|信息|稿件|新闻|新聞)?(?:来源|來源)|时间|時間|发布时间|發布時間|发布日期|發布日期|发表时间|發表時間"
    r"|发表日期|作者|编辑|責任編輯|责任编辑|字号|发布者|發布者|发布人|發布人|点击数|點擊數|浏览次数|瀏覽次數|阅读次数|閱讀次數)[：:]"
)
# The news agencies whose datelines (新华社北京4月28日电) open or close a reprint.
AGENCY = r"(?:新华社|新華社|新华网|新華網|中新社|中新网|人民网|人民網|本报|本報|央视网|央視網)"
# 您的位置： / 当前位置： / 所在位置：, alone or with the trail after it.
_WHERE = re.compile(r"^(?:您的|你的|您现在的|当前|當前|所在)?位置\s*[：:]")
_HOME = re.compile(r"^(?:网站首页|網站首頁|首页|首頁|主页|主頁)(?:\s*[>＞›»→]|$)")
_SEPARATOR = re.compile(r"[>＞›»→]")
_ITEM_MAX = 16
_VALUE_MAX = 24
_NOT_VALUE = ("—", "－", "―", "─", "-", "（", "(")  # a subtitle or a bracketed date is no value
_SENTENCE = re.compile(r"[，,。；;！!？?：:]")
# 市长 张三 / 市长张三 / 自治区人民政府主席 张三 / 张三: a role and a name, or a bare name;
# 市长 张 三: an office and a two-character name padded to the width of three.
_OFFICE = r"(?:长|長|主席|书记|書記|总理|總理|主任|委员|委員|代表|大使|总统|總統)"
_PADDED = rf"^(\S{{0,14}}{_OFFICE}[ \u3000\u2002]+[\u4e00-\u9fff])[ \u3000\u2002]{{1,4}}([\u4e00-\u9fff])$"
# A name: 2–4 Han characters, or a transliterated one with a middle dot (阿卜杜拉·买买提明).
_NAME = r"(?:[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff·]{1,10}|[\u4e00-\u9fff·]{2,4})"
NAMED = rf"(?:\S{{2,16}}[ \u3000\u2002]+)?{_NAME}"  # a byline without anchors
BYLINE = re.compile(rf"^{NAMED}$|{_PADDED}")
_ROLE_NAME = re.compile(rf"^[\u4e00-\u9fff]{{0,14}}{_OFFICE}{_NAME}$")
_PADDED_NAME = re.compile(_PADDED)
# What ends a menu item or a section label, not a name: 本地要闻, 新闻动态, 政务信息, 返回列表.
_NOT_NAME = re.compile(
    r"(?:要闻|要聞|新闻|新聞|动态|動態|信息|资讯|資訊|公开|公開|首页|首頁|专题|專題|专栏|專欄|报告|報告"
    r"|通知|公告|政务|政務|频道|頻道|栏目|欄目|导航|導航|图片|圖片|视频|視頻|文件|政策|解读|解讀|正文"
    r"|详情|詳情|列表|概况|概況|服务|服務|互动|互動|工作|会议|會議|讲话|講話)$"
)


def breadcrumbs(texts: Sequence[str], follows_title: Callable[[str], bool]) -> set[int]:
    """Indices of the lines of breadcrumb trails. ``follows_title(text)``: a line that goes under
    a title (source, date, subtitle, chrome), so the item before it is the title, not the trail."""
    found: set[int] = set()
    i, n = 0, len(texts)
    while i < n:
        text = texts[i]
        where = _WHERE.match(text)
        home = _HOME.match(text)
        if not where and not home:
            i += 1
            continue
        found.add(i)
        i += 1
        if _SEPARATOR.search(text) and (not where or text[where.end() :].strip()):
            continue  # the whole trail on one line
        j = i
        while j < n and _is_item(texts[j]) and not is_byline(texts[j]) and not follows_title(texts[j]):
            j += 1
        if j > i and (j == n or is_byline(texts[j]) or follows_title(texts[j])):
            j -= 1  # the last item is the title
        found.update(range(i, j))
        i = j
    return found


def label_values(texts: Sequence[str]) -> set[int]:
    """Indices of the values of publication labels that stand alone (来源： / 某某日报)."""
    return {
        i + 1
        for i, text in enumerate(texts[:-1])
        if (label := SOURCE.match(text)) is not None
        and not text[label.end() :].strip()
        and _is_item(value := texts[i + 1], _VALUE_MAX)
        and not value.startswith(_NOT_VALUE)
    }


def is_byline(text: str) -> bool:
    """A speaker's byline (市长 张三, 市长张三, 张三), not a menu item or a section label."""
    if not (BYLINE.match(text) or _ROLE_NAME.match(text)):
        return False
    return not _NOT_NAME.search(closed_byline(text))


def closed_byline(text: str) -> str:
    """The byline with a padded two-character name closed up: 市长 张 三 -> 市长 张三."""
    padded = _PADDED_NAME.match(text)
    return padded.group(1) + padded.group(2) if padded else text


def _is_item(text: str, longest: int = _ITEM_MAX) -> bool:
    return len(text) <= longest and not _SENTENCE.search(text)


# Web-page chrome that copy-paste drags in before the title.
CHROME = frozenset({
    "打印", "全屏", "收藏", "下载", "分享", "分享到", "加大", "还原", "减小", "关闭", "返回", "顶部", "字号",
    "大", "中", "小", "默认", "放大", "缩小", "扫一扫", "二维码", "打印本页", "关闭窗口", "纠错", "我要纠错",
    "微信", "微博", "打印正文", "打印此页", "打印本文", "关闭本页", "关闭此页",
})  # fmt: skip
# Chrome that a scrape drags in after the text: share targets, 点击…进入专题, link-list labels.
_TAIL_CHROME = re.compile(
    r"(?:分享到|分享至)\s*[\u4e00-\u9fffA-Za-z]{0,8}"
    r"|点击[^。，,；;！!？?]{0,12}(?:进入|查看|浏览|阅读)[^。，,；;！!？?]{0,8}"
    r"|(?:相关|相關|延伸)(?:文档|文檔|链接|鏈接|阅读|閱讀|新闻|新聞|稿件|报道|報導|专题|專題)"
    r"|(?:责任编辑|責任編輯|编辑|編輯)[：:].{0,20}"
    r"|(?:上一篇|下一篇)[：:].{0,60}"
)
_CHROME_DECOR = "【】[]（）()《》<>：:|\u3000 "


def is_page_chrome(text: str) -> bool:
    """A line of web-page chrome (收藏 / 分享到微信 / 》》点击图片进入专题《《 / 相关文档：) or a lone
    symbol (× |). Only a judgement on one line: where chrome may be cut off is the caller's."""
    if len(text) <= 4 and not any(ch.isalnum() for ch in text):
        return True
    bare = text.strip(_CHROME_DECOR)
    return bare in CHROME or _TAIL_CHROME.fullmatch(bare) is not None
