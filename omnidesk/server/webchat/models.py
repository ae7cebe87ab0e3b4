"""Web chat visitors: one row per browser identity (the signed token in its local storage names it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base


class WebchatVisitor(Base):
    __tablename__ = "webchat_visitors"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    visitor_key: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    conversation_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str | None] = mapped_column(String(200))
    site_user: Mapped[str | None] = mapped_column(String(200))  # the site's own user id, from its signed token
    page_url: Mapped[str | None] = mapped_column(String(2000))
    referrer: Mapped[str | None] = mapped_column(String(2000))
    page_title: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(35))  # the browser's preferred language (BCP 47)
    user_agent: Mapped[str | None] = mapped_column(String(500))
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
