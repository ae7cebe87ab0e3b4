"""Analytics: the operators' figures by customer segment

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06

* ``analytics_daily_operator_segment`` and ``analytics_daily_operator_segment_business``: the counters of
  ``analytics_daily`` and ``analytics_daily_business`` per UTC day x operator x the customer's segment (no channel or
  queue), an index on the day each: a summary with a segment filter (and no channel or queue filter) reads its
  operators' figures there instead of the raw facts (omnidesk.server.analytics.service.summary). Every day with facts
  is marked dirty, so the next refresh fills them (or ``omnidesk analytics rebuild``).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from omnidesk.server.analytics.models import BUSINESS_COLUMNS, COLUMNS, daily_columns

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (("analytics_daily_operator_segment", COLUMNS), ("analytics_daily_operator_segment_business", BUSINESS_COLUMNS))


def upgrade() -> None:
    for table, columns in TABLES:  # the model's columns, as of this revision
        op.create_table(table, *daily_columns(columns, operator_segment=True))
        op.create_index(f"ix_{table}_day", table, ["day"])
    day = "date({})" if op.get_bind().dialect.name == "sqlite" else "({} AT TIME ZONE 'UTC')::date"
    op.execute(
        f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {day.format('started_at')} FROM conversation_sla"
        f" WHERE started_at IS NOT NULL UNION SELECT DISTINCT {day.format('answered_at')} FROM csat_surveys"
        " WHERE answered_at IS NOT NULL"
    )


def downgrade() -> None:
    for table, _columns in TABLES:
        op.drop_index(f"ix_{table}_day", table_name=table)
        op.drop_table(table)
