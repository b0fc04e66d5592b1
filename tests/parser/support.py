"""Shared helpers for parser tests: reference-text paths and the structural invariants.

Reference texts are read from ../shared (next to the repository), never copied into it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.parser import Heading, Paragraph, ParsedSpeech, Section

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
DEV_TEXTS = CORPUS / "dev" / "texts"
DEV_GOLD = CORPUS / "dev" / "gold"
SCORER = SHARED / "tools" / "score_outline.py"
_SEED_PATHS = (REPO / "app" / "data" / "labour-day-speech.txt", CORPUS / "labour-day-speech.txt")

needs_shared = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def seed_text() -> str:
    for path in _SEED_PATHS:
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip("seed speech not available (../shared is absent)")


def walk(sections: tuple[Section, ...]) -> Iterator[Section]:
    for s in sections:
        yield s
        yield from walk(s.children)


def leaves(parsed: ParsedSpeech) -> list[Heading | Paragraph]:
    """Every leaf node: front-matter lines, headings, paragraphs, footnotes."""
    out: list[Heading | Paragraph] = list(parsed.front_matter)
    blocks = ([parsed.preamble] if parsed.preamble else []) + list(parsed.sections)
    blocks += [parsed.closing] if parsed.closing else []
    for s in walk(tuple(blocks)):
        if s.heading is not None:
            out.append(s.heading)
        out.extend(s.paragraphs)
    out.extend(parsed.footnotes)
    return out


def assert_invariants(parsed: ParsedSpeech) -> None:
    """The nodes.py invariants: exact spans, no overlap, full coverage, non-empty sections."""
    text = parsed.text
    nodes = sorted(leaves(parsed), key=lambda n: n.span.start)
    position = 0
    for node in nodes:
        assert node.text, f"empty leaf at {node.span}"
        assert text[node.span.start : node.span.end] == node.text
        gap = text[position : node.span.start]
        assert gap in ("", "\n") if position else gap == "", f"uncovered {gap!r} before {node.span}"
        position = node.span.end
    assert text[position:] == ""
    for s in walk(parsed.sections + tuple(x for x in (parsed.preamble, parsed.closing) if x)):
        assert s.span.end > s.span.start, f"{s.eid} has an empty span"
        if s.heading is not None:
            assert s.span.start == s.heading.span.start
        for p in s.paragraphs:
            assert "".join(x.text for x in p.sentences) == p.text
            for sentence in p.sentences:
                assert text[sentence.span.start : sentence.span.end] == sentence.text
                assert p.span.start <= sentence.span.start < sentence.span.end <= p.span.end
        last = (
            s.children[-1].span.end if s.children else (s.paragraphs[-1].span.end if s.paragraphs else None)
        )
        assert last is None or s.span.end == last
