"""Analytics: next response time in the daily roll-ups

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02

* ``analytics_daily`` gains the next-response counters of the conversations that started that day: ``nrt_n``,
  ``nrt_sum`` and the wait counts per duration band ``nrt_b0..`` (omnidesk.domain.metrics.BANDS).
* A conversation's waits change with its messages, which do not always touch its clock row (a conversation under no
  policy with a next-response target): triggers on ``messages`` mark the conversation's start day dirty when a text
  message is written, moved or deleted, in the writer's transaction, like the triggers of 0012 (statement-level with
  transition tables on PostgreSQL).
* Every day with facts is marked dirty, so the next refresh fills the new counters (or ``omnidesk analytics
  rebuild``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BANDS = 50  # omnidesk.domain.metrics.BANDS at this revision
COLUMNS = ("nrt_n", "nrt_sum", *(f"nrt_b{i}" for i in range(BANDS)))
MESSAGE_FACTS = ("conversation_id", "created_at", "direction", "kind", "author_id")


def _sqlite_mark(row: str) -> str:
    return (
        "INSERT INTO analytics_dirty(day) SELECT date(started_at) FROM conversation_sla"
        f" WHERE conversation_id = {row}.conversation_id AND started_at IS NOT NULL;"
    )


def _sqlite_triggers() -> dict[str, str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in MESSAGE_FACTS)
    return {
        "analytics_message_insert": "AFTER INSERT ON messages WHEN NEW.kind = 'text' BEGIN "
        + _sqlite_mark("NEW")
        + " END",
        "analytics_message_update": f"AFTER UPDATE ON messages WHEN {changed} BEGIN "
        + _sqlite_mark("NEW")
        + " "
        + _sqlite_mark("OLD")
        + " END",
        "analytics_message_delete": "AFTER DELETE ON messages WHEN OLD.kind = 'text' BEGIN "
        + _sqlite_mark("OLD")
        + " END",
    }


def _pg_mark(rows: str, where: str = "") -> str:
    return (
        "INSERT INTO analytics_dirty(day) SELECT DISTINCT (s.started_at AT TIME ZONE 'UTC')::date"
        f" FROM conversation_sla s WHERE s.started_at IS NOT NULL AND s.conversation_id IN"
        f" (SELECT conversation_id FROM {rows}{where});"
    )


def _pg_triggers() -> list[tuple[str, str, str, str]]:
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in MESSAGE_FACTS)
    pairs = f"old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}"
    return [
        ("analytics_message_insert", "INSERT", "NEW TABLE AS new_rows", _pg_mark("new_rows", " WHERE kind = 'text'")),
        (
            "analytics_message_update",
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "INSERT INTO analytics_dirty(day) SELECT DISTINCT (s.started_at AT TIME ZONE 'UTC')::date"
            " FROM conversation_sla s WHERE s.started_at IS NOT NULL AND s.conversation_id IN"
            f" (SELECT unnest(ARRAY[o.conversation_id, n.conversation_id]) FROM {pairs});",
        ),
        ("analytics_message_delete", "DELETE", "OLD TABLE AS old_rows", _pg_mark("old_rows", " WHERE kind = 'text'")),
    ]


def upgrade() -> None:
    for column in COLUMNS:
        kind = sa.Float() if column == "nrt_sum" else sa.Integer()
        op.add_column("analytics_daily", sa.Column(column, kind, nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "sqlite":
        for name, body in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        day = "date(started_at)"
    else:
        for name, event, referencing, body in _pg_triggers():
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON messages REFERENCING {referencing}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        day = "(started_at AT TIME ZONE 'UTC')::date"
    op.execute(
        f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {day} FROM conversation_sla WHERE started_at IS NOT NULL"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, *_rest in _pg_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON messages")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+), as 0014 does.
    for column in reversed(COLUMNS):
        op.drop_column("analytics_daily", column)
