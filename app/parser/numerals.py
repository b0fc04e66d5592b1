"""Chinese, financial, circled and Arabic numerals as used in outline markers."""

from __future__ import annotations

CN_NUM = "〇零一二三四五六七八九十百两"
FIN_NUM = "壹贰貳叁參肆伍陆陸柒捌玖拾佰"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAREN_GLYPHS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"

_DIGIT = {
    "〇": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "貳": 2, "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100}
_SEQ_WORDS = {"首先": 1, "其次": 2, "再次": 3}


def to_int(numeral: str) -> int | None:
    """The value of a numeral such as ``十二``, ``貳``, ``12``, ``１２`` or ``③``; None if not one."""
    if not numeral:
        return None
    if numeral in _SEQ_WORDS:
        return _SEQ_WORDS[numeral]
    if len(numeral) == 1:
        for glyphs in (CIRCLED, PAREN_GLYPHS, ROMAN):
            if numeral in glyphs:
                return glyphs.index(numeral) + 1
    if numeral.isdigit():
        try:
            return int(numeral)
        except ValueError:  # digits int() rejects, e.g. superscripts
            return None
    total, digit = 0, None
    for ch in numeral:
        if ch in "零〇" and total:
            continue  # 一百零五: the zero only marks the empty tens place
        if ch in _DIGIT:
            if digit is not None:
                # "一九五八" style digit strings: read positionally
                return _positional(numeral)
            digit = _DIGIT[ch]
        elif ch in _UNIT:
            total += (1 if digit is None else digit) * _UNIT[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _positional(numeral: str) -> int | None:
    value = 0
    for ch in numeral:
        if ch not in _DIGIT:
            return None
        value = value * 10 + _DIGIT[ch]
    return value
