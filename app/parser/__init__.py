"""Pure parser: ``str -> ParsedSpeech``. Standard library only; no I/O, settings or clock."""

from app.parser.decode import decode
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
from app.parser.normalise import normalise
from app.parser.parse import parse
from app.parser.serialise import to_dict

# Bump whenever parse output changes for some input, so stored results can be re-derived.
PARSER_VERSION = "1.3.0"

__all__ = [
    "PARSER_VERSION",
    "Diagnostic",
    "Heading",
    "Metadata",
    "Paragraph",
    "ParsedSpeech",
    "Quote",
    "Section",
    "Sentence",
    "Span",
    "decode",
    "normalise",
    "parse",
    "to_dict",
]
