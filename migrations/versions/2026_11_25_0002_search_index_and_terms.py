"""search index and terms

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:47:49.891569
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLES = ("fts_sentence", "fts_section", "fts_quote")


def upgrade() -> None:
    with op.batch_alter_table("speech", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.create_table(
        "search_meta",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_search_meta")),
    )
    op.create_table(
        "term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("pinyin", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("initials", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term")),
        sa.UniqueConstraint("text", name=op.f("uq_term_text")),
    )
    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_term_initials"), ["initials"], unique=False)
        batch_op.create_index(batch_op.f("ix_term_pinyin"), ["pinyin"], unique=False)

    with op.batch_alter_table("paragraph", schema=None) as batch_op:
        batch_op.create_index("ix_paragraph_speech_id_start", ["speech_id", "start"], unique=False)

    # Full-text indexes, written by hand (SQLModel does not model virtual tables). Tokens are made
    # in Python (CJK bigrams, app/search), so the tables are contentless: rowid = the row's id.
    if op.get_bind().dialect.name == "sqlite":
        for table in FTS_TABLES:
            op.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(tok, content='', "
                "tokenize='unicode61 remove_diacritics 0', prefix='1')"
            )
    else:
        # PostgreSQL: the same Python tokens as a tsvector (no text-search parser or locale
        # involved), with a GIN index; ../shared/research/chinese-search.md section 4.
        for table in FTS_TABLES:
            op.execute(f"CREATE TABLE {table} (rowid BIGINT PRIMARY KEY, tok TSVECTOR NOT NULL)")
            op.execute(f"CREATE INDEX ix_{table}_tok ON {table} USING gin (tok)")


def downgrade() -> None:
    for table in FTS_TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table}")
    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_term_pinyin"))
        batch_op.drop_index(batch_op.f("ix_term_initials"))

    with op.batch_alter_table("paragraph", schema=None) as batch_op:
        batch_op.drop_index("ix_paragraph_speech_id_start")
    op.drop_table("term")
    op.drop_table("search_meta")
    with op.batch_alter_table("speech", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_at")
