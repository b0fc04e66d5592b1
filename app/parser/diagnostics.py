"""Diagnostics: problems found while parsing, reported as data (never raised)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from app.parser.levels import Finding
from app.parser.lines import Line
from app.parser.nodes import Diagnostic, Section, Span
from app.parser.numerals import to_int

_ANNOUNCED = re.compile(
    r"(?:讲|講|谈|談|说|說|提|汇报|匯報|强调|強調|报告|報告)(?:以下)?(?P<n>[一二两三四五六七八九十]{1,2}|[1-9１-９])"
    r"(?:点|點|个问题|個問題|个方面|個方面|方面|个层次|個層次|层意思|層意思|条|條)"
)
# A heading that stops on a connective or an opening bracket was probably cut off.
# (Not 和/与: 碳中和, 共和 end real headings.)
_TRUNCATED = re.compile(r"(?:[的、，,（(“「《—]|以及|并且|並且)$")


def from_findings(findings: Sequence[Finding], lines: Sequence[Line]) -> list[Diagnostic]:
    return [_at(f.code, f.message, lines[f.line]) for f in findings]


def announced_count(
    preamble: Section | None, parts: Sequence[Section], lines: Sequence[Line]
) -> list[Diagnostic]:
    """``我讲三点意见`` in the preamble, but a different number of (non-closing) parts."""
    if preamble is None or not parts:
        return []
    found = [p for p in parts if not _is_closing_part(p)]
    for para in reversed(preamble.paragraphs):
        m = _ANNOUNCED.search(para.text)
        if m is None:
            continue
        n = to_int(m.group("n"))
        if n is not None and n != len(found):
            start = para.span.start + m.start()
            return [
                Diagnostic(
                    "announced-count",
                    f"the preamble announces {n} parts ({m.group(0)}) but {len(found)} were found",
                    _line_number(lines, para.span.start),
                    Span(start, para.span.start + m.end()),
                )
            ]
        return []
    return []


def truncated_headings(sections: Sequence[Section], lines: Sequence[Line]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    stack = list(reversed(sections))
    while stack:
        s = stack.pop()
        if s.heading is not None and s.title and _TRUNCATED.search(s.title):
            line = lines[_line_number(lines, s.heading.span.start) - 1]
            out.append(_at("heading-truncated", f"heading looks cut off: …{s.title[-10:]}", line))
        stack.extend(reversed(s.children))
    return out


def _is_closing_part(section: Section) -> bool:
    return bool(section.title) and section.title in {"结束语", "結束語", "结语", "結語"}


def _at(code: str, message: str, line: Line) -> Diagnostic:
    return Diagnostic(code, message, line.index + 1, Span(line.start, line.end))


def _line_number(lines: Sequence[Line], offset: int) -> int:
    """1-based number of the line containing ``offset``."""
    return max(bisect_right(lines, offset, key=lambda x: x.start), 1)
