"""Public shapes of the API (response models). Tables live in app.models."""

from __future__ import annotations

from datetime import date, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A list response: one page of `data`, the `total` count and an opaque `next_cursor`."""

    data: list[T]
    total: int
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last.")


class SpeechSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    title: str | None
    subtitle: str | None
    speaker: str | None
    occasion: str | None
    delivered_on: date | None
    created_at: datetime
    updated_at: datetime


class Diagnostic(BaseModel):
    code: str
    message: str
    line: int
    span: tuple[int, int]


class OutlineNode(BaseModel):
    eid: str
    kind: str
    level: int
    marker: str | None
    ordinal: int | None
    heading: str | None
    span: tuple[int, int]
    children: list[OutlineNode] = Field(default_factory=list)


class SpeechCounts(BaseModel):
    parts: int
    points: int
    paragraphs: int
    quotes: int


class SpeechDetail(SpeechSummary):
    parser_version: str
    content_hash: str
    counts: SpeechCounts
    outline: list[OutlineNode]
    diagnostics: list[Diagnostic]


class SectionRef(BaseModel):
    """A pointer to a section: enough to render a link or a breadcrumb."""

    eid: str
    kind: str
    marker: str | None
    heading: str | None


class ParagraphOut(BaseModel):
    eid: str
    text: str
    span: tuple[int, int]


class SectionDetail(BaseModel):
    speech_id: int
    eid: str
    kind: str
    level: int
    marker: str | None
    ordinal: int | None
    heading: str | None
    span: tuple[int, int]
    paragraphs: list[ParagraphOut]
    children: list[SectionRef]
    parent: SectionRef | None
    previous: SectionRef | None = Field(description="The previous sibling, or null.")
    next: SectionRef | None = Field(description="The next sibling, or null.")
    breadcrumb: list[SectionRef] = Field(description="Ancestors from the top level down, then this one.")


class PointOut(BaseModel):
    eid: str
    marker: str | None
    ordinal: int | None
    heading: str | None
    span: tuple[int, int]
    part: SectionRef


class QuoteOut(BaseModel):
    id: int
    speech_id: int
    kind: str
    text: str
    source: str | None
    eid: str = Field(description="The section the quote sits in.")
    span: tuple[int, int]
    score: float | None
    reason: str | None
    uses: int | None = Field(default=None, description="Terms: how often the term is used across the corpus.")


class Health(BaseModel):
    status: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, served as application/problem+json."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


class ProblemType(BaseModel):
    type: str
    status: int
    title: str


class SpeechRef(BaseModel):
    id: int
    slug: str
    title: str | None
    speaker: str | None
    delivered_on: date | None


class SearchHit(BaseModel):
    kind: str = Field(description="sentence, section or quote")
    id: int
    speech: SpeechRef
    eid: str = Field(description="The section the hit sits in.")
    paragraph_eid: str | None = None
    breadcrumb: list[SectionRef]
    breadcrumb_text: str = Field(description="The breadcrumb as one line: 二、… › 三是…")
    text: str
    snippet: str = Field(description="HTML-escaped text around the first match, matches in <mark>.")
    highlights: list[tuple[int, int]] = Field(description="[start, end) offsets of matches in `text`.")
    span: tuple[int, int] = Field(description="Where `text` sits in the speech's normalised text.")
    quote_kind: str | None = None
    source: str | None = None


class SearchPage(BaseModel):
    data: list[SearchHit]
    next_offset: int | None = Field(default=None, exclude=True)
    total: int = Field(description="Matches counted up to a cap; see total_capped.")
    total_capped: bool = Field(description="True when there are more matches than `total`.")
    total_text: str = Field(description='The total for display: "123" or "10000+".')
    next_cursor: str | None = None
    query: str = Field(description="The query as understood: folded keywords, phrases, exclusions.")


class TermOut(BaseModel):
    text: str
    pinyin: str
    initials: str
    uses: int = Field(description="How often the term is used across the corpus.")


class QuoteContext(BaseModel):
    paragraph_eid: str | None
    text: str = Field(description="The paragraph the quote sits in.")
    span: tuple[int, int] = Field(description="Where the quote sits inside `text`.")


class QuoteDetail(QuoteOut):
    speech: SpeechRef
    breadcrumb: list[SectionRef]
    breadcrumb_text: str
    context: QuoteContext
