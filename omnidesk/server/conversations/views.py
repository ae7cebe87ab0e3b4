"""HTTP routes of conversations: list, read, reply, status, assignment."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from sqlalchemy import and_, insert, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from omnidesk.domain.enums import ConversationStatus, DeliveryStatus, Direction, EventType, MessageKind
from omnidesk.domain.permissions import ConversationAccess, Permission
from omnidesk.protocol import AssignRequest, ConversationOut, MessageOut, Page, ReplyIn, StatusChange
from omnidesk.protocol.customers import TimelineKind
from omnidesk.server.admin.models import Channel
from omnidesk.server.audit import service as audit
from omnidesk.server.channels import replies
from omnidesk.server.context import OperatorDep, SessionDep, StateDep, permitted
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import (
    conversation_out,
    conversation_query,
    message_out,
    message_query,
    preview,
    unanswered_since_expr,
)
from omnidesk.server.conversations.service import (
    _emit_conversation,
    _existing_reply,
    _reload,
    access_of,
    load_visible,
    scope_filter,
)
from omnidesk.server.csat import service as csat_service
from omnidesk.server.db import utcnow
from omnidesk.server.db.pagination import BadCursor, bad_request, decode_cursor, encode_cursor
from omnidesk.server.notes import service as notes
from omnidesk.server.outbox.models import OutboxItem
from omnidesk.server.refusals import Refusal
from omnidesk.server.sla import service as sla_service
from omnidesk.server.timeline.service import record_conversation_item, record_item
from omnidesk.server.users.models import User

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])


@router.get("", response_model=Page[ConversationOut])
async def list_conversations(
    caller: OperatorDep,
    session: SessionDep,
    request: Request,
    status_: Annotated[list[ConversationStatus] | None, Query(alias="status")] = None,
    channel_id: int | None = None,
    assignee: Annotated[str | None, Query(description="me, unassigned, or a user id")] = None,
    customer_id: Annotated[int | None, Query(description="only this customer's conversations (every channel)")] = None,
    order: Annotated[
        str, Query(pattern="^(activity|waiting)$", description="activity (newest first) or waiting (longest first)")
    ] = "activity",
    sla: Annotated[
        Literal["breached", "soon"] | None, Query(description="breached, or breaching soon (past a warning)")
    ] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ConversationOut]:
    """Conversations, newest activity first (or the longest-waiting customer first), paged by an opaque cursor."""
    query = conversation_query()
    if customer_id is not None:
        query = query.where(Conversation.customer_id == customer_id)
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
        elif assignee.isascii() and assignee.isdigit() and len(assignee) < 19:
            query = query.where(Conversation.assignee_id == int(assignee))
        else:
            raise bad_request("assignee must be 'me', 'unassigned' or a user id")
    waiting = order == "waiting"
    since = unanswered_since_expr()  # issue 16: the customer's oldest unanswered message
    if waiting:
        # "Who do I answer next": only conversations whose customer waits, the longest wait first.
        query = query.where(since.is_not(None))
    if sla is not None:
        breached, soon = sla_service.running_filters(utcnow())
        query = query.where(breached if sla == "breached" else soon)
    if cursor:
        try:
            at_text, last_id = decode_cursor(cursor)
            at = dt.datetime.fromisoformat(at_text)
        except (BadCursor, ValueError, TypeError):
            raise bad_request("cursor is not one this server issued") from None
        if waiting:
            query = query.where(or_(since > at, and_(since == at, Conversation.id > int(last_id))))
        else:
            query = query.where(tuple_(Conversation.last_message_at, Conversation.id) < tuple_(at, int(last_id)))
    if waiting:
        query = query.order_by(since.asc(), Conversation.id.asc()).limit(limit + 1)
    else:
        query = query.order_by(Conversation.last_message_at.desc(), Conversation.id.desc()).limit(limit + 1)
    rows = (await session.execute(query)).all()
    items = [conversation_out(r) for r in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        moment = last.unanswered_since if waiting and last.unanswered_since else last.last_message_at
        next_cursor = encode_cursor(moment.isoformat(), last.id)
    await audit.record(
        session,
        caller.actor,
        "conversation.list",
        "conversation",
        None,
        {
            "status": [s.value for s in status_ or []],
            "assignee": assignee,
            "channel_id": channel_id,
            "customer_id": customer_id,
            "order": order,
            "n": len(items),
        },
    )
    await session.commit()
    return Page[ConversationOut](items=items, next_cursor=next_cursor)


@router.get("/{conversation_id}", response_model=ConversationOut)
async def get_conversation(conversation_id: int, caller: OperatorDep, session: SessionDep) -> ConversationOut:
    """One conversation: in the caller's scope, or one a colleague mentioned them in (read only, notes)."""
    row = await load_visible(session, caller, conversation_id, need=ConversationAccess.MENTIONED)
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
    await load_visible(session, caller, conversation_id, need=ConversationAccess.MENTIONED)
    query = message_query().where(Message.conversation_id == conversation_id)
    if cursor:
        try:
            (before_id,) = decode_cursor(cursor)
            query = query.where(Message.id < int(before_id))
        except (BadCursor, ValueError, TypeError):
            raise bad_request("cursor is not one this server issued") from None
    rows = (await session.execute(query.order_by(Message.id.desc()).limit(limit + 1))).all()
    items = [message_out(r) for r in rows[:limit]]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > limit else None
    items.reverse()
    await audit.record(session, caller.actor, "conversation.read_messages", "conversation", conversation_id)
    await session.commit()
    return Page[MessageOut](items=items, next_cursor=next_cursor)


@router.post(
    "/{conversation_id}/messages",
    response_model=MessageOut,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": MessageOut, "description": "Already accepted (same client_key)."}},
)
async def reply(
    conversation_id: int,
    body: ReplyIn,
    caller: permitted(Permission.CONVERSATION_REPLY),
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
    row = await load_visible(session, caller, conversation_id, lock=True, need=ConversationAccess.MENTIONED)
    conv: Conversation = row.Conversation
    if body.kind == "note":  # issue 11: an internal note never reaches the outbox
        return await notes.reply_as_note(session, st, caller, conv, body, response)
    if access_of(caller, row) < ConversationAccess.FULL:
        # Mentioned in a note, not a member of its queue: they read along and add notes, the queue answers.
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "you were mentioned in this conversation but it is not in your queues: write an internal note instead",
        )
    channel = (
        await session.execute(
            select(Channel.webhook_url, Channel.kind, Channel.name, Channel.is_active).where(
                Channel.id == conv.channel_id
            )
        )
    ).one()
    plan = await replies.prepare(
        session,
        channel.kind,
        channel.webhook_url,
        conv,
        body,
        public_url=st.settings.public_url,
        disabled=None if channel.is_active else channel.name,
    )  # a disabled channel, files, buttons, window
    now = utcnow()
    deliverable = plan.deliverable
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
                delivery_error=plan.undeliverable_reason,
                client_key=body.client_key,
            )
            .returning(Message.id)
        )
        await replies.attach(session, conv, message_id, body)
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
            values["waiting_since"] = None
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
        await sla_service.on_agent_reply(session, conv.id, now, queue_id=conv.queue_id)
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
    conversation_id: int,
    body: StatusChange,
    caller: permitted(Permission.CONVERSATION_STATUS),
    session: SessionDep,
    st: StateDep,
) -> ConversationOut:
    row = await load_visible(session, caller, conversation_id, lock=True)
    old = row.Conversation.status
    if old == body.status.value:
        return conversation_out(row)
    now = utcnow()
    try:
        await session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(status=body.status.value, updated_at=now)
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
        at=now,  # the moment the SLA clock records too (a rebuild replays this entry)
    )
    await sla_service.on_status(session, conversation_id, body.status.value, now, queue_id=row.Conversation.queue_id)
    if body.status == ConversationStatus.RESOLVED:
        await csat_service.on_resolved(session, conversation_id, now)  # the survey, when the queue asks for one
    conversation = await _reload(session, conversation_id)
    await _emit_conversation(session, st, conversation)
    await audit.record(
        session, caller.actor, "conversation.status", "conversation", conversation_id, {"from": old, "to": body.status}
    )
    await session.commit()
    return conversation


@router.post(
    "/{conversation_id}/assign",
    response_model=ConversationOut,
    responses={409: {"description": "A colleague holds the conversation (the answer names them)."}},
)
async def assign(
    conversation_id: int,
    caller: OperatorDep,
    session: SessionDep,
    st: StateDep,
    body: AssignRequest | None = None,
) -> ConversationOut:
    """Take the conversation (no body), or give it to someone (``conversation.assign_others``).

    Taking a conversation a colleague holds needs ``conversation.take_from_colleague``; without it the answer is 409
    naming the holder, so the operator can ask them (or a supervisor)."""
    target = body.user_id if body and body.user_id is not None else caller.user_id
    if target != caller.user_id and not caller.may(Permission.CONVERSATION_ASSIGN_OTHERS):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"giving a conversation to someone else needs the permission {Permission.CONVERSATION_ASSIGN_OTHERS}",
        )
    if target == caller.user_id and not caller.may(Permission.CONVERSATION_TAKE):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"this needs the permission {Permission.CONVERSATION_TAKE}")
    row = await load_visible(session, caller, conversation_id, lock=True)
    user = await session.get(User, target)
    if user is None or not user.is_active:
        raise Refusal(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "user.unavailable", f"no active user {target}", user_id=target
        )
    old = row.Conversation.assignee_id
    if old == target:
        return conversation_out(row)
    if (
        old is not None
        and old != caller.user_id
        and not caller.may(Permission.CONVERSATION_TAKE_FROM_COLLEAGUE)
        and not (target != caller.user_id and caller.may(Permission.CONVERSATION_ASSIGN_OTHERS))
    ):
        # Two operators taking one conversation: the second hears who was faster (issue 11); taking it from a
        # colleague anyway needs the permission (issue 17).
        holder = await session.get(User, old)
        name = holder.display_name if holder else f"user {old}"
        raise Refusal(
            status.HTTP_409_CONFLICT,
            "conversation.taken",
            {
                "message": f"{name} is handling this conversation; taking it from a colleague needs the permission "
                f"{Permission.CONVERSATION_TAKE_FROM_COLLEAGUE}",
                "reason": "already taken",
                "holder": {"id": old, "display_name": name},
                "assignee_id": old,
                "assignee_name": name,
                "permission": Permission.CONVERSATION_TAKE_FROM_COLLEAGUE.value,
            },
            holder_id=old,
            holder_name=holder.display_name if holder else None,
        )
    result = await session.execute(
        update(Conversation)
        .where(
            Conversation.id == conversation_id,
            Conversation.assignee_id.is_(None) if old is None else Conversation.assignee_id == old,
        )
        .values(assignee_id=target, waiting_since=None, updated_at=utcnow())
    )
    if result.rowcount != 1:  # someone assigned it between our read and this write (SQLite reads without a lock)
        await session.rollback()
        taken = await _reload(session, conversation_id)
        raise Refusal(
            status.HTTP_409_CONFLICT,
            "conversation.taken",
            {"reason": "already taken", "assignee_id": taken.assignee_id, "assignee_name": taken.assignee_name},
            holder_id=taken.assignee_id,
            holder_name=taken.assignee_name,
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
    if old != caller.user_id and not caller.may(Permission.CONVERSATION_ASSIGN_OTHERS):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"only the assignee can unassign, or someone with the permission {Permission.CONVERSATION_ASSIGN_OTHERS}",
        )
    await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(assignee_id=None, waiting_since=utcnow(), updated_at=utcnow())
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
    """The customer's messages are read. A colleague reading along after a mention leaves the count to the queue."""
    row = await load_visible(session, caller, conversation_id, lock=True, need=ConversationAccess.MENTIONED)
    if row.Conversation.unread_count == 0 or access_of(caller, row) < ConversationAccess.FULL:
        return conversation_out(row)
    await session.execute(update(Conversation).where(and_(Conversation.id == conversation_id)).values(unread_count=0))
    conversation = await _reload(session, conversation_id)
    await _emit_conversation(session, st, conversation)
    await audit.record(session, caller.actor, "conversation.mark_read", "conversation", conversation_id)
    await session.commit()
    return conversation
