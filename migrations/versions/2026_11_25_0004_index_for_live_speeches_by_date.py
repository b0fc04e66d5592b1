"""index for live speeches by date

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 17:44:15.647266
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("speech", schema=None) as batch_op:
        batch_op.create_index(
            "ix_speech_withdrawn_at_delivered_on", ["withdrawn_at", "delivered_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("speech", schema=None) as batch_op:
        batch_op.drop_index("ix_speech_withdrawn_at_delivered_on")
