"""The auth feature's tables (SQLAlchemy 2 declarative, ``Mapped[]``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Float,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base


class AuthSession(Base):
    """A login: opaque tokens stored only as SHA-256 hashes, so a stolen database yields no usable token."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    refresh_expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str | None] = mapped_column(String(64))
    # The session is a refresh-token family: each rotation keeps its id and counts one generation up; the tokens
    # rotated away are kept in auth_refresh_history.
    refresh_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RefreshHistory(Base):
    """A refresh token its session rotated away. Presenting it again, however many rotations back, means two parties
    hold the family (one of them a thief): the whole session is revoked."""

    __tablename__ = "auth_refresh_history"

    refresh_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True)
    generation: Mapped[int] = mapped_column(Integer)
    rotated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginThrottle(Base):
    """Failed-login counters, one row per key ("acct:<hash>", "pair:<hash>|<address>", "addr:<address>").

    Each attempt is charged *before* the password is checked, in one conditional UPDATE, so parallel guesses cannot
    overtake the limit (the row lock orders them); a success clears the account's counters. Times are epoch seconds.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[float] = mapped_column(Float)
    next_allowed: Mapped[float] = mapped_column(Float)
    refusals: Mapped[int] = mapped_column(Integer, default=0)
