"""A customer's timeline: one chronological history across channels and conversations.

Every change that belongs in it (a message in or out, a status change, an assignment, a merge…) adds a row to
``timeline_items`` in the transaction of the change itself, so the history can neither miss nor double an entry.
A page is one range scan of the index ``(customer_id, at, id)``, newest first, whatever the length of the history;
messages are joined by primary key for the page only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import exists, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.protocol.customers import TimelineItem, TimelineKind
from omnidesk.server.context import Caller
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import message_out, message_query
from omnidesk.server.db import utcnow
from omnidesk.server.merge.models import CustomerMerge
from omnidesk.server.timeline.models import TimelineEntry

MESSAGE_KINDS = (TimelineKind.MESSAGE_IN.value, TimelineKind.MESSAGE_OUT.value)


async def record_item(
    session: AsyncSession,
    *,
    customer_id: int,
    kind: TimelineKind | str,
    at: dt.datetime | None = None,
    conversation_id: int | None = None,
    channel_id: int | None = None,
    message_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> int:
    """Add an entry to the customer's timeline in the caller's transaction; return its id."""
    return await session.scalar(
        insert(TimelineEntry)
        .values(
            customer_id=customer_id,
            kind=str(kind),
            at=at or utcnow(),
            conversation_id=conversation_id,
            channel_id=channel_id,
            message_id=message_id,
            payload=payload or {},
        )
        .returning(TimelineEntry.id)
    )


async def record_conversation_item(
    session: AsyncSession,
    conversation_id: int,
    kind: TimelineKind,
    payload: dict[str, Any],
    at: dt.datetime | None = None,
) -> None:
    """A timeline entry about a conversation (status, assignment), on the conversation's customer."""
    row = (
        await session.execute(
            select(Conversation.customer_id, Conversation.channel_id).where(Conversation.id == conversation_id)
        )
    ).one()
    await record_item(
        session,
        customer_id=row.customer_id,
        kind=kind,
        at=at,
        conversation_id=conversation_id,
        channel_id=row.channel_id,
        payload=payload,
    )


def item_out(
    entry: TimelineEntry, messages: dict[int, Any] | None = None, undone: dict[int, Any] | None = None
) -> TimelineItem:
    payload = dict(entry.payload or {})
    if entry.message_id is not None and messages and entry.message_id in messages:
        payload["message"] = messages[entry.message_id].model_dump(mode="json")
    if entry.kind == TimelineKind.MERGED.value and undone and payload.get("merge_id") in undone:
        merge = undone[payload["merge_id"]]  # undone since: the item says so, and offers no undo (defect 6)
        payload["undone_at"] = merge.undone_at.isoformat()
        payload["undone_by"] = merge.undone_by
    return TimelineItem(
        id=entry.id,
        customer_id=entry.customer_id,
        kind=entry.kind,
        at=entry.at,
        channel_id=entry.channel_id,
        conversation_id=entry.conversation_id,
        payload=payload,
    )


async def items_out(session: AsyncSession, entries: list[TimelineEntry]) -> list[TimelineItem]:
    message_ids = [e.message_id for e in entries if e.message_id is not None]
    messages: dict[int, Any] = {}
    if message_ids:
        rows = (await session.execute(message_query().where(Message.id.in_(message_ids)))).all()
        messages = {r.Message.id: message_out(r) for r in rows}
    # A merge item is written once, when merged; whether it was undone since is read from its merge, for the page.
    merge_ids = {
        int(e.payload["merge_id"])
        for e in entries
        if e.kind == TimelineKind.MERGED.value and isinstance((e.payload or {}).get("merge_id"), int)
    }
    undone: dict[int, Any] = {}
    if merge_ids:
        rows = await session.execute(
            select(CustomerMerge.id, CustomerMerge.undone_at, CustomerMerge.undone_by).where(
                CustomerMerge.id.in_(sorted(merge_ids)), CustomerMerge.undone_at.is_not(None)
            )
        )
        undone = {r.id: r for r in rows}
    return [item_out(e, messages, undone) for e in entries]


def _scope(caller: Caller):
    """An operator sees the customer's own entries, those of conversations in their scope and those of conversations
    a colleague mentioned them in (issue 11)."""
    if caller.sees_all_queues:
        return None
    # Correlated, so that a page costs one primary-key probe per entry, not a set of every conversation in the queues.
    visible = exists().where(
        Conversation.id == TimelineEntry.conversation_id,
        or_(Conversation.assignee_id == caller.user_id, Conversation.queue_id.in_(caller.queue_ids or [-1])),
    )
    mentioned = [TimelineEntry.conversation_id.in_(sorted(caller.mentioned_in))] if caller.mentioned_in else []
    return or_(TimelineEntry.conversation_id.is_(None), visible, *mentioned)
