"""The e-mail channel on the server: creating a mailbox channel, storing one fetched mail, threading, bounces.

``store_mail`` is the one path a fetched message takes: parse → an auto-reply, a bounce, a delivery report or a read
receipt is recorded in ``mail_skipped`` and opens nothing (a bounce marks our reply failed with the remote server's
words; a report that it was delivered, relayed or expanded raises it to delivered, a read receipt to read, never a
step back; a delayed one leaves it sent, the delay noted in ``mail_skipped``); a person's
mail is threaded (In-Reply-To / References against our own Message-IDs and the stored mails, then subject + sender)
and ingested exactly once (the Message-ID is the external id), its headers, bodies and attachments written in the same
transaction.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.email.connector import our_message
from omnidesk.channels.email.parse import MailKind, ParsedMail, parse_message, thread_subject
from omnidesk.domain import delivery
from omnidesk.domain.enums import ChannelKind, DeliveryStatus, Direction
from omnidesk.domain.identity import IdentityKind, InvalidIdentifier, normalize
from omnidesk.protocol import InboundMessage
from omnidesk.protocol.schemas import MAX_TEXT
from omnidesk.server.admin.models import Channel
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.audit.service import Actor
from omnidesk.server.channel_settings import service as channel_settings
from omnidesk.server.conversations.models import Message
from omnidesk.server.db import Database
from omnidesk.server.email.models import MailAttachment, MailMessage, MailSkipped
from omnidesk.server.email.outbound import is_mailbox
from omnidesk.server.ingest.service import ChannelRef, ThreadHint, ingest
from omnidesk.server.outbox.worker import emit_message_updated

log = logging.getLogger("omnidesk.email")

MAX_RAW_BYTES = 25 * 1024 * 1024


# A report can overtake the outbox's own "sent" (the SMTP answer and the report race): wait that long for it.
SENT_WAIT = 5.0


@dataclass(frozen=True)
class StoreResult:
    outcome: str  # stored, duplicate, auto_reply, bounce, delivery_report, read_receipt, skipped
    message_id: int | None = None
    conversation_id: int | None = None
    customer_id: int | None = None


def _check_host(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value or any(c in value for c in " /\\@"):
        raise ValueError(f"{what} must be a host name or address")
    return value


async def create_email_channel(
    session: AsyncSession,
    *,
    name: str,
    address: str,
    imap_host: str,
    smtp_host: str,
    password: str,
    username: str | None = None,
    imap_port: int | None = None,
    smtp_port: int | None = None,
    imap_tls: bool = True,
    smtp_security: str = "starttls",
    folder: str = "INBOX",
    queue_id: int | None = None,
    signature: str | None = None,
    delivery_reports: bool = False,
    read_receipts: bool = False,
    poll_interval: float = 60.0,
    actor: Actor | None = None,
) -> Channel:
    """One mailbox as a channel; the password is stored only encrypted. Caller commits."""
    address = normalize(IdentityKind.EMAIL, address).value
    if smtp_security not in ("tls", "starttls", "none"):
        raise ValueError("SMTP security must be tls, starttls or none")
    if not password:
        raise ValueError("the mailbox password must not be empty")
    channel, _token = await create_api_channel(
        session, name=name, queue_id=queue_id, actor=actor, kind=ChannelKind.EMAIL
    )
    options = {
        "address": address,
        "username": (username or address).strip(),
        "imap_host": _check_host(imap_host, "the IMAP host"),
        "imap_port": int(imap_port or (993 if imap_tls else 143)),
        "imap_tls": bool(imap_tls),
        "folder": folder or "INBOX",
        "smtp_host": _check_host(smtp_host, "the SMTP host"),
        "smtp_port": int(smtp_port or {"tls": 465, "starttls": 587, "none": 25}[smtp_security]),
        "smtp_security": smtp_security,
        "signature": signature or "",
        "delivery_reports": bool(delivery_reports),
        "read_receipts": bool(read_receipts),
        "poll_interval": float(poll_interval),
    }
    await channel_settings.save(session, channel.id, options, {"password": password})
    return channel


def _external_id(mail: ParsedMail) -> str:
    mid = mail.message_id
    return mid if len(mid) <= 255 else "sha256:" + hashlib.sha256(mid.encode()).hexdigest()


async def _thread(session: AsyncSession, channel_id: int, mail: ParsedMail) -> ThreadHint:
    refs = [r for r in [mail.in_reply_to, *reversed(mail.references)] if r]
    for ref in dict.fromkeys(refs):
        ours = our_message(ref)
        if ours is not None and ours[0] == channel_id:
            conv = await session.scalar(select(Message.conversation_id).where(Message.id == ours[1]))
            if conv is not None:
                return ThreadHint(conversation_id=conv)
        conv = await session.scalar(
            select(MailMessage.conversation_id)
            .where(MailMessage.channel_id == channel_id, MailMessage.rfc_message_id == ref)
            .limit(1)
        )
        if conv is not None:
            return ThreadHint(conversation_id=conv)
    subject = thread_subject(mail.subject)
    if subject:
        conv = await session.scalar(
            select(MailMessage.conversation_id)
            .where(
                MailMessage.channel_id == channel_id,
                MailMessage.from_address == mail.from_address,
                MailMessage.thread_subject == subject,
            )
            .order_by(MailMessage.message_id.desc())
            .limit(1)
        )
        if conv is not None:
            return ThreadHint(conversation_id=conv)
    return ThreadHint(new_conversation=True)


async def _skip(db: Database, channel_id: int, mail: ParsedMail, kind: str, reason: str, about: int | None) -> None:
    async with db.session() as session:
        session.add(
            MailSkipped(
                channel_id=channel_id,
                rfc_message_id=mail.message_id[:998],
                kind=kind,
                reason=reason[:1000],
                about_message_id=about,
                from_address=mail.from_address,
            )
        )
        try:
            await session.commit()
        except IntegrityError:  # read again after a restart: recorded once
            await session.rollback()


async def _settled(db: Database, channel_id: int, message_id: int) -> str | None:
    """Our reply's delivery state once the outbox has recorded its send (a report may arrive before that record)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SENT_WAIT
    while True:
        async with db.session() as session:
            status = await session.scalar(
                select(Message.delivery_status).where(
                    Message.id == message_id, Message.channel_id == channel_id, Message.direction == Direction.OUT.value
                )
            )
            await session.rollback()
        if status != DeliveryStatus.QUEUED.value or loop.time() >= deadline:
            return status
        await asyncio.sleep(0.1)


async def mark_reported(db: Database, channel_id: int, message_id: int, status: DeliveryStatus) -> bool:
    """A delivery report or read receipt of our reply ``message_id``: its state raised to ``status`` (delivered or
    read), never lowered and never over a failure; a message.updated event when it changed."""
    current = await _settled(db, channel_id, message_id)
    # Forward only (domain.delivery); a failed reply stays failed: a report never replaces a bounce.
    if current is None or current not in delivery.ORDER or not delivery.advances(current, status.value):
        return False  # not ours, failed, or already as far or further
    async with db.session() as session:
        result = await session.execute(
            update(Message)
            .where(
                Message.id == message_id,
                Message.channel_id == channel_id,
                Message.direction == Direction.OUT.value,
                Message.delivery_status.in_(delivery.below(status.value)),
            )
            .values(delivery_status=status.value, delivery_error=None)
        )
        if result.rowcount != 1:
            await session.rollback()
            return False
        await emit_message_updated(session, db, message_id)
        await session.commit()
    return True


async def mark_bounced(db: Database, channel_id: int, message_id: int, reason: str) -> bool:
    """Our reply ``message_id`` bounced: failed, with the remote server's words, and a message.updated event. A reply
    the customer has read stays read (the bounce is then about another of its recipients)."""
    await _settled(db, channel_id, message_id)
    async with db.session() as session:
        result = await session.execute(
            update(Message)
            .where(
                Message.id == message_id,
                Message.channel_id == channel_id,
                Message.direction == Direction.OUT.value,
                Message.delivery_status != DeliveryStatus.READ.value,
            )
            .values(delivery_status=DeliveryStatus.FAILED.value, delivery_error=reason[:1000])
        )
        if result.rowcount != 1:
            await session.rollback()
            return False
        await emit_message_updated(session, db, message_id)
        await session.commit()
    return True


async def _sent_with(db: Database, channel_id: int, rfc_message_id: str) -> tuple[int, int] | None:
    """(channel, message) of our reply that went out under ``rfc_message_id`` (the outbox keeps it as external id)."""
    async with db.session() as session:
        found = await session.scalar(
            select(Message.id).where(
                Message.channel_id == channel_id,
                Message.direction == Direction.OUT.value,
                Message.external_id == rfc_message_id[:255],
            )
        )
        await session.rollback()
    return (channel_id, found) if found is not None else None


async def store_mail(db: Database, channel: ChannelRef, options: dict[str, Any], raw: bytes) -> StoreResult:
    """Store one fetched message exactly once (see the module's docstring). Never raises for a bad mail."""
    if len(raw) > MAX_RAW_BYTES:
        raw = raw[:MAX_RAW_BYTES]
    try:
        mail = parse_message(raw)
    except Exception as exc:  # a mail we cannot read is recorded, never lost silently
        log.warning("mail on channel %s cannot be parsed: %s", channel.id, exc)
        digest = "<unreadable." + hashlib.sha256(raw).hexdigest()[:40] + "@omnidesk.invalid>"
        fake = parse_message(b"Message-ID: " + digest.encode() + b"\r\n\r\n(unreadable)\r\n")
        await _skip(db, channel.id, fake, "unreadable", str(exc), None)
        return StoreResult("skipped")
    own = (options.get("address") or "").lower()
    if mail.kind in (MailKind.BOUNCE, MailKind.DELIVERY_REPORT, MailKind.READ_RECEIPT):
        report = mail.bounce
        about = our_message(report.original_message_id) if report else None
        if about is None and report and report.original_message_id:  # ours, under the id the outbox recorded
            about = await _sent_with(db, channel.id, report.original_message_id)
        about_id = about[1] if about and about[0] == channel.id else None
        reason = report.reason if report else "undeliverable"
        if report and report.status:
            reason = f"{report.status} {reason}"
        if mail.kind is MailKind.BOUNCE:
            if about_id is not None:
                await mark_bounced(db, channel.id, about_id, f"bounced: {reason}")
            await _skip(db, channel.id, mail, "bounce", reason, about_id)
            return StoreResult("bounce", message_id=about_id)
        action = report.action if report else ""
        new = {
            "delivered": DeliveryStatus.DELIVERED,
            "relayed": DeliveryStatus.DELIVERED,
            "expanded": DeliveryStatus.DELIVERED,
            "displayed": DeliveryStatus.READ,
        }.get(action)
        if new is not None and about_id is not None:
            await mark_reported(db, channel.id, about_id, new)
        kind = "delivery_report" if mail.kind is MailKind.DELIVERY_REPORT else "read_receipt"
        await _skip(db, channel.id, mail, kind, f"{action}: {reason}" if action not in reason else reason, about_id)
        return StoreResult(kind, message_id=about_id)
    if mail.kind is MailKind.AUTO_REPLY:
        await _skip(db, channel.id, mail, "auto_reply", mail.subject, None)
        return StoreResult("auto_reply")
    if not mail.from_address or mail.from_address == own:
        await _skip(
            db, channel.id, mail, "skipped", "no sender" if not mail.from_address else "sent by this mailbox", None
        )
        return StoreResult("skipped")
    try:
        identifier = normalize(IdentityKind.EMAIL, mail.from_address)
    except InvalidIdentifier as exc:
        await _skip(db, channel.id, mail, "skipped", f"sender address: {exc}", None)
        return StoreResult("skipped")
    text = mail.text[:MAX_TEXT] or "(no text)"
    message = InboundMessage(
        external_id=_external_id(mail),
        sender={"kind": "email", "value": identifier.value, "name": (mail.from_name or "")[:200] or None},
        text=text,
        sent_at=mail.date,
    )
    async with db.session() as session:
        hint = await _thread(session, channel.id, mail)
        await session.rollback()

    async def on_stored(session: AsyncSession, message_id: int, conversation_id: int, customer_id: int) -> None:
        _add_letter(session, message_id, channel.id, conversation_id, Direction.IN, mail, raw)
        await session.flush()

    hint = ThreadHint(hint.conversation_id, hint.new_conversation, on_stored)
    ack = await ingest(db, channel, message, identifier, thread=hint)
    return StoreResult("duplicate" if ack.duplicate else "stored", ack.message_id, ack.conversation_id, ack.customer_id)


async def email_channels(db: Database) -> list[tuple[ChannelRef, dict[str, Any], dict[str, str]]]:
    async with db.session() as session:
        rows = (
            await session.scalars(select(Channel).where(Channel.kind == ChannelKind.EMAIL.value, Channel.is_active))
        ).all()
        found = []
        for c in rows:
            options, secrets = await channel_settings.load(session, c.id)
            if not is_mailbox(options):
                continue  # an e-mail gateway on the generic API: its mail arrives by webhook, nothing to read here
            found.append((ChannelRef(c.id, c.kind, c.name, c.queue_id, c.webhook_url), options, secrets))
        await session.rollback()
    return found


def _add_letter(
    session: AsyncSession,
    message_id: int,
    channel_id: int,
    conversation_id: int,
    direction: Direction,
    mail: ParsedMail,
    raw: bytes,
) -> None:
    """The letter behind a stored message (a customer's, or our reply as it went out) and its files."""
    session.add(
        MailMessage(
            message_id=message_id,
            channel_id=channel_id,
            conversation_id=conversation_id,
            direction=direction.value,
            rfc_message_id=mail.message_id[:998],
            subject=mail.subject[:998],
            thread_subject=thread_subject(mail.subject)[:998],
            from_address=mail.from_address,
            from_name=mail.from_name,
            to_addresses=list(mail.to),
            cc_addresses=list(mail.cc),
            in_reply_to=mail.in_reply_to,
            references=list(mail.references),
            full_text=mail.full_text,
            html=mail.html,
            raw=raw,
        )
    )
    for a in mail.attachments:
        session.add(
            MailAttachment(
                message_id=message_id,
                file_name=a.file_name[:255],
                mime_type=a.mime_type[:255],
                size=len(a.content),
                sha256=a.sha256,
                content_id=a.content_id,
                inline=a.inline,
                content=a.content,
            )
        )


async def record_sent(session: AsyncSession, message_id: int, raw: bytes) -> None:
    """Our reply went out over SMTP: keep the letter exactly as sent (headers, body with the signature, files), so
    the operator reads it in the letter view like the customer's and an auditor sees what left the mailbox. Called
    by the outbox in the transaction that records the reply sent (once: only the claim's holder records it)."""
    if len(raw) > MAX_RAW_BYTES or await session.get(MailMessage, message_id) is not None:
        return
    row = (
        await session.execute(select(Message.channel_id, Message.conversation_id).where(Message.id == message_id))
    ).first()
    if row is None:
        return
    try:
        mail = parse_message(raw)
    except Exception as exc:  # our own composition: never expected, never a reason to lose the sent state
        log.warning("the sent letter of message %s cannot be read back: %s", message_id, exc)
        return
    _add_letter(session, message_id, row.channel_id, row.conversation_id, Direction.OUT, mail, raw)


async def mail_of(session: AsyncSession, message_id: int) -> MailMessage | None:
    return await session.get(MailMessage, message_id)
