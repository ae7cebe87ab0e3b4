"""The retention feature's tables: policies, legal holds, and the record of every run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt, Json


class RetentionPolicy(Base):
    """Messages older than ``months`` in the policy's channel and/or queue (both unset: everywhere) are deleted or
    have their text replaced (anonymised). The most specific policy of a message's conversation applies."""

    __tablename__ = "retention_policies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(16))  # delete, anonymise
    months: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(BigInt)


class LegalHold(Base):
    """While a customer is on hold, no policy and no erasure touches their data."""

    __tablename__ = "legal_holds"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(BigInt)


class RetentionRun(Base):
    """What one application of the policies did. ``run_key`` (the day, UTC) makes a day's run happen once, whichever
    server or timer starts it."""

    __tablename__ = "retention_runs"
    __table_args__ = (UniqueConstraint("run_key", name="uq_retention_runs_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_key: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    started_by: Mapped[str | None] = mapped_column(String(150))
    report: Mapped[dict[str, Any] | None] = mapped_column(Json)
