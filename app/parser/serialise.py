"""``ParsedSpeech`` -> the ``parse`` JSON contract of DESIGN.md (plain dicts, lists and str)."""

from __future__ import annotations

from typing import Any

from app.parser.nodes import Paragraph, ParsedSpeech, Section, Span


def to_dict(parsed: ParsedSpeech, include_text: bool = False) -> dict[str, Any]:
    """The parse result as JSON-ready data; ``text`` only when ``include_text``."""
    meta = parsed.metadata
    out: dict[str, Any] = {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "speaker": meta.speaker,
        "date": meta.date,
        "occasion": meta.occasion,
        "preamble": _block(parsed.preamble),
        "sections": [_section(s) for s in parsed.sections],
        "closing": _block(parsed.closing),
        "footnotes": [_paragraph_dict(p) for p in parsed.footnotes],
        "quotes": [
            {
                "kind": q.kind,
                "text": q.text,
                "source": q.source,
                "eid": q.eid,
                "span": _span(q.span),
                "score": q.score,
                "reason": q.reason,
            }
            for q in parsed.quotes
        ],
        "diagnostics": [
            {"code": d.code, "message": d.message, "line": d.line, "span": _span(d.span)}
            for d in parsed.diagnostics
        ],
    }
    if include_text:
        out["text"] = parsed.text
    return out


def _span(span: Span) -> list[int]:
    return [span.start, span.end]


def _block(section: Section | None) -> dict[str, Any] | None:
    if section is None:
        return None
    return {
        "eid": section.eid,
        "span": _span(section.span),
        "paragraphs": [p.text for p in section.paragraphs],
    }


def _paragraph_dict(p: Paragraph) -> dict[str, Any]:
    return {"eid": p.eid, "span": _span(p.span), "text": p.text}


def _section(s: Section) -> dict[str, Any]:
    return {
        "eid": s.eid,
        "kind": s.kind,
        "level": s.level,
        "marker": s.marker,
        "ordinal": s.ordinal,
        "heading": s.title,
        "span": _span(s.span),
        "heading_span": _span(s.heading.span) if s.heading else None,
        "paragraphs": [p.text for p in s.paragraphs],
        "children": [_section(c) for c in s.children],
    }
