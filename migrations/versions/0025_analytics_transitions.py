"""Analytics: the channel transitions' daily roll-up

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04

* ``analytics_transitions``: per UTC hour a customer came back (conversation b created) x the channel of the
  conversation they left (a) x b's channel kind x ``within`` (the smallest of 1, 2, 4, 8, 12, 24, 48, 72, 168, 336, 720
  hours the gap fits), the number of such pairs (omnidesk.server.analytics.transitions); an index on the hour, and
  one on ``conversations.created_at`` (the report's edges read a few hours of conversations).
* A pair counts on b's day, so a new conversation changes only its own day (and, if it is dated in the past, an
  import, the days of the same customer's conversations created up to 720 hours after it, the returns it is now the
  origin of: for a conversation created now there are none): triggers on ``conversations`` mark them dirty, and, when
  a conversation changes customer (a merge) or channel or is deleted, its day and its followers' days, in the writer's
  transaction, like the triggers of 0012 (statement-level with transition tables on PostgreSQL).
* Every day with conversations is marked dirty, so the next refresh fills the table (or ``omnidesk analytics
  rebuild``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
LONGEST = 720  # hours: omnidesk.server.analytics.transitions.LONGEST
FACTS = ("customer_id", "channel_id", "created_at")


def _sqlite_followers(row: str) -> str:
    return (
        "INSERT INTO analytics_dirty(day) SELECT DISTINCT date(c.created_at) FROM conversations c"
        f" WHERE c.customer_id = {row}.customer_id AND c.created_at > {row}.created_at"
        f" AND c.created_at <= datetime({row}.created_at, '+{LONGEST} hours');"
    )


def _sqlite_triggers() -> dict[str, str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in FACTS)
    return {
        "analytics_transition_insert": "AFTER INSERT ON conversations BEGIN "
        "INSERT INTO analytics_dirty(day) VALUES (date(NEW.created_at)); " + _sqlite_followers("NEW") + " END",
        "analytics_transition_update": f"AFTER UPDATE ON conversations WHEN {changed} BEGIN "
        "INSERT INTO analytics_dirty(day) VALUES (date(NEW.created_at)); "
        "INSERT INTO analytics_dirty(day) SELECT date(OLD.created_at)"
        " WHERE date(OLD.created_at) <> date(NEW.created_at); "
        + _sqlite_followers("NEW")
        + _sqlite_followers("OLD")
        + " END",
        "analytics_transition_delete": "AFTER DELETE ON conversations BEGIN "
        "INSERT INTO analytics_dirty(day) VALUES (date(OLD.created_at)); " + _sqlite_followers("OLD") + " END",
    }


def _day(column: str) -> str:
    return f"({column} AT TIME ZONE 'UTC')::date"


def _pg_followers(rows: str) -> str:
    return (
        f"SELECT {_day('c.created_at')} FROM {rows} r JOIN conversations c ON c.customer_id = r.customer_id"
        f" AND c.created_at > r.created_at AND c.created_at <= r.created_at + interval '{LONGEST} hours'"
    )


def _pg_triggers() -> list[tuple[str, str, str, str, str]]:
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in FACTS)
    moved = (
        f"(SELECT o.customer_id, o.created_at FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed}"
        f" UNION ALL SELECT n.customer_id, n.created_at FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed})"
    )
    return [
        (
            "analytics_transition_insert",
            "INSERT",
            "NEW TABLE AS new_rows",
            "INSERT INTO analytics_dirty(day) SELECT DISTINCT d FROM ("
            f"SELECT {_day('created_at')} AS d FROM new_rows UNION {_pg_followers('new_rows')}) x;",
        ),
        (
            "analytics_transition_update",
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "INSERT INTO analytics_dirty(day) SELECT DISTINCT d FROM ("
            f"SELECT {_day('m.created_at')} AS d FROM {moved} m UNION {_pg_followers(moved)}) x;",
        ),
        (
            "analytics_transition_delete",
            "DELETE",
            "OLD TABLE AS old_rows",
            f"INSERT INTO analytics_dirty(day) SELECT DISTINCT d FROM (SELECT {_day('created_at')} AS d FROM old_rows"
            f" UNION {_pg_followers('old_rows')}) x;",
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "analytics_transitions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("target_kind", sa.String(32), nullable=False),
        sa.Column("within", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_index("ix_analytics_transitions_hour", "analytics_transitions", ["hour"])
    # The report's edges and a dirty day read the conversations created in a few hours: by this index, not a scan.
    op.create_index("ix_conversations_created_at", "conversations", ["created_at"])
    if op.get_bind().dialect.name == "sqlite":
        for name, body in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        day = "date(created_at)"
    else:
        for name, event, referencing, body in _pg_triggers():
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON conversations REFERENCING {referencing}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        day = _day("created_at")
    op.execute(f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {day} FROM conversations")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, *_rest in _pg_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON conversations")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_conversations_created_at", table_name="conversations")
    op.drop_index("ix_analytics_transitions_hour", table_name="analytics_transitions")
    op.drop_table("analytics_transitions")
