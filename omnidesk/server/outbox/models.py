"""The outbox feature's tables (SQLAlchemy 2 declarative, ``Mapped[]``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base


class OutboxItem(Base):
    """A reply waiting to be delivered to its channel; written in the same transaction as the message."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), unique=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending, done, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxChannel(Base):
    """What the process sending a rate-limited channel leaves for the next one (PostgreSQL scale-out, see
    ``outbox/leases.py``): whether a sender holds it (``held``: not cleared when the holder died), when its windows
    are empty after a clean release (``quiet_after``) and until when the platform asked us to wait (``paused_until``,
    a 429's Retry-After)."""

    __tablename__ = "outbox_channels"

    channel_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    paused_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
