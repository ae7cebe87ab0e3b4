"""Tables of the provider channels (Telegram, WhatsApp, Viber, VK, Meta, Instagram, MAX; e-mail, web chat and forms
keep their settings here too): settings with encrypted secrets, templates, details, comment threads, subscriptions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, BigInt, Json


class ChannelSettings(Base):
    """A provider channel's configuration. ``secrets`` is a Fernet token (credentials encrypted at rest)."""

    __tablename__ = "channel_settings"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    secrets: Mapped[str | None] = mapped_column(Text)  # None: a channel without credentials (web chat, forms)
    options: Mapped[dict] = mapped_column(Json, default=dict)
    api_base: Mapped[str | None] = mapped_column(String(2000))
    last_update_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_update_id: Mapped[int | None] = mapped_column(BigInt)  # Telegram getUpdates: offset = this + 1
    rejected: Mapped[int] = mapped_column(Integer, default=0)  # inbound requests refused (bad signature or secret)
    last_error: Mapped[str | None] = mapped_column(String(1000))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChannelTemplate(Base):
    """An approved message template synced from the platform (WhatsApp's message_templates)."""

    __tablename__ = "channel_templates"
    __table_args__ = (UniqueConstraint("channel_id", "name", "language", name="uq_channel_templates_name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(512))
    language: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text, default="")
    parameters: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MessageDetails(Base):
    """What a message carries beyond its text: a pressed button, a contact, a location, buttons and a template we
    sent, edits, and the platform's raw payload (for audit and re-parsing). ``complete`` once its files are stored."""

    __tablename__ = "message_details"

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    payload: Mapped[dict] = mapped_column(Json, default=dict)
    complete: Mapped[bool] = mapped_column(default=True)


class ConversationThread(Base):
    """A conversation of kind "comment": the public comment it answers, the post as context, and whether the
    operator's replies go out publicly (a reply comment) or privately (a message to the comment's author)."""

    __tablename__ = "conversation_threads"

    conversation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(255))  # the comment a public reply answers (the latest one)
    post_id: Mapped[str | None] = mapped_column(String(255))  # what the context is read from (VK post, IG media)
    context: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ChannelSubscription(Base):
    """Whether a platform user allows the channel to write to them (Viber subscribed/unsubscribed, VK message_allow /
    message_deny, MAX bot_stopped). Only these events are stored; a message from the user counts as subscribing
    (Viber subscribes a user on their first message), so the inbound hot path writes nothing here."""

    __tablename__ = "channel_subscriptions"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    address: Mapped[str] = mapped_column(String(320), primary_key=True)  # the user's platform id (normalised)
    subscribed: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
