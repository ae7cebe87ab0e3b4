"""SLA and satisfaction: business calendars, SLA policies, each conversation's SLA clock, CSAT surveys

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-02

Existing open conversations get no clock: a policy applies from the next customer message (the clock is data,
computed at ingest), so an upgrade never invents a breach for history nobody promised anything about.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
At = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "business_calendars",
        sa.Column("id", Id, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("hours", Json, nullable=False),
        sa.Column("country", sa.String(8), nullable=True),
        sa.Column("subdiv", sa.String(16), nullable=True),
        sa.Column("closed_days", Json, nullable=False),
        sa.Column("open_days", Json, nullable=False),
        sa.Column("created_at", At, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_business_calendars"),
        sa.UniqueConstraint("name", name="uq_business_calendars_name"),
    )
    op.create_table(
        "sla_policies",
        sa.Column("id", Id, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("queue_id", Id, nullable=True),
        sa.Column("channel_kind", sa.String(20), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("segment", sa.String(64), nullable=True),
        sa.Column("calendar_id", Id, nullable=True),
        sa.Column("first_response_seconds", sa.Integer(), nullable=True),
        sa.Column("next_response_seconds", sa.Integer(), nullable=True),
        sa.Column("resolution_seconds", sa.Integer(), nullable=True),
        sa.Column("warn_fraction", sa.Float(), nullable=False),
        sa.Column("escalation", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", At, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sla_policies"),
        sa.UniqueConstraint("name", name="uq_sla_policies_name"),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name="fk_sla_policies_queue_id_queues", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendars.id"],
            name="fk_sla_policies_calendar_id_business_calendars",
            ondelete="SET NULL",
        ),
    )
    op.create_table(
        "conversation_sla",
        sa.Column("conversation_id", sa.BigInteger(), nullable=False),
        sa.Column("policy_id", sa.BigInteger(), nullable=True),
        *(
            sa.Column(name, At, nullable=True)
            for name in (
                "started_at",
                "first_response_due",
                "first_response_warn",
                "first_response_at",
                "next_response_due",
                "next_response_warn",
                "resolution_due",
                "resolution_warn",
                "resolved_at",
                "paused_at",
            )
        ),
        sa.Column("alerted", sa.Integer(), nullable=False),
        sa.Column("breached", sa.Integer(), nullable=False),
        sa.Column("next_check_at", At, nullable=True),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_conversation_sla"),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_conversation_sla_conversation_id_conversations",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_conversation_sla_next_check", "conversation_sla", ["next_check_at"])
    op.create_index("ix_conversation_sla_started", "conversation_sla", ["started_at"])
    op.create_table(
        "csat_surveys",
        sa.Column("id", Id, nullable=False),
        sa.Column("conversation_id", Id, nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("queue_id", sa.BigInteger(), nullable=True),
        sa.Column("operator_id", sa.BigInteger(), nullable=True),
        sa.Column("requested_at", At, nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("answered_at", At, nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_csat_surveys"),
        sa.UniqueConstraint("conversation_id", name="uq_csat_surveys_conversation_id"),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_csat_surveys_conversation_id_conversations",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_csat_surveys_waiting", "csat_surveys", ["customer_id", "channel_id", "answered_at"])
    op.create_index("ix_csat_surveys_answered", "csat_surveys", ["answered_at"])
    op.create_index("ix_csat_surveys_unsent", "csat_surveys", ["message_id", "requested_at"])
    op.create_table(
        "csat_settings",
        sa.Column("queue_id", Id, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("delay_seconds", sa.Integer(), nullable=False),
        sa.Column("questions", Json, nullable=False),
        sa.PrimaryKeyConstraint("queue_id", name="pk_csat_settings"),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name="fk_csat_settings_queue_id_queues", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("csat_settings")
    op.drop_index("ix_csat_surveys_unsent", table_name="csat_surveys")
    op.drop_index("ix_csat_surveys_answered", table_name="csat_surveys")
    op.drop_index("ix_csat_surveys_waiting", table_name="csat_surveys")
    op.drop_table("csat_surveys")
    op.drop_index("ix_conversation_sla_started", table_name="conversation_sla")
    op.drop_index("ix_conversation_sla_next_check", table_name="conversation_sla")
    op.drop_table("conversation_sla")
    op.drop_table("sla_policies")
    op.drop_table("business_calendars")
