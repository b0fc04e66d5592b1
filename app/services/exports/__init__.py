"""Exports of one speech (JSON tree, Markdown, plain text, Akoma Ntoso, JSON-LD) from one source.

Every format is rendered from the same `SpeechExport` (tree.build_export), so they all agree,
and each rendering is a pure function of the speech's version: the ETag names it exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from app.services.exports import akn, jsonld, markdown, text
from app.services.exports.shapes import SpeechExport

FormatKey = Literal["json", "md", "txt", "akn", "jsonld"]


@dataclass(frozen=True, slots=True)
class Format:
    key: FormatKey
    media_type: str  # what the response says it is
    accepts: tuple[str, ...]  # media types in Accept that select this format, best first
    extension: str
    render: Callable[[SpeechExport, str], str]  # (tree, public base URL) -> body


def _json(doc: SpeechExport, base: str) -> str:
    return doc.model_dump_json(indent=2) + "\n"


def _jsonld(doc: SpeechExport, base: str) -> str:
    return json.dumps(jsonld.speech(doc, base=base), ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[FormatKey, Format] = {
    "json": Format("json", "application/json", ("application/json",), "json", _json),
    "md": Format(
        "md",
        "text/markdown; charset=utf-8",
        ("text/markdown", "text/x-markdown"),
        "md",
        lambda doc, base: markdown.render(doc),
    ),
    "txt": Format(
        "txt", "text/plain; charset=utf-8", ("text/plain",), "txt", lambda doc, base: text.render(doc)
    ),
    "akn": Format(
        "akn",
        "application/akn+xml; charset=utf-8",
        ("application/akn+xml", "application/xml", "text/xml"),
        "akn.xml",
        lambda doc, base: akn.render(doc),
    ),
    "jsonld": Format("jsonld", "application/ld+json", ("application/ld+json",), "jsonld", _jsonld),
}
