"""A speech as Markdown (CommonMark): title, the metadata list, then the outline as headings.

Headings carry their eid as an attribute (`## 一、… {#part_1}`), the syntax Pandoc, kramdown,
Python-Markdown (attr_list) and markdown-it-attrs read as the heading's id, so links to
`#part_2__point_3` work after conversion as they do in the API. Text is escaped so that nothing
in a speech turns into Markdown syntax.
"""

from __future__ import annotations

import re

from app.services.exports.fields import labelled
from app.services.exports.shapes import ExportParagraph, ExportSection, SpeechExport

# ASCII punctuation that can start or end Markdown syntax anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~{}!#&])")
# Line starts that make a block: lists, quotes, headings, rules, setext underlines, code fences.
_BLOCK_START = re.compile(r"^(\s*\d*)([-+=.)])")


def escape(text: str, *, one_line: bool = False) -> str:
    """Text that renders as itself: Markdown punctuation backslash-escaped; line breaks kept as
    hard breaks, or (`one_line`, for headings and list items) folded into spaces."""
    if one_line:
        text = " ".join(text.split())
    lines = []
    for line in text.split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        line = _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        lines.append(line.lstrip(" \t"))  # leading spaces would make an indented code block
    return "  \n".join(lines)  # a hard line break keeps a line break of the text


def _heading(section: ExportSection) -> str | None:
    if section.kind in ("preamble", "closing"):
        return None
    if section.kind == "footnotes":
        return "---"
    text = (section.marker or "") + (section.heading or "")
    level = min(6, max(2, section.level + 1))
    return f"{'#' * level} {escape(text, one_line=True) or section.eid} {{#{section.eid}}}"


def _section(section: ExportSection, out: list[str]) -> None:
    heading = _heading(section)
    if heading is not None:
        out.append(heading)
    blocks: list[ExportParagraph | ExportSection] = [*section.paragraphs, *section.children]
    for block in sorted(blocks, key=lambda b: b.span[0]):
        if isinstance(block, ExportSection):
            _section(block, out)
        else:
            out.append(escape(block.text))


def render(doc: SpeechExport) -> str:
    """The speech as one Markdown document (UTF-8 text ending with a newline)."""
    meta = doc.metadata
    out = [f"# {escape(meta.title or doc.slug, one_line=True)}"]
    if meta.subtitle:
        out.append(f"*{escape(meta.subtitle, one_line=True)}*")
    rows = [
        (label, value) for name, label, value in labelled(meta) if name != "title"
    ]  # the title is the # line
    out.append("\n".join(f"- {label}：{escape(value, one_line=True)}" for label, value in rows))
    for section in doc.sections:
        _section(section, out)
    return "\n\n".join(out) + "\n"
