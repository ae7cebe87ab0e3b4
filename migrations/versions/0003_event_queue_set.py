"""Events: an audience of several queues.

A change to a customer concerns every queue the customer has conversations in. Until now such an event was written
once per queue, so a supervisor (who sees every queue) or an operator in two of those queues received it several
times. ``queue_ids`` holds the further queues of the one row (``queue_id`` stays the first, so the hot path's
single-queue events are unchanged).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("queue_ids", Json, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("queue_ids")
