"""Routing rules: stored in order, cached per process, and asked for every new conversation.

The rule book (enabled rules in order, plus the business calendars of the queues) is loaded once and kept for
``TTL`` seconds; a change made through this process drops the cache at once, a change made by another server
process is seen within ``TTL``. The decision is ``domain.routing.decide``; the two ingest paths call ``route`` here
with the facts they have, so both decide the same way.
"""

from __future__ import annotations

import datetime as dt
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain import routing
from omnidesk.domain.routing import Calendar, Decision, MessageFacts, Rule, RuleError
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database
from omnidesk.server.queues.models import Queue
from omnidesk.server.routing.models import RoutingRule

TTL = 2.0


@dataclass(frozen=True, slots=True)
class RuleBook:
    rules: tuple[Rule, ...]
    calendars: Mapping[int, Calendar]
    loaded: float

    @property
    def needs_customer(self) -> bool:
        return routing.needs_customer(self.rules)

    def decide(self, facts: MessageFacts, default_queue_id: int | None) -> Decision:
        return routing.decide(self.rules, facts, default_queue_id=default_queue_id, calendars=self.calendars)


_books: weakref.WeakKeyDictionary[Database, RuleBook] = weakref.WeakKeyDictionary()


def invalidate(db: Database) -> None:
    _books.pop(db, None)


def rule_from_row(row: RoutingRule) -> Rule:
    return routing.parse_rule(row.id, row.name, row.conditions, row.actions, enabled=row.enabled)


async def load_book(session: AsyncSession) -> RuleBook:
    rows = (await session.scalars(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id))).all()
    rules = []
    for row in rows:
        try:
            rules.append(rule_from_row(row))
        except RuleError:  # stored before a stricter check: skipped, never fatal for ingest
            continue
    calendars = {}
    for queue_id, raw in (await session.execute(select(Queue.id, Queue.calendar))).all():
        if raw:
            try:
                calendars[queue_id] = routing.parse_calendar(raw)
            except RuleError:
                continue
    return RuleBook(tuple(r for r in rules if r.enabled), calendars, time.monotonic())


async def book(db: Database, session: AsyncSession | None = None) -> RuleBook:
    """The process's cached rule book (reloaded after ``TTL`` seconds or a local change). A caller inside a
    transaction passes its ``session``: on SQLite a second session would wait for that transaction's write lock."""
    cached = _books.get(db)
    if cached is not None and time.monotonic() - cached.loaded < TTL:
        return cached
    if session is not None:
        fresh = await load_book(session)
    else:
        async with db.session() as own:
            fresh = await load_book(own)
    _books[db] = fresh
    return fresh


def facts_for(
    *,
    channel_kind: str,
    channel_id: int,
    text: str,
    at: dt.datetime,
    known: bool,
    profile: Any | None = None,
) -> MessageFacts:
    """The facts of a message. ``known``: the sender's customer existed before this message; ``profile`` (segment,
    language, tags, attributes) is read only when a rule looks at it."""
    return MessageFacts(
        channel_kind=channel_kind,
        channel_id=channel_id,
        text=text,
        at=at,
        customer_known=known,
        segment=profile.segment if profile is not None else None,
        language=profile.language if profile is not None else None,
        tags=frozenset(profile.tags or ()) if profile is not None else frozenset(),
        attributes=dict(profile.attributes or {}) if profile is not None else {},
    )


async def customer_profile(session: AsyncSession, customer_id: int):
    return (
        await session.execute(
            select(Customer.segment, Customer.language, Customer.tags, Customer.attributes).where(
                Customer.id == customer_id
            )
        )
    ).first()


# --- storage ------------------------------------------------------------------------------------------------------


def validate(name: str, conditions: Sequence[dict], actions: dict, enabled: bool = True) -> Rule:
    return routing.parse_rule(0, name, conditions, actions, enabled=enabled)


async def next_position(session: AsyncSession) -> int:
    return (await session.scalar(select(func.max(RoutingRule.position)))) or 0


# --- auto-replies --------------------------------------------------------------------------------------------------


async def send_auto_replies(db: Database, items: Sequence[tuple[int, str]]) -> list[int]:
    """The auto-replies of routing rules for conversations just opened: each text with its placeholders filled
    (``{queue.position}`` is the customer's place in the queue), stored as an outgoing message with its outbox entry
    (delivered by the outbox worker like any reply), in the timeline and on the stream. Returns the message ids."""
    from sqlalchemy import insert

    from omnidesk.domain import canned
    from omnidesk.domain.enums import DeliveryStatus, Direction, EventType, MessageKind
    from omnidesk.protocol.customers import TimelineKind
    from omnidesk.server.admin.models import Channel
    from omnidesk.server.conversations.models import Conversation, Message
    from omnidesk.server.conversations.serialize import message_out, message_query
    from omnidesk.server.db import utcnow
    from omnidesk.server.events.service import emit_many
    from omnidesk.server.outbox.models import OutboxItem
    from omnidesk.server.presence.service import place_in_queue
    from omnidesk.server.timeline.service import record_item

    sent = []
    async with db.session() as session:
        for conversation_id, template in items:
            row = (
                await session.execute(
                    select(Conversation, Customer.display_name, Queue.name, Channel.webhook_url)
                    .join(Customer, Customer.id == Conversation.customer_id)
                    .join(Channel, Channel.id == Conversation.channel_id)
                    .outerjoin(Queue, Queue.id == Conversation.queue_id)
                    .where(Conversation.id == conversation_id)
                )
            ).first()
            if row is None:
                continue
            conv = row.Conversation
            position = await place_in_queue(session, conversation_id)
            text, _missing = canned.render(
                template,
                {
                    "customer.name": row.display_name,
                    "customer.first_name": canned.first_name(row.display_name),
                    "queue.name": row.name,
                    "queue.position": str(position) if position is not None else None,
                },
            )
            if not text.strip():
                continue
            now = utcnow()
            deliverable = bool(row.webhook_url)
            message_id = await session.scalar(
                insert(Message)
                .values(
                    conversation_id=conv.id,
                    channel_id=conv.channel_id,
                    direction=Direction.OUT.value,
                    kind=MessageKind.TEXT.value,
                    author_id=None,
                    text=text,
                    sent_at=now,
                    created_at=now,
                    delivery_status=(DeliveryStatus.QUEUED if deliverable else DeliveryStatus.FAILED).value,
                    delivery_error=None if deliverable else "the channel has no webhook URL to deliver replies to",
                )
                .returning(Message.id)
            )
            if deliverable:
                await session.execute(
                    insert(OutboxItem).values(
                        message_id=message_id, channel_id=conv.channel_id, state="pending", next_attempt_at=now
                    )
                )
            await record_item(
                session,
                customer_id=conv.customer_id,
                kind=TimelineKind.MESSAGE_OUT,
                at=now,
                conversation_id=conv.id,
                channel_id=conv.channel_id,
                message_id=message_id,
            )
            message = message_out((await session.execute(message_query().where(Message.id == message_id))).one())
            await emit_many(
                session,
                db,
                [(EventType.MESSAGE_CREATED.value, {"message": message.model_dump(mode="json")})],
                queue_id=conv.queue_id,
                user_id=conv.assignee_id,
            )
            sent.append(message_id)
        await session.commit()
    return sent
