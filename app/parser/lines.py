"""Lines of the normalised text with their offsets: the unit every later stage works on."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Line:
    index: int  # 0-based; diagnostics report index + 1
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    return [Line(i, m.start(), m.end(), m.group(0)) for i, m in enumerate(_LINE.finditer(text))]
