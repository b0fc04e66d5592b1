"""Front matter: title, subtitle, speaker, date and occasion from the lines before the body."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.parser.chrome import AGENCY as _AGENCY
from app.parser.chrome import BYLINE as _BYLINE
from app.parser.chrome import (
    CHROME,
    NAMED,
    breadcrumbs,
    closed_byline,
    is_byline,
    label_values,
)
from app.parser.chrome import SOURCE as _SOURCE
from app.parser.dates import (
    FILE_DATE,
    PAREN_DATE,
    PAREN_DATE_TAIL,
    is_date_line,
    iso_date,
)
from app.parser.lines import Line
from app.parser.nodes import Metadata
from app.parser.rules import match_marker

_MAX_FRONT = 30
_LABEL_MAX = 6

SALUTATION = re.compile(
    r"^(?:各位|尊敬的|亲爱的|親愛的|同志们|同志們|女士们|女士們|先生们|先生們|朋友们|朋友們|同学们|同學們|老师们)"
    r"|大家(?:好|新年|早安|午安|晚安|晚上好|上午好|下午好)"
)
# 乡亲们： / 代表们： / 来宾们、朋友们：: a line that only names whom the speech addresses.
_ADDRESSEES = re.compile(r"^[\u4e00-\u9fff、，,]{0,16}(?:们|們)[：:！!]$")
_DATELINE = re.compile(rf"^{_AGENCY}\S{{0,24}}[电電]$|^\S{{2,12}}讯$")
# 新华网北京11月15日电 关于…的说明: a dateline with the title run into it (with or without
# a space, as in a text that lost its line breaks: 新华社北京10月27日电决胜…).
_DATELINE_PREFIX = re.compile(rf"^{_AGENCY}\S{{0,24}}?[电電](?:[ \u3000]+(?=\S)|(?=[\u4e00-\u9fff“《]))")
# 2013年11月15日19:16    来源：新华网: a page's publication line; or its publication time alone
# (2026年02月10日 07时41分 / 2026-02-10 07:41), never the title's second line nor the speech's date.
_SOURCE_INSIDE = re.compile(
    r"^[\d\s年月日:：/.-]{6,30}(?:来源|來源)[：:]"
    r"|^[（(]?\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}([-/.])\d{1,2}\1\d{1,2})"
    r"\s*\d{1,2}\s*(?:[时時]\s*\d{1,2}\s*分|[:：]\s*\d{2})(?:\s*\d{1,2}\s*秒|\s*[:：]\s*\d{2})?\s*[）)]?$"
)
# 李  四: a centred two- or three-character name spaced out; the spaces are layout, not a word break.
_SPACED_NAME = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000\u2002]{1,4}[\u4e00-\u9fff]){1,2}$")
_SPACED_WORDS = frozenset(
    {"目录", "目錄", "前言", "序言", "摘要", "附件", "正文", "总则", "總則", "附则", "附則", "说明", "說明"}
)
# An order that promulgates a document: 某某省人民政府令第12号 (or 令 / （第12号）), then
# 现公布《某某办法》，自…起施行。 or 《某某条例》已经…通过，现予公布，… with the signature, then the
# document's own title. The order and its promulgation line are the document's cover.
_NO = r"[（(]?\s*第\s*[0-9０-９〇零一二三四五六七八九十百千]+\s*号\s*[）)]?"
_ORDER = re.compile(rf"令\s*(?:{_NO})?$|^{_NO}$")
_PROMULGATE = re.compile(r"^(?:现予?公布《([^》]{2,60})》|《([^》]{2,60})》(?=.*现予公布))")
_COVER_MAX = 4  # lines between the promulgation line and the title (signature, date)
# 原标题：… : a reprint's earlier title, kept as front matter and used only when there is no other.
_ALT_TITLE = re.compile(r"^(?:原标题|原標題|原题|原題)[：:]\s*")
# 讲话全文： / 全文如下： / 以下为讲话全文：: an editor's separator between the page and the speech.
_FULL_TEXT = re.compile(r"^[^，,。；;！!？?：:]{0,16}全文[^，,。；;！!？?：:]{0,6}[：:]$")
# 记者 王五 / 本报通讯员 赵七 / 本文作者：李四: a news credit, not the speaker.
_CREDIT = re.compile(
    r"^(?:本报|本報|本文|新华社|新華社)?(?:记者|記者|通讯员|通訊員|编辑|編輯|作者|摄影|攝影|撰稿|校对|校對)"
    r"(?=[\s：:]|[\u4e00-\u9fff·]{2,4}(?:\s|$))"
)
_CAPTION = re.compile(
    r"(?:摄|攝|供图|图片来源[：:].*)$"
    # 李明作政府工作报告。 / 李明在…上讲话。: the scene after the byline in the third person, a
    # photo's caption without its credit (never 我/我们…: the speech in the first person).
    r"|^(?![我你您他她它本这這那])[\u4e00-\u9fff·]{2,4}(?:同志)?"
    r"(?:(?:在[^，,。；;]{2,40}上|代表[^，,。；;]{2,20})?作[^，,。；;]{0,12}(?:报告|報告)"
    r"|(?:在[^，,。；;]{2,40}上)?(?:发表)?(?:讲话|講話|致辞|致詞))。"
    r"(?:\S{0,16}(?:记者|記者)[ \u3000]*[\u4e00-\u9fff·]{2,4}(?:[ \u3000]+[\u4e00-\u9fff·]{2,4})*)?$"
)
# 12月16日，某某大会在乌镇开幕。国家主席习近平出席开幕式并发表主旨演讲。: a reprint's news lead,
# the scene told in the third person before the speech's own title (front matter only there). It
# may open with the agency's dateline (新华社北京5月1日电　李明1日在…上发言。) and end by
# announcing the text (发言全文如下：).
_NEWS_LEAD = re.compile(
    rf"^(?:(?:\d{{4}}\s*年\s*)?\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*[，,]|{_AGENCY}\S{{0,24}}?[电電][ \u3000]*)"
    r"(?=[^“”‘’]{0,200}(?:出席|发表|發表|讲话|講話|主持|致辞|致詞|发言|發言|演讲|演講|作报告|作報告))"
    r"[^“”‘’]{4,240}(?:。|全文如下[：:])$"
)
_LEAD_GAP = 6  # lines between the lead and the speech's salutation (dateline, title, date, byline)
_SUBTITLE = re.compile(r"^[—－―─-]{1,2}(?=\S)")
# 2024年1月10日在市第十六届人民代表大会第三次会议上: a subtitle without its dash, possibly
# with the speaker's byline after a space (…会议上 某某市市长 张三), or in brackets
# (（2024年1月10日在…会议上）, a newspaper's layout of a 政府工作报告).
_AT_MEETING = (
    r"(?:\d{4}年\d{1,2}月\d{1,2}日)?在.{2,60}上(?:的)?(?:讲话|講話|报告|報告|致辞|致詞|发言|發言|演讲|演講)?"
)
_OCCASION_LINE = re.compile(
    rf"^(?:[（(]\s*{_AT_MEETING}\s*[）)]"
    rf"|{_AT_MEETING}(?:[ \u3000\u2002]+{NAMED})?)$"
)
_SPLIT_SUBTITLE = re.compile(r"\s*[—―─]{2}")
_OCCASION = re.compile(
    r"在(.{2,60}?)上(?:的)?(?:讲话|講話|报告|報告|致辞|致詞|发言|發言|演讲|演講|工作报告)?"
    # ——同北京师范大学师生代表座谈时的讲话 / 在会见全国优秀县委书记时的讲话
    r"|^[—－―─-]*在?(.{2,40}?)时的(?:讲话|講話|致辞|致詞|发言|發言|演讲|演講)"
)
# The byline after the 上 that closes the occasion: never the rest of the occasion after a 上 of
# a place name (在上海市…会议上, 在上饶市…会议上的报告), which has the closing 上 in it.
_CLOSING_SHANG = r"上(?:的)?(?:讲话|講話|报告|報告|致辞|发言|演讲)?"
_SPEAKER_TAIL = re.compile(
    rf"{_CLOSING_SHANG}\s*(?!的|讲话|講話|报告|報告|致辞|发言|演讲|.*{_CLOSING_SHANG}(?:\s|$))(\S.{{0,20}})$"
)
# ——2026年1月26日在某省第十四届 / 人民代表大会第五次会议上: a meeting line broken by typesetting.
_OPEN_MEETING = re.compile(
    r"^(?:[—－―─-]{1,2}|(?=[\d〇零一二三四五六七八九]))[\d〇零一二三四五六七八九十年月日]{0,16}在[^，,。；;\s]{2,40}$"
)
_MEETING_END = re.compile(rf"^[^，,。；;\s]{{2,40}}{_CLOSING_SHANG}$")
_CLOSED_MEETING = re.compile(rf"{_CLOSING_SHANG}$")
_NAME_PREFIX = re.compile(
    r"^([\u4e00-\u9fff·]{2,4})[：:](?=在|关于|關於|《|.*(?:讲话|講話|致辞|致詞|说明|說明|发言|發言|演讲|演講|贺词|賀詞|报告|報告)$)"
)
# Labels that news pages put before a title the way a speaker's name is put (视频：…).
_NOT_NAMES = frozenset({
    "视频", "視頻", "图片", "圖片", "图文", "圖文", "专题", "專題", "快讯", "快訊", "独家", "獨家",
    "全文", "原文", "解读", "解讀", "实录", "實錄", "摘要", "转载", "轉載", "直播", "现场", "現場",
    "最新", "重磅", "热点", "熱點", "时局", "時局", "关注", "關注", "要闻", "要聞", "头条", "頭條",
})  # fmt: skip
# 张三同志在…上的讲话: the name never has digits, Latin letters, _ or - in it.
_TITLE_SPEAKER = re.compile(
    r"^([^在的，,。、：:\s0-9０-９A-Za-zＡ-Ｚａ-ｚ_＿\-－]{2,12}?)(?:同志)?在.{2,60}?(?:上|时)的?(?:讲话|講話|致辞|致詞|发言|發言|演讲|演講|报告|報告)$"
)
_SENTENCE_MARK = re.compile(r"[。！？!?；;]")


def is_body_start(text: str) -> bool:
    """True for the first line of the speech proper: salutation, outline marker or prose."""
    if _CAPTION.search(text) and len(text) < 120:
        return False
    if _DATELINE.match(text) or _SOURCE.match(text) or _SOURCE_INSIDE.match(text):
        return False
    if _ALT_TITLE.match(text) or _FULL_TEXT.match(text):
        return False
    if match_marker(text) is not None:
        return True
    if _is_junk(text):
        return False
    if SALUTATION.search(text) and len(text) <= 120:
        return True
    if text.endswith(("：", ":")):
        # an addressee line (各区县人民政府：) or a lead-in (现通知如下：), not a page label (今日要闻：)
        return not _is_label(text)

    return len(text) > 60 or bool(_SENTENCE_MARK.search(text))


def front_matter_end(lines: Sequence[Line]) -> int:
    """Index of the first body line; 0 when the text has no recognisable front matter."""
    for i, line in enumerate(lines[:_MAX_FRONT]):
        if is_body_start(line.text) and not _leads_a_title(lines, i):
            title = _promulgated_title([x.text for x in lines[: i + _COVER_MAX + 1]], i)
            return i if title is None else title + 1
    return 0


def _leads_a_title(lines: Sequence[Line], at: int) -> bool:
    """``lines[at]`` is a news lead followed by a title block (title, date, byline) and then the
    speech's salutation."""
    if not _NEWS_LEAD.match(lines[at].text):
        return False
    titled = False
    for line in lines[at + 1 : at + _LEAD_GAP + 2]:
        if is_body_start(line.text):
            return titled and bool(SALUTATION.search(line.text) or _ADDRESSEES.match(line.text))
        titled = titled or not _skipped(line.text)
    return False


def _promulgated_title(texts: Sequence[str], at: int) -> int | None:
    """Index of the title of the document that the order before ``at`` promulgates at ``at``."""
    m = _PROMULGATE.match(texts[at]) if at < len(texts) else None
    if m is None or not any(_ORDER.search(t) for t in texts[:at]):
        return None
    name = "".join((m.group(1) or m.group(2)).split())
    for j in range(at + 1, min(at + _COVER_MAX + 1, len(texts))):
        if "".join(texts[j].split()) == name:
            return j
        if is_body_start(texts[j]):
            return None
    return None


def extract_metadata(lines: Sequence[Line]) -> Metadata:
    """Metadata from the front-matter lines (possibly none)."""
    title_parts: list[str] = []
    subtitle = speaker = date = occasion = alt_title = None
    title_closed = False
    # A dateline or source line between a page header and the real title: the lines before it
    # were chrome (习近平…讲话 (全文) / 来源：新华社 / 新华社北京9月9日电 / 做…的好老师 / ——…).
    # After a source line alone (来源：新华社 / 责任编辑：…) the title at the top stays unless a
    # new title with its subtitle or date follows.
    reopen = False
    texts = [line.text for line in lines]
    chrome = breadcrumbs(texts, _under_title) | label_values(texts)
    cover = _order_cover(texts)
    if cover:  # the signer of an order is no speaker; its date is the signing date
        date = next((d for t in reversed(texts[:cover]) if (d := _signed(t))), None)
    joined = -1  # the second half of a meeting line already joined to its first
    stamped = None  # a file name's date: the date only when the text states none (and no bar
    # to a dateline's reopening the title)
    for i, line in enumerate(lines):
        text = line.text
        if i < cover or i == joined:
            continue
        if i in chrome:
            title_closed = title_closed or bool(title_parts)
            continue
        fused = None if _NEWS_LEAD.match(text) else _DATELINE_PREFIX.match(text)
        dateline = bool(fused or _DATELINE.match(text) or _NEWS_LEAD.match(text))
        if dateline or _SOURCE.match(text) or _SOURCE_INSIDE.match(text):
            if not reopen and title_parts and subtitle is None and date is None:
                reopen = dateline or _new_title_follows(lines, i + 1, chrome)
            title_closed = title_closed or bool(title_parts)
            if not fused:
                continue
            text = text[fused.end() :]
        alt = _ALT_TITLE.match(text)
        if alt or _FULL_TEXT.match(text):
            alt_title = alt_title or (text[alt.end() :].strip() or None if alt else None)
            title_closed = title_closed or bool(title_parts)
            continue
        if is_date_line(text):
            date = date or iso_date(text)
            title_closed = bool(title_parts)
            continue
        if _CAPTION.search(text) or _CREDIT.match(text) or _is_junk(text):
            if title_parts:
                title_closed = True
            continue
        if title_closed and text == "".join(title_parts):
            continue  # a page title repeated by the article as its own title
        if i + 1 < len(texts) and i + 1 not in chrome and _split_meeting(text, texts[i + 1]):
            text, joined = text + texts[i + 1], i + 1
        # 在…上的讲话 after a dateline or a news lead is the speech's own title, not the subtitle of
        # the page's headline (习近平在…上的讲话（全文）).
        if _SUBTITLE.match(text) or (title_parts and not reopen and _OCCASION_LINE.match(text)):
            subtitle = subtitle or text
            title_closed = bool(title_parts)
            continue
        named, text = _split_speaker(text)
        if named and (not title_parts or reopen):
            speaker = speaker or named
        head, sep, tail = _split_fused(text)
        if title_parts and _BYLINE.match(head):
            title_closed = True
        elif reopen and head:
            title_parts, title_closed, reopen = [], False, False
        if not title_closed and head:
            stamp = None if title_parts else FILE_DATE.match(head)
            if stamp:
                y, mo, d = (g for g in stamp.groups() if g)
                stamped = iso_date(f"{y}年{mo}月{d}日")
                head = head[stamp.end() :]
            title_parts.append(head)
        elif head and speaker is None and is_byline(head):
            speaker = closed_byline(head)
        elif head and speaker is None and _SPACED_NAME.match(head):
            name = "".join(head.split())
            speaker = None if name in _SPACED_WORDS else name
        if sep:
            subtitle = subtitle or tail
            title_closed = True
    if subtitle:
        date = date or iso_date(subtitle)
        m = _OCCASION.search(subtitle)
        occasion = (m.group(1) or m.group(2)) if m else None
        byline = _SPEAKER_TAIL.search(PAREN_DATE.sub("", subtitle))
        if speaker is None and byline and not byline.group(1).startswith(("的", "（", "(", "）", ")")):
            speaker = byline.group(1).strip() or None
    title = "".join(title_parts[:3]) or alt_title
    if title:
        dated = PAREN_DATE_TAIL.search(title)  # 市长张三在全市大会上的讲话（2024年5月1日）
        if dated and dated.start() > 0:
            date = date or iso_date(dated.group(0))
            title = title[: dated.start()].rstrip()
        who = _TITLE_SPEAKER.match(title)  # 张三同志在…上的讲话
        speaker = speaker or (who.group(1) if who else None)
    date = date or stamped
    if title and occasion is None:
        m = _OCCASION.search(title)
        occasion = (m.group(1) or m.group(2)) if m else None
    return Metadata(title=title, subtitle=subtitle, speaker=speaker, date=date, occasion=occasion)


def _split_meeting(text: str, after: str) -> bool:
    """``text`` opens a meeting (——…在某省第十四届) that ``after`` closes (人民代表大会第五次会议上)."""
    return bool(_OPEN_MEETING.match(text) and not _CLOSED_MEETING.search(text) and _MEETING_END.match(after))


def _order_cover(texts: Sequence[str]) -> int:
    """Number of lines of an order's cover before the title of the document it promulgates."""
    for at, text in enumerate(texts):
        if _PROMULGATE.match(text):
            return _promulgated_title(texts, at) or 0
    return 0


def _signed(text: str) -> str | None:
    """The signing date of an order's line: a date line, or the date after the last sentence."""
    if is_date_line(text):
        return iso_date(text)
    return iso_date(text[text.rfind("。") + 1 :]) if _PROMULGATE.match(text) else None


def _new_title_follows(lines: Sequence[Line], start: int, chrome: set[int]) -> bool:
    """A title line (not a byline) below ``start``, confirmed by its subtitle or date line."""
    seen = False
    for i in range(start, len(lines)):
        text = lines[i].text
        if i in chrome:
            continue
        if _SUBTITLE.match(text) or is_date_line(text) or (seen and _OCCASION_LINE.match(text)):
            return seen
        if _skipped(text) or _BYLINE.match(text):
            continue
        if _split_fused(text)[1]:
            return True
        seen = True
    return False


def _under_title(text: str) -> bool:
    """A line that goes under a title: a source or date line, a subtitle, chrome."""
    return bool(_skipped(text) or _SUBTITLE.match(text) or is_date_line(text) or _OCCASION_LINE.match(text))


def _skipped(text: str) -> bool:
    """Lines that are neither title nor byline: datelines, source lines, separators, chrome."""
    return bool(
        _DATELINE.match(text)
        or _NEWS_LEAD.match(text)
        or _SOURCE.match(text)
        or _SOURCE_INSIDE.match(text)
        or _ALT_TITLE.match(text)
        or _FULL_TEXT.match(text)
        or _CAPTION.search(text)
        or _CREDIT.match(text)
        or _is_junk(text)
    )


def _split_speaker(text: str) -> tuple[str | None, str]:
    """``习近平：在…上的讲话`` -> (习近平, 在…上的讲话); a name only when a speech title follows."""
    m = _NAME_PREFIX.match(text)
    if m is None or m.group(1) in _NOT_NAMES or m.group(1).endswith(("全文", "标题", "標題")):
        return None, text
    return m.group(1), text[m.end() :]


def _split_fused(text: str) -> tuple[str, bool, str]:
    """Split ``标题——在…上的讲话 （日期） 讲者`` into the title and the rest."""
    m = _SPLIT_SUBTITLE.search(text)
    if m is None or m.start() == 0:
        return text.strip(), False, ""
    return text[: m.start()].strip(), True, text[m.start() :].strip()


def _is_junk(text: str) -> bool:
    # Web chrome (打印, 全屏, 【字号：) and stray symbols are never titles.
    return (
        len(text) <= 1
        or text in CHROME
        or text[0] in "【[<|"
        or not any("\u4e00" <= ch <= "\u9fff" for ch in text)
        or _is_label(text)
    )


def _is_label(text: str) -> bool:
    """A page label (今日要闻：), not an addressee (各位代表： / 各区县：)."""
    if len(text) > _LABEL_MAX + 1 or not text.endswith(("：", ":")):
        return False
    return not (
        SALUTATION.search(text)
        or _ADDRESSEES.match(text)
        or text.startswith(("各", "全体", "全體"))
        or "如下" in text
    )
