"""``parse``: normalised text -> ``ParsedSpeech``. Total: any string parses."""

from __future__ import annotations

from app.parser import diagnostics as diag
from app.parser.candidates import Candidate, article_runs, classify, inside_quotes
from app.parser.levels import assign_levels
from app.parser.lines import split_lines
from app.parser.metadata import extract_metadata, front_matter_end
from app.parser.nodes import Diagnostic, Heading, Paragraph, ParsedSpeech, Section, Span
from app.parser.normalise import normalise
from app.parser.outline import (
    block,
    build_sections,
    closing_start,
    paragraph,
    trailer_start,
    units_for,
)
from app.parser.quotes import extract_quotes
from app.parser.signature import signature_start, signed


def parse(text: str) -> ParsedSpeech:
    """Parse a speech. ``parse(x).text == normalise(x)``; every span points into that text."""
    text = normalise(text)
    lines = split_lines(text)
    body_start = front_matter_end(lines)
    body_end = trailer_start(lines, body_start)
    signature = signature_start(lines, body_start, body_end)
    front = lines[:body_start]
    metadata = signed(extract_metadata(front), [x.text for x in lines[signature:body_end]])
    body_end = signature  # a letter's or a document's signature is trailing matter (footnotes)

    cands: list[Candidate] = []
    body = lines[:body_end]
    quoted = inside_quotes(body)
    i = body_start
    while i < body_end:
        found = [] if i in quoted else classify(body, i)
        cands.extend(found)
        i = max((c.last_line for c in found), default=i) + 1
    accepted, findings = assign_levels(article_runs(body, cands))
    last = accepted[-1] if accepted else None
    after_last = last.last_line + 1 if last else body_start
    closing_at = closing_start(lines, after_last, body_end, last)

    units = units_for(lines, body_start, closing_at, [c for c in accepted if c.line < closing_at])
    preamble_paras, sections = build_sections(text, units)
    preamble = _preamble(preamble_paras)
    closing = block(text, lines[closing_at:body_end], "closing", "closing")
    footnotes = tuple(
        paragraph(text, f"footnote_{n}", x.start, x.end) for n, x in enumerate(lines[body_end:], 1)
    )
    diagnostics: list[Diagnostic] = diag.from_findings(findings, lines)
    diagnostics += diag.announced_count(preamble, sections, lines)
    diagnostics += diag.truncated_headings(sections, lines)
    diagnostics.sort(key=lambda d: (d.span.start, d.code))

    quotes = extract_quotes(text, _blocks(preamble, sections, closing))
    return ParsedSpeech(
        text=text,
        metadata=metadata,
        front_matter=tuple(Heading(x.text, Span(x.start, x.end)) for x in front),
        preamble=preamble,
        sections=tuple(sections),
        closing=closing,
        footnotes=footnotes,
        quotes=quotes,
        diagnostics=tuple(diagnostics),
    )


def _preamble(paras: list[Paragraph]) -> Section | None:
    if not paras:
        return None
    span = Span(paras[0].span.start, paras[-1].span.end)
    return Section("preamble", "preamble", 0, None, None, None, None, tuple(paras), (), span)


def _blocks(
    preamble: Section | None, sections: list[Section], closing: Section | None
) -> list[tuple[str, Span]]:
    """(eid of the enclosing section, span) for every heading and paragraph, in document order."""
    out: list[tuple[str, Span]] = []

    def walk(s: Section) -> None:
        if s.heading is not None:
            out.append((s.eid, s.heading.span))
        out.extend((s.eid, p.span) for p in s.paragraphs)
        for c in s.children:
            walk(c)

    for s in ([preamble] if preamble else []) + sections + ([closing] if closing else []):
        walk(s)
    return out
