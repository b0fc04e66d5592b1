"""government metadata, api keys, change log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 17:02:18.571407
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_key_key_hash")),
    )
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speech_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speech_id"], ["speech.id"], name=op.f("fk_change_speech_id_speech"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
    )
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_speech_id"), ["speech_id"], unique=False)

    with op.batch_alter_table("speech", schema=None) as batch_op:
        # Existing rows get version 1 and no keywords.
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("place", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(
            sa.Column("index_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("publisher", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column("document_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch_op.add_column(sa.Column("written_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("published_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("keywords", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("genre", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(length=2048), nullable=True)
        )
        batch_op.create_index("ix_speech_delivered_on", ["delivered_on"], unique=False)
        batch_op.create_index("ix_speech_genre", ["genre"], unique=False)
        batch_op.create_index("ix_speech_publisher", ["publisher"], unique=False)
        batch_op.create_index("ix_speech_speaker", ["speaker"], unique=False)

    # Speeches stored before the change log existed appear in it as created, in id order.
    op.execute(
        "INSERT INTO change (speech_id, kind, version, at) "
        "SELECT id, 'created', 1, created_at FROM speech ORDER BY id"
    )


def downgrade() -> None:
    with op.batch_alter_table("speech", schema=None) as batch_op:
        batch_op.drop_index("ix_speech_speaker")
        batch_op.drop_index("ix_speech_publisher")
        batch_op.drop_index("ix_speech_genre")
        batch_op.drop_index("ix_speech_delivered_on")
        batch_op.drop_column("source_url")
        batch_op.drop_column("genre")
        batch_op.drop_column("keywords")
        batch_op.drop_column("published_on")
        batch_op.drop_column("written_on")
        batch_op.drop_column("topic")
        batch_op.drop_column("document_number")
        batch_op.drop_column("publisher")
        batch_op.drop_column("index_number")
        batch_op.drop_column("place")
        batch_op.drop_column("version")

    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_speech_id"))

    op.drop_table("change")
    op.drop_table("api_key")
