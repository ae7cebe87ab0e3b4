"""Analytics: business-hours durations stored per conversation and rolled up per day

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04

* ``conversation_sla`` gains ``frt_business`` and ``res_business``: the working seconds of the conversation's queue
  calendar from ``started_at`` to ``first_response_at`` / ``resolved_at`` (NULL while that moment is), written with
  the clock from now on (omnidesk.server.sla.service.business_values). Existing rows are backfilled here, in pages,
  with the same function and today's queue calendars (``backfill``).
* ``analytics_daily_business``: the first response and resolution counters and duration bands of
  ``analytics_daily`` again, in business time, per UTC day x channel x queue x operator (the business-hours summary
  reads it; the wall-clock summary's rows stay as narrow as they were).
* No new triggers: the business durations change only with the facts that the triggers of 0012 watch already
  (start, first response, resolution, the conversation's queue). Every day with facts is marked dirty, so the next
  refresh fills the new table (or ``omnidesk analytics rebuild``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from omnidesk.domain import sla
from omnidesk.server.analytics.models import daily_columns
from omnidesk.server.db import UTCDateTime
from omnidesk.server.sla.service import business_values, rules_from_rows

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BANDS = 50  # omnidesk.domain.metrics.BANDS at this revision
COLUMNS = ("frt_n", "frt_sum", "res_n", "res_sum", *(f"frt_b{i}" for i in range(BANDS)),
           *(f"res_b{i}" for i in range(BANDS)))  # fmt: skip
PAGE = 5000

_sla = sa.table(
    "conversation_sla",
    sa.column("conversation_id", sa.BigInteger()),
    sa.column("started_at", UTCDateTime()),
    sa.column("first_response_at", UTCDateTime()),
    sa.column("resolved_at", UTCDateTime()),
)
_conversations = sa.table("conversations", sa.column("id", sa.BigInteger()), sa.column("queue_id", sa.BigInteger()))


def backfill(conn: sa.Connection, page: int = PAGE) -> int:
    """``frt_business`` / ``res_business`` of every stored clock with a first response or resolution, in pages by
    conversation id (memory stays flat), in the conversation's queue calendar; the number of rows written."""
    queues = conn.execute(sa.text("SELECT id, calendar FROM queues WHERE calendar IS NOT NULL")).mappings().all()
    rules = rules_from_rows((), (), queues)
    pg = conn.dialect.name != "sqlite"
    last, done = 0, 0
    while True:
        rows = conn.execute(
            sa.select(
                _sla.c.conversation_id,
                _conversations.c.queue_id,
                _sla.c.started_at,
                _sla.c.first_response_at,
                _sla.c.resolved_at,
            )
            .join(_conversations, _conversations.c.id == _sla.c.conversation_id)
            .where(
                _sla.c.conversation_id > last,
                _sla.c.started_at.is_not(None),
                sa.or_(_sla.c.first_response_at.is_not(None), _sla.c.resolved_at.is_not(None)),
            )
            .order_by(_sla.c.conversation_id)
            .limit(page)
        ).all()
        if not rows:
            return done
        values = []
        for r in rows:
            clock = sla.Clock(started_at=r.started_at, first_response_at=r.first_response_at, resolved_at=r.resolved_at)
            values.append({"id": r.conversation_id, **business_values(rules, r.queue_id, clock)})
        if pg:  # one statement per page
            conn.execute(
                sa.text(
                    "UPDATE conversation_sla s SET frt_business = v.f, res_business = v.r"
                    " FROM unnest(CAST(:ids AS bigint[]), CAST(:f AS float8[]), CAST(:r AS float8[])) AS v(id, f, r)"
                    " WHERE s.conversation_id = v.id"
                ),
                {
                    "ids": [v["id"] for v in values],
                    "f": [v["frt_business"] for v in values],
                    "r": [v["res_business"] for v in values],
                },
            )
        else:
            conn.execute(
                sa.text(
                    "UPDATE conversation_sla SET frt_business = :frt_business, res_business = :res_business"
                    " WHERE conversation_id = :id"
                ),
                values,
            )
        done += len(rows)
        last = rows[-1].conversation_id


def upgrade() -> None:
    op.add_column("conversation_sla", sa.Column("frt_business", sa.Float(), nullable=True))
    op.add_column("conversation_sla", sa.Column("res_business", sa.Float(), nullable=True))
    op.create_table("analytics_daily_business", *daily_columns(COLUMNS))  # the model's columns, as of this revision
    op.create_index("ix_analytics_daily_business_day", "analytics_daily_business", ["day"])
    backfill(op.get_bind())
    day = "date(started_at)" if op.get_bind().dialect.name == "sqlite" else "(started_at AT TIME ZONE 'UTC')::date"
    op.execute(
        f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {day} FROM conversation_sla WHERE started_at IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_daily_business_day", table_name="analytics_daily_business")
    op.drop_table("analytics_daily_business")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+), as 0014 and 0018 do.
    op.drop_column("conversation_sla", "res_business")
    op.drop_column("conversation_sla", "frt_business")
