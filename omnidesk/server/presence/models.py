"""The presence feature's tables (SQLAlchemy 2 declarative, ``Mapped[]``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import UTCDateTime, utcnow
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
