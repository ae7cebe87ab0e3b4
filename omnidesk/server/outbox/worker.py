"""The outbox worker: delivers operators' replies through their channel's connector, with retries and backoff.

A reply and its outbox row are written in one transaction, so a reply is never lost between "saved" and "queued".
The worker claims due rows with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several server processes share
the work without taking the same row; a rate-limited channel's rows only by the process holding its sending lease,
``leases.py``, so the platform's limits hold across processes), POSTs them, and records the outcome on the message
(queued → sent or failed, with the last error) together with a ``message.updated`` event. Every POST carries
``Idempotency-Key: omnidesk-message-<id>``: if a process dies after the receiver accepted a reply but before the
outcome was recorded, the retry carries the same key, and the receiver drops it as a repeat, so the customer sees
the reply once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from typing import NamedTuple

import httpx
from sqlalchemy import bindparam, case, select, text, update

from omnidesk.channels import connector_for
from omnidesk.channels.base import (
    Author,
    Button,
    ChannelConfig,
    Connector,
    OutboundFile,
    OutboundMessage,
    Recipient,
    SendFailure,
    Template,
)
from omnidesk.channels.limits import SendPacer
from omnidesk.domain import delivery as delivery_order
from omnidesk.domain.enums import DeliveryStatus, EventType
from omnidesk.server.admin.models import Channel
from omnidesk.server.attachments import links as attachment_links
from omnidesk.server.attachments import service as attachment_service
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.channels import outbound as messengers_outbound
from omnidesk.server.channels import replies
from omnidesk.server.channels import service as channel_service
from omnidesk.server.channels.crypto import SecretsUnreadable
from omnidesk.server.channels.models import ChannelSettings, MessageDetails
from omnidesk.server.config import Settings
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import message_out, message_query
from omnidesk.server.customers.models import Customer, Identity
from omnidesk.server.db import Database, UTCDateTime, utcnow
from omnidesk.server.events.service import emit_many
from omnidesk.server.outbox.leases import ChannelLeases
from omnidesk.server.outbox.models import OutboxItem
from omnidesk.server.security import webhook_allowed
from omnidesk.server.users.models import User

log = logging.getLogger("omnidesk.outbox")

LEASE_SECONDS = 120
SHUTDOWN_GRACE = 5.0  # seconds a stopping worker waits for deliveries in flight
BATCH = 64  # replies leased by one claim
MAX_IN_FLIGHT = 64  # deliveries one process runs at once (each to a different conversation)


async def emit_message_updated(session, db: Database, message_id: int) -> None:
    """The message.updated event of a reply whose delivery state changed (sent, failed, bounced), in the caller's
    transaction, for the conversation's queue and assignee."""
    row = (
        await session.execute(message_query().where(Message.id == message_id).execution_options(populate_existing=True))
    ).one()
    conv = (
        await session.execute(
            select(Conversation.queue_id, Conversation.assignee_id).where(
                Conversation.id == row.Message.conversation_id
            )
        )
    ).one()
    await emit_many(
        session,
        db,
        [(EventType.MESSAGE_UPDATED.value, {"message": message_out(row).model_dump(mode="json")})],
        queue_id=conv.queue_id,
        user_id=conv.assignee_id,
    )


class OutboxWorker:
    def __init__(self, db: Database, settings: Settings, *, client: httpx.AsyncClient | None = None) -> None:
        self.db = db
        self.settings = settings
        self.wake = asyncio.Event()
        self._client = client
        self.pacer = SendPacer()
        self.leases = ChannelLeases(db, self.pacer)

    def backoff(self, attempts: int) -> float:
        delay = min(self.settings.outbox_base_delay * 2 ** max(0, attempts - 1), self.settings.outbox_max_delay)
        return delay * random.uniform(0.8, 1.2)

    async def claim(self, limit: int = BATCH) -> list:
        """Lease up to ``limit`` due replies, each the oldest pending reply of its conversation.

        Only a conversation's head is claimed: a later reply waits until the one before it is sent or has failed for
        good (also while it waits for a retry), so a customer never reads replies out of order and at most one reply
        per conversation is in flight across all processes."""
        now = utcnow()
        lease = now + dt.timedelta(seconds=LEASE_SECONDS)
        skip_locked = "" if self.db.sqlite else " FOR UPDATE SKIP LOCKED"
        lease_sql, lease_values, lease_params = self.leases.claim_filter()
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    text(
                        "UPDATE outbox SET lease_until = :lease, attempts = attempts + 1 WHERE id IN ("
                        " SELECT o.id FROM outbox o WHERE o.id IN ("
                        "  SELECT id FROM (SELECT p.id, p.next_attempt_at, p.lease_until, ROW_NUMBER() OVER"
                        "   (PARTITION BY m.conversation_id ORDER BY p.id) AS place"
                        "   FROM outbox p JOIN messages m ON m.id = p.message_id WHERE p.state = 'pending') heads"
                        "  WHERE place = 1 AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now))"
                        f"{lease_sql} ORDER BY o.next_attempt_at, o.id LIMIT :batch{skip_locked})"
                        " RETURNING id, message_id, channel_id, attempts"
                    ).bindparams(
                        bindparam("lease", type_=UTCDateTime()), bindparam("now", type_=UTCDateTime()), *lease_params
                    ),
                    {"lease": lease, "now": now, "batch": limit, **lease_values},
                )
            ).all()
            await session.commit()
        # Each row remembers the sending lease it was claimed under: it is sent only while that lease is held.
        return [Claimed(r.id, r.message_id, r.channel_id, r.attempts, self.leases.token(r.channel_id)) for r in rows]

    async def run(self) -> None:
        """Claim and deliver continuously: a finished delivery frees a place and wakes the next claim at once, so
        a slow reply never holds back the others (no batch waits for its slowest member)."""
        client = self._client or httpx.AsyncClient(
            timeout=self.settings.outbox_timeout,
            follow_redirects=False,
            # Keep a connection per concurrent delivery alive: reconnecting per reply costs a TCP and TLS handshake.
            limits=httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT),
        )
        in_flight: set[asyncio.Task] = set()

        def finished(task: asyncio.Task) -> None:
            in_flight.discard(task)
            self.wake.set()

        try:
            while True:
                await self.leases.scan()  # PostgreSQL: take, keep and hand off rate-limited channels' leases
                room = MAX_IN_FLIGHT - len(in_flight)
                claimed = []
                if room > 0:
                    try:
                        claimed = await self.claim(min(room, BATCH))
                    except Exception:
                        log.exception("could not claim outbox items")
                for row in claimed:
                    task = asyncio.create_task(self.deliver(client, row))
                    in_flight.add(task)
                    task.add_done_callback(finished)
                if claimed and len(claimed) == min(room, BATCH):
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), 1.0)
                self.wake.clear()
        finally:
            if in_flight:
                # Stopping: let the deliveries in flight finish and record their outcome, or a restart would wait
                # out their lease (LEASE_SECONDS) before sending them.
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await asyncio.wait(set(in_flight), timeout=SHUTDOWN_GRACE)
                for task in in_flight:
                    task.cancel()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self.leases.close()
            if self._client is None:
                await client.aclose()

    async def _outbound(self, message_id: int) -> tuple[str, Connector, OutboundMessage]:
        """The stored reply as the connector's channel-neutral message, and the connector of its channel."""
        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(Message, Conversation, Customer, Channel, User.username, User.display_name)
                    .join(Conversation, Conversation.id == Message.conversation_id)
                    .join(Customer, Customer.id == Conversation.customer_id)
                    .join(Channel, Channel.id == Message.channel_id)
                    .outerjoin(User, User.id == Message.author_id)
                    .where(Message.id == message_id)
                )
            ).one()
            identities = (
                await session.execute(
                    select(Identity.id, Identity.kind, Identity.value).where(Identity.customer_id == row.Customer.id)
                )
            ).all()
            m: Message = row.Message
            channel: Channel = row.Channel
            if not channel.is_active:  # disabled after the reply was queued: it fails in words, never goes out
                raise SendFailure(replies.disabled_reason(channel.name), retryable=False)
            settings_row = await session.get(ChannelSettings, channel.id)
            if settings_row is not None:  # a provider channel (Telegram, WhatsApp...): its sealed credentials
                config = channel_service.config_of(self.settings, channel, settings_row)
            else:
                secrets = {"webhook_secret": self.settings.webhook_secret} if self.settings.webhook_secret else {}
                config = ChannelConfig(channel.id, channel.name, webhook_url=channel.webhook_url, secrets=secrets)
            connector = connector_for(channel.kind, config)
            # The platform address: the identity the customer wrote through in this conversation.
            address = next((i.value for i in identities if i.id == row.Conversation.identity_id), None)
            extras: dict = {}
            files: tuple[OutboundFile, ...] = ()
            last_in = None
            if connector.delivers_itself:
                details = await session.get(MessageDetails, m.id)
                extras = dict(details.payload or {}) if details else {}
                stored = (
                    await session.scalars(
                        select(Attachment).where(Attachment.message_id == m.id).order_by(Attachment.id)
                    )
                ).all()
                by_url = connector.capabilities.media_by_url  # Viber, Instagram: the platform fetches the file
                files = tuple(
                    OutboundFile(
                        a.file_name,
                        a.mime_type,
                        attachment_service.read(self.settings, a),  # Viber sends its size too
                        a.kind,
                        url=attachment_links.link(self.settings, a) if by_url else None,
                    )
                    for a in stored
                )
                last_in = await channel_service.last_inbound_at(session, m.conversation_id)
            template = extras.get("template")
            message = OutboundMessage(
                message_id=m.id,
                conversation_id=m.conversation_id,
                channel_id=m.channel_id,
                text=m.text,
                sent_at=m.sent_at,
                recipient=Recipient(
                    customer_id=row.Customer.id,
                    name=row.Customer.display_name,
                    address=address,
                    identities=tuple((i.kind, i.value) for i in identities),
                ),
                author=Author(m.author_id, row.username, row.display_name),
                files=files,
                buttons=tuple(Button(b["title"], b.get("payload"), b.get("url")) for b in extras.get("buttons", [])),
                quick_replies=tuple(extras.get("quick_replies", [])),
                template=Template(template["name"], template["language"], tuple(template.get("parameters", [])))
                if template
                else None,
                last_inbound_at=last_in,
            )
            kind = channel.kind
            if channel.kind == "email":  # issue 13: the mailbox's settings and the thread the reply answers
                from omnidesk.server.email.outbound import prepare

                mailbox = await prepare(session, config, message)
                if mailbox is None:  # an e-mail kind channel without a mailbox: a gateway on the generic API
                    kind = "api"
                else:
                    config, message = mailbox
            # channels II: a messenger channel's decrypted config, the customer's address and reply window
            prepared = await messengers_outbound.prepare(session, kind, config, message)
            if prepared is not None:
                kind, config, message = prepared
            connector = connector_for(kind, config)
            await session.rollback()
        return kind, connector, message

    async def deliver(self, client: httpx.AsyncClient, item) -> None:
        error: str | None = None
        permanent = False
        retry_after: float | None = None
        sent: tuple[str, ...] = ()
        copy: bytes | None = None
        try:
            kind, connector, message = await self._outbound(item.message_id)
            target = getattr(getattr(connector, "config", None), "webhook_url", None)
            if not webhook_allowed(target, self.settings.webhook_allowed_hosts):  # issue 17: webhook allow-list
                raise SendFailure("the webhook's host is not in webhook_allowed_hosts", retryable=False)
            # The platform's limits (Telegram: 30/s per bot, 1/s per chat), kept here rather than learnt from 429s.
            places = await self.pacer.acquire(kind, item.channel_id, message.recipient.address, _calls(kind, message))
            if not self.leases.start_sending(item.channel_id, item.lease):
                await self.hand_back(item)  # the channel's lease moved to another process: it sends this reply
                return
            try:
                result = await connector.send(client, message)
            except SendFailure as failure:
                if failure.code in ("429", "too.many.requests") and failure.retry_after:
                    self.pacer.pause(item.channel_id, failure.retry_after)
                    await self.leases.paused(item.channel_id, failure.retry_after)
                raise
            finally:
                # The platform counted the send between its start and this answer: from here its places are held.
                self.pacer.sent(places)
                self.leases.done_sending(item.channel_id)
            sent = result.external_ids if result else ()
            copy = result.copy if result else None
        except SendFailure as failure:
            error, permanent, retry_after = failure.reason, not failure.retryable, failure.retry_after
        except SecretsUnreadable as exc:  # the channel key changed: an administrator must act, retrying cannot help
            error, permanent = str(exc), True
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        except Exception as exc:  # never let one reply stop the worker
            log.exception("delivering message %s failed", item.message_id)
            error = f"internal error: {type(exc).__name__}"
        await self.record(item, error, permanent, retry_after, sent, copy)

    async def hand_back(self, item: Claimed) -> None:
        """Release an unsent claim at once (its attempt does not count), for whoever holds the channel's lease."""
        async with self.db.session() as session:
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item.id, OutboxItem.attempts == item.attempts, OutboxItem.state == "pending")
                .values(lease_until=None, attempts=OutboxItem.attempts - 1)
            )
            await session.commit()

    async def record(
        self,
        item,
        error: str | None,
        permanent: bool,
        retry_after: float | None = None,
        external_ids: tuple[str, ...] = (),
        copy: bytes | None = None,
    ) -> None:
        now = utcnow()
        exhausted = item.attempts >= self.settings.outbox_max_attempts
        if error is None:
            state, delivery = "done", DeliveryStatus.SENT
        elif permanent or exhausted:
            state, delivery = "failed", DeliveryStatus.FAILED
        else:
            state, delivery = "pending", DeliveryStatus.QUEUED
        async with self.db.session() as session:
            # Only the holder of this claim (same attempt number) may record its outcome.
            result = await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item.id, OutboxItem.attempts == item.attempts, OutboxItem.state == "pending")
                .values(
                    state=state,
                    lease_until=None,
                    last_error=error,
                    next_attempt_at=now + dt.timedelta(seconds=max(self.backoff(item.attempts), retry_after or 0.0)),
                )
            )
            if result.rowcount != 1:
                await session.rollback()
                return
            # A receipt the platform already sent (e-mail's DSN, a fast "read") is never lowered by what this
            # attempt records (domain.delivery: forward only).
            status = case(
                (Message.delivery_status.in_(delivery_order.CONFIRMED), Message.delivery_status),
                else_=delivery.value,
            )
            values: dict = {"delivery_status": status, "delivery_error": error[:1000] if error else None}
            if external_ids:
                # The platform's id of the (last) message sent: its delivery and read receipts refer to it.
                values["external_id"] = external_ids[-1][:255]
            await session.execute(update(Message).where(Message.id == item.message_id).values(**values))
            if external_ids and len(external_ids) > 1:
                details = await session.get(MessageDetails, item.message_id)
                if details is None:
                    session.add(MessageDetails(message_id=item.message_id, payload={}, complete=True))
                    await session.flush()
                    details = await session.get(MessageDetails, item.message_id)
                details.payload = {**(details.payload or {}), "external_ids": list(external_ids)}
            if copy is not None and error is None:  # e-mail: the letter as it went out, for the letter view
                from omnidesk.server.email.service import record_sent

                await record_sent(session, item.message_id, copy)
            await emit_message_updated(session, self.db, item.message_id)
            await session.commit()
        if error:
            log.info("reply %s not delivered (attempt %s): %s", item.message_id, item.attempts, error)


class Claimed(NamedTuple):
    id: int
    message_id: int
    channel_id: int
    attempts: int
    lease: int | None  # the sending lease it was claimed under (None: its channel needs none)


def _calls(kind: str, message: OutboundMessage) -> int:
    """How many platform calls sending ``message`` takes: one per file, and the text (split at 4096 characters)
    unless it fits a caption."""
    text = message.text or ""
    if message.files and len(text) <= 1024:
        return len(message.files)
    return len(message.files) + max(1, -(-len(text) // 4096)) if text or not message.files else len(message.files)
