"""Cuts in the front matter of a text that lost its line breaks (see app/parser/breakless.py).

From the very start of the text, in turn: page chrome (下载打印全屏【字号：大中小】), a dateline
(新华社北京…电), a publication line (来源：… 时间：…), a title that ends in a title word
(讲话, 报告, 致辞, 意见…) and is followed by what follows a title, a date in brackets; then,
within a short window, the salutation that opens the body (李强各位代表：) or a time phrase
(…胜利今天，); and the end of a greeting (…，大家好感谢…).
"""

from __future__ import annotations

import re

from app.parser.chrome import CHROME
from app.parser.dates import PAREN_DATE
from app.parser.rules import match_marker

_HEAD_MAX = 60
_FRONT_MAX = 80
_FRONT_STEPS = 16
_FRONT_HEAD_MIN = 6
_HELLO_MAX = 200
_PEEK = 16
CLAUSE = "，,、；;：:。！？!?"

_DATELINE = re.compile(
    r"(?:新华社|新華社|新华网|新華網|中新社|中新网|人民网|人民網|本报|本報|央视网|央視網)\S{0,24}?[电電讯訊]"
)
# Page chrome glued before the title: 下载打印全屏收藏【字号：加大还原减小】
# (Single characters such as 中 only inside 【字号：大中小】: 中共中央… is a title.)
_CHROME = re.compile(
    "|".join(sorted((w for w in CHROME if len(w) > 1), key=len, reverse=True))
    + r"|【[^】：:]{0,6}[：:]?|[大中小](?=[大中小]{0,2}】)|】"
)
# Labels of a page's publication line (来源：新华社 时间：2024-05-01) and their values.
_LABEL = re.compile(
    r"(?:来源|來源|时间|時間|发布时间|發布時間|发布日期|發布日期|发表时间|發表時間|发表日期|作者|编辑|編輯|责任编辑|責任編輯)[：:]"
)
_LABEL_DATE = re.compile(r"[\d\-/:.年月日 ]{4,20}")
_TITLE_WORDS = (
    "讲话|講話|报告|報告|致辞|致詞|贺词|賀詞|发言|發言|演讲|演講|讲稿|講稿|意见|意見|说明|說明|决定|決定"
    "|通知|公报|公報|纪要|紀要|贺信|賀信|宣言|声明|聲明|倡议书|倡議書|白皮书|白皮書|献词|獻詞|文告"
)
_TITLE_WORD = re.compile(rf"(?:{_TITLE_WORDS})(?![的之和与與及中上时時后後里裡是会會书書稿集精全人者])")
_NAME_COLON = re.compile(r"[\u4e00-\u9fff·]{2,4}[：:]")  # 习近平：在…上的讲话
_NOT_IN_TITLE = frozenset("，,。！!？?；;：:")
_SALUTATION = re.compile(
    r"各位|尊敬的|亲爱的|親愛的|(?:同志|女士|先生|朋友|同学|同學|老师|老師)(?:们|們)[，,：:！!]"
)
_HELLO = re.compile(
    r"[，,]大家(?:新年|早上|上午|下午|晚上)?好(?=[\u4e00-\u9fff])(?![奇像似的处處些多好了吗嗎久])"
)
# Body clauses that open with a time or frame phrase: 过去一年， / 今年是 / 十八大以来，
OPENER = re.compile(
    r"(?:过去|過去)(?:的)?[一二两兩三四五十几幾]+年(?:来|來|里|裡|中)?(?=[，,是])"
    r"|(?:去年|今年|当前|當前|目前|今天|如今|近年来|近年來|近几年|近幾年|多年来|多年來|长期以来|從現在起|从现在起)(?=[，,])"
    r"|(?:今年|去年|当前|當前|目前)(?=[是将將要])"
    r"|(?:党的)?十[一二三四五六七八九]大以来(?=[，,的])"
    r"|(?:改革开放|新中国成立|建国)(?:以来|之后|以后)(?=[，,])"
    r"|[一二两兩三四五六七八九十百几幾]+(?:年|个月|個月)(?:来|來|前|以来|以來)(?=[，,])"
)


def front_cuts(s: str) -> set[int]:
    """Cuts in the front matter: dateline, title, date, speaker before the salutation."""
    cuts: set[int] = set()
    pos = 0
    for _ in range(_FRONT_STEPS):
        while pos < len(s) and s[pos].isspace():
            pos += 1
        m = _CHROME.match(s, pos) or _DATELINE.match(s, pos) or PAREN_DATE.match(s, pos)
        end = m.end() if m else None
        if end is None and _LABEL.match(s, pos):
            end = _label_end(s, pos)
        elif end is None and not _SALUTATION.match(s, pos):
            end = _title_end(s, pos)
        if end is not None:
            cuts.add(end)
            pos = end
            continue
        window = s[pos : pos + _FRONT_MAX]
        found = [
            m
            for m in (_LABEL.search(window, 1), _SALUTATION.search(window, 1), OPENER.search(window, 2))
            # what stands before it is a title or a speaker: longer than a sentence's first
            # word (感谢各位代表) when nothing was cut before it
            if m is not None
            and m.start() >= (2 if pos else _FRONT_HEAD_MIN)
            and not any(ch in CLAUSE for ch in window[: m.start()])
        ]
        if not found:
            break
        first = min(found, key=lambda m: m.start())
        cuts.add(pos + first.start())
        if first.re is not _LABEL:
            break
        pos += first.start()
    hello = _HELLO.search(s, 0, _HELLO_MAX)
    if hello is not None:
        cuts.add(hello.end())
    return cuts


def _label_end(s: str, pos: int) -> int | None:
    """End of a label and its value: a date, or the text up to the next label."""
    label = _LABEL.match(s, pos)
    if label is None:
        return None
    date = _LABEL_DATE.match(s, label.end())
    if date is not None:
        return date.end()
    nxt = _LABEL.search(s, label.end(), label.end() + 24)
    return nxt.start() if nxt is not None else None


def _title_end(s: str, pos: int) -> int | None:
    """End of a title at ``pos``: the first title word (讲话, 报告…) that closes a heading-like run
    and is followed by what follows a title (a dash, a bracket, a space, a salutation, a time
    phrase, a numbered heading), not by the rest of a sentence (我向大会报告工作，…)."""
    name = _NAME_COLON.match(s, pos)
    begin = name.end() if name else pos
    for w in _TITLE_WORD.finditer(s, begin, begin + _HEAD_MAX + 2):
        if w.start() - begin < 2 or any(ch in _NOT_IN_TITLE for ch in s[begin : w.start()]):
            return None
        rest = s[w.end() : w.end() + _PEEK]
        if (
            not rest
            or rest[0] in "—－―─-（(《【 \t\u3000"
            or _spoken_to(rest)
            or OPENER.match(rest)
            or match_marker(rest) is not None
        ):
            return w.end()
    return None


def _spoken_to(text: str) -> bool:
    """A salutation, possibly after the speaker's name: 各位代表： / 李强同志们："""
    m = _SALUTATION.search(text, 0, 8)
    return m is not None and not any(ch in CLAUSE for ch in text[: m.start()])
