"""The events feature's tables (SQLAlchemy 2 declarative, ``Mapped[]``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Index,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt, Json


class EventRow(Base):
    """The event log. ``id`` orders inserts; ``seq`` is the public, gap-free-in-visibility order.

    Writers insert with ``seq`` NULL in the same transaction as their change. The sequencer (one at a time) numbers
    committed rows afterwards, so a reader that has seen ``seq = n`` can never later find a committed event below n:
    the out-of-order-commit pitfall cannot occur.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("uq_events_seq", "seq", unique=True),
        Index(
            "ix_events_unsequenced",
            "id",
            sqlite_where=text("seq IS NULL"),
            postgresql_where=text("seq IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    seq: Mapped[int | None] = mapped_column(BigInt)
    type: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    # Audience: who may receive it. NULL queue and user means supervisors and admins only.
    queue_id: Mapped[int | None] = mapped_column(BigInt)
    queue_ids: Mapped[list[int] | None] = mapped_column(Json)  # further queues of the audience (migration 0003)
    user_id: Mapped[int | None] = mapped_column(BigInt)
    # The conversation it is about, if one: colleagues mentioned in its notes receive it too (migration 0015).
    conversation_id: Mapped[int | None] = mapped_column(BigInt)
