"""Hardening II: refresh tokens as a family.

* ``auth_sessions.refresh_generation``: how many times the session's refresh token was rotated (the session is the
  family: every rotation keeps its id).
* ``auth_refresh_history``: every refresh token the family rotated away, by hash, with its generation. Presenting any
  of them again (1 or 50 rotations back) means a copy exists: the whole session is revoked and the reuse audited.
  It replaces 0004's ``auth_sessions.previous_refresh_hash``, which remembered only the last rotation.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "auth_refresh_history",
        sa.Column("refresh_hash", sa.String(64), primary_key=True),
        sa.Column(
            "session_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("auth_sessions.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("rotated_at", UTC, nullable=False),
    )
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(sa.Column("refresh_generation", sa.Integer(), nullable=False, server_default="0"))
    # A session rotated before this revision: its one remembered token becomes generation 0 of the family.
    op.execute(
        "INSERT INTO auth_refresh_history (refresh_hash, session_id, generation, rotated_at)"
        " SELECT previous_refresh_hash, id, 0, created_at FROM auth_sessions WHERE previous_refresh_hash IS NOT NULL"
    )
    op.execute("UPDATE auth_sessions SET refresh_generation = 1 WHERE previous_refresh_hash IS NOT NULL")
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_index("ix_auth_sessions_previous_refresh_hash")
        batch.drop_column("previous_refresh_hash")


def downgrade() -> None:
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(sa.Column("previous_refresh_hash", sa.String(64), nullable=True))
        batch.create_index("ix_auth_sessions_previous_refresh_hash", ["previous_refresh_hash"])
    op.execute(
        "UPDATE auth_sessions SET previous_refresh_hash = (SELECT h.refresh_hash FROM auth_refresh_history h"
        " WHERE h.session_id = auth_sessions.id ORDER BY h.generation DESC LIMIT 1)"
    )
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_column("refresh_generation")
    op.drop_table("auth_refresh_history")
