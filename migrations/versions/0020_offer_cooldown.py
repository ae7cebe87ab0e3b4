"""Push mode: the decline cooldown per queue

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03

* ``queues.offer_cooldown_s``: seconds during which an operator who declined a conversation (or let its offer
  expire) is not offered that conversation again; 600 (the former fixed 10 minutes) by default.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN in place (no batch copy), as 0017 did for offer_timeout_s.
    op.add_column("queues", sa.Column("offer_cooldown_s", sa.Integer(), server_default=sa.text("600"), nullable=False))


def downgrade() -> None:
    op.drop_column("queues", "offer_cooldown_s")
