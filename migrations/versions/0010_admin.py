"""For IT admins and compliance: directory accounts, history search indexes, retention policies and runs.

* ``directory_accounts`` marks the users who sign in with the corporate directory (LDAP / Active Directory).
* Retention: ``retention_policies``, ``legal_holds``, ``retention_runs``; audit rows leave only through the
  retention run's pruning (0004's triggers refuse UPDATE and any DELETE of a row younger than audit_policy's period).
* History search. PostgreSQL: the text search configuration ``omnidesk_search`` (Ukrainian, Russian and English
  hunspell dictionaries from Debian's hunspell-uk/-ru/-en-us, each followed by Snowball; where a dictionary file is
  missing the configuration falls back to Snowball alone), the stored generated column ``messages.search_vector``
  (``to_tsvector('omnidesk_search', text)``) with a GIN index, and a pg_trgm GIN index over ``text`` for parts of numbers. SQLite: the FTS5 trigram table ``messages_fts`` over
  ``messages.text``, kept by triggers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# (dictionary, file name in $SHAREDIR/tsearch_data, Snowball fallback)
HUNSPELL = [
    ("omnidesk_uk_hunspell", "uk_ua", "russian_stem"),
    ("omnidesk_ru_hunspell", "ru_ru", "russian_stem"),
    ("omnidesk_en_hunspell", "en_us", "english_stem"),
]
TS_CONFIG = "omnidesk_search"
SQLITE_TRIGGERS = {
    "messages_fts_insert": "AFTER INSERT ON messages BEGIN "
    "INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text); END",
    "messages_fts_delete": "AFTER DELETE ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "messages_fts_update": "AFTER UPDATE OF text ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text); END",
}


def _search_upgrade_pg() -> None:
    bind = op.get_bind()
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    present = []
    for name, filename, _fallback in HUNSPELL:
        # A savepoint per dictionary: a server without that hunspell package still migrates (Snowball only).
        try:
            with bind.begin_nested():
                bind.exec_driver_sql(
                    f"CREATE TEXT SEARCH DICTIONARY {name} (TEMPLATE = ispell, DictFile = {filename}, AffFile = {filename})"
                )
            present.append(name)
        except sa.exc.DBAPIError:
            pass
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = simple)")
    cyrillic = [n for n in ("omnidesk_uk_hunspell", "omnidesk_ru_hunspell") if n in present] + ["russian_stem"]
    latin = [n for n in ("omnidesk_en_hunspell",) if n in present] + ["english_stem"]
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} ALTER MAPPING FOR word, hword, hword_part WITH {', '.join(cyrillic)}"
    )
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} ALTER MAPPING FOR asciiword, asciihword, hword_asciipart "
        f"WITH {', '.join(latin)}"
    )
    # A stored column, not an expression index: the planner may walk the newest messages checking each one, and
    # re-running hunspell per row there costs seconds where reading a stored tsvector costs microseconds.
    op.execute(
        f"ALTER TABLE messages ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('{TS_CONFIG}'::regconfig, text)) STORED"
    )
    # Finer statistics of the lexemes: the planner then sees that a rare word is rare and reads the GIN index,
    # instead of walking the newest messages one by one (measured: 20 ms -> 4 ms at 200,000 messages).
    op.execute("ALTER TABLE messages ALTER COLUMN search_vector SET STATISTICS 1000")
    op.execute("CREATE INDEX ix_messages_search ON messages USING gin (search_vector)")
    op.execute("CREATE INDEX ix_messages_trgm ON messages USING gin (text gin_trgm_ops)")


def _search_downgrade_pg() -> None:
    op.execute("DROP INDEX IF EXISTS ix_messages_trgm")
    op.execute("DROP INDEX IF EXISTS ix_messages_search")
    op.execute("ALTER TABLE messages DROP COLUMN IF EXISTS search_vector")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {TS_CONFIG}")
    for name, _filename, _fallback in HUNSPELL:
        op.execute(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {name}")


def _search_upgrade_sqlite() -> None:
    op.execute("CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='id', tokenize='trigram')")
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")


def _search_downgrade_sqlite() -> None:
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS messages_fts")


ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _retention_upgrade() -> None:
    op.create_table(
        "retention_policies",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("channel_id", ID, nullable=True),
        sa.Column("queue_id", ID, nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["queue_id"], ["queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "legal_holds",
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    op.create_table(
        "retention_runs",
        sa.Column("id", ID, nullable=False),
        sa.Column("run_key", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_by", sa.String(150), nullable=True),
        sa.Column("report", Json, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_key", name="uq_retention_runs_key"),
    )
    # The audit log's append-only triggers are 0004's (UPDATE refused; DELETE only past audit_policy's period).


def _retention_downgrade() -> None:
    op.drop_table("retention_runs")
    op.drop_table("legal_holds")
    op.drop_table("retention_policies")


def upgrade() -> None:
    op.create_table(
        "directory_accounts",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("dn", sa.String(1000), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_by_directory", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    _retention_upgrade()
    if op.get_bind().dialect.name == "sqlite":
        _search_upgrade_sqlite()
    else:
        _search_upgrade_pg()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _search_downgrade_sqlite()
    else:
        _search_downgrade_pg()
    _retention_downgrade()
    op.drop_table("directory_accounts")
