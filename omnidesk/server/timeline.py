"""A customer's timeline: one chronological history across channels and conversations.

Every change that belongs in it (a message in or out, a status change, an assignment, a merge…) adds a row to
``timeline_items`` in the transaction of the change itself, so the history can neither miss nor double an entry.
A page is one range scan of the index ``(customer_id, at, id)``, newest first, whatever the length of the history;
messages are joined by primary key for the page only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import exists, insert, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.protocol import Page
from omnidesk.protocol.customers import TimelineItem, TimelineKind
from omnidesk.server import audit
from omnidesk.server.context import Caller, OperatorDep, SessionDep
from omnidesk.server.db import utcnow
from omnidesk.server.models import Conversation, Message, TimelineEntry
from omnidesk.server.serialize import message_out, message_query

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])

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
    session: AsyncSession, conversation_id: int, kind: TimelineKind, payload: dict[str, Any]
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
        conversation_id=conversation_id,
        channel_id=row.channel_id,
        payload=payload,
    )


def item_out(entry: TimelineEntry, messages: dict[int, Any] | None = None) -> TimelineItem:
    payload = dict(entry.payload or {})
    if entry.message_id is not None and messages and entry.message_id in messages:
        payload["message"] = messages[entry.message_id].model_dump(mode="json")
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
    return [item_out(e, messages) for e in entries]


def _scope(caller: Caller):
    """An operator sees the customer's own entries and those of conversations in their scope."""
    if caller.sees_all_queues:
        return None
    # Correlated, so that a page costs one primary-key probe per entry, not a set of every conversation in the queues.
    visible = exists().where(
        Conversation.id == TimelineEntry.conversation_id,
        or_(Conversation.assignee_id == caller.user_id, Conversation.queue_id.in_(caller.queue_ids or [-1])),
    )
    return or_(TimelineEntry.conversation_id.is_(None), visible)


@router.get("/{customer_id}/timeline", response_model=Page[TimelineItem])
async def get_timeline(
    customer_id: int,
    caller: OperatorDep,
    session: SessionDep,
    kinds: Annotated[
        list[str] | None, Query(description="Only these kinds (repeat, or comma-separated); see TimelineKind.")
    ] = None,
    channel_id: int | None = None,
    before: Annotated[str | None, Query(description="The next_cursor of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[TimelineItem]:
    """The customer's history, newest first, paged by ``before``; filter by kinds and channel."""
    from omnidesk.server.conversations import BadCursor, decode_cursor, encode_cursor  # (a cycle at import time)
    from omnidesk.server.customers import load_visible_customer

    await load_visible_customer(session, caller, customer_id)
    query = select(TimelineEntry).where(TimelineEntry.customer_id == customer_id)
    wanted = sorted({k.strip() for value in kinds or [] for k in value.split(",") if k.strip()})
    if wanted:
        query = query.where(TimelineEntry.kind.in_(wanted))
    if channel_id is not None:
        query = query.where(TimelineEntry.channel_id == channel_id)
    scope = _scope(caller)
    if scope is not None:
        query = query.where(scope)
    if before:
        try:
            at_text, last_id = decode_cursor(before)
            at = dt.datetime.fromisoformat(at_text)
            last_id = int(last_id)
        except (BadCursor, ValueError, TypeError):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "cursor is not one this server issued") from None
        query = query.where(tuple_(TimelineEntry.at, TimelineEntry.id) < tuple_(at, last_id))
    query = query.order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc()).limit(limit + 1)
    entries = list((await session.scalars(query)).all())
    items = await items_out(session, entries[:limit])
    next_cursor = encode_cursor(items[-1].at.isoformat(), items[-1].id) if len(entries) > limit else None
    await audit.record(
        session,
        caller.actor,
        "customer.read_timeline",
        "customer",
        customer_id,
        {"kinds": wanted, "channel_id": channel_id, "n": len(items)},
    )
    await session.commit()
    return Page[TimelineItem](items=items, next_cursor=next_cursor)
