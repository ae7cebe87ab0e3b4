"""Work organisation: a colleague mentioned in a note reads the conversation along.

* ``events.conversation_id``: the conversation an event is about (NULL for events about no single conversation).
  The stream delivers such events also to colleagues a note of that conversation mentioned, who are not members of
  its queue; the audience columns (queue, user) stay as they were for everyone else.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN in place on both databases: no batch copy of the event log, which may be large.
    op.add_column("events", sa.Column("conversation_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("events", "conversation_id")
