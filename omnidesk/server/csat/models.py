"""The CSAT feature's table: one survey per resolved conversation (asked once), with its answer when it comes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt, Json


class CsatSettings(Base):
    """Per queue: whether resolved conversations get a survey, what it asks (CSAT, NPS or both: omnidesk.domain.csat
    .ASKS), after how long, and the questions per language."""

    __tablename__ = "csat_settings"

    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    delay_seconds: Mapped[int] = mapped_column(Integer, default=0)
    questions: Mapped[dict[str, Any]] = mapped_column(Json)  # {"uk": "...", "ru": "...", "en": "..."}; empty: ours
    asks: Mapped[str] = mapped_column(String(8), default="csat", server_default="csat")
    nps_questions: Mapped[dict[str, Any] | None] = mapped_column(Json)  # the NPS question per language; empty: ours


class CsatSurvey(Base):
    __tablename__ = "csat_surveys"
    __table_args__ = (
        # The customer's reply finds the open question on their channel with one probe.
        Index("ix_csat_surveys_waiting", "customer_id", "channel_id", "awaiting"),
        Index("ix_csat_surveys_answered", "answered_at"),
        Index("ix_csat_surveys_unsent", "message_id", "requested_at"),  # the worker's "due to be asked"
        Index("ix_csat_surveys_nps_due", "nps_message_id", "nps_requested_at"),  # NPS after the CSAT answer
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
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # the first answer (the reports' day)
    message_id: Mapped[int | None] = mapped_column(BigInt)  # the first outgoing question (CSAT, or NPS alone)
    language: Mapped[str | None] = mapped_column(String(16))
    asks: Mapped[str] = mapped_column(String(8), default="csat", server_default="csat")  # the queue's, when planned
    awaiting: Mapped[str | None] = mapped_column(String(8))  # "csat" or "nps": asked, its answer not yet in
    asked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # when the awaited question went out
    nps_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # NPS due (after the CSAT answer)
    nps_message_id: Mapped[int | None] = mapped_column(BigInt)  # the outgoing NPS question


class CsatSurveyLink(Base):
    """The e-mail version's secret: one random token per asked question, in the links of its mail (one per score).

    Only the token's SHA-256 is looked up (``token_hash``, like API and session tokens); ``sealed`` is the token
    encrypted with the channel credentials' key, so that every retry of the mail carries the same links. The message
    text operators see has no link: nobody but the recipient can answer through it."""

    __tablename__ = "csat_survey_links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("csat_surveys.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(8))  # "csat" or "nps": the question the links answer
    message_id: Mapped[int] = mapped_column(BigInt, unique=True)  # the outgoing question whose mail carries them
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # answered through a link
