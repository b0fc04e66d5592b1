"""The shape of a whole-speech export (JSON), which every other export format is rendered from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.schemas import Diagnostic


class ExportMetadata(BaseModel):
    """Every metadata field, in the order portals list them: title, then the seven government
    fields (索引号, 发布机构, 发文字号, 主题分类, 成文日期, 发布日期, 主题词), then the rest."""

    title: str | None = Field(description="标题")
    subtitle: str | None = Field(description="副标题")
    index_number: str | None = Field(description="索引号")
    publisher: str | None = Field(description="发布机构")
    document_number: str | None = Field(description="发文字号")
    topic: str | None = Field(description="主题分类")
    written_on: date | None = Field(description="成文日期")
    published_on: date | None = Field(description="发布日期")
    keywords: list[str] = Field(description="主题词")
    genre: str | None = Field(description="体裁")
    speaker: str | None = Field(description="讲话人")
    occasion: str | None = Field(description="场合")
    place: str | None = Field(description="地点")
    delivered_on: date | None = Field(description="讲话日期")
    source_url: str | None = Field(description="来源")


class ExportSentence(BaseModel):
    text: str
    span: tuple[int, int]


class ExportParagraph(BaseModel):
    eid: str
    text: str
    span: tuple[int, int]
    sentences: list[ExportSentence]


class ExportSection(BaseModel):
    eid: str
    kind: str
    level: int
    marker: str | None
    ordinal: int | None
    heading: str | None
    span: tuple[int, int]
    heading_span: tuple[int, int] | None = Field(description="Marker and heading in the text, if any.")
    paragraphs: list[ExportParagraph]
    children: list[ExportSection]


class ExportQuote(BaseModel):
    id: int
    kind: str
    text: str
    source: str | None
    eid: str = Field(description="The section the quote sits in.")
    span: tuple[int, int]
    score: float | None
    reason: str | None


class SpeechExport(BaseModel):
    """A whole speech: metadata, the normalised text, the section tree with paragraphs and
    sentences, and the quotes. Every `span` is `[start, end)` in code points into `text`."""

    format: Literal["jianghua-speech/1"] = "jianghua-speech/1"
    id: int
    slug: str
    version: int
    metadata: ExportMetadata
    created_at: datetime
    updated_at: datetime
    parser_version: str
    content_hash: str
    text: str
    sections: list[ExportSection] = Field(description="The top level in document order, nested.")
    quotes: list[ExportQuote]
    diagnostics: list[Diagnostic]
