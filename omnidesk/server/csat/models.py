"""The CSAT feature's table: one survey per resolved conversation (asked once), with its answer when it comes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt, Json


class CsatSettings(Base):
    """Per queue: whether resolved conversations get a survey, after how long, and the question per language."""

    __tablename__ = "csat_settings"

    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    delay_seconds: Mapped[int] = mapped_column(Integer, default=0)
    questions: Mapped[dict[str, Any]] = mapped_column(Json)  # {"uk": "...", "ru": "...", "en": "..."}; empty: ours


class CsatSurvey(Base):
    __tablename__ = "csat_surveys"
    __table_args__ = (
        # The customer's reply finds the open question on their channel with one probe.
        Index("ix_csat_surveys_waiting", "customer_id", "channel_id", "answered_at"),
        Index("ix_csat_surveys_answered", "answered_at"),
        Index("ix_csat_surveys_unsent", "message_id", "requested_at"),  # the worker's "due to be asked"
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), unique=True
    )  # asked once per conversation
    customer_id: Mapped[int] = mapped_column(BigInt)
    channel_id: Mapped[int] = mapped_column(BigInt)
    queue_id: Mapped[int | None] = mapped_column(BigInt)
    operator_id: Mapped[int | None] = mapped_column(BigInt)
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    score: Mapped[int | None] = mapped_column(Integer)  # 1..5
    nps: Mapped[int | None] = mapped_column(Integer)  # 0..10: how likely to recommend us (when asked)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInt)  # the outgoing question
    language: Mapped[str | None] = mapped_column(String(16))
