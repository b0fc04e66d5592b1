"""The parser's output: frozen dataclasses with spans into the normalised text.

Invariants (tested in tests/parser):
- ``text[node.span.start:node.span.end]`` is exactly the node's content for every leaf
  (heading line, paragraph, sentence, footnote block, front-matter line).
- Leaves are in document order and never overlap; every character of the normalised text
  belongs to exactly one leaf, except the ``\\n`` that separates two consecutive lines.
- A section's span runs from the start of its heading to the end of its last descendant.
- Spans are excluded from equality (``compare=False``) so structural comparisons ignore offsets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class Paragraph:
    eid: str
    text: str
    sentences: tuple[Sentence, ...]
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading line or run-in heading sentence, marker included (``一是加大宣传，…XX。``)."""

    text: str
    span: Span = field(compare=False)


SectionKind = Literal["preamble", "part", "point", "item", "subitem", "closing"]


@dataclass(frozen=True, slots=True)
class Section:
    eid: str  # Akoma Ntoso style: part_2, part_2__point_3; preamble; closing
    kind: SectionKind
    level: int  # 1 = top level of the outline; preamble and closing are 0
    marker: str | None  # "一、", "（二）", "一是", None for unnumbered headings
    ordinal: int | None  # the marker's number (一是 -> 1); None when unnumbered
    title: str | None  # the heading without marker and trailing punctuation
    heading: Heading | None  # the heading leaf; None for preamble and closing
    paragraphs: tuple[Paragraph, ...]  # body paragraphs before the first child
    children: tuple[Section, ...]
    span: Span = field(compare=False)
    style: str | None = None  # numbering style key from the rule table ("cn_dun", "paren_cn", …)


QuoteKind = Literal["citation", "term", "golden"]


@dataclass(frozen=True, slots=True)
class Quote:
    kind: QuoteKind
    text: str
    source: str | None  # 宪法, 党章, 习近平总书记 for citations; None otherwise
    eid: str  # the section (or preamble/closing) the quote sits in
    span: Span = field(compare=False)
    score: float | None = None  # golden sentences: how strongly the form matched
    reason: str | None = None  # golden sentences: why it was chosen


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str  # stable, kebab-case: numbering-gap, announced-count, …
    message: str
    line: int  # 1-based line in the normalised text
    span: Span = field(compare=False)


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None
    subtitle: str | None  # ——在…上的讲话
    speaker: str | None
    date: str | None  # ISO yyyy-mm-dd when the text states a full date
    occasion: str | None


@dataclass(frozen=True, slots=True)
class ParsedSpeech:
    text: str  # the normalised text every span points into
    metadata: Metadata
    front_matter: tuple[Heading, ...]  # title, subtitle, byline and date lines
    preamble: Section | None
    sections: tuple[Section, ...]  # the top level of the outline
    closing: Section | None
    footnotes: tuple[Paragraph, ...]  # blocks after a rule: kept, not part of the outline
    quotes: tuple[Quote, ...]
    diagnostics: tuple[Diagnostic, ...]
