"""Messenger channels (Viber, VK, Messenger, Instagram, MAX): their credentials, encrypted at rest, and comment threads.

``channel_credentials``: one row per channel beside ``channels``: the Fernet-sealed JSON of the secrets, the public
options (community, page or account ids) and the platform's API address when it is not the default.
``conversation_threads``: a conversation of kind "comment" (a VK wall or Instagram / Page comment): the comment its
public replies answer, the post as context, and whether replies go out publicly or privately.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "channel_credentials",
        sa.Column("channel_id", BigId, nullable=False),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.Column("options", Json, nullable=False),
        sa.Column("api_base", sa.String(2000), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channels.id"],
            name=op.f("fk_channel_credentials_channel_id_channels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_credentials")),
    )


    op.create_table(
        "conversation_threads",
        sa.Column("conversation_id", BigId, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("post_id", sa.String(255), nullable=True),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_threads_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_conversation_threads")),
    )


def downgrade() -> None:
    op.drop_table("conversation_threads")
    op.drop_table("channel_credentials")
