"""Public shapes of the API (response models). Tables live in app.models."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A list response: one page of `data`, the `total` count and an opaque `next_cursor`."""

    data: list[T]
    total: int
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last.")


Genre = Literal["讲话", "致辞", "报告", "演讲", "发言", "贺信", "书面讲话", "其他"]
# 发文字号 (GB/T 9704-2012 7.2.4): issuer abbreviation, the full year in 〔〕, the serial number
# without padding (1, not 01) and 号, e.g. 国发〔2024〕12号, 国办函〔2018〕71号.
DOCUMENT_NUMBER = r"^[^\s〔〕]{1,40}〔(19|20)\d{2}〕[1-9]\d{0,5}号$"
INDEX_NUMBER = r"^[0-9A-Za-z][0-9A-Za-z/_.\-]{0,63}$"
TOPIC = r"^[^/\\\s]+(/[^/\\\s]+)*$"
MAX_URL = 2048  # the source_url column's size, checked on the URL as it will be stored
Text255 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# NUL cannot be stored in PostgreSQL text, and XML 1.0 (Akoma Ntoso, Atom) cannot carry the other C0
# controls or U+FFFE/U+FFFF: refuse them in metadata, the same way on every engine.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


def _no_control(value: Any) -> Any:
    _no_nul(value)
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    if isinstance(value, list):
        for item in value:
            _no_control(item)
    return value


def _iso_date_only(value: Any) -> Any:
    # In lax mode pydantic reads 0, 1714521600 or "2024-05-01T08:00:00Z" as a date; a government
    # date field takes a calendar date written YYYY-MM-DD and nothing else.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError("use a date written YYYY-MM-DD")


def normalise_topic(value: Any) -> Any:
    """主题分类 as a path: gov.cn pages write 综合政务\\政务公开, the API stores 综合政务/政务公开."""
    if not isinstance(value, str):
        return value
    return "/".join(part.strip() for part in re.split(r"[/\\]", value.strip()))


def _url_fits(value: AnyHttpUrl) -> AnyHttpUrl:
    # Normalising may lengthen a URL (Chinese path segments are percent-encoded); check what is stored.
    if len(str(value)) > MAX_URL:
        raise ValueError(f"the URL is longer than {MAX_URL} characters once encoded")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


class SpeechMetadata(BaseModel):
    """Metadata a client may set; every field is optional. Unknown fields are rejected."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_control(cls, value: Any) -> Any:
        return _no_control(value)

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | None = (
        None
    )
    subtitle: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    speaker: Text255 | None = None
    occasion: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    place: Text255 | None = None
    delivered_on: IsoDate | None = Field(default=None, description="When the speech was delivered.")
    index_number: Annotated[str, StringConstraints(pattern=INDEX_NUMBER)] | None = Field(
        default=None, description="索引号, e.g. 11440300007542926N/2024-00123"
    )
    publisher: Text255 | None = Field(default=None, description="发布机构")
    document_number: Annotated[str, StringConstraints(pattern=DOCUMENT_NUMBER)] | None = Field(
        default=None, description="发文字号, e.g. 国发〔2024〕12号"
    )
    topic: (
        Annotated[str, BeforeValidator(normalise_topic), StringConstraints(pattern=TOPIC, max_length=255)]
        | None
    ) = Field(
        default=None,
        description="主题分类 as a path, e.g. 综合政务/政务公开 (综合政务\\政务公开 is read as that)",
    )
    keywords: Annotated[list[Keyword], Field(max_length=20)] | None = Field(
        default=None, description="主题词"
    )
    genre: Genre | None = Field(default=None, description="体裁")
    written_on: IsoDate | None = Field(default=None, description="成文日期")
    published_on: IsoDate | None = Field(default=None, description="发布日期")
    source_url: Annotated[AnyHttpUrl, AfterValidator(_url_fits)] | None = None


class SpeechSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    version: int
    title: str | None
    subtitle: str | None
    speaker: str | None
    occasion: str | None
    place: str | None
    delivered_on: date | None
    index_number: str | None = Field(description="索引号")
    publisher: str | None = Field(description="发布机构")
    document_number: str | None = Field(description="发文字号")
    topic: str | None = Field(description="主题分类")
    written_on: date | None = Field(description="成文日期")
    published_on: date | None = Field(description="发布日期")
    keywords: list[str] = Field(description="主题词")
    genre: str | None = Field(description="体裁")
    source_url: str | None
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


class QuotePage(Page[QuoteOut]):
    """A page of quotes; with `q`, `total` is counted up to a cap like search's."""

    total_capped: bool = Field(
        default=False, description="True when there are more matches than `total` (only with q)."
    )


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


class SpeechIn(BaseModel):
    """A speech to store: its text and, optionally, metadata that overrides what the text says."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(min_length=1), BeforeValidator(_no_nul)]
    metadata: SpeechMetadata | None = None


class EidChange(BaseModel):
    old: str | None = Field(description="The eid before; null for a new section or paragraph.")
    new: str | None = Field(description="The eid now; null for a removed section or paragraph.")
    heading: str | None = Field(description="The section's heading (for a paragraph: its section's).")
    element: Literal["section", "paragraph"] = Field(description="What the eid addresses.")


class TextReplaced(BaseModel):
    speech: SpeechDetail
    eid_changes: list[EidChange] = Field(
        description="Sections and paragraphs whose eid changed, appeared or went; an eid whose "
        "content was only corrected in place is not listed."
    )


class ParseOut(BaseModel):
    """The `parse` contract (see DESIGN.md), as `python -m app parse` prints it."""

    model_config = ConfigDict(extra="allow")

    title: str | None
    sections: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    diagnostics: list[dict[str, Any]]


class ApiKeyOut(BaseModel):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    revoked_at: datetime | None


class Readiness(BaseModel):
    status: str
    database: str
    migrations: str
