"""Ingest: a message a channel delivered becomes a stored message, exactly once, in one transaction.

dedupe (channel, external id) → resolve the sender's identity to a customer (or create one) → find the customer's open
conversation on that channel (or open one) → store the message, update the conversation, append the events → commit.
Only then does the channel hear "stored". Races between concurrent deliveries end in a unique-constraint violation
(message external id, identity, open conversation), and the whole transaction is retried, so the loser finds what the
winner stored.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.duplicates import CustomerFacts
from omnidesk.domain.enums import ConversationStatus, Direction, EventType, MessageKind
from omnidesk.domain.identity import Identifier, IdentityKind, normalize
from omnidesk.protocol import InboundAck, InboundMessage, MessageOut, Sender
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.service import Actor
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import conversation_out, conversation_query, preview
from omnidesk.server.csat import service as csat_service
from omnidesk.server.customers.models import Customer, Identity
from omnidesk.server.customers.service import emit_updated
from omnidesk.server.db import Database, utcnow
from omnidesk.server.duplicates import service as duplicates_service
from omnidesk.server.events.service import emit_many
from omnidesk.server.ingest.batch_pg import IngestBatcher
from omnidesk.server.routing import service as routing_service
from omnidesk.server.sla import service as sla_service
from omnidesk.server.timeline.service import record_item

log = logging.getLogger("omnidesk.ingest")

MAX_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class ChannelRef:
    id: int
    kind: str
    name: str
    queue_id: int | None
    webhook_url: str | None


@dataclass(frozen=True, slots=True)
class ThreadHint:
    """How a channel with its own threading (e-mail) places a message: join ``conversation_id`` when it is the
    sender's customer's and not resolved; else open a new conversation when ``new_conversation`` (a new subject), even
    next to an open one; else the usual open conversation. ``on_stored`` writes the channel's own rows (headers,
    attachments) in the same transaction: (session, message id, conversation id, customer id)."""

    conversation_id: int | None = None
    new_conversation: bool = False
    on_stored: Callable[[AsyncSession, int, int, int], Awaitable[None]] | None = None


def sender_identifier(message: InboundMessage, default_region: str) -> Identifier:
    """The normalised identifier of the sender; raises InvalidIdentifier with a reason in words."""
    return normalize(message.sender.kind, message.sender.value, default_region)


def extra_identifiers(message: InboundMessage, default_region: str) -> list[Identifier]:
    """The further identifiers the message carries, normalised, without repeats; raises InvalidIdentifier."""
    found: list[Identifier] = []
    for sender in message.identities:
        identifier = normalize(sender.kind, sender.value, default_region)
        if identifier not in found:
            found.append(identifier)
    return found


async def ingest(
    db: Database,
    channel: ChannelRef,
    message: InboundMessage,
    identifier: Identifier,
    extra: Sequence[Identifier] = (),
    *,
    batcher: IngestBatcher | None = None,
    thread: ThreadHint | None = None,
) -> InboundAck:
    """Store ``message`` once; return its ids (``duplicate`` when the external id was already stored).

    With a ``batcher`` (PostgreSQL), a message whose sender has one identifier is stored in the next group commit;
    whatever the batch declines, and everything else, takes the general path below."""
    extra = [i for i in extra if i != identifier]
    if batcher is not None and not extra and thread is None:
        ack = await batcher.submit(channel.id, channel.queue_id, message, identifier, channel_kind=channel.kind)
        if ack is not None:
            return ack
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            async with db.session() as session:
                ack = await _ingest_once(session, db, channel, message, identifier, extra, thread)
                await session.commit()
                autos = session.info.pop("omnidesk_auto_replies", None)
            if autos:  # the routing rule's auto-reply, once the conversation is committed (as on the batch path)
                try:
                    await routing_service.send_auto_replies(db, autos)
                except Exception:  # the customer's message is stored; a lost courtesy reply must not fail it
                    log.exception("auto-reply of conversation %s failed", autos[0][0])
            return ack
        except IntegrityError:
            # Another delivery won a race on a unique key; the next attempt will find its rows.
            if attempt == MAX_ATTEMPTS:
                raise
            log.debug("ingest race on channel %s external id %s, retrying", channel.id, message.external_id)
        except DBAPIError as exc:
            # A pooled connection that died with the database (restart, failover): nothing was committed, so the
            # next attempt on a fresh connection is safe.
            if not exc.connection_invalidated or attempt == MAX_ATTEMPTS:
                raise
            log.warning("database connection lost during ingest; retrying on a new connection")
    raise AssertionError("unreachable")


async def suggest_for_new_customers(db: Database, created: Sequence[CustomerFacts]) -> None:
    """The fuzzy duplicate check of customers a batch created (their keys were written with them)."""
    async with db.session() as session:
        for facts in created:
            await duplicates_service.suggest_for(session, facts, duplicates_service.all_keys(facts))
        await session.commit()


async def _resolve_customer(
    session: AsyncSession,
    db: Database,
    channel: ChannelRef,
    message: InboundMessage,
    identifier: Identifier,
    extra: Sequence[Identifier],
    now,
) -> tuple[int, int]:
    """The customer and identity the sender writes as, creating what is missing: (customer id, identity id).

    The sender's own identifier decides; further identifiers that nobody has join the same customer; one that belongs
    to another customer is never merged silently: it raises a duplicate suggestion for people to review.
    """
    wanted = [identifier, *extra]
    if extra:
        condition = or_(*(and_(Identity.kind == i.kind.value, Identity.value == i.value) for i in wanted))
    else:  # the hot path: one indexed equality
        condition = and_(Identity.kind == identifier.kind.value, Identity.value == identifier.value)
    lookup = select(Identity.id, Identity.customer_id, Identity.kind, Identity.value).where(condition)
    if session.bind.dialect.name != "sqlite":
        # A merge moving this identity waits for this message (or this waits and reads the merged owner), so no
        # message can land on a customer that a concurrent merge has just emptied.
        lookup = lookup.with_for_update(read=True)
    rows = (await session.execute(lookup)).all()
    owners = {Identifier(IdentityKind(r.kind), r.value): (r.customer_id, r.id) for r in rows}
    sender_owner = owners.get(identifier)
    if sender_owner is not None and not extra:
        return sender_owner
    created = False
    if sender_owner is not None:
        customer_id = sender_owner[0]
    else:
        known = [owners[i][0] for i in extra if i in owners]
        customer_id = known[0] if known else None
        if customer_id is None:
            name = message.sender.name or identifier.value
            customer_id = await session.scalar(
                insert(Customer).values(display_name=name[:200], created_at=now, updated_at=now).returning(Customer.id)
            )
            created = True
            await audit.record(
                session,
                Actor(None, f"channel:{channel.id}"),
                "customer.create",
                "customer",
                customer_id,
                {"identity": f"{identifier.kind.value}:{identifier.value}", "channel_id": channel.id},
            )
    identity_id = sender_owner[1] if sender_owner is not None else None
    added = False
    for each in wanted:
        owner = owners.get(each)
        if owner is None:
            new_id = await session.scalar(
                insert(Identity)
                .values(customer_id=customer_id, kind=each.kind.value, value=each.value, created_at=now)
                .returning(Identity.id)
            )
            added = True
            if each == identifier:
                identity_id = new_id
        elif owner[0] != customer_id:
            await duplicates_service.shared_identifier(session, customer_id, owner[0], each)
    if created:
        name = (message.sender.name or identifier.value)[:200]
        facts = CustomerFacts(customer_id, name, tuple(wanted))
        await duplicates_service.refresh_customer(session, customer_id, suggest=True, new=facts)
    elif added:
        # A known customer wrote with a new identifier (a form with a new e-mail): open cards show it at once.
        await duplicates_service.refresh_customer(session, customer_id, suggest=True)
        await emit_updated(session, db, customer_id)
    assert identity_id is not None
    return customer_id, identity_id


async def _open_conversation(
    session: AsyncSession,
    channel: ChannelRef,
    customer_id: int,
    identity_id: int | None,
    decision,
    now,
    *,
    status: ConversationStatus = ConversationStatus.OPEN,
    waiting: bool = True,
) -> int:
    """A new conversation as the routing decision placed it (queue, priority, skill, maximum wait)."""
    return await session.scalar(
        insert(Conversation)
        .values(
            customer_id=customer_id,
            channel_id=channel.id,
            identity_id=identity_id,
            queue_id=decision.queue_id,
            priority=decision.priority,
            required_skill=decision.skill,
            max_wait_s=decision.max_wait_s,
            routing_rule_id=decision.rule_id,
            waiting_since=now if waiting else None,
            status=status.value,
            last_message_at=now,
            last_message_preview="",
            unread_count=0,
            created_at=now,
            updated_at=now,
        )
        .returning(Conversation.id)
    )


async def conversation_for_outbound(
    session: AsyncSession, db: Database, channel: ChannelRef, identifier: Identifier, name: str | None
) -> tuple[Conversation, bool]:
    """The conversation for a message our side wrote first from the platform's own app (a page that messaged a
    person who never wrote on this channel): the customer found or created by the same identity rule as a customer's
    message, and a conversation routed like one, pending (the next move is the customer's). Returns the conversation
    and whether it was created; the caller stores the message, then announces the conversation (``created``)."""
    now = utcnow()
    sender = InboundMessage.model_construct(
        external_id="", sender=Sender.model_construct(kind=identifier.kind, value=identifier.value, name=name),
        identities=[], text="", sent_at=None,
    )  # fmt: skip
    customer_id, identity_id = await _resolve_customer(session, db, channel, sender, identifier, (), now)
    open_conv = select(Conversation).where(
        Conversation.customer_id == customer_id,
        Conversation.channel_id == channel.id,
        Conversation.identity_id == identity_id,
        Conversation.status != ConversationStatus.RESOLVED.value,
    )
    existing = (await session.scalars(open_conv)).first()
    if existing is not None:
        return existing, False
    decision = await _route(session, db, channel, sender, customer_id, now)
    # Nobody waits: our side spoke first, so the conversation waits on the customer.
    conversation_id = await _open_conversation(
        session, channel, customer_id, identity_id, decision, now, status=ConversationStatus.PENDING, waiting=False
    )
    await audit.record(
        session, Actor(None, f"channel:{channel.id}"), "conversation.create", "conversation", conversation_id,
        {"customer_id": customer_id, "by": "echo"},
    )  # fmt: skip
    return await session.get(Conversation, conversation_id), True


async def announce_conversation(session: AsyncSession, db: Database, conversation_id: int, created: bool) -> None:
    """A ``conversation.created`` (or ``updated``) event with the conversation as the inbox shows it."""
    row = (
        await session.execute(
            conversation_query().where(Conversation.id == conversation_id).execution_options(populate_existing=True)
        )
    ).one()
    conversation = conversation_out(row)
    kind = EventType.CONVERSATION_CREATED if created else EventType.CONVERSATION_UPDATED
    await emit_many(
        session,
        db,
        [(kind.value, {"conversation": conversation.model_dump(mode="json")})],
        queue_id=conversation.queue_id,
        user_id=conversation.assignee_id,
    )


async def _route(session: AsyncSession, db: Database, channel: ChannelRef, message: InboundMessage, customer_id, now):
    """The routing of a new conversation (domain.routing.decide, as on the batch path). The customer counts as known
    when it existed before this message (a customer created by this message has ``created_at == now``)."""
    book = await routing_service.book(db, session)
    if not book.rules:
        return routing_service.Decision(queue_id=channel.queue_id)
    row = (
        await session.execute(
            select(Customer.created_at, Customer.segment, Customer.language, Customer.tags, Customer.attributes).where(
                Customer.id == customer_id
            )
        )
    ).first()
    known = row is not None and row.created_at < now
    facts = routing_service.facts_for(
        channel_kind=channel.kind, channel_id=channel.id, text=message.text, at=now, known=known, profile=row
    )
    return book.decide(facts, channel.queue_id)


async def _ingest_once(
    session: AsyncSession,
    db: Database,
    channel: ChannelRef,
    message: InboundMessage,
    identifier: Identifier,
    extra: Sequence[Identifier] = (),
    thread: ThreadHint | None = None,
) -> InboundAck:
    existing = (
        await session.execute(
            select(Message.id, Message.conversation_id, Conversation.customer_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Message.channel_id == channel.id, Message.external_id == message.external_id)
        )
    ).first()
    if existing is not None:
        return InboundAck(
            message_id=existing.id,
            conversation_id=existing.conversation_id,
            customer_id=existing.customer_id,
            duplicate=True,
        )

    now = utcnow()
    customer_id, identity_id = await _resolve_customer(session, db, channel, message, identifier, extra, now)

    open_conv = select(Conversation.id, Conversation.status, Conversation.queue_id).where(
        Conversation.customer_id == customer_id,
        Conversation.channel_id == channel.id,
        Conversation.identity_id == identity_id,
        Conversation.status != ConversationStatus.RESOLVED.value,
    )
    if not db.sqlite:
        open_conv = open_conv.with_for_update()
    conv = None
    if thread is not None and thread.conversation_id is not None:
        conv = (
            await session.execute(
                select(Conversation.id, Conversation.status, Conversation.queue_id).where(
                    Conversation.id == thread.conversation_id,
                    Conversation.customer_id == customer_id,
                    Conversation.status != ConversationStatus.RESOLVED.value,
                )
            )
        ).first()
    if conv is None:
        conv = (await session.execute(open_conv)).first()
    conv_identity_id: int | None = identity_id
    if thread is not None and thread.new_conversation and conv is not None and conv.id != thread.conversation_id:
        # A new subject next to an open conversation of the same identity: a second open conversation, which the
        # one-open-per-identity index allows only without the identity (the customer and channel still say who).
        conv, conv_identity_id = None, None
    # With nothing open on this channel, a reply that reads as a rating answers the survey of the conversation it
    # follows: stored there, and that conversation stays resolved (omnidesk.server.csat.service).
    answer = None
    if conv is None:
        answer = await csat_service.waiting_survey(
            session, customer_id=customer_id, channel_id=channel.id, text=message.text, now=now
        )
    created = conv is None and answer is None
    if answer is not None:
        conversation_id = answer[0].conversation_id
    elif created:
        decision = await _route(session, db, channel, message, customer_id, now)
        conversation_id = await _open_conversation(session, channel, customer_id, conv_identity_id, decision, now)
        if decision.auto_reply:
            session.info.setdefault("omnidesk_auto_replies", []).append((conversation_id, decision.auto_reply))
    else:
        conversation_id = conv.id
    conv_queue = answer[0].queue_id if answer else decision.queue_id if created else conv.queue_id

    sent_at = message.sent_at or now
    message_id = await session.scalar(
        insert(Message)
        .values(
            conversation_id=conversation_id,
            channel_id=channel.id,
            external_id=message.external_id,
            direction=Direction.IN.value,
            kind=MessageKind.TEXT.value,
            text=message.text,
            sent_at=sent_at,
            created_at=now,
        )
        .returning(Message.id)
    )
    if thread is not None and thread.on_stored is not None:
        await thread.on_stored(session, message_id, conversation_id, customer_id)
    await record_item(
        session,
        customer_id=customer_id,
        kind=TimelineKind.MESSAGE_IN,
        at=sent_at,
        conversation_id=conversation_id,
        channel_id=channel.id,
        message_id=message_id,
    )
    latest = dict(
        last_message_at=now,
        last_message_preview=preview(message.text),
        last_message_direction=Direction.IN.value,
        updated_at=now,
    )
    if answer is None:
        latest.update(
            unread_count=Conversation.unread_count + 1,
            status=ConversationStatus.OPEN.value,  # a customer writing again re-opens a pending conversation
        )
    await session.execute(update(Conversation).where(Conversation.id == conversation_id).values(**latest))
    if answer is not None:
        await csat_service.record_answer(session, answer[0], answer[1], answer[2], message_id, now)
    else:  # the SLA clock (omnidesk.server.sla.service.plan_inbound, the rule the batch path applies too)
        segment = await session.scalar(select(Customer.segment).where(Customer.id == customer_id))
        priority_column = getattr(Conversation, "priority", None)  # the work-organisation feature's, if present
        priority = None
        if priority_column is not None:
            priority = await session.scalar(select(priority_column).where(Conversation.id == conversation_id))
        await sla_service.on_inbound(
            session,
            conversation_id=conversation_id,
            queue_id=conv_queue,
            channel_kind=channel.kind,
            segment=segment,
            priority=priority,
            at=now,
        )
    row = (
        await session.execute(
            conversation_query().where(Conversation.id == conversation_id).execution_options(populate_existing=True)
        )
    ).one()
    conversation = conversation_out(row)
    message_out = MessageOut(
        id=message_id,
        conversation_id=conversation_id,
        direction=Direction.IN,
        kind=MessageKind.TEXT,
        author_id=None,
        text=message.text,
        sent_at=sent_at,
    )
    await emit_many(
        session,
        db,
        [
            (EventType.MESSAGE_CREATED.value, {"message": message_out.model_dump(mode="json")}),
            (
                (EventType.CONVERSATION_CREATED if created else EventType.CONVERSATION_UPDATED).value,
                {"conversation": conversation.model_dump(mode="json")},
            ),
        ],
        queue_id=conversation.queue_id,
        user_id=conversation.assignee_id,
    )
    return InboundAck(message_id=message_id, conversation_id=conversation_id, customer_id=customer_id)
