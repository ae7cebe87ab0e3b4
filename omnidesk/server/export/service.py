"""Reading what a caller may see into a transcript, and conversations of a period as rows for a bulk export.

Messages are read a page at a time (keyset on their id), never in one unbounded query. A PDF is built in memory: a
history longer than ``MAX_MESSAGES`` is cut there and the document says so. The HTML page is streamed (a page of
messages at a time, each read in its own short transaction), whole, however long. ``notes=False`` makes the
customer's copy: only the messages exchanged with the customer (text and calls), no notes or system lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import MessageKind
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.context import Caller
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import message_query
from omnidesk.server.conversations.service import scope_filter
from omnidesk.server.customers.models import Customer, Identity
from omnidesk.server.db import utcnow
from omnidesk.server.export.document import Entry, Section, Transcript
from omnidesk.server.queues.models import Queue
from omnidesk.server.sla.models import ConversationSla

PAGE = 500
MAX_MESSAGES = 50_000
BULK_PAGE = 500


CUSTOMER_KINDS = (MessageKind.TEXT.value, MessageKind.CALL.value)  # what the customer's copy shows


def _which(conversation_id: int, notes: bool) -> list:
    conditions = [Message.conversation_id == conversation_id]
    if not notes:  # the customer's copy: what was said with the customer, no internal notes, no system lines
        conditions.append(Message.kind.in_(CUSTOMER_KINDS))
    return conditions


async def _page(session: AsyncSession, conversation_id: int, after: int, limit: int, notes: bool) -> list[Entry]:
    """Up to ``limit`` messages (and notes, with ``notes``) of the conversation after message id ``after``, oldest
    first; each entry's ``key`` is its message id."""
    query = message_query().where(*_which(conversation_id, notes), Message.id > after)
    rows = (await session.execute(query.order_by(Message.id).limit(limit))).all()
    if not rows:
        return []
    ids = [r.Message.id for r in rows]
    files: dict[int, list[tuple[str, int]]] = {}
    for a in (
        await session.execute(
            select(Attachment.message_id, Attachment.file_name, Attachment.size)
            .where(Attachment.message_id.in_(ids))
            .order_by(Attachment.id)
        )
    ).all():
        files.setdefault(a.message_id, []).append((a.file_name, a.size))
    return [
        Entry(
            at=r.Message.sent_at,
            direction=r.Message.direction,
            kind=r.Message.kind,
            author=r.author_name,
            text=r.Message.text or "",
            files=tuple(files.get(r.Message.id, ())),
            key=r.Message.id,
        )
        for r in rows
    ]


async def _entries(session: AsyncSession, conversation_id: int, budget: int, notes: bool = True) -> list[Entry]:
    """The conversation's messages and notes (whoever may read a conversation reads its notes), oldest first, at most
    ``budget``."""
    out: list[Entry] = []
    after = 0
    while len(out) < budget:
        page = await _page(session, conversation_id, after, min(PAGE, budget - len(out)), notes)
        if not page:
            break
        out += page
        after = page[-1].key
    return out


async def stream_entries(session_factory, conversation_id: int, notes: bool) -> AsyncIterator[list[Entry]]:
    """The conversation's entries a page at a time, each page in its own short transaction (a slow reader of the
    stream holds no database session), for a document of any length."""
    after = 0
    while True:
        async with session_factory() as session:
            page = await _page(session, conversation_id, after, PAGE, notes)
            await session.rollback()
        if not page:
            return
        yield page
        if len(page) < PAGE:
            return
        after = page[-1].key


async def _section(session: AsyncSession, conv: Conversation, queues: dict[int, str], assignees: dict) -> Section:
    from omnidesk.server.admin.models import Channel

    channel = await session.get(Channel, conv.channel_id)
    return Section(
        conversation_id=conv.id,
        channel=channel.name if channel else str(conv.channel_id),
        queue=queues.get(conv.queue_id) if conv.queue_id else None,
        status=conv.status,
        opened=conv.created_at,
        assignee=assignees.get(conv.assignee_id),
    )


async def _names(
    session: AsyncSession, conversations: list[Conversation]
) -> tuple[dict[int, str], dict[int | None, str]]:
    """The names of the queues and assignees the document's conversations name, and of no one else (an
    organisation may have thousands of users): one query each, for the referenced ids only."""
    from omnidesk.server.users.models import User

    queue_ids = {c.queue_id for c in conversations if c.queue_id is not None}
    user_ids = {c.assignee_id for c in conversations if c.assignee_id is not None}
    queues = dict((await session.execute(select(Queue.id, Queue.name).where(Queue.id.in_(queue_ids)))).all())
    users = dict((await session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))).all())
    return queues, users


async def transcript(
    session: AsyncSession,
    caller: Caller,
    *,
    customer_id: int,
    conversations: list[Conversation],
    kind: str,
    organisation: str,
    zone: dt.tzinfo,
    language: str,
    notes: bool = True,
    entries: bool = True,
) -> Transcript:
    """The document of ``conversations``; with ``entries`` False their messages are only counted (a streamed
    document reads them afterwards with ``stream_entries``, with no cap)."""
    customer = await session.get(Customer, customer_id)
    identities = [
        f"{kind_}: {value}"
        for kind_, value in (
            await session.execute(
                select(Identity.kind, Identity.value).where(Identity.customer_id == customer_id).order_by(Identity.id)
            )
        ).all()
    ]
    queues, users = await _names(session, conversations)
    sections, budget = [], MAX_MESSAGES
    truncated = count = None
    if not entries:
        sections = [await _section(session, conv, queues, users) for conv in conversations]
        counted = (
            select(func.count()).select_from(Message).where(Message.conversation_id.in_([c.id for c in conversations]))
        )
        if not notes:
            counted = counted.where(Message.kind.in_(CUSTOMER_KINDS))
        count = int(await session.scalar(counted) or 0) if conversations else 0
    for conv in conversations if entries else ():
        section = await _section(session, conv, queues, users)
        section.entries = await _entries(session, conv.id, budget, notes)
        budget -= len(section.entries)
        sections.append(section)
        if budget <= 0:
            truncated = MAX_MESSAGES
            break
    return Transcript(
        kind=kind,
        organisation=organisation,
        exported_by=caller.display_name or caller.username,
        exported_at=utcnow(),
        customer=customer.display_name if customer else str(customer_id),
        identities=identities,
        sections=sections,
        zone=zone,
        language=language,
        truncated_at=truncated,
        notes=notes,
        count=count,
    )


async def visible_conversations_of(session: AsyncSession, caller: Caller, customer_id: int) -> list[Conversation]:
    """The customer's conversations on every channel the caller may read, oldest first."""
    rows = (
        await session.scalars(
            select(Conversation).where(Conversation.customer_id == customer_id).order_by(Conversation.created_at)
        )
    ).all()
    return [c for c in rows if caller.may_read(c.id, c.queue_id, c.assignee_id)]


BULK_COLUMNS = (
    "id",
    "channel",
    "queue",
    "customer_id",
    "customer",
    "status",
    "created_at",
    "first_response_at",
    "resolved_at",
    "assignee",
    "messages",
)


async def bulk_rows(
    session_factory,
    caller: Caller,
    *,
    start: dt.datetime,
    end: dt.datetime,
    queue_id: int | None,
    channel_id: int | None,
) -> AsyncIterator[dict[str, Any]]:
    """Conversations created in [start, end) that the caller may see, oldest first, a page at a time (keyset on id,
    a fresh short transaction per page: a long export never holds one open)."""
    from omnidesk.server.admin.models import Channel
    from omnidesk.server.users.models import User

    after = 0
    while True:
        async with session_factory() as session:
            query = (
                select(
                    Conversation,
                    Channel.name.label("channel_name"),
                    Customer.display_name.label("customer_name"),
                    Queue.name.label("queue_name"),
                    User.display_name.label("assignee_name"),
                    ConversationSla.first_response_at.label("sla_first_response_at"),
                    ConversationSla.resolved_at.label("sla_resolved_at"),
                )
                .join(Channel, Channel.id == Conversation.channel_id)
                .join(Customer, Customer.id == Conversation.customer_id)
                .outerjoin(Queue, Queue.id == Conversation.queue_id)
                .outerjoin(User, User.id == Conversation.assignee_id)
                .outerjoin(ConversationSla, ConversationSla.conversation_id == Conversation.id)
                .where(Conversation.created_at >= start, Conversation.created_at < end, Conversation.id > after)
            )
            if queue_id is not None:
                query = query.where(Conversation.queue_id == queue_id)
            if channel_id is not None:
                query = query.where(Conversation.channel_id == channel_id)
            scope = scope_filter(caller)  # the conversation list's own queue-scope rule
            if scope is not None:
                query = query.where(scope)
            rows = (await session.execute(query.order_by(Conversation.id).limit(BULK_PAGE))).all()
            if not rows:
                await session.rollback()
                return
            ids = [r.Conversation.id for r in rows]
            counts = dict(
                (
                    await session.execute(
                        select(Message.conversation_id, func.count())
                        .where(Message.conversation_id.in_(ids), Message.kind != MessageKind.NOTE.value)
                        .group_by(Message.conversation_id)
                    )
                ).all()
            )
            firsts = dict(
                (
                    await session.execute(
                        select(Message.conversation_id, func.min(Message.sent_at))
                        .where(
                            Message.conversation_id.in_(ids),
                            Message.direction == "out",
                            Message.kind == MessageKind.TEXT.value,
                            Message.author_id.is_not(None),
                        )
                        .group_by(Message.conversation_id)
                    )
                ).all()
            )
            page = [
                {
                    "id": r.Conversation.id,
                    "channel": r.channel_name,
                    "queue": r.queue_name,
                    "customer_id": r.Conversation.customer_id,
                    "customer": r.customer_name,
                    "status": r.Conversation.status,
                    "created_at": _iso(r.Conversation.created_at),
                    "first_response_at": _iso(r.sla_first_response_at or firsts.get(r.Conversation.id)),
                    # The SLA clock's resolve time; without one, the conversation's last change (its resolve).
                    "resolved_at": _iso(r.sla_resolved_at or r.Conversation.updated_at)
                    if r.Conversation.status == "resolved"
                    else None,
                    "assignee": r.assignee_name,
                    "messages": counts.get(r.Conversation.id, 0),
                }
                for r in rows
            ]
            await session.rollback()
        for row in page:  # yielded outside the transaction: a slow reader of the stream holds no database session
            yield row
        after = ids[-1]
        if len(rows) < BULK_PAGE:
            return


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat()
