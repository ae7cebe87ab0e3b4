"""Analytics: roll-ups by customer segment

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06

* ``analytics_daily_segment`` and ``analytics_daily_segment_business``: the counters of ``analytics_daily`` and
  ``analytics_daily_business`` per UTC day x channel x queue x the customer's segment (``customers.segment`` when the
  day was recomputed; no operator), an index on the day each; and ``segment`` on ``analytics_transitions``: the
  reports by customer segment and the ``segment`` filter read them (omnidesk.server.analytics.rollup).
* Triggers keep it current, in the writer's transaction, like those of 0012 and 0025: a change of a customer's
  segment marks dirty the days of that customer's conversations (their start, their creation: the transitions count
  on it) and of their surveys' answers; a conversation that changes customer (a merge, an undo) marks its surveys'
  answer days (0012 and 0025 already mark its own days). Statement-level with transition tables on PostgreSQL
  (a column list is not allowed with them: the body compares old and new), per row on SQLite.
* Every day with facts is marked dirty, so the next refresh fills the key (or ``omnidesk analytics rebuild``); until
  then those days read the raw facts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from omnidesk.server.analytics.models import BUSINESS_COLUMNS, COLUMNS, daily_columns

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEGMENTED = (("analytics_daily_segment", COLUMNS), ("analytics_daily_segment_business", BUSINESS_COLUMNS))


def _sqlite_days(customer: str) -> list[str]:
    return [
        "INSERT INTO analytics_dirty(day) SELECT DISTINCT date(c.created_at) FROM conversations c"
        f" WHERE c.customer_id = {customer};",
        "INSERT INTO analytics_dirty(day) SELECT DISTINCT date(s.started_at) FROM conversation_sla s"
        f" JOIN conversations c ON c.id = s.conversation_id WHERE c.customer_id = {customer}"
        " AND s.started_at IS NOT NULL;",
        "INSERT INTO analytics_dirty(day) SELECT DISTINCT date(v.answered_at) FROM csat_surveys v"
        f" JOIN conversations c ON c.id = v.conversation_id WHERE c.customer_id = {customer}"
        " AND v.answered_at IS NOT NULL;",
    ]


def _sqlite_triggers() -> dict[str, str]:
    return {
        "analytics_segment_customer": "AFTER UPDATE OF segment ON customers WHEN OLD.segment IS NOT NEW.segment BEGIN "
        + " ".join(_sqlite_days("NEW.id"))
        + " END",
        "analytics_segment_conversation": "AFTER UPDATE OF customer_id ON conversations"
        " WHEN OLD.customer_id IS NOT NEW.customer_id BEGIN "
        "INSERT INTO analytics_dirty(day) SELECT DISTINCT date(answered_at) FROM csat_surveys"
        " WHERE conversation_id = NEW.id AND answered_at IS NOT NULL; END",
    }


def _day(column: str) -> str:
    return f"({column} AT TIME ZONE 'UTC')::date"


def _pg_triggers() -> list[tuple[str, str, str]]:
    """(trigger, table, body): AFTER UPDATE, statement-level, OLD TABLE old_rows, NEW TABLE new_rows."""
    moved = "(SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.segment IS DISTINCT FROM n.segment)"
    return [
        (
            "analytics_segment_customer",
            "customers",
            "INSERT INTO analytics_dirty(day) SELECT DISTINCT d FROM ("
            f"SELECT {_day('c.created_at')} AS d FROM {moved} m JOIN conversations c ON c.customer_id = m.id"
            f" UNION SELECT {_day('s.started_at')} FROM {moved} m JOIN conversations c ON c.customer_id = m.id"
            " JOIN conversation_sla s ON s.conversation_id = c.id"
            f" UNION SELECT {_day('v.answered_at')} FROM {moved} m JOIN conversations c ON c.customer_id = m.id"
            " JOIN csat_surveys v ON v.conversation_id = c.id"
            ") x WHERE d IS NOT NULL;",
        ),
        (
            "analytics_segment_conversation",
            "conversations",
            f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {_day('v.answered_at')} FROM old_rows o"
            " JOIN new_rows n ON n.id = o.id JOIN csat_surveys v ON v.conversation_id = n.id"
            " WHERE o.customer_id IS DISTINCT FROM n.customer_id AND v.answered_at IS NOT NULL;",
        ),
    ]


def upgrade() -> None:
    for table, columns in SEGMENTED:  # the model's columns, as of this revision
        op.create_table(table, *daily_columns(columns, segment=True))
        op.create_index(f"ix_{table}_day", table, ["day"])
    op.add_column("analytics_transitions", sa.Column("segment", sa.String(64), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name, body in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    else:
        for name, table, body in _pg_triggers():
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows"
                f" NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
    day = (lambda c: f"date({c})") if sqlite else _day
    op.execute(
        "INSERT INTO analytics_dirty(day) SELECT DISTINCT d FROM ("
        f"SELECT {day('created_at')} AS d FROM conversations"
        f" UNION SELECT {day('started_at')} FROM conversation_sla WHERE started_at IS NOT NULL"
        f" UNION SELECT {day('answered_at')} FROM csat_surveys WHERE answered_at IS NOT NULL) x"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table, _body in _pg_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+), as 0023 does.
    op.drop_column("analytics_transitions", "segment")
    for table, _columns in SEGMENTED:
        op.drop_index(f"ix_{table}_day", table_name=table)
        op.drop_table(table)
