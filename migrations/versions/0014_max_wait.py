"""Work organisation: the routing rule's maximum wait acts.

* ``conversations.wait_exceeded_for``: the ``waiting_since`` a conversation's maximum wait was exceeded (and
  escalated) for. Escalated once per wait: a conversation that goes back to the queue (a transfer, an operator gone
  offline) starts a new wait and can be escalated again, with no other code having to reset a flag.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("wait_exceeded_for", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+ has it): a batch copy of ``conversations`` would have to
    # drop a table the analytics triggers of 0012 refer to.
    op.drop_column("conversations", "wait_exceeded_for")
