"""Web chat: the page's title and the visitor's browser language.

* ``webchat_visitors.page_title``: the title of the page the visitor chats from (the operator's visitor panel shows
  it above the address: "Credit cards | Bank" says more than a URL).
* ``webchat_visitors.language``: the browser's preferred language (a BCP 47 tag such as ``uk-UA``); a customer whose
  language is not known yet takes it, so replies, surveys and the card speak it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webchat_visitors") as batch:
        batch.add_column(sa.Column("page_title", sa.String(300), nullable=True))
        batch.add_column(sa.Column("language", sa.String(35), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webchat_visitors") as batch:
        batch.drop_column("language")
        batch.drop_column("page_title")
