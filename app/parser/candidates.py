"""Which stretches of body text could open a section, and where their heading text ends."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from app.parser.lines import Line
from app.parser.metadata import SALUTATION
from app.parser.numerals import to_int
from app.parser.rules import PARAGRAPH_ONLY, Marker, match_marker
from app.parser.sentences import first_sentence_end

CandFamily = Literal["heading", "enum", "plain"]

_PLAIN_MAX = 30
_RUNIN_TITLE_MAX = 24
_BODY_MIN = 60
_CLOSING_HEADING = re.compile(r"^(?:结束语|結束語|结语|結語|结尾|尾声|尾聲)[.．。：:]?$")
# A plain heading must not end like a sentence or a clause (ASCII "." does: 020/031 headings).
_CLAUSE_END = re.compile(r"[。！？!?；;：:，,、…—]$")
_SENTENCE_INSIDE = re.compile(r"[。！？!?；;]")
# A line that stops mid-clause on a function word, and a line that carries on a sentence.
_DANGLING_END = re.compile(r"[\u4e00-\u9fff](?:的|之|和|与|與|及|或|对|對|把|被|将|將|向|从|從|为|為|是)$")
_CONTINUATION = re.compile(r"^(?:是|为|為)[：:，,]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_CAPTION = re.compile(r"(?:摄|攝)$")
_QUOTED = re.compile(r"^[“‘「『《\"'（(【].*[”’」』》\"'）)】]$")
_INLINE_SEP = re.compile(r"\u3000+|[ ]{2,}")
# 第一、改革金融体制：全球化的来临…: a short title closed by a colon, then the body. Not the
# colon of a time (上午9:00, 9：30), nor one opening a quotation.
_TITLE_COLON = re.compile(r"(?:(?<![0-9０-９])[：:]|[：:](?![0-9０-９]))(?![“「『\"'])")
# 总书记强调：… / 会议指出：…: reported speech follows, the colon ends no title. 要求 only after a
# speaker or a document (总体要求、工作要求 are titles), 说 not in 学说、小说、传说.
_REPORTING = re.compile(
    r"(?:强调|強調|指出|表示|认为|認為|(?<![学學小传傳解演游遊])[说說]"
    r"|(?<=[议議央件知记記席他她们們委院志见見话話导導])要求)$"
)
_TRAILING_PUNCT = re.compile(r"[\s。．.，,、：:；;！!？?]+$")
# "要把握好以下几点。一是…二是…": an announced enumeration inside one paragraph is its division.
_UNITS = r"(?:点|點|个方面|個方面|方面|项|項|条|條|件事|个问题|個問題)"
ANNOUNCE = re.compile(
    rf"(?:以下|如下|下列|下面)(?:[一二三四五六七八九十几幾]+)?{_UNITS}?[^。！？；]{{0,8}}[。：:]$"
)
# …必须着力把握好三点。 : a count that announces the run after it (it must match the run's length).
_COUNTED = re.compile(rf"(?P<n>[两兩二三四五六七八九十]{{1,2}}){_UNITS}[。：:]$")
_SENTENCE_START = re.compile(r"(?<=[。！？!?])(?=\S)")


@dataclass(slots=True)
class Candidate:
    start: int  # absolute offset where the section's heading begins (its identity)
    end: int  # end of the stretch the heading line owns (heading + run-in body)
    head_end: int  # absolute offset where the heading leaf ends
    line: int  # index of the line the heading starts on
    last_line: int  # index of the last line the heading owns (a bare numeral takes the next one)
    style: str  # rule name, or "plain" for unnumbered headings
    family: CandFamily
    ordinal: int | None
    marker: str | None
    title: str
    closing: bool = False  # 结束语 / 結語: the closing section of a numbered outline
    level: int = 0
    parent: int = -1  # index into the accepted list, -1 for the top level


_QUOTE_SPAN_MAX = 4  # lines a quotation may run on before an unclosed mark is taken as a typo
_QUOTE_MARK = re.compile('[“”「」『』"]')
_OPENERS = "“「『"


def _quote_walk(text: str, inside: bool) -> tuple[bool, bool]:
    """(closed, inside at the end) for one line entered ``inside`` a quotation or not.

    A line-initial opening mark inside a quotation continues it (Chinese typography opens every
    quoted paragraph with “ and closes only the last), so a quotation is never more than one deep
    across lines; within a line marks nest. ASCII " closes an open quotation, else opens one."""
    depth, closed = int(inside), False
    for m in _QUOTE_MARK.finditer(text):
        mark = m.group()
        if inside and m.start() == 0 and (mark in _OPENERS or mark == '"'):
            continue
        if mark in _OPENERS or (mark == '"' and depth == 0):
            depth += 1
        elif depth > 0:
            depth -= 1
            closed = closed or depth == 0
    return closed, depth > 0


def inside_quotes(lines: Sequence[Line]) -> set[int]:
    """Indices of lines that start inside a quotation opened on an earlier line (“一、…；\n二、…”):
    quoted material is not structure. A quotation counts only if it closes within
    ``_QUOTE_SPAN_MAX`` lines: an unclosed stray mark must not swallow the rest of the text."""
    out: set[int] = set()
    n, i = len(lines), 0
    while i < n:
        _, opened = _quote_walk(lines[i].text, False)
        i += 1
        if not opened:
            continue
        for j in range(i, min(i + _QUOTE_SPAN_MAX, n)):
            closed, still = _quote_walk(lines[j].text, True)
            if closed:
                out.update(range(i, j + 1))
                # The closing line may open the next quotation: look at it again from outside.
                i = j if still else j + 1
                break
    return out


def clean_title(text: str) -> str:
    return _TRAILING_PUNCT.sub("", text).strip()


def classify(lines: Sequence[Line], i: int) -> list[Candidate]:
    """The sections this line could open: one for a heading line, several for an announced
    inline enumeration, none for a plain paragraph."""
    line = lines[i]
    marker = match_marker(line.text)
    if marker is not None:
        cand = _numbered(lines, i, marker)
        return [cand] if cand else []
    if _is_plain_heading(lines, i):
        closing = bool(_CLOSING_HEADING.match(line.text))
        title = clean_title(line.text)
        return [Candidate(line.start, line.end, line.end, i, i, "plain", "plain", None, None, title, closing)]
    return _inline_run(line)


def _numbered(lines: Sequence[Line], i: int, marker: Marker) -> Candidate | None:
    line = lines[i]
    text, start = line.text, line.start
    rest = text[marker.end :]
    if marker.style == "cn_bare":
        # A numeral alone on a line: the heading text, if any, is the next short line.
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and len(nxt.text) <= _PLAIN_MAX and not _CLAUSE_END.search(nxt.text):
            return _cand(line, i + 1, marker, nxt.end, nxt.end, clean_title(nxt.text))
        return _cand(line, i, marker, line.end, line.end, "")
    if not rest.strip() and marker.family == "heading":
        return None
    if marker.family == "heading":
        sep = _INLINE_SEP.search(rest, 0, _RUNIN_TITLE_MAX + 1)
        end_in_rest = first_sentence_end(rest, 0, len(rest))
        if sep and sep.start() > 0 and (end_in_rest is None or sep.start() < end_in_rest) and len(rest) > 40:
            # 一、百年樹人　教育是國力的根基…: short title, full-width space, body.
            head_end = start + marker.end + sep.end()
            return _cand(line, i, marker, head_end, line.end, clean_title(rest[: sep.start()]))
        colon = _TITLE_COLON.search(rest, 1, _PLAIN_MAX + 1)
        if colon and _REPORTING.search(rest, 0, colon.start()):
            colon = None
        if colon and (end_in_rest is None or colon.start() < end_in_rest) and len(rest) - colon.end() > 10:
            head_end = start + marker.end + colon.end()
            return _cand(line, i, marker, head_end, line.end, clean_title(rest[: colon.start()]))
    end = first_sentence_end(text, marker.end, len(text))
    if end is None or not text[end:].strip():
        return _cand(line, i, marker, line.end, line.end, clean_title(rest))
    return _cand(line, i, marker, start + end, line.end, clean_title(text[marker.end : end]))


def _cand(line: Line, last: int, marker: Marker, head_end: int, end: int, title: str) -> Candidate:
    return Candidate(
        line.start,
        end,
        head_end,
        line.index,
        last,
        marker.style,
        marker.family,
        marker.ordinal,
        marker.text,
        title,
        bool(_CLOSING_HEADING.match(title)),
    )


def _inline_run(line: Line) -> list[Candidate]:
    text = line.text
    starts = [m.start() for m in _SENTENCE_START.finditer(text)]
    out: list[Candidate] = []
    count: int | None = None  # the number of items a count announced, if that is the announcement
    for pos in starts:
        marker = match_marker(text[pos:])
        if marker is None or marker.family != "enum" or marker.style in PARAGRAPH_ONLY:
            continue
        if not out:
            if marker.ordinal != 1:
                continue
            if not ANNOUNCE.search(text, 0, pos):
                counted = _COUNTED.search(text, 0, pos)
                if counted is None:
                    continue
                count = to_int(counted.group("n").replace("兩", "两"))
        elif marker.style != out[0].style or marker.ordinal != (out[-1].ordinal or 0) + 1:
            continue
        end = first_sentence_end(text, pos + marker.end, len(text)) or len(text)
        title = clean_title(text[pos + marker.end : end])
        a = line.start + pos
        out.append(
            Candidate(a, line.end, line.start + end, line.index, line.index, marker.style, marker.family,
                      marker.ordinal, marker.text, title)
        )  # fmt: skip
    if len(out) < 2 or (count is not None and count != len(out)):
        return []
    for prev, nxt in pairwise(out):
        prev.end = nxt.start
    return out


def article_runs(lines: Sequence[Line], cands: Sequence[Candidate]) -> list[Candidate]:
    """``cands`` without the 第N条 lines that are prose: 条 is also a measure word (第一条生产线…),
    so an article written without a space after its marker must sit in a run of consecutively
    numbered articles (第一条… / 第二条…)."""
    arts = [c for c in cands if c.style == "tiao"]
    stray: set[int] = set()
    for k, c in enumerate(arts):
        text, n = lines[c.line].text, len(c.marker or "")
        if n < len(text) and text[n].isspace():
            continue
        prev = arts[k - 1].ordinal if k > 0 else None
        nxt = arts[k + 1].ordinal if k + 1 < len(arts) else None
        if c.ordinal is None or (prev != c.ordinal - 1 and nxt != c.ordinal + 1):
            stray.add(c.start)
    return [c for c in cands if c.start not in stray] if stray else list(cands)


def _is_plain_heading(lines: Sequence[Line], i: int) -> bool:
    text = lines[i].text
    if _CLOSING_HEADING.match(text):
        return True
    if len(text) > _PLAIN_MAX or len(_HAN.findall(text)) < 2:
        return False
    if _CLAUSE_END.search(text) or _SENTENCE_INSIDE.search(text) or _CAPTION.search(text):
        return False
    if (
        SALUTATION.search(text)
        or _QUOTED.match(text)
        or text.startswith(("——", "—", "-", "*", "让我们", "讓我們"))
    ):
        return False
    if i + 1 >= len(lines):
        return False
    nxt = lines[i + 1].text
    # A fragment of a sentence that markup broke across lines (…的 / 主要预期目标 / 是：…).
    if (i > 0 and _DANGLING_END.search(lines[i - 1].text)) or _CONTINUATION.match(nxt):
        return False
    # A heading introduces prose: the next line must read as body text (a paragraph, not another
    # short unpunctuated line of a verse-like block, nor a slogan) or open a numbered section.
    if match_marker(nxt) is not None:
        return True
    return len(nxt) > len(text) + 10 and (len(nxt) > _BODY_MIN or bool(_CLAUSE_END.search(nxt)))
