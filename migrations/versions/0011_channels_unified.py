"""One table of sealed channel credentials, and the channels' subscription states.

* ``channel_credentials`` (Viber, VK, Meta, Instagram, MAX since 0006) is folded into ``channel_settings`` (Telegram,
  WhatsApp, e-mail, web chat, forms): the same Fernet token moves from ``ciphertext`` to ``secrets``, the options and
  the API base move as they are. The downgrade moves the rows of those five kinds back.
* ``channel_subscriptions``: whether a platform user allows the channel to write to them (Viber subscribed /
  unsubscribed, VK message_allow / message_deny, MAX bot_stopped), for the "may message only subscribed users" rule.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)
MESSENGER_KINDS = ("viber", "vk", "meta", "instagram", "max")


def upgrade() -> None:
    op.execute(
        "INSERT INTO channel_settings (channel_id, secrets, options, api_base, rejected, updated_at) "
        "SELECT c.channel_id, c.ciphertext, c.options, c.api_base, 0, c.updated_at FROM channel_credentials c "
        "WHERE c.channel_id NOT IN (SELECT channel_id FROM channel_settings)"
    )
    op.drop_table("channel_credentials")
    op.create_table(
        "channel_subscriptions",
        sa.Column("channel_id", Id, nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("subscribed", sa.Boolean(), nullable=False),
        sa.Column("changed_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_channel_subscriptions_channel_id_channels"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("channel_id", "address", name=op.f("pk_channel_subscriptions")),
    )


def downgrade() -> None:
    op.drop_table("channel_subscriptions")
    op.create_table(
        "channel_credentials",
        sa.Column("channel_id", Id, nullable=False),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.Column("options", Json, nullable=False),
        sa.Column("api_base", sa.String(2000), nullable=True),
        sa.Column("updated_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_channel_credentials_channel_id_channels"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_credentials")),
    )
    kinds = ", ".join(f"'{k}'" for k in MESSENGER_KINDS)
    moved = f"SELECT id FROM channels WHERE kind IN ({kinds})"
    op.execute(
        "INSERT INTO channel_credentials (channel_id, ciphertext, options, api_base, updated_at) "
        "SELECT s.channel_id, s.secrets, s.options, s.api_base, s.updated_at FROM channel_settings s "
        f"WHERE s.secrets IS NOT NULL AND s.channel_id IN ({moved})"
    )
    op.execute(f"DELETE FROM channel_settings WHERE channel_id IN ({moved})")
