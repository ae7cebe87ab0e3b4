"""Outbox: what the sender of a rate-limited channel leaves for the next one

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04

* ``outbox_channels``: one row per rate-limited channel that has been sent on from a PostgreSQL server; the process
  holding the channel's sending lease (an advisory lock) marks it ``held``, on a clean release writes when its
  windows are empty (``quiet_after``), and on a 429 until when the platform asked to wait (``paused_until``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

At = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "outbox_channels",
        sa.Column("channel_id", BigId, sa.ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True, autoincrement=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("quiet_after", At, nullable=True),
        sa.Column("paused_until", At, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("outbox_channels")
