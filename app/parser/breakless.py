"""Paragraph breaks for a text that arrived with (almost) none, put where an editor would put them.

A dump that lost its line breaks still carries the evidence of its layout. ``split_line`` cuts
the one line that holds (nearly) the whole text, when the lines beside it (if any) are front or
back matter, not headings or body paragraphs (``dominant_line``):

1. at indentation (two wide spaces or a tab), where paragraphs were indented, and before a
   short unpunctuated line left unindented in front of one (a heading: 结语　　各位…);
2. in the front matter at the very start (frontcuts.py): page chrome, a dateline, a publication
   line, a title ending in 讲话/报告/致辞/意见…, a date in brackets, and before the salutation
   that opens the body (李强各位代表：) or a time phrase, or after 大家好;
3. before numbered headings (一、 （一） 1. 第一、 壹、…) that start a sentence outside a quotation
   and form a run of their style from its first number, whose items sit paragraph-far apart or
   each have body text after their heading (an inline list, 任务是：1.审议报告。2.通过决议。,
   stays in its paragraph; a run after a colon must follow a heading or an address unless
   paragraph-far apart); the heading's end is cut where its body
   begins: before a numbering run glued to it (总体要求（一）指导思想。), after an ASCII full
   stop, before an address, a time phrase (…工作回顾过去一年，…) or a body clause that echoes
   the heading (…推动高质量发展高质量发展是…), never leaving a stub (…，是为了); failing that
   the heading stays run-in and ends at its first sentence end;
4. before paragraph-initial enumerators (一是/二是, 一要, 第一，, 首先…最后) that each start a
   sentence, run from 1 unbroken by a heading and either sit paragraph-far apart (on average at
   least ``_ENUM_GAP`` characters: in the dev corpus inline runs average 40-210 characters per
   item, paragraph runs 240-550) or follow an announcement (以下几点。); other runs are inline
   lists and stay in their paragraph; never when indentation already shows the paragraphs;
5. around closing headings (结束语/結語), short headings closed by an ASCII full stop
   (以下再说农业战线上的情况.), unnumbered headings whose body opens by repeating their first
   words (“十四五”时期工作回顾“十四五”时期…, when the text shows it at least twice), and before
   an address (同志们， / 各位代表！, not 各位乡亲： said inside a paragraph) that starts a sentence.

A cut only inserts a line break (whitespace at a cut goes with the line strip). Some evidence
is weighed over the whole line (how often it ends sentences with an ASCII full stop, whether
indentation shows its paragraphs, an echo seen twice), so a piece cut again on its own may be
cut differently; ``split_line`` is therefore run only on a line that still holds the text, and
the split text, once it has its breaks, is left as written (tested as a property).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from app.parser.candidates import ANNOUNCE
from app.parser.frontcuts import CLAUSE, OPENER, front_cuts
from app.parser.numerals import CN_NUM
from app.parser.outline import ADDRESS
from app.parser.rules import Marker, match_marker

_MIN_LINE = 200  # a lone line shorter than this is left as it is
_MIN_DOMINANT = 1200  # beside other lines, the line holding the text must be at least this long
_DOMINANT_SHARE = 0.6
_MATTER_MAX = 100  # characters in a line of front or back matter beside the dominant line
_ENUM_GAP = 200  # mean characters between paragraph-initial enumerators (see _enum_runs)
_BODY_MIN = 20  # characters of body after a numbered heading's first sentence (see _outline_run)
_QUOTE_MAX = 500  # characters a quotation may run before an unclosed mark is taken as a typo
_ANNOUNCE_MAX = 40
_HEAD_MAX = 60  # how far a heading may run before its body starts
_ECHO_MIN = 3  # characters of the heading a body's first clause must repeat
_PEEK = 16
_CLAUSE_MIN = 4  # characters in the last clause of a heading
_PLAIN_MAX = 30  # characters in an unnumbered heading
_ECHO_HEAD = 4
# 把握当前，做好… : a bare time word before a comma in a heading is its object, not the body
_BARE_TIME = frozenset(("去年", "今年", "当前", "當前", "目前", "今天", "如今"))
_DANGLING = frozenset("的了是在和与與及为為对對把被将將从從之而并並或")

# Two wide spaces (ideographic, em, en) or a tab: a paragraph's indentation.
_INDENT = re.compile(r"(?:[\u2002\u2003\u3000][ \t]*[\u2002\u2003\u3000]|\t)\s*")
# A sentence starts after an end mark or an ellipsis (…… or ... after Han text, and the closing
# quotes after it), after a colon, or after an ASCII full stop set between Han text (headings of
# some reports end with one: 一、回顾.P; not the dots of an ellipsis).
_SOFT_STOP = r"(?<=[^\x00-\x7f０-９])\.(?![0-9A-Za-z０-９.])"
_STARTS = re.compile(rf"(?:(?:[。！？!?]|…+|(?<=[^\x00-\x7f])\.{{3,}})[”’」』\"'）)]*|[：:]|{_SOFT_STOP})\s*")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_SOFT_STOP_RE = re.compile(_SOFT_STOP)
# How a first item can start: （一） 一、 一是 1. 第一 首先 ① ⑴ Ⅰ 壹
_FIRST_ITEM = re.compile(r"[（(一1１第首①⑴Ⅰ壹]")
_WIDE_GAP = re.compile(r"[\u2002\u2003\u3000]|  ")
_QUOTATION = re.compile(rf"“[^“”]{{1,{_QUOTE_MAX}}}”|「[^「」]{{1,{_QUOTE_MAX}}}」")

_CLOSING_WORD = re.compile(r"(?:结束语|結束語|结语|結語)[.．。：:]?")
# 以下再说农业战线上的情况.P: a short heading closed by an ASCII full stop.
# 絕不讓臺灣空轉　　世界正在…: a short unpunctuated line left unindented before an indented body.
_UNINDENTED = re.compile(
    r"[^。！？!?；;：:，,\s]{2,30}(?=\s*(?:[\u2002\u2003\u3000][ \t]*[\u2002\u2003\u3000]|\t))"
)
_HAN = re.compile(r"[\u3400-\u9fff]")
_HEAD_STOPS = frozenset("。！？!?；;：:，,")
_HEAD_STOP = re.compile("[。！？!?；;：:，,]")
_DOTTED = re.compile(rf"[^。！？!?；;：:，,\s.]{{2,30}}?{_SOFT_STOP}")


@dataclass(frozen=True, slots=True)
class _Item:
    pos: int
    marker: Marker
    after: str  # what precedes it: "end" (sentence end), "colon", "cut" or "head" (a heading)


def dominant_line(lines: Sequence[str]) -> int | None:
    """Index of the line that holds (nearly) the whole text when it arrived without breaks."""
    if not lines:
        return None
    k = max(range(len(lines)), key=lambda i: len(lines[i]))
    size = len(lines[k])
    if len(lines) == 1:
        return k if size > _MIN_LINE else None
    total = sum(len(x) for x in lines)
    if size < _MIN_DOMINANT or size < total * _DOMINANT_SHARE:
        return None
    # A long paragraph among headings and body paragraphs is a normal text: the other lines must
    # be front or back matter (title, byline, date, source, editor, 谢谢大家！).
    return k if all(_matter(x) for i, x in enumerate(lines) if i != k) else None


def _matter(line: str) -> bool:
    """No outline marker, and short with at most one sentence end, or no sentence at all (page
    chrome: a string of links and labels after the text)."""
    ends = len(_SENTENCE_END.findall(line))
    if ends > (1 if len(line) <= _MATTER_MAX else 0):
        return False
    return match_marker(line) is None


def split_line(s: str, *, at_start: bool) -> list[str]:
    """``s`` cut into paragraphs (unstripped pieces) on the evidence listed in the module doc."""
    cuts: set[int] = set()
    indents = [m.span() for m in _INDENT.finditer(s)]
    for a, b in indents:
        cuts.update((a, b))
    bounds = sorted({0, len(s), *cuts})
    # Indentation shows the paragraphs when it cuts the text into small pieces.
    indented = len(indents) >= 3 and max(b - a for a, b in pairwise(bounds)) * 2 < len(s)
    # Headings closed by an ASCII full stop, in a text whose sentences end with 。
    dotted = len(_SOFT_STOP_RE.findall(s)) * 4 < s.count("。")
    if at_start:
        cuts |= front_cuts(s)
    starts = _starts(s, cuts)
    items = _items(s, starts)
    at = sorted(starts)
    heads = _heading_runs(s, items, at)
    attached = [a for h in heads for a in _attached(s, h)]
    if attached:
        items = sorted(items + attached, key=lambda x: x.pos)
        heads = _heading_runs(s, items, at)
    cuts.update(h.pos for h in heads)
    ordered = sorted(cuts)
    for h in heads:
        end = _heading_end(s, h, ordered, dotted=dotted)
        if end is not None:
            cuts.add(end)
    if not indented:
        cuts.update(_enum_runs(s, items, heads))
    echoed: list[tuple[int, int]] = []
    for p, after in starts.items():
        if after != "colon":
            cuts.update(_plain(s, p, dotted=dotted, addresses=not indented))
            k = _echoed_start(s, p)
            if k is not None:
                echoed.append((p, k))
    if len(echoed) >= 2:  # unnumbered headings count when the text shows the pattern twice
        cuts.update(x for pair in echoed for x in pair)
    pieces, last = [], 0
    for c in sorted(cuts):
        if 0 < c < len(s) and c > last:
            pieces.append(s[last:c])
            last = c
    pieces.append(s[last:])
    return pieces


def _starts(s: str, cuts: set[int]) -> dict[int, str]:
    """Where sentences start, and what precedes each start."""
    out = dict.fromkeys((0, *cuts), "cut")
    for m in _STARTS.finditer(s):
        out.setdefault(m.end(), "colon" if m.group(0)[0] in "：:" else "end")
    return out


def _items(s: str, starts: dict[int, str]) -> list[_Item]:
    """Markers at sentence starts, except inside a quotation (“一、…二、…” cites a document)."""
    quoted = [m.span() for m in _QUOTATION.finditer(s)] if "“" in s or "「" in s else []
    opens = [a for a, _ in quoted]
    out = []
    for p in sorted(starts):
        k = bisect_left(opens, p) - 1
        if k >= 0 and p < quoted[k][1]:
            continue
        marker = match_marker(s[p : p + _PEEK])
        if marker is not None and marker.style != "cn_bare":
            out.append(_Item(p, marker, starts[p]))
    return out


def _follows(prev: Marker, nxt: Marker) -> bool:
    if nxt.ordinal is None:  # 然后, 最后 continue a run of sequence words
        return prev.style == "seq"
    return prev.ordinal is not None and nxt.ordinal == prev.ordinal + 1


def _runs(items: Sequence[_Item], breaks: Sequence[int] = ()) -> list[list[_Item]]:
    """Items grouped into runs: an item continues the open run of its style when it is the next
    number and no break lies between them."""
    runs: list[list[_Item]] = []
    open_runs: dict[str, list[_Item]] = {}
    for it in items:
        run = open_runs.get(it.marker.style)
        if (
            run is not None
            and _follows(run[-1].marker, it.marker)
            and bisect_right(breaks, run[-1].pos) == bisect_right(breaks, it.pos)
        ):
            run.append(it)
        else:
            run = [it]
            runs.append(run)
            open_runs[it.marker.style] = run
    return runs


def _heading_runs(s: str, items: Sequence[_Item], starts: Sequence[int]) -> list[_Item]:
    """Numbered headings that form an outline run of two or more at sentence starts."""
    heads = [it for it in items if it.marker.family == "heading"]
    runs = (run for run in _runs(heads) if _outline_run(s, run, starts))
    return sorted((it for run in runs for it in run), key=lambda x: x.pos)


def _outline_run(s: str, run: Sequence[_Item], starts: Sequence[int]) -> bool:
    """A run is an outline, not an inline list (会议的任务是：1.审议报告。2.通过决议。), when it
    starts at its first number and its items are paragraph-far apart or each heading is followed
    by body text; a run announced by a colon must follow a heading or an address (二、总体要求：
    （一）…, 同志们：一、…) unless its items are paragraph-far apart."""
    if len(run) < 2 or run[0].marker.ordinal != 1:
        return False
    if (run[-1].pos - run[0].pos) / (len(run) - 1) >= _ENUM_GAP:
        return True
    if run[0].after == "colon":
        lead = s[starts[max(0, bisect_left(starts, run[0].pos) - 1)] : run[0].pos]
        if match_marker(lead) is None and ADDRESS.match(lead) is None:
            return False
    return all(_body(s, a, b) >= _BODY_MIN for a, b in pairwise(run))


def _body(s: str, head: _Item, nxt: _Item) -> int:
    """Characters between a heading's first sentence end and the next item."""
    m = _SENTENCE_END.search(s, head.pos + head.marker.end, nxt.pos)
    return nxt.pos - m.end() if m else 0


def _enum_runs(s: str, items: Sequence[_Item], heads: Sequence[_Item]) -> list[int]:
    """Starts of paragraph-initial enumerator runs (see the module doc, rule 4)."""
    enums = sorted((it for it in items if it.marker.family == "enum"), key=lambda x: x.pos)
    out: list[int] = []
    for run in _runs(enums, [h.pos for h in heads]):
        if len(run) < 2 or run[0].marker.ordinal != 1:
            continue
        if any(it.after not in ("end", "cut") for it in run[1:]):
            continue
        lead = s[max(0, run[0].pos - _ANNOUNCE_MAX) : run[0].pos].rstrip()
        # 要把握好以下几点。一是…: an announced run is the paragraph's division whatever its size
        if (run[-1].pos - run[0].pos) / (len(run) - 1) >= _ENUM_GAP or ANNOUNCE.search(lead):
            out.extend(it.pos for it in run)
    return out


def _region(s: str, head: _Item) -> tuple[int, int]:
    """Where a heading's text starts, and how far it can run (its first sentence end)."""
    start = head.pos + head.marker.end
    m = _SENTENCE_END.search(s, start, start + _HEAD_MAX)
    return start, m.start() if m else min(len(s), start + _HEAD_MAX)


def _attached(s: str, head: _Item) -> list[_Item]:
    """First items of a numbering run glued to a heading: 总体要求（一）指导思想。"""
    start, end = _region(s, head)
    out = []
    for m in _FIRST_ITEM.finditer(s, start + 2, end):
        marker = match_marker(s[m.start() : m.start() + _PEEK])
        if marker is not None and marker.ordinal == 1 and marker.style != "cn_bare":
            out.append(_Item(m.start(), marker, "head"))
    return out


def _heading_end(s: str, head: _Item, cuts: Sequence[int], *, dotted: bool) -> int | None:
    """Where the body starts inside the heading's first sentence, if the text shows it."""
    start, end = _region(s, head)
    nxt = bisect_right(cuts, start)
    if nxt < len(cuts) and cuts[nxt] <= end:
        return None  # a cut (indentation, a sub-heading) already ends it
    if _WIDE_GAP.search(s, start, end):
        return None  # 一、百年樹人　教育是…: a run-in title, set off by a wide space
    stop = _SOFT_STOP_RE.search(s, start + 2, end + 1) if dotted else None
    if stop is not None:
        return stop.end()
    opener = OPENER.search(s, start + 4, end)
    if opener is not None and opener.group(0) in _BARE_TIME and s[opener.end()] in "，,":
        opener = None
    for found in (ADDRESS.search(s, start + 2, end), opener):
        if found is not None:
            return found.start() if _whole_heading(s[start : found.start()]) else None
    k = _echo(s, start, end)
    return k if k is not None and _whole_heading(s[start:k]) else None


def _whole_heading(text: str) -> bool:
    """A heading does not stop on a dangling word or a clause stub (…学习先进，是为了)."""
    last = re.split(r"[，,、]", text)[-1]
    return len(last) >= _CLAUSE_MIN and text[-1] not in _DANGLING


def _echo(s: str, start: int, end: int) -> int | None:
    """马克思主义中国化时代化新境界马克思主义是…: the body's first clause repeats a term of the
    heading and goes on with 是 or a comma."""
    for k in range(start + 4, end - 1):
        if s[k - 1] in CLAUSE or s[k] in CLAUSE:
            continue
        head = s[start:k]
        m = _ECHO_MIN
        if s[k : k + m] not in head:
            continue
        while k + m < end and s[k + m] not in CLAUSE and s[k : k + m + 1] in head:
            m += 1
        if k + m < len(s) and s[k + m] in "是，,":
            return k
    return None


def _echoed_start(s: str, p: int) -> int | None:
    """一百年前的承諾一百年前，…: a short unpunctuated heading whose body starts by repeating its
    first words (at least ``_ECHO_HEAD`` characters, so 一九五三年到一九五七年 is no heading)."""
    opening = s[p : p + _ECHO_HEAD]
    k = s.find(opening, p + _ECHO_HEAD, p + _PLAIN_MAX + _ECHO_HEAD)
    if k < 0 or _HEAD_STOP.search(s, p, k) or len(_HAN.findall(opening)) < 2:
        return None
    m = len(opening)
    while k + m < len(s) and s[p + m] == s[k + m] and s[k + m] not in _HEAD_STOPS:
        m += 1
    # words, not a repeated number (二〇二四年…二〇二四年)
    words = [ch for ch in _HAN.findall(s, p, p + m) if ch not in CN_NUM]
    return k if len(words) >= 2 else None


def _plain(s: str, p: int, *, dotted: bool, addresses: bool) -> tuple[int, ...]:
    """Cuts around an unnumbered heading or before an address starting at ``p``."""
    m = _CLOSING_WORD.match(s, p) or (_DOTTED.match(s, p) if dotted else None)
    if m is not None:
        return (p, m.end())
    if _UNINDENTED.match(s, p):
        return (p,)
    # 同志们，/ 同志们：/ 各位代表！ open a paragraph (a closing); 各位乡亲：… is said inside one.
    if addresses and (m := ADDRESS.match(s, p)) is not None and (m["plural"] or m.group(0)[-1] not in "：:"):
        return (p,)
    return ()
