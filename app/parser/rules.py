"""The outline marker table: one row per numbering style, tried in order (first match wins).

Adding a numbering style means adding a row here and a fixture in tests/parser/test_rules.py.
Levels are NOT fixed by the table: the outline builder assigns them by order of first
appearance, the way a reader infers a document's hierarchy. ``family`` says how a marker
behaves:

- ``heading``: a numbered heading, either a line of its own or run-in (heading sentence +
  body in one paragraph);
- ``enum``: a paragraph-initial enumerator (一是, 一要, 第一，, 首先): the paragraph's first
  sentence is the heading; only counted as structure when it forms a run of two or more
  (three or more, with the same noun in every item, for 第一个挑战，: see ``run_key``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from app.parser.numerals import CIRCLED, CN_NUM, FIN_NUM, PAREN_GLYPHS, ROMAN, to_int

Family = Literal["heading", "enum"]

_CN = f"[{CN_NUM}]"
_DIGITS = "[0-9０-９]"
# The bracket pairs readers treat as the same marker: （一） and (一), both widths.
_OPEN, _CLOSE = "[（(]", "[）)]"
_SP = r"[ \t\u3000]*"
# The counted noun of 第一个挑战，: a short category word (挑战, 方面, 问题), never a name with a
# numeral in it (第一个五年计划, 第一个百年目标) and never the copula that follows it.
_NOUN = rf"(?P<noun>(?:(?!就是|是)(?![{CN_NUM}])[\u4e00-\u9fff]){{1,4}}?)"
_COPULA = "(?:就是|是(?![否非]))"
_PAUSE = "，,、。．.：:；;！!？?）)”’"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    family: Family


@dataclass(frozen=True, slots=True)
class Marker:
    style: str
    family: Family
    ordinal: int | None  # None: a sequence word that continues a run (然后, 最后)
    text: str  # the marker as written, trailing spaces excluded
    end: int  # offset in the line where the heading text starts


def _rule(name: str, pattern: str, family: Family) -> Rule:
    return Rule(name, re.compile(pattern), family)


RULES: tuple[Rule, ...] = (
    _rule("paren_cn", rf"{_OPEN}(?P<num>{_CN}{{1,3}}){_CLOSE}[、，,．.：:]?", "heading"),
    _rule("paren_num", rf"{_OPEN}(?P<num>{_DIGITS}{{1,3}}){_CLOSE}[、，,．.：:]?", "heading"),
    _rule("paren_glyph", rf"(?P<num>[{PAREN_GLYPHS}])[、，,．.：:]?", "heading"),
    _rule("circled", rf"(?P<num>[{CIRCLED}])[、，,．.：:]?", "heading"),
    _rule("roman", rf"(?P<num>[{ROMAN}])[、，,．.：:]?", "heading"),
    _rule("fin_dun", rf"(?P<num>[{FIN_NUM}]{{1,3}})[、，,．.：:]", "heading"),
    _rule("ordinal", rf"第(?P<num>{_CN}{{1,3}})(?:(?:点|點|部分|章)[、，,：:．.]?|[、：:．.])", "heading"),
    # A regulation's 第一节 (between 第一章 and its articles) and its run-in articles 第一条, numbered
    # through the whole document (CONTINUOUS). 条 followed by a pause is a measure word in prose
    # (第一条，…); 第一条生产线… with no space is kept only in a run (see candidates.article_runs).
    _rule("jie", rf"第(?P<num>{_CN}{{1,3}})[节節][、，,：:．.]?", "heading"),
    _rule("tiao", rf"第(?P<num>{_CN}{{1,6}}|{_DIGITS}{{1,4}})[条條](?=[ \t\u3000]|[^\s{_PAUSE}])", "heading"),
    _rule("ordinal_comma", rf"第(?P<num>{_CN}{{1,3}})[，,]", "enum"),
    # 第一個挑戰，就是… / 第二个方面是…: ordinal, classifier, noun, then a pause or a copula.
    _rule(
        "ordinal_noun",
        rf"第(?P<num>{_CN}{{1,3}})[個个]{_NOUN}(?:[，,：:]{_COPULA}?|{_COPULA}[，,：:]?)",
        "enum",
    ),
    # 一、二线城市 / 一、二、三产业 / 三、四月间 are ranges, not headings: see _is_range
    _rule("cn_dun", rf"(?P<num>{_CN}{{1,3}})[、．.]", "heading"),
    _rule("cn_space", rf"(?P<num>{_CN}{{1,3}})(?=[ \u3000]+[^ \u3000{CN_NUM}])", "heading"),
    _rule("cn_bare", rf"(?P<num>{_CN}{{1,3}})(?=$)", "heading"),
    # 2024. / 1.5 are numbers, not markers
    _rule("arabic", rf"(?P<num>{_DIGITS}{{1,2}})(?:[.．、](?!{_DIGITS})|[)）])", "heading"),
    # 一是一，二是二 is an idiom; 一是否 / 一是非 are words
    _rule("shi", rf"(?P<num>{_CN}{{1,3}})是(?![{CN_NUM}否非])[，,：:]?", "enum"),
    _rule("yao", rf"(?P<num>{_CN}{{1,3}})要(?![求素点點件是])[，,：:]?", "enum"),
    # 最后说到… is a sub-heading, not a sequence item: the word must be followed by 是/要 or a pause
    _rule("seq", r"(?P<num>首先|其次|再次|然后|最后|最後)(?:[，,、：:]|是|要)", "enum"),
)

_SPACE_RUN = re.compile(_SP)
# The numeral after 一、 in a range or list: 一、二线 / 一、二、三等奖 / 三、四月间 / 九、十月份.
_RANGE_NEXT = re.compile(rf"(?P<num>{_CN}{{1,2}})(?:[、线级类产次月日号號天]|季度)")
# Every rule starts with one of these characters: a cheap test before trying the table.
_FIRST_CHARS = frozenset(
    CN_NUM + FIN_NUM + CIRCLED + PAREN_GLYPHS + ROMAN + "（(第0123456789０１２３４５６７８９首其再然最"
)


def match_marker(line: str) -> Marker | None:
    """The first rule that matches at the start of ``line``, with the marker's value."""
    if not line or line[0] not in _FIRST_CHARS:
        return None
    for rule in RULES:
        m = rule.pattern.match(line)
        if m is None:
            continue
        num = m.group("num")
        ordinal = None if num in ("然后", "最后", "最後") else to_int(num)
        if ordinal is None and rule.name != "seq":
            continue
        if rule.name == "cn_dun" and _is_range(line, m.end(), ordinal):
            continue
        end = _SPACE_RUN.match(line, m.end())
        return Marker(rule.name, rule.family, ordinal, m.group(0), end.end() if end else m.end())
    return None


def run_key(style: str, marker: str | None) -> str:
    """What the items of one enumerator run share: the style, and for 第一个挑战， also the noun
    (第一个阶段，… 第二个任务，… is no run)."""
    if style == "ordinal_noun" and marker:
        m = _ORDINAL_NOUN.match(marker)
        if m:
            return f"{style}:{m.group('noun')}"
    return style


# Items an enumerator run needs: 第一个X，… is an ordinary phrase (第一个阶段，… 第二个阶段，…
# narrates two stages); only a longer run of it divides a part.
RUN_MIN = {"ordinal_noun": 3}
# Styles that count only as paragraph-initial items, never in an announced run inside a paragraph.
PARAGRAPH_ONLY = frozenset({"ordinal_noun"})
# Styles numbered through the whole document rather than within their parent: a regulation's
# articles (第三条 is the first article of 第二章), so a new parent neither restarts nor gaps them.
CONTINUOUS = frozenset({"tiao"})
_ORDINAL_NOUN = next(r.pattern for r in RULES if r.name == "ordinal_noun")


def _is_range(line: str, at: int, ordinal: int | None) -> bool:
    """一、二线城市: the next numeral is the following number, so 一、 opens a range or list. A
    heading may itself start with a numeral word (一、一季度… / 三、十日内…)."""
    m = _RANGE_NEXT.match(line, at)
    return m is not None and ordinal is not None and to_int(m.group("num")) == ordinal + 1
