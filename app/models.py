"""SQLModel tables and their public variants. Tables are created only by Alembic migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Column, Index, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

# Stable constraint names, so migrations can drop or alter them on SQLite and PostgreSQL alike.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Speech(SQLModel, table=True):
    __table_args__ = (
        Index("ix_speech_delivered_on", "delivered_on"),
        # Live speeches newest first, without reading their texts (search by date walks it).
        Index("ix_speech_withdrawn_at_delivered_on", "withdrawn_at", "delivered_on"),
        Index("ix_speech_speaker", "speaker"),
        Index("ix_speech_publisher", "publisher"),
        Index("ix_speech_genre", "genre"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, description="Stable short ASCII handle.")
    version: int = Field(
        default=1, sa_column_kwargs={"server_default": "1"}, description="Bumped by every change."
    )
    title: str | None = None
    subtitle: str | None = None
    speaker: str | None = None
    occasion: str | None = None
    place: str | None = None
    delivered_on: date | None = None
    # Government metadata (政府信息公开), in the order portals list them.
    index_number: str | None = Field(default=None, max_length=64, description="索引号")
    publisher: str | None = Field(default=None, max_length=255, description="发布机构")
    document_number: str | None = Field(default=None, max_length=64, description="发文字号")
    topic: str | None = Field(default=None, max_length=255, description="主题分类, a path: 综合政务/政务公开")
    written_on: date | None = Field(default=None, description="成文日期")
    published_on: date | None = Field(default=None, description="发布日期")
    keywords: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default="[]"),
        description="主题词",
    )
    genre: str | None = Field(default=None, max_length=32, description="体裁: 讲话, 致辞, 报告…")
    source_url: str | None = Field(default=None, max_length=2048)
    content_hash: str = Field(max_length=64, unique=True, description="sha256 of the normalised text.")
    raw_text: str = Field(description="The text exactly as received (decoded).")
    text: str = Field(description="The normalised text every span points into.")
    parser_version: str = Field(max_length=32)
    diagnostics: list[dict[str, object]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: datetime | None = Field(default=None, description="Set when withdrawn; hidden then.")


class Section(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("speech_id", "eid"),
        Index("ix_section_speech_id_seq", "speech_id", "seq"),
        Index("ix_section_parent_id", "parent_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    speech_id: int = Field(foreign_key="speech.id", ondelete="CASCADE")
    parent_id: int | None = Field(default=None, foreign_key="section.id", ondelete="CASCADE")
    eid: str = Field(max_length=255)
    kind: str = Field(max_length=16, description="preamble, part, point, item, subitem, closing, footnotes")
    level: int = Field(description="1 = top level of the outline; 0 for preamble, closing, footnotes")
    position: int = Field(description="0-based place among its siblings")
    seq: int = Field(description="0-based place in document order within the speech")
    marker: str | None = Field(default=None, max_length=32)
    ordinal: int | None = None
    heading: str | None = Field(default=None, description="The heading without its marker")
    style: str | None = Field(default=None, max_length=32)
    start: int
    end: int
    heading_start: int | None = None
    heading_end: int | None = None


class Paragraph(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("speech_id", "eid"),
        Index("ix_paragraph_section_id_position", "section_id", "position"),
        Index("ix_paragraph_speech_id_start", "speech_id", "start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    speech_id: int = Field(foreign_key="speech.id", ondelete="CASCADE")
    section_id: int = Field(foreign_key="section.id", ondelete="CASCADE")
    eid: str = Field(max_length=255)
    position: int = Field(description="0-based place within its section")
    text: str
    start: int
    end: int


class Sentence(SQLModel, table=True):
    __table_args__ = (Index("ix_sentence_paragraph_id_position", "paragraph_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    speech_id: int = Field(foreign_key="speech.id", ondelete="CASCADE", index=True)
    paragraph_id: int = Field(foreign_key="paragraph.id", ondelete="CASCADE")
    position: int
    text: str
    start: int
    end: int


class Quote(SQLModel, table=True):
    __table_args__ = (
        Index("ix_quote_speech_id_start", "speech_id", "start"),
        Index("ix_quote_kind", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    speech_id: int = Field(foreign_key="speech.id", ondelete="CASCADE")
    section_id: int = Field(foreign_key="section.id", ondelete="CASCADE")
    kind: str = Field(max_length=16, description="citation, term or golden")
    text: str
    source: str | None = None
    start: int
    end: int
    score: float | None = None
    reason: str | None = None


class Term(SQLModel, table=True):
    """A quoted coinage or slogan (“中国梦”) with its pinyin keys, for counts and autocomplete."""

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(max_length=64, unique=True)
    pinyin: str = Field(max_length=512, index=True, description="Toneless pinyin, no spaces: laomojingshen")
    initials: str = Field(max_length=64, index=True, description="Pinyin initials: lmjs")
    uses: int = Field(default=0, description="How many times the term is quoted across the corpus")


class SearchMeta(SQLModel, table=True):
    """Facts about the full-text index, e.g. the tokenizer version it was built with."""

    __tablename__ = "search_meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str


class ApiKey(SQLModel, table=True):
    """An API key: only its sha256 is stored; the key itself is shown once, at creation."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=255)
    prefix: str = Field(max_length=16, description="The key's first characters, to recognise it in lists.")
    key_hash: str = Field(max_length=64, unique=True)
    scope: str = Field(max_length=16, description="write or admin")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class Change(SQLModel, table=True):
    """One entry of the change log: what happened to which speech, in commit order."""

    id: int | None = Field(default=None, primary_key=True)
    speech_id: int = Field(foreign_key="speech.id", ondelete="CASCADE", index=True)
    kind: str = Field(max_length=16, description="created, updated or withdrawn")
    version: int
    at: datetime = Field(default_factory=utcnow)
