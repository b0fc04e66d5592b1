"""Dates in front matter: 2024年5月1日, 二〇二四年五月一日, 2021/02/27, a bracketed date line with
the place of the speech, a title saved under a file name with its date in front."""

from __future__ import annotations

import re

from app.parser.numerals import to_int

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
# （2015年12月16日，乌镇）: the date and the place where the speech was given.
_PLACE = r"(?:\s*[，,、]\s*[\u4e00-\u9fff·]{2,12})?"
# （2019年5月6日上午，某某宾馆）: the time of day may follow the date.
_TIME = r"(?:上午|下午|晚上|晚间|晚間|晚|早上|中午|凌晨)?"
DATE_LINE = re.compile(
    rf"^[（(]?\s*(?:\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年[^，,。]{{0,12}}日{_TIME}{_PLACE}\s*[）)]?$"
)
# 2021/02/27 / 2021-02-27 / 2021.02.27 alone on a line (a CMS page's centred date).
NUM_DATE_LINE = re.compile(r"^[（(]?\s*(\d{4})([/.-])(\d{1,2})\2(\d{1,2})\s*[）)]?$")
# 市长张三在全市大会上的讲话（2024年5月1日）: a bracketed date ending a title line.
PAREN_DATE_TAIL = re.compile(
    rf"[（(]\s*(?:\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年[^）)]{{0,12}}日{_TIME}{_PLACE}\s*[）)]$"
)
# 2013-04-28_在…时的讲话 / 20130428_…: a title saved as a file name, its date in front.
FILE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[_＿ \u3000]+(?=\S)|^(\d{4})(\d{2})(\d{2})[_＿](?=\S)")
# A bracketed date anywhere in a line (in front matter that lost its line breaks, too).
PAREN_DATE = re.compile(
    rf"[（(]\s*(?:\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年[^）)]{{0,12}}日{_TIME}{_PLACE}\s*[）)]"
)


def is_date_line(text: str) -> bool:
    return bool(DATE_LINE.match(text) or NUM_DATE_LINE.match(text))


def iso_date(text: str) -> str | None:
    m = _DATE.search(text) or NUM_DATE_LINE.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups() if g and g.isdigit())  # year, month, day
    else:
        c = _CN_DATE.search(text)
        if c is None:
            return None
        y, mo, d = (to_int(c.group(1)) or 0), (to_int(c.group(2)) or 0), (to_int(c.group(3)) or 0)
    if 1 <= mo <= 12 and 1 <= d <= 31 and 1000 <= y <= 2999:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None
