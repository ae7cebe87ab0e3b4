"""Analytics roll-ups: daily counters per day x channel x queue x operator, the dirty-day list its triggers keep,
and the NPS answer beside the CSAT rating

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Triggers append the UTC day whose figures a change touches to ``analytics_dirty``, in the writer's own transaction,
whoever the writer is (ingest, the PostgreSQL batch path, assignment, merges, the SLA worker, surveys, retention):
a conversation's clock row (its start day), its channel/queue/assignee/customer, a new conversation of a customer
(the first-contact resolution of their conversations resolved in the three days before it), and an answered survey
(its answer day). PostgreSQL uses statement-level triggers with transition tables, so a bulk statement marks each
day once, not once a row. The roll-up starts empty with every day that has facts marked dirty: the first refresh
fills it (or ``omnidesk analytics rebuild``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BANDS = 50  # omnidesk.domain.metrics.BANDS at this revision
COUNTERS = ("conversations", "resolved", "frt_n", "frt_sum", "res_n", "res_sum", "sla_breaches", "sla_decided",
            "abandoned", "fcr_count", "csat_n", "csat_sum", "csat_satisfied", "nps_n", "nps_promoters",
            "nps_detractors")  # fmt: skip
FLOATS = {"frt_sum", "res_sum"}
COLUMNS = COUNTERS + tuple(f"frt_b{i}" for i in range(BANDS)) + tuple(f"res_b{i}" for i in range(BANDS))
SLA_FACTS = ("started_at", "first_response_at", "resolved_at", "breached", "policy_id", "first_response_due",
             "resolution_due")  # fmt: skip
SURVEY_FACTS = ("answered_at", "score", "nps", "channel_id", "queue_id", "operator_id")
CONVERSATION_KEYS = ("channel_id", "queue_id", "assignee_id", "customer_id")


def _changed(columns: Sequence[str], old: str = "OLD", new: str = "NEW", op_: str = "IS NOT") -> str:
    return " OR ".join(f"{old}.{c} {op_} {new}.{c}" for c in columns)


def _sqlite_triggers() -> dict[str, str]:
    fcr = (
        "INSERT INTO analytics_dirty(day) SELECT DISTINCT date(s.started_at) FROM conversation_sla s"
        " JOIN conversations c ON c.id = s.conversation_id WHERE c.customer_id IN (NEW.customer_id, {old})"
        " AND c.id <> NEW.id AND s.resolved_at >= datetime(NEW.created_at, '-3 days')"
        " AND s.resolved_at < NEW.created_at;"
    )
    return {
        "analytics_sla_insert": "AFTER INSERT ON conversation_sla WHEN NEW.started_at IS NOT NULL BEGIN "
        "INSERT INTO analytics_dirty(day) VALUES (date(NEW.started_at)); END",
        "analytics_sla_update": f"AFTER UPDATE ON conversation_sla WHEN {_changed(SLA_FACTS)} BEGIN "
        "INSERT INTO analytics_dirty(day) SELECT date(NEW.started_at) WHERE NEW.started_at IS NOT NULL; "
        "INSERT INTO analytics_dirty(day) SELECT date(OLD.started_at) WHERE OLD.started_at IS NOT NULL "
        "AND date(OLD.started_at) IS NOT date(NEW.started_at); END",
        "analytics_sla_delete": "AFTER DELETE ON conversation_sla WHEN OLD.started_at IS NOT NULL BEGIN "
        "INSERT INTO analytics_dirty(day) VALUES (date(OLD.started_at)); END",
        "analytics_conversation_insert": "AFTER INSERT ON conversations BEGIN "
        + fcr.format(old="NEW.customer_id")
        + " END",
        "analytics_conversation_update": f"AFTER UPDATE ON conversations WHEN {_changed(CONVERSATION_KEYS)} BEGIN "
        "INSERT INTO analytics_dirty(day) SELECT date(started_at) FROM conversation_sla "
        "WHERE conversation_id = NEW.id AND started_at IS NOT NULL; " + fcr.format(old="OLD.customer_id") + " END",
        "analytics_survey_insert": "AFTER INSERT ON csat_surveys WHEN NEW.answered_at IS NOT NULL BEGIN "
        "INSERT INTO analytics_dirty(day) VALUES (date(NEW.answered_at)); END",
        "analytics_survey_update": f"AFTER UPDATE ON csat_surveys WHEN {_changed(SURVEY_FACTS)} BEGIN "
        "INSERT INTO analytics_dirty(day) SELECT date(NEW.answered_at) WHERE NEW.answered_at IS NOT NULL; "
        "INSERT INTO analytics_dirty(day) SELECT date(OLD.answered_at) WHERE OLD.answered_at IS NOT NULL; END",
        "analytics_survey_delete": "AFTER DELETE ON csat_surveys WHEN OLD.answered_at IS NOT NULL BEGIN "
        "INSERT INTO analytics_dirty(day) VALUES (date(OLD.answered_at)); END",
    }


def _day(column: str) -> str:
    return f"({column} AT TIME ZONE 'UTC')::date"


def _pg_fcr(rows: str, extra: str = "") -> str:
    return (
        f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {_day('s.started_at')} FROM {rows} n"
        " JOIN conversations c ON c.customer_id = n.customer_id AND c.id <> n.id"
        " JOIN conversation_sla s ON s.conversation_id = c.id"
        f" WHERE s.resolved_at >= n.created_at - interval '3 days' AND s.resolved_at < n.created_at{extra};"
    )


# (trigger, table, event, transition tables, body): statement-level, each with its own function.
def _pg_triggers() -> list[tuple[str, str, str, str, str]]:
    sla_changed = _changed(SLA_FACTS, "o", "n", "IS DISTINCT FROM")
    survey_changed = _changed(SURVEY_FACTS, "o", "n", "IS DISTINCT FROM")
    keys_changed = _changed(CONVERSATION_KEYS, "o", "n", "IS DISTINCT FROM")
    return [
        (
            "analytics_sla_insert",
            "conversation_sla",
            "INSERT",
            "NEW TABLE AS new_rows",
            f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {_day('started_at')} FROM new_rows"
            " WHERE started_at IS NOT NULL;",
        ),
        (
            "analytics_sla_update",
            "conversation_sla",
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "INSERT INTO analytics_dirty(day) SELECT DISTINCT d FROM (SELECT unnest(ARRAY["
            f"{_day('o.started_at')}, {_day('n.started_at')}]) AS d FROM old_rows o"
            f" JOIN new_rows n ON n.conversation_id = o.conversation_id WHERE {sla_changed}) x WHERE d IS NOT NULL;",
        ),
        (
            "analytics_sla_delete",
            "conversation_sla",
            "DELETE",
            "OLD TABLE AS old_rows",
            f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {_day('started_at')} FROM old_rows"
            " WHERE started_at IS NOT NULL;",
        ),
        ("analytics_conversation_insert", "conversations", "INSERT", "NEW TABLE AS new_rows", _pg_fcr("new_rows")),
        (
            "analytics_conversation_update",
            "conversations",
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {_day('s.started_at')} FROM old_rows o"
            " JOIN new_rows n ON n.id = o.id JOIN conversation_sla s ON s.conversation_id = n.id"
            f" WHERE s.started_at IS NOT NULL AND ({keys_changed});"
            + _pg_fcr(
                "(SELECT n.id, n.created_at, unnest(ARRAY[n.customer_id, o.customer_id]) AS customer_id"
                " FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.customer_id IS DISTINCT FROM o.customer_id)"
            ),
        ),
        (
            "analytics_survey_insert",
            "csat_surveys",
            "INSERT",
            "NEW TABLE AS new_rows",
            f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {_day('answered_at')} FROM new_rows"
            " WHERE answered_at IS NOT NULL;",
        ),
        (
            "analytics_survey_update",
            "csat_surveys",
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "INSERT INTO analytics_dirty(day) SELECT DISTINCT d FROM (SELECT unnest(ARRAY["
            f"{_day('o.answered_at')}, {_day('n.answered_at')}]) AS d FROM old_rows o"
            f" JOIN new_rows n ON n.id = o.id WHERE {survey_changed}) x WHERE d IS NOT NULL;",
        ),
        (
            "analytics_survey_delete",
            "csat_surveys",
            "DELETE",
            "OLD TABLE AS old_rows",
            f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {_day('answered_at')} FROM old_rows"
            " WHERE answered_at IS NOT NULL;",
        ),
    ]


def upgrade() -> None:
    op.add_column("csat_surveys", sa.Column("nps", sa.Integer(), nullable=True))
    op.create_table(
        "analytics_daily",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("queue_id", sa.BigInteger(), nullable=True),
        sa.Column("operator_id", sa.BigInteger(), nullable=True),
        *(sa.Column(c, sa.Float() if c in FLOATS else sa.Integer(), nullable=False) for c in COLUMNS),
    )
    op.create_index("ix_analytics_daily_day", "analytics_daily", ["day"])
    op.create_table(
        "analytics_dirty",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date(), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, body in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        day = "date({})"
    else:
        for name, table, event, referencing, body in _pg_triggers():
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        day = _day("{}")
    op.execute(
        f"INSERT INTO analytics_dirty(day) SELECT DISTINCT {day.format('started_at')} FROM conversation_sla"
        f" WHERE started_at IS NOT NULL UNION SELECT DISTINCT {day.format('answered_at')} FROM csat_surveys"
        " WHERE answered_at IS NOT NULL"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table, *_rest in _pg_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("analytics_dirty")
    op.drop_index("ix_analytics_daily_day", table_name="analytics_daily")
    op.drop_table("analytics_daily")
    with op.batch_alter_table("csat_surveys") as batch:
        batch.drop_column("nps")
