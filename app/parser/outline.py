"""From lines and accepted candidates to the section tree, preamble, closing and footnotes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.parser.candidates import Candidate
from app.parser.chrome import AGENCY, is_page_chrome
from app.parser.lines import Line
from app.parser.nodes import Heading, Paragraph, Section, SectionKind, Span
from app.parser.sentences import split_sentences

_KINDS: tuple[SectionKind, ...] = ("part", "point", "item")
_WHITESPACE = " \t\u3000"
# The address that opens a closing passage (同志们，… / 各位代表！… / 各位女士、各位先生：…,
# 各位同事！ in summit remarks, 各位伙伴，… in a New Year address).
_ADDRESSEE = (
    r"(?:代表|委员|委員|来宾|來賓|嘉宾|嘉賓|贵宾|貴賓|领导|領導|同志|朋友|同仁|同事|伙伴|夥伴|同学|同學|学子|學子"
    r"|老师|老師|女士|先生|乡亲|鄉親|父老|同胞|校友|家长|家長|员工|員工|职工|職工|青年|战友|戰友)"
)
# A vocative is a noun phrase: a verb or function word between 全体/各位 and the addressee makes
# a clause (全体干部要学习身边的先进代表，…), not an address.
_VOCATIVE_GAP = r"[^。；;！!？?，,：:要是在把向对對都也将將就还還应應能会會了着過过给給让讓使从從被]"
_VOCATIVE = r"(?:各位|亲爱的|親愛的|全体|全體)"
# The address must end in vocative punctuation: 同志们的努力… is a subject, not an address.
# Vocatives chain with 、 (各位女士、各位先生：) or with commas (各位远方的客人，亲爱的同胞，…): a
# vocative before a comma counts when another vocative follows it.
# 青年朋友们 / 各界朋友们: a few words naming the addressees more closely (never 我们的朋友们).
_MODIFIER = r"(?:(?![我你他她它的之们們])[\u4e00-\u9fff]){0,4}?"
ADDRESS = re.compile(
    rf"(?:(?P<plural>{_MODIFIER}(?:同志|朋友|女士|同学|同學|同事)(?:们|們)(?:、{_ADDRESSEE}(?:们|們))*)"
    rf"|(?:{_VOCATIVE}{_VOCATIVE_GAP}{{1,12}}[，,](?={_VOCATIVE}))*"
    rf"{_VOCATIVE}{_VOCATIVE_GAP}{{0,12}}{_ADDRESSEE}(?:们|們)?)[，,：:！!]"
)
_RALLY = re.compile(r"让我们|讓我們")  # .match: a rally line; .search: a block that rallies
# Sign-off lines at the very end: wishes, thanks and slogans (祝大家新年快乐！/ 中华民国万岁！).
# A wish opens its clause (祝大家… / 最后，预祝… / 我衷心祝愿…); 庆祝 and 表示祝贺 are no wishes.
# An official document signs off with its formula: 特此通知。/ 特此公告。/ 特此批复。
SIGNOFF = re.compile(
    r"[！!]$|谢谢|謝謝|^祝|(?:(?<=[，,：:我预預敬谨謹恭顺順])|(?<=衷心|再次|真诚|真誠|诚挚|誠摯))祝(?![贺賀])"
    r"|^特此(?:通知|公告|通告|函告|函复|函復|批复|批復|报告|報告|说明|說明|证明|證明)[。.]?$"
)
_SIGNOFF_MAX = 40
_RULE = re.compile(r"^(?:[-—－―─_=＝＊*~～·•][ \u3000]*){3,}$")
_TRAILER = re.compile(
    r"^(?:【我要纠错】|【打印】|【关闭】|责任编辑[：:]|責任編輯[：:]|扫一扫|相关(?:稿件|报道|新闻|链接)|相關(?:新聞|報導)"
    r"|附件[0-9一二三四五六七八九十]*[：:]?$|附[：:]$"
    # a report's glossary after its text (名词解释 / 名詞解釋 / 注释：)
    r"|(?:名词解释|名詞解釋|名词注释|名詞注釋|注释|註釋|注解|註解)[：:]?$"
    # a labelled note block (字库未存字注释： / 编者注释：): a short label, the colon required
    r"|[\u4e00-\u9fff]{1,8}(?:注释|註釋|注解|註解)[：:]$"
    # the heading of a page's comment list (评论回复 / 网友评论（2）/ 发表评论：)
    r"|(?:评论回复|評論回覆|网友评论|網友評論|发表评论|發表評論|我要评论|我要評論|读者评论|讀者評論|网友留言|網友留言"
    r"|最新评论|最新評論|热门评论|熱門評論|评论列表|評論列表)(?:[（(]\d*[）)])?[：:]?$)"
)


# The publication note that closes a reprint: 《人民日报》（2016年05月03日 02 版） / （来源：求是）.
# A reprint closes with its dateline and its earlier title in brackets: （新华社北京4月28日电） /
# （原标题：在…时的讲话 （2013年4月28日） 习近平）.
_SOURCE_NOTE = re.compile(
    r"^[（(]?\s*(?:《\s*[^》]{2,20}\s*》\s*[（(][^）)]{0,30}[）)]|(?:来源|來源|原载|原載|本文来源)[：:][^。]{1,30})\s*[）)]?$"
    rf"|^[（(]\s*{AGENCY}[^。，,；;（()）]{{0,24}}[电電]\s*[）)]$"
    r"|^[（(]\s*(?:原标题|原標題|原题|原題)[：:][^。；;！!？?]{1,80}[）)]$"
)


def kind_for(level: int) -> SectionKind:
    return _KINDS[level - 1] if level <= len(_KINDS) else "subitem"


def trailer_start(lines: Sequence[Line], body_start: int) -> int:
    """Index of the first line of a footnote/trailer block, or len(lines) if there is none."""
    # A run of page chrome at the very end (收藏 / 分享到微信 / × / 相关文档：) is cut off first; the
    # body keeps at least one line, and chrome words with prose after them stay in the text.
    end = len(lines)
    while end - 1 > body_start and is_page_chrome(lines[end - 1].text):
        end -= 1
    total = sum(len(x.text) for x in lines[body_start:]) or 1
    after = 0
    for i in range(end - 1, body_start - 1, -1):
        after += len(lines[i].text)
        if _RULE.match(lines[i].text) and after - len(lines[i].text) <= max(600, total // 4):
            best = i
            break
    else:
        best = end
    for i in range(body_start, best):
        if _TRAILER.match(lines[i].text):
            return i
    while best - 1 > body_start and _SOURCE_NOTE.match(lines[best - 1].text):
        best -= 1  # 来源 / 新华社…电 / 原标题 notes at the very end, one or several
    return best


def closing_start(lines: Sequence[Line], first: int, end: int, last: Candidate | None) -> int:
    """Index of the first closing line in ``lines[first:end]`` (after the last heading), or end."""
    if last is not None and last.closing:
        return end  # 结束语 / 結語 is itself the closing section
    earliest = first
    if last is None or last.head_end >= lines[last.last_line].end:
        # A standalone heading keeps at least one paragraph; an opening salutation is preamble.
        earliest = first + 1
    latest = next((i for i in range(end - 1, earliest - 1, -1) if ADDRESS.match(lines[i].text)), None)
    if last is not None and latest is not None and latest > earliest and ADDRESS.match(lines[earliest].text):
        # Addresses right after the last point: all of them close (同志们！… 同志们！…), unless the
        # last one rallies (让我们…), when the ones before it are separators inside the last part.
        rallies = any(_RALLY.search(lines[k].text) for k in range(latest, end))
        return latest if rallies else earliest
    if latest is not None:
        return latest
    i = end
    while i - 1 >= earliest and len(lines[i - 1].text) <= _SIGNOFF_MAX and SIGNOFF.search(lines[i - 1].text):
        i -= 1
    if i - 1 >= earliest and _RALLY.match(lines[i - 1].text):
        i -= 1
    return i


def paragraph(text: str, eid: str, start: int, end: int) -> Paragraph:
    return Paragraph(eid, text[start:end], split_sentences(text, start, end), Span(start, end))


@dataclass(slots=True)
class _Open:
    cand: Candidate
    eid: str
    heading: Heading
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Unit:
    """A stretch of one line (or two, for a bare numeral and its title): a paragraph, or the
    heading plus run-in body of a candidate section."""

    start: int
    end: int
    cand: Candidate | None


def units_for(lines: Sequence[Line], first: int, stop: int, cands: Sequence[Candidate]) -> list[Unit]:
    """Cut ``lines[first:stop]`` into units at the candidates (sorted by start)."""
    by_line: dict[int, list[Candidate]] = {}
    for c in cands:
        by_line.setdefault(c.line, []).append(c)
    units: list[Unit] = []
    i = first
    while i < stop:
        line = lines[i]
        here = by_line.get(i)
        if not here:
            units.append(Unit(line.start, line.end, None))
            i += 1
            continue
        if here[0].start > line.start:
            units.append(Unit(line.start, here[0].start, None))
        for c in here:
            units.append(Unit(c.start, c.end, c))
        if here[-1].end < line.end and here[-1].last_line == i:
            units.append(Unit(here[-1].end, line.end, None))
        i = max(c.last_line for c in here) + 1
    return units


def build_sections(text: str, units: Sequence[Unit]) -> tuple[list[Paragraph], list[Section]]:
    """Preamble paragraphs and top-level sections from the units of the body."""
    preamble: list[Paragraph] = []
    top: list[Section] = []
    stack: list[_Open] = []

    def close_to(level: int) -> None:
        while len(stack) >= level:
            done = stack.pop()
            section = _finish(done)
            (stack[-1].children if stack else top).append(section)

    for unit in units:
        cand = unit.cand
        if cand is None:
            owner = stack[-1] if stack else None
            paras = owner.paragraphs if owner else preamble
            eid = f"{owner.eid if owner else 'preamble'}__para_{len(paras) + 1}"
            paras.append(paragraph(text, eid, unit.start, unit.end))
            continue
        close_to(cand.level)
        siblings = stack[-1].children if stack else top
        prefix = f"{stack[-1].eid}__" if stack else ""
        eid = f"{prefix}{kind_for(cand.level)}_{len(siblings) + 1}"
        body = cand.head_end
        while body < unit.end and text[body] in _WHITESPACE:
            body += 1  # the gap between a run-in heading and its body belongs to the heading
        head = Heading(text[unit.start : body], Span(unit.start, body))
        opened = _Open(cand, eid, head)
        stack.append(opened)
        if body < unit.end:
            opened.paragraphs.append(paragraph(text, f"{eid}__para_1", body, unit.end))
    close_to(1)
    return preamble, top


def _finish(o: _Open) -> Section:
    c = o.cand
    last_end = o.heading.span.end
    if o.children:
        last_end = o.children[-1].span.end
    elif o.paragraphs:
        last_end = o.paragraphs[-1].span.end
    return Section(
        eid=o.eid,
        kind=kind_for(c.level),
        level=c.level,
        marker=c.marker,
        ordinal=c.ordinal,
        title=c.title or None,
        heading=o.heading,
        paragraphs=tuple(o.paragraphs),
        children=tuple(o.children),
        span=Span(o.heading.span.start, last_end),
        style=c.style,
    )


def block(text: str, lines: Sequence[Line], eid: str, kind: SectionKind) -> Section | None:
    """A preamble or closing section made of whole lines."""
    if not lines:
        return None
    paras = tuple(paragraph(text, f"{eid}__para_{n}", x.start, x.end) for n, x in enumerate(lines, 1))
    return Section(eid, kind, 0, None, None, None, None, paras, (), Span(lines[0].start, lines[-1].end))
