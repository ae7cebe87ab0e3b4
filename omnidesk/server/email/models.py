"""The e-mail channel's tables: the mailbox position, each mail's headers and bodies, attachments, skipped mails."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.server.db import BigId, UTCDateTime, utcnow
from omnidesk.server.db.base import Base, Json


class MailboxPosition(Base):
    """How far a mailbox folder has been read: a message is stored before ``last_uid`` passes it."""

    __tablename__ = "mail_positions"

    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True)
    folder: Mapped[str] = mapped_column(String(200), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MailMessage(Base):
    """The mail behind a stored message (inbound or our reply): what the client shows as a letter."""

    __tablename__ = "mail_messages"
    __table_args__ = (
        Index("ix_mail_messages_rfc_id", "channel_id", "rfc_message_id"),
        Index("ix_mail_messages_subject", "channel_id", "from_address", "thread_subject"),
    )

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    rfc_message_id: Mapped[str] = mapped_column(String(998))
    subject: Mapped[str] = mapped_column(String(998), default="")
    thread_subject: Mapped[str] = mapped_column(String(998), default="")
    from_address: Mapped[str | None] = mapped_column(String(320))
    from_name: Mapped[str | None] = mapped_column(String(320))
    to_addresses: Mapped[list] = mapped_column(Json, default=list)
    cc_addresses: Mapped[list] = mapped_column(Json, default=list)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[list] = mapped_column(Json, default=list)
    full_text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text)  # sanitised with nh3: no scripts, no remote images
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)  # the message as received, for audit and re-parsing
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MailAttachment(Base):
    """A file a mail carried (a minimal store of its own until the shared attachment store lands)."""

    __tablename__ = "mail_attachments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content_id: Mapped[str | None] = mapped_column(String(255))
    inline: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class MailSkipped(Base):
    """A mail that opened nothing: an auto-reply, a bounce (with the reply it is about), one without a sender."""

    __tablename__ = "mail_skipped"
    __table_args__ = (Index("uq_mail_skipped", "channel_id", "rfc_message_id", unique=True),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    rfc_message_id: Mapped[str] = mapped_column(String(998))
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    about_message_id: Mapped[int | None] = mapped_column(BigInteger)  # our reply a bounce reports
    from_address: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
