"""A speech as plain text: a header of labelled metadata lines, a blank line, the normalised text.

The header has no blank line in it, so everything after the first blank line is exactly the
speech's normalised text, the text every `span` of the API points into.
"""

from __future__ import annotations

from app.services.exports.fields import labelled
from app.services.exports.shapes import SpeechExport


def render(doc: SpeechExport) -> str:
    header = "\n".join(f"{label}：{value}" for _, label, value in labelled(doc.metadata))
    return f"{header}\n\n{doc.text}"
