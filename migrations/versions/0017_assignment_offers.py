"""Work organisation: push mode offers a conversation, the operator accepts or declines.

* ``queues.offer_timeout_s``: seconds the chosen operator has to accept an offer; 0 (the default) assigns at once,
  as before.
* ``conversations.offered_to_id``: the operator a waiting conversation is offered to right now (one at a time: set
  by a conditional UPDATE, so across server processes it is offered exactly once).
* ``assignment_offers``: every offer and how it ended (accepted, declined, expired, withdrawn); a decline or an expiry
  keeps that operator from being offered the same conversation again for a while.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
At = sa.DateTime(timezone=True)


def upgrade() -> None:
    # ADD COLUMN in place (no batch copy: the analytics triggers of 0012 refer to conversations).
    op.add_column("queues", sa.Column("offer_timeout_s", sa.Integer(), server_default=sa.text("0"), nullable=False))
    op.add_column("conversations", sa.Column("offered_to_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "assignment_offers",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", Id, nullable=False),
        sa.Column("user_id", Id, nullable=False),
        sa.Column("offered_at", At, nullable=False),
        sa.Column("expires_at", At, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("decided_at", At, nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_assignment_offers_conversation_id_conversations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_assignment_offers_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assignment_offers"),
    )
    op.create_index("ix_assignment_offers_conversation", "assignment_offers", ["conversation_id", "user_id"])
    op.create_index("ix_assignment_offers_user", "assignment_offers", ["user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_assignment_offers_user", table_name="assignment_offers")
    op.drop_index("ix_assignment_offers_conversation", table_name="assignment_offers")
    op.drop_table("assignment_offers")
    op.drop_column("conversations", "offered_to_id")
    op.drop_column("queues", "offer_timeout_s")
