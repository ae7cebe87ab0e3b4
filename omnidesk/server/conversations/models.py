"""The conversations feature's tables (SQLAlchemy 2 declarative, ``Mapped[]``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        # At most one open (not resolved) conversation per customer, channel and identity it came through; ingest
        # relies on it under races. The identity is part of the key so that a merge can move the other customer's
        # open conversation on the same channel next to the survivor's, and an unmerge can give it back.
        Index(
            "uq_conversations_open",
            "customer_id",
            "channel_id",
            "identity_id",
            unique=True,
            sqlite_where=text("status != 'resolved'"),
            postgresql_where=text("status != 'resolved'"),
        ),
        Index("ix_conversations_activity", "last_message_at", "id"),
        Index("ix_conversations_status_activity", "status", "last_message_at", "id"),
        Index("ix_conversations_assignee_activity", "assignee_id", "last_message_at", "id"),
        Index("ix_conversations_queue_activity", "queue_id", "last_message_at", "id"),
        # The reports' channel transitions read a few hours of conversations by their creation (migration 0025).
        Index("ix_conversations_created_at", "created_at"),
        # Waiting work (migration 0007): "take next" and the board read the open, unassigned conversations of a queue
        # in offer order without touching the rest.
        Index(
            "ix_conversations_waiting",
            "queue_id",
            "priority",
            "waiting_since",
            "id",
            sqlite_where=text("assignee_id IS NULL AND status = 'open'"),
            postgresql_where=text("assignee_id IS NULL AND status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="open")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The identity the customer wrote through (no foreign key: removing an identity clears it by hand).
    identity_id: Mapped[int | None] = mapped_column(BigInt)
    last_message_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_preview: Mapped[str] = mapped_column(String(200), default="")
    last_message_direction: Mapped[str | None] = mapped_column(String(8))
    unread_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Work organisation (migration 0007; domain/routing.py decides them): 0 low .. 3 urgent, the skill the work
    # needs, how long it may wait, the rule that routed it, and since when it waits for an operator.
    priority: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    required_skill: Mapped[str | None] = mapped_column(String(64))
    max_wait_s: Mapped[int | None] = mapped_column(Integer)
    routing_rule_id: Mapped[int | None] = mapped_column(BigInt)
    waiting_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The waiting_since whose maximum wait was exceeded and escalated (migration 0014): once per wait.
    wait_exceeded_for: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Push mode with offers (migration 0016): offered to this operator, who accepts or declines until it expires.
    offered_to_id: Mapped[int | None] = mapped_column(BigInt)
    # How fresh a copy of this row is (migration 0029): a database trigger adds one on every UPDATE, whoever writes
    # it, so the list endpoint and the event payloads carry it and the client keeps the freshest copy it was sent.
    # Read it through a query with ``populate_existing`` (as serialize.conversation_query's callers do).
    revision: Mapped[int] = mapped_column(BigInt, default=0, server_default=text("0"), server_onupdate=FetchedValue())


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # The channel's own message id: a redelivered message is found, never stored twice.
        UniqueConstraint("channel_id", "external_id", name="uq_messages_channel_external"),
        # An operator's retried reply (same idempotency key) is one message.
        UniqueConstraint("author_id", "client_key", name="uq_messages_author_client_key"),
        Index("ix_messages_conversation_id", "conversation_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    external_id: Mapped[str | None] = mapped_column(String(255))
    direction: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16), default="text")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivery_status: Mapped[str | None] = mapped_column(String(16))
    delivery_error: Mapped[str | None] = mapped_column(String(1000))
    client_key: Mapped[str | None] = mapped_column(String(64))
