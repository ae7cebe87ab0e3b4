"""The permissions feature's table: an installation's overrides of the role defaults."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt


class RolePermission(Base):
    """One override: ``allowed`` True grants ``permission`` to ``role``, False revokes it (see domain/permissions)."""

    __tablename__ = "role_permissions"

    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    permission: Mapped[str] = mapped_column(String(64), primary_key=True)
    allowed: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(BigInt)
