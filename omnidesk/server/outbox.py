"""The outbox worker: delivers operators' replies to their channel's webhook, with retries and backoff.

A reply and its outbox row are written in one transaction, so a reply is never lost between "saved" and "queued".
The worker claims due rows with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several server processes share
the work without taking the same row), POSTs them, and records the outcome on the message (queued → sent or failed,
with the last error) together with a ``message.updated`` event. Every POST carries ``Idempotency-Key:
omnidesk-message-<id>``: if a process dies after the receiver accepted a reply but before the outcome was recorded,
the retry carries the same key, and the receiver drops it as a repeat, so the customer sees the reply once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import random
import time

import httpx
from sqlalchemy import bindparam, select, text, update

from omnidesk.domain.enums import DeliveryStatus, EventType
from omnidesk.server.config import Settings
from omnidesk.server.db import Database, UTCDateTime, utcnow
from omnidesk.server.events import emit_many
from omnidesk.server.models import Channel, Conversation, Customer, Identity, Message, OutboxItem, User
from omnidesk.server.security import sign
from omnidesk.server.serialize import message_out, message_query

log = logging.getLogger("omnidesk.outbox")

LEASE_SECONDS = 120
SHUTDOWN_GRACE = 5.0  # seconds a stopping worker waits for deliveries in flight
BATCH = 16
PERMANENT_STATUSES = range(400, 500)
RETRYABLE_4XX = {408, 425, 429}


class OutboxWorker:
    def __init__(self, db: Database, settings: Settings, *, client: httpx.AsyncClient | None = None) -> None:
        self.db = db
        self.settings = settings
        self.wake = asyncio.Event()
        self._client = client

    def backoff(self, attempts: int) -> float:
        delay = min(self.settings.outbox_base_delay * 2 ** max(0, attempts - 1), self.settings.outbox_max_delay)
        return delay * random.uniform(0.8, 1.2)

    async def claim(self) -> list:
        now = utcnow()
        lease = now + dt.timedelta(seconds=LEASE_SECONDS)
        skip_locked = "" if self.db.sqlite else " FOR UPDATE SKIP LOCKED"
        async with self.db.session() as session:
            rows = (
                await session.execute(
                    text(
                        "UPDATE outbox SET lease_until = :lease, attempts = attempts + 1 WHERE id IN ("
                        " SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= :now"
                        " AND (lease_until IS NULL OR lease_until < :now)"
                        f" ORDER BY next_attempt_at, id LIMIT :batch{skip_locked})"
                        " RETURNING id, message_id, channel_id, attempts"
                    ).bindparams(bindparam("lease", type_=UTCDateTime()), bindparam("now", type_=UTCDateTime())),
                    {"lease": lease, "now": now, "batch": BATCH},
                )
            ).all()
            await session.commit()
        return rows

    async def run(self) -> None:
        client = self._client or httpx.AsyncClient(timeout=self.settings.outbox_timeout, follow_redirects=False)
        try:
            while True:
                try:
                    claimed = await self.claim()
                except Exception:
                    log.exception("could not claim outbox items")
                    claimed = []
                if claimed:
                    batch = asyncio.gather(*(self.deliver(client, row) for row in claimed))
                    try:
                        await asyncio.shield(batch)
                    except asyncio.CancelledError:
                        # Stopping: let the deliveries in flight finish and record their outcome, or a restart would
                        # wait out their lease (LEASE_SECONDS) before sending them.
                        with contextlib.suppress(Exception, asyncio.CancelledError):
                            await asyncio.wait_for(batch, SHUTDOWN_GRACE)
                        raise
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), 1.0)
                self.wake.clear()
        finally:
            if self._client is None:
                await client.aclose()

    async def _payload(self, message_id: int) -> tuple[str | None, bytes, dict]:
        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(Message, Conversation, Customer, Channel.webhook_url, User.username, User.display_name)
                    .join(Conversation, Conversation.id == Message.conversation_id)
                    .join(Customer, Customer.id == Conversation.customer_id)
                    .join(Channel, Channel.id == Message.channel_id)
                    .outerjoin(User, User.id == Message.author_id)
                    .where(Message.id == message_id)
                )
            ).one()
            identities = (
                await session.execute(
                    select(Identity.kind, Identity.value).where(Identity.customer_id == row.Customer.id)
                )
            ).all()
            m: Message = row.Message
            body = {
                "type": "message.outgoing",
                "message_id": m.id,
                "conversation_id": m.conversation_id,
                "channel_id": m.channel_id,
                "customer": {
                    "id": row.Customer.id,
                    "name": row.Customer.display_name,
                    "identities": [{"kind": k, "value": v} for k, v in identities],
                },
                "author": {"id": m.author_id, "username": row.username, "name": row.display_name},
                "text": m.text,
                "sent_at": m.sent_at.isoformat(),
            }
            await session.rollback()
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": f"omnidesk-message-{message_id}",
            "User-Agent": "OmniDesk",
            "X-OmniDesk-Timestamp": timestamp,
        }
        if self.settings.webhook_secret:
            headers["X-OmniDesk-Signature"] = sign(self.settings.webhook_secret, raw, timestamp)
        return row.webhook_url, raw, headers

    async def deliver(self, client: httpx.AsyncClient, item) -> None:
        error: str | None = None
        permanent = False
        try:
            url, raw, headers = await self._payload(item.message_id)
            if not url:
                error, permanent = "the channel has no webhook URL to deliver replies to", True
            else:
                response = await client.post(url, content=raw, headers=headers)
                if response.status_code >= 300:
                    excerpt = response.text[:200].strip()
                    error = f"HTTP {response.status_code}" + (f": {excerpt}" if excerpt else "")
                    permanent = response.status_code in PERMANENT_STATUSES and response.status_code not in RETRYABLE_4XX
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        except Exception as exc:  # never let one reply stop the worker
            log.exception("delivering message %s failed", item.message_id)
            error = f"internal error: {type(exc).__name__}"
        await self.record(item, error, permanent)

    async def record(self, item, error: str | None, permanent: bool) -> None:
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
                    next_attempt_at=now + dt.timedelta(seconds=self.backoff(item.attempts)),
                )
            )
            if result.rowcount != 1:
                await session.rollback()
                return
            await session.execute(
                update(Message)
                .where(Message.id == item.message_id)
                .values(delivery_status=delivery.value, delivery_error=error[:1000] if error else None)
            )
            row = (
                await session.execute(
                    message_query().where(Message.id == item.message_id).execution_options(populate_existing=True)
                )
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
                self.db,
                [(EventType.MESSAGE_UPDATED.value, {"message": message_out(row).model_dump(mode="json")})],
                queue_id=conv.queue_id,
                user_id=conv.assignee_id,
            )
            await session.commit()
        if error:
            log.info("reply %s not delivered (attempt %s): %s", item.message_id, item.attempts, error)
