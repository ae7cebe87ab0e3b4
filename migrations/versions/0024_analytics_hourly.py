"""Analytics: the time series' hourly roll-up

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04

* ``analytics_hourly``: per UTC hour x channel x queue, the additive counters the time series read
  (omnidesk.server.analytics.hourly): conversations, resolved, SLA decided and breached, CSAT count and sum, NPS
  count, and the counts per duration band of first response, resolution and next response (``frt_b*``, ``res_b*``,
  ``nrt_b*``, omnidesk.domain.metrics.BANDS); an index on the hour.
* Kept with the daily roll-up by the same dirty days: every day with facts is marked dirty, so the next refresh fills
  the new table (or ``omnidesk analytics rebuild``); until then the series read the raw facts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BANDS = 50  # omnidesk.domain.metrics.BANDS at this revision
COUNTERS = ("conversations", "resolved", "sla_decided", "sla_breaches", "csat_n", "csat_sum", "nps_n")
COLUMNS = COUNTERS + tuple(f"{kind}_b{i}" for kind in ("frt", "res", "nrt") for i in range(BANDS))
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "analytics_hourly",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("queue_id", sa.BigInteger(), nullable=True),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in COLUMNS),
    )
    op.create_index("ix_analytics_hourly_hour", "analytics_hourly", ["hour"])
    day = "date({})" if op.get_bind().dialect.name == "sqlite" else "({} AT TIME ZONE 'UTC')::date"
    op.execute(
        f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {day.format('started_at')} FROM conversation_sla"
        f" WHERE started_at IS NOT NULL UNION SELECT DISTINCT {day.format('answered_at')} FROM csat_surveys"
        " WHERE answered_at IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_hourly_hour", table_name="analytics_hourly")
    op.drop_table("analytics_hourly")
