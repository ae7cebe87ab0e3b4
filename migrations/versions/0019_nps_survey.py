"""Surveys: the NPS question (per queue: CSAT, NPS or both) and which question a survey waits for

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

* ``csat_settings`` gains ``asks`` ("csat", "nps" or "both"; existing queues keep "csat") and ``nps_questions``
  (the NPS question per language; empty: ours).
* ``csat_surveys`` gains ``asks`` (the queue's when the survey was planned), ``awaiting`` and ``asked_at`` (the
  question asked whose answer is not in yet, and when it went out), ``nps_requested_at`` and ``nps_message_id`` (NPS
  due after the CSAT answer, and its outgoing message). A survey asked and not answered waits for its CSAT answer.
* The "waiting" index is on (customer, channel, awaiting); a new one finds the NPS questions due.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
At = sa.DateTime(timezone=True)
SURVEY_COLUMNS = ("asks", "awaiting", "asked_at", "nps_requested_at", "nps_message_id")


def upgrade() -> None:
    op.add_column("csat_settings", sa.Column("asks", sa.String(8), nullable=False, server_default="csat"))
    op.add_column("csat_settings", sa.Column("nps_questions", Json, nullable=True))
    op.add_column("csat_surveys", sa.Column("asks", sa.String(8), nullable=False, server_default="csat"))
    op.add_column("csat_surveys", sa.Column("awaiting", sa.String(8), nullable=True))
    op.add_column("csat_surveys", sa.Column("asked_at", At, nullable=True))
    op.add_column("csat_surveys", sa.Column("nps_requested_at", At, nullable=True))
    op.add_column("csat_surveys", sa.Column("nps_message_id", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE csat_surveys SET awaiting = 'csat', asked_at = requested_at"
        " WHERE message_id IS NOT NULL AND answered_at IS NULL"
    )
    op.drop_index("ix_csat_surveys_waiting", table_name="csat_surveys")
    op.create_index("ix_csat_surveys_waiting", "csat_surveys", ["customer_id", "channel_id", "awaiting"])
    op.create_index("ix_csat_surveys_nps_due", "csat_surveys", ["nps_message_id", "nps_requested_at"])


def downgrade() -> None:
    op.drop_index("ix_csat_surveys_nps_due", table_name="csat_surveys")
    op.drop_index("ix_csat_surveys_waiting", table_name="csat_surveys")
    op.create_index("ix_csat_surveys_waiting", "csat_surveys", ["customer_id", "channel_id", "answered_at"])
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+ too): no table copy, so 0012's triggers stay.
    for column in SURVEY_COLUMNS:
        op.drop_column("csat_surveys", column)
    op.drop_column("csat_settings", "nps_questions")
    op.drop_column("csat_settings", "asks")
