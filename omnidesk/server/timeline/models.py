"""The timeline feature's tables (SQLAlchemy 2 declarative, ``Mapped[]``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt, Json


class TimelineEntry(Base):
    """A customer's history across channels: one row per message, status change, assignment, merge…

    Written in the transaction of the change it records; ``(customer_id, at, id)`` serves a page of any customer's
    timeline with one index range scan, however long the history."""

    __tablename__ = "timeline_items"
    __table_args__ = (
        Index("ix_timeline_items_customer_at", "customer_id", "at", "id"),
        Index("ix_timeline_items_conversation", "conversation_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    channel_id: Mapped[int | None] = mapped_column(BigInt)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
