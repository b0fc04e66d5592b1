"""Pure parser: ``str -> ParsedSpeech``. Standard library only; no I/O, settings or clock."""

from app.parser.nodes import (
    Diagnostic,
    Heading,
    Metadata,
    Paragraph,
    ParsedSpeech,
    Quote,
    Section,
    Sentence,
    Span,
)

__all__ = [
    "Diagnostic",
    "Heading",
    "Metadata",
    "Paragraph",
    "ParsedSpeech",
    "Quote",
    "Section",
    "Sentence",
    "Span",
]
