"""The SLA feature's tables: business calendars, policies, and one clock row per conversation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt, Json


class BusinessCalendar(Base):
    __tablename__ = "business_calendars"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # {"mon": [["09:00", "18:00"]], ...}
    hours: Mapped[dict[str, Any]] = mapped_column(Json)
    country: Mapped[str | None] = mapped_column(String(8))
    subdiv: Mapped[str | None] = mapped_column(String(16))
    closed_days: Mapped[list[str]] = mapped_column(Json)
    open_days: Mapped[list[str]] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SlaPolicy(Base):
    __tablename__ = "sla_policies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id", ondelete="CASCADE"))
    channel_kind: Mapped[str | None] = mapped_column(String(20))
    # Matches conversations.priority where the work-organisation feature provides it (0 low .. 3 urgent).
    priority: Mapped[int | None] = mapped_column(Integer)
    segment: Mapped[str | None] = mapped_column(String(64))
    calendar_id: Mapped[int | None] = mapped_column(ForeignKey("business_calendars.id", ondelete="SET NULL"))
    first_response_seconds: Mapped[int | None] = mapped_column(Integer)
    next_response_seconds: Mapped[int | None] = mapped_column(Integer)
    resolution_seconds: Mapped[int | None] = mapped_column(Integer)
    warn_fraction: Mapped[float] = mapped_column(Float, default=0.8)
    escalation: Mapped[str] = mapped_column(String(20), default="notify")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConversationSla(Base):
    """A conversation's SLA clock (omnidesk.domain.sla.Clock as a row) and its response facts for the reports.

    Every conversation has one from its first customer message, with or without a policy: it is the per-conversation
    roll-up the reports read (started, first response, resolved, breaches), maintained as things happen and
    rebuilt from the raw messages and status changes by ``omnidesk analytics rebuild``.

    ``next_check_at`` is when the timer worker must look next (the earliest warning or breach not yet sent): the
    worker reads only rows whose moment has come, through its index, so 100,000 open clocks cost nothing while
    nothing is due.

    ``frt_business`` / ``res_business`` are the first response and resolution in the working time of the
    conversation's queue calendar, written with the clock by every path that moves its start, first response or
    resolution (not by the timer worker, which changes only alerts). A later change of the queue's hours applies to
    history after ``omnidesk analytics rebuild``."""

    __tablename__ = "conversation_sla"
    __table_args__ = (
        Index("ix_conversation_sla_next_check", "next_check_at"),
        Index("ix_conversation_sla_started", "started_at"),  # the reports' period
    )

    conversation_id: Mapped[int] = mapped_column(
        BigInt, ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    policy_id: Mapped[int | None] = mapped_column(BigInt)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_response_due: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_response_warn: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_response_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    next_response_due: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    next_response_warn: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolution_due: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolution_warn: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    paused_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    alerted: Mapped[int] = mapped_column(Integer, default=0)
    breached: Mapped[int] = mapped_column(Integer, default=0)
    next_check_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The working seconds of the conversation's queue calendar from started_at to first_response_at / resolved_at
    # (omnidesk.server.sla.service.business_values; NULL while that moment is): the reports' business-hours
    # durations (migration 0023), frozen with the calendar in force when the fact was written.
    frt_business: Mapped[float | None] = mapped_column(Float)
    res_business: Mapped[float | None] = mapped_column(Float)
