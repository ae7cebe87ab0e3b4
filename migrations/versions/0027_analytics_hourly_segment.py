"""Analytics: the time series' hourly roll-up by customer segment

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06

* ``analytics_hourly_segment``: the counters of ``analytics_hourly`` per UTC hour x the customer's segment (no channel,
  queue or operator), an index on the hour: a series with a segment filter (and no channel or queue filter) reads it
  instead of the raw facts (omnidesk.server.analytics.hourly). Every day with facts is marked dirty, so the next
  refresh fills it (or ``omnidesk analytics rebuild``).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from omnidesk.server.analytics.models import hourly_segment_columns

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("analytics_hourly_segment", *hourly_segment_columns())  # the model's columns, at this revision
    op.create_index("ix_analytics_hourly_segment_hour", "analytics_hourly_segment", ["hour"])
    day = "date({})" if op.get_bind().dialect.name == "sqlite" else "({} AT TIME ZONE 'UTC')::date"
    op.execute(
        f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {day.format('started_at')} FROM conversation_sla"
        f" WHERE started_at IS NOT NULL UNION SELECT DISTINCT {day.format('answered_at')} FROM csat_surveys"
        " WHERE answered_at IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_hourly_segment_hour", table_name="analytics_hourly_segment")
    op.drop_table("analytics_hourly_segment")
