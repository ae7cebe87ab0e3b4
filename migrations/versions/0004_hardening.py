"""Hardening: permission overrides, atomic login throttling, refresh-reuse detection, an append-only audit log.

* ``role_permissions``: an installation's grants and revocations per role (domain/permissions.py decides with them).
* ``login_throttle``: failed-login counters charged in one conditional UPDATE before the password is checked.
* ``auth_sessions.previous_refresh_hash``: a rotated-away refresh token presented again revokes its session.
* ``audit_policy`` and triggers on ``audit_log``: UPDATE is refused, DELETE only for rows older than the retention
  period (so a retention job can prune, nobody can rewrite history).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sa.DateTime(timezone=True)

PG_GUARD = """
CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit_log is append-only: records cannot be changed' USING ERRCODE = '42501';
    END IF;
    IF OLD.at > now() - make_interval(days => coalesce((SELECT retention_days FROM audit_policy WHERE id = 1), 365)::int)
    THEN
        RAISE EXCEPTION 'audit_log is append-only: records younger than the retention period cannot be deleted'
            USING ERRCODE = '42501';
    END IF;
    RETURN OLD;
END
$$
"""
SQLITE_NO_UPDATE = """
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: records cannot be changed');
END
"""
SQLITE_NO_DELETE = """
CREATE TRIGGER audit_log_no_early_delete BEFORE DELETE ON audit_log
WHEN old.at > datetime('now', '-' || coalesce((SELECT retention_days FROM audit_policy WHERE id = 1), 365) || ' days')
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: records younger than the retention period cannot be deleted');
END
"""


def upgrade() -> None:
    op.create_table(
        "role_permissions",
        sa.Column("role", sa.String(20), primary_key=True),
        sa.Column("permission", sa.String(64), primary_key=True),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Float(), nullable=False),
        sa.Column("next_allowed", sa.Float(), nullable=False),
        sa.Column("refusals", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(sa.Column("previous_refresh_hash", sa.String(64), nullable=True))
        batch.create_index("ix_auth_sessions_previous_refresh_hash", ["previous_refresh_hash"])
    op.create_table(
        "audit_policy",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("retention_days", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO audit_policy (id, retention_days) VALUES (1, 365)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_GUARD)
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
            " FOR EACH ROW EXECUTE FUNCTION audit_log_guard()"
        )
    else:
        op.execute(SQLITE_NO_UPDATE)
        op.execute(SQLITE_NO_DELETE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_guard()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_early_delete")
    op.drop_table("audit_policy")
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_index("ix_auth_sessions_previous_refresh_hash")
        batch.drop_column("previous_refresh_hash")
    op.drop_table("login_throttle")
    op.drop_table("role_permissions")
