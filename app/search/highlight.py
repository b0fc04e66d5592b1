"""Highlights and snippets, computed in Python from the original text (same on every backend).

Matching happens on folded text (``tokens.fold``) and offsets are mapped back, so 勞模 highlights
劳模 in a Simplified text and 劳模 highlights 勞模 in a Traditional one, case-insensitively for
Latin letters. Offsets are code-point indexes into the original text.
"""

from __future__ import annotations

import html
import unicodedata

from app.search.query import Query, keyword_pattern
from app.search.tokens import fold_spans

Span = tuple[int, int]

ELLIPSIS = "…"


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def find_matches(text: str, query: Query) -> list[Span]:
    """Every occurrence of every positive keyword in ``text``, as sorted (start, end) offsets.

    Overlapping or touching occurrences are merged into one span. For keywords without
    punctuation the occurrences are exactly the substring matches of the folded keyword in the
    folded text (the same truth the index answers); keywords with punctuation match their runs in
    order with only separators between them. Excluded keywords are not highlighted.
    """
    if not query.keywords or not text:
        return []
    folded, starts, ends = fold_spans(text)
    spans: list[Span] = []
    for keyword in query.keywords:
        pattern = keyword_pattern(keyword.runs)
        pos = 0
        while (m := pattern.search(folded, pos)) is not None:
            if m.end() > m.start():
                spans.append((starts[m.start()], ends[m.end() - 1]))
            pos = m.start() + 1  # overlapping occurrences: "劳劳" twice in "劳劳劳"
    return _merge(spans)


def _clip(matches: list[Span], size: int) -> list[Span]:
    """Well-formed spans inside [0, size): whatever the caller passed, marks can never nest."""
    return _merge([(max(0, s), min(size, e)) for s, e in matches if min(size, e) > max(0, s)])


def _window(text: str, first: Span | None, width: int) -> Span:
    size = len(text)
    if size <= width:
        return 0, size
    if first is None:
        start, end = 0, width
    else:
        length = first[1] - first[0]
        # Roughly a third of the spare room before the match, the rest after it.
        start = max(0, min(first[0] - max(0, width - length) // 3, size - width))
        end = min(size, max(start + width, first[1]))
    # Never cut a base character from its combining marks.
    while 0 < start < size and unicodedata.combining(text[start]):
        start -= 1
    while 0 < end < size and unicodedata.combining(text[end]):
        end += 1
    return start, end


def snippet(text: str, matches: list[Span], *, width: int = 60) -> tuple[str, list[Span]]:
    """An HTML snippet of about ``width`` characters around the first match, and its highlights.

    Text is HTML-escaped (``& < > " '``) and every match inside the window is wrapped in
    ``<mark>…</mark>``; ``…`` marks a cut at either end. The returned spans are the highlighted
    (start, end) offsets into the original ``text``, clipped to the window. Any ``matches`` are
    accepted (unsorted, overlapping, out of range): they are clipped and merged first, so the
    output is always well-formed HTML. Without matches the snippet is the start of the text.
    """
    width = max(1, width)
    spans = _clip(matches, len(text))
    start, end = _window(text, spans[0] if spans else None, width)
    inside = _clip(spans, end)
    inside = [(max(s, start), e) for s, e in inside if e > start]
    parts = [ELLIPSIS] if start > 0 else []
    pos = start
    for s, e in inside:
        parts.append(html.escape(text[pos:s]))
        parts.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts), inside
