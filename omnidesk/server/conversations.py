"""Conversations and messages: the operator's inbox, history, replies, status and assignment.

Every endpoint checks the caller's scope: supervisors and admins see every queue; an operator sees the queues they
belong to and whatever is assigned to them. A conversation outside the caller's scope answers 404, as if absent.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from sqlalchemy import and_, insert, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import ConversationStatus, DeliveryStatus, Direction, EventType, MessageKind, Role
from omnidesk.protocol import AssignRequest, ConversationOut, MessageOut, Page, ReplyIn, StatusChange
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server import audit
from omnidesk.server.context import Caller, OperatorDep, ServerState, SessionDep, StateDep
from omnidesk.server.db import utcnow
from omnidesk.server.events import emit_many
from omnidesk.server.models import Channel, Conversation, Message, OutboxItem, User
from omnidesk.server.serialize import conversation_out, conversation_query, message_out, message_query, preview
from omnidesk.server.timeline import record_conversation_item, record_item

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])


class BadCursor(ValueError):
    pass


def encode_cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise BadCursor("cursor is not one this server issued") from None
    if not isinstance(value, list):
        raise BadCursor("cursor is not one this server issued")
    return value


def _bad_request(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_400_BAD_REQUEST, detail)


def scope_filter(caller: Caller):
    if caller.sees_all_queues:
        return None
    conditions = [Conversation.assignee_id == caller.user_id]
    if caller.queue_ids:
        conditions.append(Conversation.queue_id.in_(caller.queue_ids))
    return or_(*conditions)


async def load_visible(session: AsyncSession, caller: Caller, conversation_id: int, *, lock: bool = False):
    query = conversation_query().where(Conversation.id == conversation_id).execution_options(populate_existing=True)
    if lock and session.bind.dialect.name != "sqlite":
        query = query.with_for_update(of=Conversation)
    row = (await session.execute(query)).first()
    if row is None or not caller.may_see(row.Conversation.queue_id, row.Conversation.assignee_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"conversation {conversation_id} not found")
    return row


async def _reload(session: AsyncSession, conversation_id: int) -> ConversationOut:
    query = conversation_query().where(Conversation.id == conversation_id).execution_options(populate_existing=True)
    return conversation_out((await session.execute(query)).one())


async def _emit_conversation(session, st: ServerState, conversation: ConversationOut, extra=()) -> None:
    await emit_many(
        session,
        st.db,
        [*extra, (EventType.CONVERSATION_UPDATED.value, {"conversation": conversation.model_dump(mode="json")})],
        queue_id=conversation.queue_id,
        user_id=conversation.assignee_id,
    )


@router.get("", response_model=Page[ConversationOut])
async def list_conversations(
    caller: OperatorDep,
    session: SessionDep,
    request: Request,
    status_: Annotated[list[ConversationStatus] | None, Query(alias="status")] = None,
    channel_id: int | None = None,
    assignee: Annotated[str | None, Query(description="me, unassigned, or a user id")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ConversationOut]:
    """Conversations, newest activity first, paged by an opaque cursor."""
    query = conversation_query()
    scope = scope_filter(caller)
    if scope is not None:
        query = query.where(scope)
    if status_:
        query = query.where(Conversation.status.in_([s.value for s in status_]))
    if channel_id is not None:
        query = query.where(Conversation.channel_id == channel_id)
    if assignee is not None:
        if assignee == "me":
            query = query.where(Conversation.assignee_id == caller.user_id)
        elif assignee == "unassigned":
            query = query.where(Conversation.assignee_id.is_(None))
        elif assignee.isdigit():
            query = query.where(Conversation.assignee_id == int(assignee))
        else:
            raise _bad_request("assignee must be 'me', 'unassigned' or a user id")
    if cursor:
        try:
            at_text, last_id = decode_cursor(cursor)
            at = dt.datetime.fromisoformat(at_text)
        except (BadCursor, ValueError, TypeError):
            raise _bad_request("cursor is not one this server issued") from None
        query = query.where(tuple_(Conversation.last_message_at, Conversation.id) < tuple_(at, int(last_id)))
    query = query.order_by(Conversation.last_message_at.desc(), Conversation.id.desc()).limit(limit + 1)
    rows = (await session.execute(query)).all()
    items = [conversation_out(r) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = encode_cursor(last.last_message_at.isoformat(), last.id)
    await audit.record(
        session,
        caller.actor,
        "conversation.list",
        "conversation",
        None,
        {"status": [s.value for s in status_ or []], "assignee": assignee, "channel_id": channel_id, "n": len(items)},
    )
    await session.commit()
    return Page[ConversationOut](items=items, next_cursor=next_cursor)


@router.get("/{conversation_id}", response_model=ConversationOut)
async def get_conversation(conversation_id: int, caller: OperatorDep, session: SessionDep) -> ConversationOut:
    row = await load_visible(session, caller, conversation_id)
    await audit.record(session, caller.actor, "conversation.read", "conversation", conversation_id)
    await session.commit()
    return conversation_out(row)


@router.get("/{conversation_id}/messages", response_model=Page[MessageOut])
async def list_messages(
    conversation_id: int,
    caller: OperatorDep,
    session: SessionDep,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Page[MessageOut]:
    """The newest messages first as a page (oldest to newest inside it); ``next_cursor`` leads to older ones."""
    await load_visible(session, caller, conversation_id)
    query = message_query().where(Message.conversation_id == conversation_id)
    if cursor:
        try:
            (before_id,) = decode_cursor(cursor)
            query = query.where(Message.id < int(before_id))
        except (BadCursor, ValueError, TypeError):
            raise _bad_request("cursor is not one this server issued") from None
    rows = (await session.execute(query.order_by(Message.id.desc()).limit(limit + 1))).all()
    items = [message_out(r) for r in rows[:limit]]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > limit else None
    items.reverse()
    await audit.record(session, caller.actor, "conversation.read_messages", "conversation", conversation_id)
    await session.commit()
    return Page[MessageOut](items=items, next_cursor=next_cursor)


async def _existing_reply(session: AsyncSession, caller: Caller, client_key: str) -> MessageOut | None:
    row = (
        await session.execute(
            message_query()
            .where(Message.author_id == caller.user_id, Message.client_key == client_key)
            .execution_options(populate_existing=True)
        )
    ).first()
    return message_out(row) if row else None


@router.post(
    "/{conversation_id}/messages",
    response_model=MessageOut,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": MessageOut, "description": "Already accepted (same client_key)."}},
)
async def reply(
    conversation_id: int,
    body: ReplyIn,
    caller: OperatorDep,
    session: SessionDep,
    st: StateDep,
    response: Response,
) -> MessageOut:
    """The operator's reply: stored with its outbox entry in one transaction, then delivered by the worker."""
    if body.client_key:
        existing = await _existing_reply(session, caller, body.client_key)
        if existing is not None:
            if existing.conversation_id != conversation_id:
                raise HTTPException(status.HTTP_409_CONFLICT, "client_key already used for another conversation")
            response.status_code = status.HTTP_200_OK
            return existing
    row = await load_visible(session, caller, conversation_id, lock=True)
    conv: Conversation = row.Conversation
    webhook_url = await session.scalar(select(Channel.webhook_url).where(Channel.id == conv.channel_id))
    now = utcnow()
    deliverable = bool(webhook_url)
    try:
        message_id = await session.scalar(
            insert(Message)
            .values(
                conversation_id=conv.id,
                channel_id=conv.channel_id,
                direction=Direction.OUT.value,
                kind=MessageKind.TEXT.value,
                author_id=caller.user_id,
                text=body.text,
                sent_at=now,
                created_at=now,
                delivery_status=(DeliveryStatus.QUEUED if deliverable else DeliveryStatus.FAILED).value,
                delivery_error=None if deliverable else "the channel has no webhook URL to deliver replies to",
                client_key=body.client_key,
            )
            .returning(Message.id)
        )
        if deliverable:
            await session.execute(
                insert(OutboxItem).values(
                    message_id=message_id, channel_id=conv.channel_id, state="pending", next_attempt_at=now
                )
            )
        values = dict(
            last_message_at=now,
            last_message_preview=preview(body.text),
            last_message_direction=Direction.OUT.value,
            unread_count=0,
            updated_at=now,
        )
        if conv.assignee_id is None:
            values["assignee_id"] = caller.user_id
        await session.execute(update(Conversation).where(Conversation.id == conv.id).values(**values))
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
        conversation = await _reload(session, conv.id)
        await _emit_conversation(
            session,
            st,
            conversation,
            extra=[(EventType.MESSAGE_CREATED.value, {"message": message.model_dump(mode="json")})],
        )
        await audit.record(session, caller.actor, "message.reply", "conversation", conv.id, {"message_id": message_id})
        await session.commit()
    except IntegrityError:
        await session.rollback()
        existing = await _existing_reply(session, caller, body.client_key) if body.client_key else None
        if existing is None:
            raise
        response.status_code = status.HTTP_200_OK
        return existing
    if deliverable and st.hub is not None:
        st.wake_outbox()
    return message


@router.post("/{conversation_id}/status", response_model=ConversationOut)
async def change_status(
    conversation_id: int, body: StatusChange, caller: OperatorDep, session: SessionDep, st: StateDep
) -> ConversationOut:
    row = await load_visible(session, caller, conversation_id, lock=True)
    old = row.Conversation.status
    if old == body.status.value:
        return conversation_out(row)
    try:
        await session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(status=body.status.value, updated_at=utcnow())
        )
        await session.flush()
    except IntegrityError:
        await session.rollback()
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            "this customer already has an open conversation on this channel; continue that one instead",
        ) from None
    await record_conversation_item(
        session,
        conversation_id,
        TimelineKind.STATUS_CHANGED,
        {"from": old, "to": body.status.value, "by": caller.user_id},
    )
    conversation = await _reload(session, conversation_id)
    await _emit_conversation(session, st, conversation)
    await audit.record(
        session, caller.actor, "conversation.status", "conversation", conversation_id, {"from": old, "to": body.status}
    )
    await session.commit()
    return conversation


@router.post("/{conversation_id}/assign", response_model=ConversationOut)
async def assign(
    conversation_id: int,
    caller: OperatorDep,
    session: SessionDep,
    st: StateDep,
    body: AssignRequest | None = None,
) -> ConversationOut:
    """Take the conversation (no body), or, for supervisors, give it to someone."""
    target = body.user_id if body and body.user_id is not None else caller.user_id
    if target != caller.user_id and not caller.role.at_least(Role.SUPERVISOR):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only supervisors assign conversations to others")
    row = await load_visible(session, caller, conversation_id, lock=True)
    user = await session.get(User, target)
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"no active user {target}")
    old = row.Conversation.assignee_id
    if old == target:
        return conversation_out(row)
    await session.execute(
        update(Conversation).where(Conversation.id == conversation_id).values(assignee_id=target, updated_at=utcnow())
    )
    await record_conversation_item(
        session, conversation_id, TimelineKind.ASSIGNED, {"from": old, "to": target, "by": caller.user_id}
    )
    conversation = await _reload(session, conversation_id)
    await _emit_conversation(session, st, conversation)
    await audit.record(
        session, caller.actor, "conversation.assign", "conversation", conversation_id, {"from": old, "to": target}
    )
    await session.commit()
    return conversation


@router.delete("/{conversation_id}/assign", response_model=ConversationOut)
async def unassign(conversation_id: int, caller: OperatorDep, session: SessionDep, st: StateDep) -> ConversationOut:
    """Give the conversation back to its queue (its assignee or a supervisor)."""
    row = await load_visible(session, caller, conversation_id, lock=True)
    old = row.Conversation.assignee_id
    if old is None:
        return conversation_out(row)
    if old != caller.user_id and not caller.role.at_least(Role.SUPERVISOR):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only the assignee or a supervisor can unassign")
    await session.execute(
        update(Conversation).where(Conversation.id == conversation_id).values(assignee_id=None, updated_at=utcnow())
    )
    await record_conversation_item(
        session, conversation_id, TimelineKind.UNASSIGNED, {"from": old, "to": None, "by": caller.user_id}
    )
    conversation = await _reload(session, conversation_id)
    await _emit_conversation(session, st, conversation)
    await audit.record(session, caller.actor, "conversation.unassign", "conversation", conversation_id, {"from": old})
    await session.commit()
    return conversation


@router.post("/{conversation_id}/read", response_model=ConversationOut)
async def mark_read(conversation_id: int, caller: OperatorDep, session: SessionDep, st: StateDep) -> ConversationOut:
    row = await load_visible(session, caller, conversation_id, lock=True)
    if row.Conversation.unread_count == 0:
        return conversation_out(row)
    await session.execute(update(Conversation).where(and_(Conversation.id == conversation_id)).values(unread_count=0))
    conversation = await _reload(session, conversation_id)
    await _emit_conversation(session, st, conversation)
    await audit.record(session, caller.actor, "conversation.mark_read", "conversation", conversation_id)
    await session.commit()
    return conversation
