"""Which users come from the directory (the rest are local accounts, kept for break-glass admins)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, String, text
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import UTCDateTime, utcnow
from omnidesk.server.db.base import Base


class DirectoryAccount(Base):
    __tablename__ = "directory_accounts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    dn: Mapped[str] = mapped_column(String(1000))
    synced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # True when the directory (not an admin) switched the user off: signing in again once the directory allows it
    # switches them back on; a user an admin disabled stays disabled.
    disabled_by_directory: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
