"""customer profile: profile fields, lookup keys, field history, duplicate suggestions, merges, timeline

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Existing data is carried over: every message becomes a timeline item, every conversation learns the identity it came
through (before this revision a customer had exactly the one identity ingest created).

SQLite alters tables in place here (ADD/DROP COLUMN, CREATE/DROP INDEX) rather than by copying them: copying
``customers`` would fire the cascades of the tables that reference it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
At = sa.DateTime(timezone=True)
OPEN = sa.text("status != 'resolved'")


def upgrade() -> None:
    op.add_column("customers", sa.Column("language", sa.String(length=64), nullable=True))
    op.add_column("customers", sa.Column("segment", sa.String(length=64), nullable=True))
    op.add_column("customers", sa.Column("tags", Json, nullable=True))
    op.add_column("customers", sa.Column("attributes", Json, nullable=True))
    op.add_column("customers", sa.Column("merged_into_id", sa.BigInteger(), nullable=True))
    op.create_index("ix_customers_merged_into_id", "customers", ["merged_into_id"])

    op.add_column("conversations", sa.Column("identity_id", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE conversations SET identity_id ="
        " (SELECT min(i.id) FROM identities i WHERE i.customer_id = conversations.customer_id)"
    )
    op.drop_index("uq_conversations_open", table_name="conversations")
    op.create_index(
        "uq_conversations_open",
        "conversations",
        ["customer_id", "channel_id", "identity_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )

    op.create_table(
        "customer_keys",
        sa.Column(
            "key",
            sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("customer_id", Id, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_customer_keys_customer_id_customers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", "customer_id", name="pk_customer_keys"),
    )
    op.create_index("ix_customer_keys_customer_id", "customer_keys", ["customer_id"])
    _backfill_keys()

    op.create_table(
        "customer_field_history",
        sa.Column("id", Id, nullable=False),
        sa.Column("customer_id", Id, nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("old_value", Json, nullable=True),
        sa.Column("new_value", Json, nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("merge_id", sa.BigInteger(), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("at", At, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name="fk_customer_field_history_customer_id_customers",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_customer_field_history"),
    )
    op.create_index("ix_customer_field_history_customer", "customer_field_history", ["customer_id", "id"])

    op.create_table(
        "duplicate_suggestions",
        sa.Column("id", Id, nullable=False),
        sa.Column("customer_id", Id, nullable=False),
        sa.Column("other_id", Id, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", Json, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", At, nullable=False),
        sa.Column("updated_at", At, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name="fk_duplicate_suggestions_customer_id_customers",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["customers.id"], name="fk_duplicate_suggestions_other_id_customers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_duplicate_suggestions"),
        sa.UniqueConstraint("customer_id", "other_id", name="uq_duplicate_suggestions_pair"),
    )
    op.create_index("ix_duplicate_suggestions_other_id", "duplicate_suggestions", ["other_id"])
    op.create_index("ix_duplicate_suggestions_review", "duplicate_suggestions", ["status", "score", "id"])

    op.create_table(
        "customer_merges",
        sa.Column("id", Id, nullable=False),
        sa.Column("survivor_id", Id, nullable=False),
        sa.Column("other_id", Id, nullable=False),
        sa.Column("fields", Json, nullable=False),
        sa.Column("snapshot", Json, nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", At, nullable=False),
        sa.Column("undone_at", At, nullable=True),
        sa.Column("undone_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["other_id"], ["customers.id"], name="fk_customer_merges_other_id_customers"),
        sa.ForeignKeyConstraint(["survivor_id"], ["customers.id"], name="fk_customer_merges_survivor_id_customers"),
        sa.PrimaryKeyConstraint("id", name="pk_customer_merges"),
    )
    op.create_index("ix_customer_merges_other_id", "customer_merges", ["other_id"])
    op.create_index("ix_customer_merges_survivor_id", "customer_merges", ["survivor_id"])

    op.create_table(
        "timeline_items",
        sa.Column("id", Id, nullable=False),
        sa.Column("customer_id", Id, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", At, nullable=False),
        sa.Column("conversation_id", Id, nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", Id, nullable=True),
        sa.Column("payload", Json, nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_timeline_items_conversation_id_conversations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_timeline_items_customer_id_customers", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name="fk_timeline_items_message_id_messages", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_timeline_items"),
    )
    op.create_index("ix_timeline_items_conversation", "timeline_items", ["conversation_id"])
    op.create_index("ix_timeline_items_customer_at", "timeline_items", ["customer_id", "at", "id"])
    op.execute(
        "INSERT INTO timeline_items (customer_id, kind, at, conversation_id, channel_id, message_id, payload)"
        " SELECT c.customer_id, CASE WHEN m.direction = 'in' THEN 'message_in' ELSE 'message_out' END,"
        " m.sent_at, m.conversation_id, m.channel_id, m.id, '{}'"
        " FROM messages m JOIN conversations c ON c.id = m.conversation_id ORDER BY m.id"
    )


def _backfill_keys() -> None:
    """Search and blocking keys of the customers that exist already (the same function ingest uses)."""
    from omnidesk.domain.duplicates import CustomerFacts
    from omnidesk.domain.identity import Identifier, IdentityKind
    from omnidesk.server.duplicates.service import all_keys

    bind = op.get_bind()
    keys_table = sa.table("customer_keys", sa.column("key"), sa.column("customer_id"))
    last = 0
    while True:
        customers = bind.execute(
            sa.text("SELECT id, display_name FROM customers WHERE id > :last ORDER BY id LIMIT 2000"), {"last": last}
        ).all()
        if not customers:
            return
        ids = [c.id for c in customers]
        identities: dict[int, list[Identifier]] = {i: [] for i in ids}
        rows = bind.execute(
            sa.text("SELECT customer_id, kind, value FROM identities WHERE customer_id BETWEEN :a AND :b"),
            {"a": ids[0], "b": ids[-1]},
        )
        for customer_id, kind, value in rows:
            if customer_id in identities and kind in IdentityKind._value2member_map_:
                identities[customer_id].append(Identifier(IdentityKind(kind), value))
        batch = [
            {"customer_id": c.id, "key": key}
            for c in customers
            for key in sorted(all_keys(CustomerFacts(c.id, c.display_name, tuple(identities[c.id]))))
        ]
        if batch:
            op.bulk_insert(keys_table, batch)
        last = ids[-1]


def downgrade() -> None:
    op.drop_index("ix_timeline_items_customer_at", table_name="timeline_items")
    op.drop_index("ix_timeline_items_conversation", table_name="timeline_items")
    op.drop_table("timeline_items")
    op.drop_index("ix_customer_merges_survivor_id", table_name="customer_merges")
    op.drop_index("ix_customer_merges_other_id", table_name="customer_merges")
    op.drop_table("customer_merges")
    op.drop_index("ix_duplicate_suggestions_review", table_name="duplicate_suggestions")
    op.drop_index("ix_duplicate_suggestions_other_id", table_name="duplicate_suggestions")
    op.drop_table("duplicate_suggestions")
    op.drop_index("ix_customer_field_history_customer", table_name="customer_field_history")
    op.drop_table("customer_field_history")
    op.drop_index("ix_customer_keys_customer_id", table_name="customer_keys")
    op.drop_table("customer_keys")

    # A merge may have left two open conversations of one customer on one channel; the old key allows one. The older
    # ones are resolved (their messages stay), the newest stays open, so the downgrade succeeds in that state too.
    op.execute(
        "UPDATE conversations SET status = 'resolved' WHERE status != 'resolved' AND id NOT IN ("
        " SELECT max(id) FROM conversations WHERE status != 'resolved' GROUP BY customer_id, channel_id)"
    )
    op.drop_index("uq_conversations_open", table_name="conversations")
    op.create_index(
        "uq_conversations_open",
        "conversations",
        ["customer_id", "channel_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.drop_column("conversations", "identity_id")

    op.drop_index("ix_customers_merged_into_id", table_name="customers")
    for column in ("merged_into_id", "attributes", "tags", "segment", "language"):
        op.drop_column("customers", column)
