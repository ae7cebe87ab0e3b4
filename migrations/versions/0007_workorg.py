"""work organisation: queue calendars and members' skills/capacity, routing rules, presence, canned replies, mentions

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-02

Conversations learn their priority (0 low .. 3 urgent; existing ones are normal), the skill they need, how long they
may wait, the rule that routed them and since when they wait; open unassigned ones wait since their creation.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
At = sa.DateTime(timezone=True)
WAITING = sa.text("assignee_id IS NULL AND status = 'open'")


def upgrade() -> None:
    op.add_column("queues", sa.Column("calendar", Json, nullable=True))
    op.add_column("queues", sa.Column("auto_assign", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.add_column("queue_members", sa.Column("skills", Json, nullable=True))
    op.add_column("queue_members", sa.Column("capacity", Json, nullable=True))
    op.add_column("queue_members", sa.Column("priority", sa.Integer(), server_default=sa.text("0"), nullable=False))

    op.add_column("conversations", sa.Column("priority", sa.Integer(), server_default=sa.text("1"), nullable=False))
    op.add_column("conversations", sa.Column("required_skill", sa.String(length=64), nullable=True))
    op.add_column("conversations", sa.Column("max_wait_s", sa.Integer(), nullable=True))
    op.add_column("conversations", sa.Column("routing_rule_id", sa.BigInteger(), nullable=True))
    op.add_column("conversations", sa.Column("waiting_since", At, nullable=True))
    op.execute("UPDATE conversations SET waiting_since = created_at WHERE assignee_id IS NULL AND status = 'open'")
    op.create_index(
        "ix_conversations_waiting",
        "conversations",
        ["queue_id", "priority", "waiting_since", "id"],
        sqlite_where=WAITING,
        postgresql_where=WAITING,
    )

    op.create_table(
        "routing_rules",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("conditions", Json, nullable=False),
        sa.Column("actions", Json, nullable=False),
        sa.Column("updated_at", At, nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_routing_rules"),
    )
    op.create_index("ix_routing_rules_position", "routing_rules", ["position"])

    op.create_table(
        "presence",
        sa.Column("user_id", Id, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("changed_at", At, nullable=False),
        sa.Column("offline_since", At, nullable=True),
        sa.Column("last_assigned_at", At, nullable=True),
        sa.Column("last_seen_at", At, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_presence_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name="pk_presence"),
    )

    op.create_table(
        "canned_replies",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("owner_id", Id, nullable=True),
        sa.Column("queue_id", Id, nullable=True),
        sa.Column("shortcut", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", At, nullable=False),
        sa.Column("updated_at", At, nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name="fk_canned_replies_owner_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name="fk_canned_replies_queue_id_queues", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_canned_replies"),
    )
    op.create_index("ix_canned_replies_owner_id", "canned_replies", ["owner_id"])
    op.create_index("ix_canned_replies_queue_id", "canned_replies", ["queue_id"])
    op.create_index("ix_canned_replies_shortcut", "canned_replies", ["shortcut", "language"])

    op.create_table(
        "mentions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("message_id", Id, nullable=False),
        sa.Column("conversation_id", Id, nullable=False),
        sa.Column("user_id", Id, nullable=False),
        sa.Column("created_at", At, nullable=False),
        sa.Column("read_at", At, nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name="fk_mentions_message_id_messages", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_mentions_conversation_id_conversations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_mentions_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
    )
    op.create_index("ix_mentions_message_id", "mentions", ["message_id"])
    op.create_index("ix_mentions_user", "mentions", ["user_id", "id"])


def downgrade() -> None:
    op.drop_table("mentions")
    op.drop_table("canned_replies")
    op.drop_table("presence")
    op.drop_table("routing_rules")
    op.drop_index("ix_conversations_waiting", table_name="conversations")
    for column in ("waiting_since", "routing_rule_id", "max_wait_s", "required_skill", "priority"):
        op.drop_column("conversations", column)
    for column in ("priority", "capacity", "skills"):
        op.drop_column("queue_members", column)
    op.drop_column("queues", "auto_assign")
    op.drop_column("queues", "calendar")
