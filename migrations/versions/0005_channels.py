"""Real channels: provider settings with encrypted credentials, templates, message details, attachments.

``channel_settings`` keeps a Telegram bot's or WhatsApp number's configuration (secrets as one Fernet token),
``channel_templates`` the approved WhatsApp templates, ``message_details`` what a message carries beyond its text
(button, contact, location, template, raw payload), ``attachments`` the files, small ones in the row, larger ones
content-addressed under the data directory.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "channel_settings",
        sa.Column("channel_id", Id, nullable=False),
        sa.Column("secrets", sa.Text(), nullable=True),
        sa.Column("options", Json, nullable=False),
        sa.Column("api_base", sa.String(length=2000), nullable=True),
        sa.Column("last_update_at", When, nullable=True),
        sa.Column("last_update_id", sa.BigInteger(), nullable=True),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("updated_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name="fk_channel_settings_channel_id_channels", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("channel_id", name="pk_channel_settings"),
    )
    op.create_table(
        "channel_templates",
        sa.Column("id", Id, nullable=False),
        sa.Column("channel_id", Id, nullable=False),
        sa.Column("name", sa.String(length=512), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("parameters", sa.Integer(), nullable=False),
        sa.Column("synced_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name="fk_channel_templates_channel_id_channels", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_channel_templates"),
        sa.UniqueConstraint("channel_id", "name", "language", name="uq_channel_templates_name"),
    )
    op.create_table(
        "message_details",
        sa.Column("message_id", Id, nullable=False),
        sa.Column("payload", Json, nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name="fk_message_details_message_id_messages", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("message_id", name="pk_message_details"),
    )
    op.create_table(
        "attachments",
        sa.Column("id", Id, nullable=False),
        sa.Column("conversation_id", Id, nullable=False),
        sa.Column("message_id", Id, nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mime_type", sa.String(length=127), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage", sa.String(length=8), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("platform_id", sa.String(length=255), nullable=True),
        sa.Column("uploaded_by", Id, nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_attachments_conversation_id_conversations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name="fk_attachments_message_id_messages", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name="fk_attachments_uploaded_by_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
    )
    with op.batch_alter_table("attachments") as batch:
        batch.create_index("ix_attachments_message", ["message_id"], unique=False)
        batch.create_index("ix_attachments_conversation", ["conversation_id", "id"], unique=False)
        batch.create_index("ix_attachments_sha256", ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_index("ix_attachments_sha256")
        batch.drop_index("ix_attachments_conversation")
        batch.drop_index("ix_attachments_message")
    op.drop_table("attachments")
    op.drop_table("message_details")
    op.drop_table("channel_templates")
    op.drop_table("channel_settings")
