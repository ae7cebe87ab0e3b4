"""The queues feature's tables (SQLAlchemy 2 declarative, ``Mapped[]``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, Json


class Queue(Base):
    __tablename__ = "queues"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Business hours (migration 0007): {"tz", "week": {"0": [["09:00", "18:00"]]}, "holidays": ["2026-01-01"]}.
    calendar: Mapped[dict[str, Any] | None] = mapped_column(Json)
    # Push mode: the server offers waiting work to the least-loaded online member (off: members take it themselves).
    auto_assign: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # Push mode's offer step (migration 0016): seconds the chosen operator has to accept; 0 assigns at once.
    offer_timeout_s: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Migration 0019: seconds during which who declined a conversation (or let its offer expire) is not offered it.
    offer_cooldown_s: Mapped[int] = mapped_column(Integer, default=600, server_default=text("600"))


class QueueMember(Base):
    __tablename__ = "queue_members"

    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    # Migration 0007: what the member can do, how much at once (per class of work: chat, email, call), and who is
    # offered work first (higher first).
    skills: Mapped[list[str] | None] = mapped_column(Json)
    capacity: Mapped[dict[str, int] | None] = mapped_column(Json)
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
