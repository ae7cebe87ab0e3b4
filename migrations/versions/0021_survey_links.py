"""Surveys: the e-mail version with one link per score

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03

* ``csat_survey_links``: one row per survey question asked by e-mail with links: the random token's SHA-256
  (``token_hash``, unique: the lookup), the token sealed with the channel key (``sealed``: every retry of the mail
  carries the same links), the question it answers, its outgoing message, when it expires and when it was answered.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

At = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "csat_survey_links",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("survey_id", BigId, sa.ForeignKey("csat_surveys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("question", sa.String(8), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False, unique=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("created_at", At, nullable=False),
        sa.Column("expires_at", At, nullable=False),
        sa.Column("answered_at", At, nullable=True),
    )
    op.create_index("ix_csat_survey_links_survey_id", "csat_survey_links", ["survey_id"])


def downgrade() -> None:
    op.drop_index("ix_csat_survey_links_survey_id", table_name="csat_survey_links")
    op.drop_table("csat_survey_links")
