"""Level assignment: which candidates are sections, and how deep each one sits.

A stack of open sections is run over the candidates in document order. A style's level is
fixed by where it first appears (a new style opens one level below the innermost open
section), the way a reader infers a hierarchy, and a marker only counts when it continues the
sequence of its style at that level or starts a new one at 1. Enumerators (一是, 第一，) never
contain numbered headings, and a lone enumerator (一是 without 二是) is just prose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from app.parser.candidates import Candidate
from app.parser.rules import CONTINUOUS, RUN_MIN, run_key

# GB/T 9704 depth of each numbered style. Used to report skipped levels and to refuse gross
# inversions (一、 is never inside a 1. list); otherwise first appearance decides.
_GBT_RANK = {
    "cn_dun": 1,
    "cn_space": 1,
    "cn_bare": 1,
    "paren_cn": 2,
    "arabic": 3,
    "paren_num": 4,
    "circled": 5,
}
_MAX_GAP = 3
_TOP_STYLES = frozenset({"ordinal", "fin_dun", "roman"})
_ORDINAL_STYLES = frozenset({"ordinal", "ordinal_comma"})
_INTRO = re.compile(r"^(?:前言|引言|序言|导言|導言|开场白|開場白|导语|導語|概述|绪论|緒論)$")


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    line: int  # index of the line


def assign_levels(cands: Sequence[Candidate]) -> tuple[list[Candidate], list[Finding]]:
    """The accepted candidates (level and parent set) and the numbering problems found."""
    cands = _first_of_ordinals(cands)
    dropped: set[int] = set()
    for _ in range(6):
        outline = _Outline(cands=[c for c in cands if c.start not in dropped])
        accepted = outline.run()
        more = _misplaced(accepted)
        if not more:
            break
        dropped |= more
    return accepted, outline.findings


def _first_of_ordinals(cands: Sequence[Candidate]) -> list[Candidate]:
    """首先，… followed by 第二、/第二，…: the sequence word is item 1 of the ordinal run."""
    out = list(cands)
    last: dict[str, int | None] = {}  # the latest ordinal of each style so far
    for i, (c, nxt) in enumerate(pairwise(out)):
        last[c.style] = c.ordinal
        opens = c.style == "seq" and c.ordinal == 1 and nxt.style in _ORDINAL_STYLES and nxt.ordinal == 2
        if opens and last.get(nxt.style) != 1:  # not when 第二 continues a 第一 of its own
            out[i] = replace(c, style=nxt.style, family=nxt.family)
    return out


class _Outline:
    """One pass of the stack machine over the candidates."""

    def __init__(self, cands: Sequence[Candidate]) -> None:
        self.cands = cands
        self.has_outline = any(c.family != "enum" for c in cands)
        self.last_start = {c.style: c.start for c in cands}  # where each style last occurs
        self.accepted: list[Candidate] = []
        self.findings: list[Finding] = []
        self.stack: list[int] = []
        self.plain_top = False
        self.last_ordinal: dict[str, int] = {}  # the latest accepted number of each CONTINUOUS style
        self.item_styles: set[tuple[int, str]] = set()  # (section, style) nested in its enumerator items
        self.pos = 0  # index of the candidate being placed

    def run(self) -> list[Candidate]:
        for pos, c in enumerate(self.cands):
            self.pos = pos
            if c.family == "plain":
                self._plain(c)
            else:
                self._numbered(c)
        return self.accepted

    def _top(self, depth: int = -1) -> Candidate:
        return self.accepted[self.stack[depth]]

    def _find(self, style: str) -> int | None:
        for k in range(len(self.stack) - 1, -1, -1):
            if self._top(k).style == style:
                return k
        return None

    def _push(self, c: Candidate, depth: int) -> None:
        del self.stack[depth:]
        parent = self.stack[-1] if self.stack else -1
        self.accepted.append(replace(c, level=depth + 1, parent=parent))
        self.stack.append(len(self.accepted) - 1)
        if c.style in CONTINUOUS and c.ordinal is not None:
            self.last_ordinal[c.style] = c.ordinal

    def _pop_enums(self) -> None:
        while self.stack and self._top().family == "enum":
            self.stack.pop()

    def _note(self, code: str, message: str, c: Candidate) -> None:
        self.findings.append(Finding(code, message, c.line))

    def _plain(self, c: Candidate) -> None:
        k = self._find("plain")
        if k is not None:
            self._push(c, k)
        elif self.plain_top or not self.stack:
            self.plain_top = True
            self._push(c, 0)
        elif c.closing or self.last_start.get(self._top(0).style, -1) < c.start:
            self._push(c, 0)  # after the last top-level heading: a sibling (結語, a closing section)
        else:
            self._pop_enums()
            self._push(c, len(self.stack))

    def _numbered(self, c: Candidate) -> None:
        k = self._find_continued(c)
        if k is not None:
            self._continue(c, k)
        elif self._continues_across(c):
            self._open_style(c)
        elif c.family == "heading" and not self.stack and c.ordinal and 1 < c.ordinal <= _MAX_GAP + 1:
            # An excerpt may start at 二、: keep the outline, report the missing start.
            self._note("numbering-gap", f"the outline starts at {c.marker}", c)
            self._push(c, 0)
        elif c.ordinal != 1:
            if c.family == "heading" and c.head_end == c.end:
                self._note("unplaced-line", f"{c.marker} starts no sequence and continues none", c)
        elif c.family == "enum":
            if self.stack or not self.has_outline:  # before the first heading, it is preamble prose
                self._push(c, len(self.stack))
        else:
            self._open_style(c)

    def _find_continued(self, c: Candidate) -> int | None:
        """Depth of the open section of c's style that c continues (一、 after a nested 一、…六、
        list resumes the outer 三、), else the innermost one of its style."""
        found = None
        for k in range(len(self.stack) - 1, -1, -1):
            top = self._top(k)
            if top.style == c.style:
                if c.ordinal is None or c.ordinal == (top.ordinal or 0) + 1:
                    return k
                found = k if found is None else found
        return found

    def _continues_across(self, c: Candidate) -> bool:
        """第三条 under 第二章: a style numbered through the document continues its last number
        under a new parent instead of starting again at 1 there (a jump is reported: articles
        the outline does not see, e.g. run together on one line)."""
        prev = self.last_ordinal.get(c.style)
        if prev is None or c.ordinal is None or c.ordinal <= prev:
            return False
        if c.ordinal > prev + 1:
            self._note("numbering-gap", f"{c.marker} follows number {prev}", c)
        return True

    def _continue(self, c: Candidate, k: int) -> None:
        prev = self._top(k).ordinal or 0
        n = prev + 1 if c.ordinal is None else c.ordinal
        if n == prev + 1 or (c.family == "enum" and n == 1):
            self._push(replace(c, ordinal=n), k)
        elif c.family != "heading":
            return
        elif n == 1:
            self._restart(c, k, prev)
        elif prev + 1 < n <= prev + _MAX_GAP or (c.style in CONTINUOUS and n > prev):
            self._note("numbering-gap", f"{c.marker} follows number {prev}", c)
            self._push(c, k)
        elif n == prev:
            self._note("numbering-duplicate", f"{c.marker} repeats number {prev}", c)
            self._push(c, k)
        elif c.head_end == c.end:
            self._note("unplaced-line", f"{c.marker} does not continue number {prev}", c)

    def _restart(self, c: Candidate, k: int, prev: int) -> None:
        """一、 while 三、 is open: a list nested in 三、 when a later 四、 resumes the outer
        numbering, else a second run of the same level."""
        seq = 1
        # An index walk, not a slice: copying the tail on every restart made 一、二、一、二… quadratic.
        for j in range(self.pos + 1, len(self.cands)):
            later = self.cands[j]
            if later.style != c.style or later.ordinal is None:
                continue
            if later.ordinal == seq + 1:
                seq += 1
            elif later.ordinal == prev + 1:
                self._push(c, k + 1)
                return
            else:
                break
        self._note("numbering-restart", f"{c.marker} starts the numbering again after number {prev}", c)
        self._push(c, k)

    def _open_style(self, c: Candidate) -> None:
        """A numbered style seen for the first time at this point of the outline."""
        if not self._opens_in_item(c):
            self._pop_enums()
        rank = _GBT_RANK.get(c.style)
        if rank is not None:
            for depth, index in enumerate(self.stack):
                lower = _GBT_RANK.get(self.accepted[index].style)
                if lower is not None and lower >= rank + 2:
                    self._push(c, depth)  # 一、 after a 1. list: never inside it
                    return
        if self.stack and self._top().style == "plain" and not _adopts(self._top(), c):
            self._push(c, len(self.stack) - 1)
            return
        if self.stack:
            parent = self._top()
            parent_rank = _GBT_RANK.get(parent.style)
            if rank is not None and parent_rank is not None and rank - parent_rank > 1:
                self._note("level-skip", f"{c.marker} directly under {parent.marker}", c)
        self._push(c, len(self.stack))

    def _opens_in_item(self, c: Candidate) -> bool:
        """（一） after 第三， is a list inside that point when the enumerator run goes on after it
        (第四， follows), and so is every later list of that style under the same section (one
        after the last point); otherwise it is a heading beside the run, which is then prose."""
        if c.family != "heading" or c.ordinal != 1 or not self.stack or self._top().family != "enum":
            return False
        depth = len(self.stack) - 1
        while depth and self._top(depth - 1).family == "enum":
            depth -= 1
        key = (self.stack[depth - 1] if depth else -1, c.style)
        if key in self.item_styles or self._run_resumes():
            self.item_styles.add(key)
            return True
        return False

    def _run_resumes(self) -> bool:
        """Whether the innermost enumerator run continues before any open outer section does."""
        item = self._top()
        key = run_key(item.style, item.marker)
        outer = {self._top(k).style for k in range(len(self.stack) - 1)}
        for j in range(self.pos + 1, len(self.cands)):
            later = self.cands[j]
            if later.family == "enum" and run_key(later.style, later.marker) == key:
                return later.ordinal is None or later.ordinal > (item.ordinal or 0)
            if later.style in outer:
                return False
        return False


def _adopts(plain: Candidate, c: Candidate) -> bool:
    """Whether numbered headings after an unnumbered one are its children (028, 034) rather
    than its siblings: ordinal words (第一、) and 壹、 are a speaker's own top-level device (015),
    and an introduction (前言) introduces, it does not contain."""
    return c.style not in _TOP_STYLES and not _INTRO.match(plain.title)


def _misplaced(accepted: Sequence[Candidate]) -> set[int]:
    """Starts of accepted candidates that are not structure after all."""
    children: dict[int, list[Candidate]] = {}
    for c in accepted:
        children.setdefault(c.parent, []).append(c)
    weak: set[int] = set()
    for parent, kids in children.items():
        weak |= _weak_enumerations(kids)
        # A lone unnumbered line inside a numbered section is prose, not a sub-heading.
        plain = [c for c in kids if c.style == "plain"]
        if parent >= 0 and len(plain) == 1 and accepted[parent].style != "plain" and not plain[0].closing:
            weak.add(plain[0].start)
    weak |= _superseded_top_runs(children.get(-1, []))
    return weak


def _weak_enumerations(siblings: Sequence[Candidate]) -> set[int]:
    """Enumerator runs that are not structure: single items, or runs beside explicit headings."""
    runs: dict[str, list[Candidate]] = {}
    for c in siblings:
        if c.family == "enum":
            runs.setdefault(run_key(c.style, c.marker), []).append(c)
    if not runs:
        return set()
    if any(c.family != "enum" for c in siblings):
        return {c.start for items in runs.values() for c in items}
    weak: set[int] = set()
    for items in runs.values():
        # A run needs at least two items (第一个X，: three); each restart at 1 begins a new run.
        need = RUN_MIN.get(items[0].style, 2)
        starts = [i for i, c in enumerate(items) if c.ordinal == 1 or i == 0] + [len(items)]
        for a, b in pairwise(starts):
            if b - a < need:
                weak.update(x.start for x in items[a:b])
    return weak


def _superseded_top_runs(top: Sequence[Candidate]) -> set[int]:
    """A 1. list in the preamble is not the outline when 一、 headings follow it."""
    ranks = [_GBT_RANK.get(c.style) for c in top]
    best = min((r for r in ranks if r is not None), default=None)
    if best is None:
        return set()
    first_best = next(i for i, r in enumerate(ranks) if r == best)
    return {
        c.start
        for c, r in zip(top[:first_best], ranks[:first_best], strict=True)
        if r is not None and r > best
    }
