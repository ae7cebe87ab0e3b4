"""Conversations: a revision the database bumps on every change

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07

* ``conversations.revision``: a counter that grows by one with every UPDATE of the row, whoever writes it (the ORM,
  a Core ``update()``, the group commit's raw SQL), so the list endpoint and every event payload carry how fresh
  their copy of the conversation is, and the client keeps the freshest one (issue 12: a late event carried an older
  state than the inbox page the client had just read). Existing rows start at 0.
* Bumped by a trigger: on PostgreSQL a BEFORE UPDATE row trigger sets ``NEW.revision`` (no second write, and the
  group commit's ``RETURNING`` sees the new value); SQLite cannot change ``NEW``, so an AFTER UPDATE trigger writes
  it (recursive triggers are off, and its WHEN makes a statement that sets ``revision`` itself count once).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGER = "conversation_revision"


def upgrade() -> None:
    # ADD COLUMN in place (no batch copy: the analytics triggers of 0012 and 0025 refer to the table).
    op.add_column("conversations", sa.Column("revision", sa.BigInteger(), server_default=sa.text("0"), nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER UPDATE ON conversations WHEN NEW.revision = OLD.revision BEGIN "
            "UPDATE conversations SET revision = OLD.revision + 1 WHERE id = NEW.id; END"
        )
    else:
        op.execute(
            f"CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.revision = OLD.revision THEN NEW.revision := OLD.revision + 1; END IF; RETURN NEW; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON conversations FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON conversations")
        op.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
    op.drop_column("conversations", "revision")
