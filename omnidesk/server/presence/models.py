"""The presence feature's tables (SQLAlchemy 2 declarative, ``Mapped[]``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base


class Presence(Base):
    """An operator's availability. ``offline_since`` starts the grace period after which their work goes back."""

    __tablename__ = "presence"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # online, away, offline
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    offline_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_assigned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The client's last sign of life (each PUT /presence); silence past ``presence_timeout`` means a lost client.
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AssignmentOffer(Base):
    """A waiting conversation offered to one operator (push mode with an offer timeout): pending until accepted,
    declined, expired, or withdrawn (someone else took it). A decline or an expiry keeps that operator from being
    offered the same conversation again for a while."""

    __tablename__ = "assignment_offers"
    __table_args__ = (
        Index("ix_assignment_offers_conversation", "conversation_id", "user_id"),
        Index("ix_assignment_offers_user", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    offered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # None while pending, then accepted, declined, expired or withdrawn.
    outcome: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
