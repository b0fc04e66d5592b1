"""Sentence splitting: contiguous pieces, so every sentence span slices the text exactly."""

from __future__ import annotations

import re

from app.parser.nodes import Sentence, Span

_CLOSERS = "”’」』）)》〉】\"'"
_ENDS = "。！？；!?;…"
# A sentence runs to its end mark(s) with any closing quotes/brackets attached.
_SENTENCE = re.compile(rf"[^{_ENDS}]*[{_ENDS}]+[{_CLOSERS}]*|[^{_ENDS}]+")
# A heading sentence ends at the first full stop, exclamation, question mark or semicolon.
_FIRST_END = re.compile(rf"[。！？；!?;][{_CLOSERS}]*")


def split_sentences(text: str, start: int, end: int) -> tuple[Sentence, ...]:
    """The sentences of ``text[start:end]``, with spans into ``text``."""
    out = []
    for m in _SENTENCE.finditer(text, start, end):
        if m.end() > m.start():
            out.append(Sentence(m.group(0), Span(m.start(), m.end())))
    return tuple(out)


def first_sentence_end(text: str, start: int, end: int) -> int | None:
    """Offset just after the first sentence end in ``text[start:end]``, or None."""
    m = _FIRST_END.search(text, start, end)
    return m.end() if m else None
