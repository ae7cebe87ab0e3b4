"""Internal notes: a message of kind ``note`` that no channel ever receives, and the mentions it raises.

A note has no outbox entry and no delivery status, so the outbox worker (which sends only what has an outbox row)
cannot send it whatever the channel; it does not change the conversation's last customer-facing message either.
"""

from __future__ import annotations

from fastapi import HTTPException, status
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.canned import mentioned
from omnidesk.domain.enums import Direction, EventType, MessageKind
from omnidesk.domain.permissions import Permission
from omnidesk.protocol import MessageOut
from omnidesk.protocol.customers import TimelineKind
from omnidesk.protocol.workorg import MentionOut
from omnidesk.server.audit import service as audit
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import Author, message_out, message_query
from omnidesk.server.db import Database, utcnow
from omnidesk.server.events.service import emit_many
from omnidesk.server.notes.models import Mention
from omnidesk.server.timeline.service import record_item
from omnidesk.server.users.models import User


async def add_note(
    session: AsyncSession,
    db: Database,
    *,
    conversation: Conversation,
    author_id: int,
    text: str,
    client_key: str | None = None,
) -> MessageOut:
    """Store a note in ``conversation`` and notify every active user it mentions (even outside the queue: they may
    then read the conversation and add notes to it, ``ConversationAccess.MENTIONED``)."""
    now = utcnow()
    message_id = await session.scalar(
        insert(Message)
        .values(
            conversation_id=conversation.id,
            channel_id=conversation.channel_id,
            direction=Direction.OUT.value,
            kind=MessageKind.NOTE.value,
            author_id=author_id,
            text=text,
            sent_at=now,
            created_at=now,
            delivery_status=None,
            client_key=client_key,
        )
        .returning(Message.id)
    )
    await session.execute(update(Conversation).where(Conversation.id == conversation.id).values(updated_at=now))
    await record_item(
        session,
        customer_id=conversation.customer_id,
        kind=TimelineKind.NOTE,
        at=now,
        conversation_id=conversation.id,
        channel_id=conversation.channel_id,
        message_id=message_id,
    )
    message = message_out((await session.execute(message_query().where(Message.id == message_id))).one())
    # The mentions go first: a mentioned colleague outside the queue receives the conversation's events from their
    # mention on (the stream learns it from the mention event), the note itself included.
    names = mentioned(text)
    if names:
        users = (
            await session.execute(
                select(User.id, User.username).where(User.username.in_(names), User.is_active.is_(True))
            )
        ).all()
        for user in users:
            if user.id == author_id:
                continue
            mention_id = await session.scalar(
                insert(Mention)
                .values(message_id=message_id, conversation_id=conversation.id, user_id=user.id, created_at=now)
                .returning(Mention.id)
            )
            out = MentionOut(
                id=mention_id,
                message_id=message_id,
                conversation_id=conversation.id,
                author_name=message.author_name,
                text=text,
                created_at=now,
                read=False,
            )
            # Only the mentioned colleague (and supervisors) receive it: the audience is the user, not the queue.
            await emit_many(
                session,
                db,
                [(EventType.MENTION_CREATED.value, {"mention": out.model_dump(mode="json")})],
                queue_id=None,
                user_id=user.id,
            )
    await emit_many(
        session,
        db,
        [(EventType.MESSAGE_CREATED.value, {"message": message.model_dump(mode="json")})],
        queue_id=conversation.queue_id,
        user_id=conversation.assignee_id,
    )
    return message


async def list_mentions(session: AsyncSession, user_id: int, *, unread_only: bool, limit: int) -> list[MentionOut]:
    rows = (
        await session.execute(
            select(Mention, Message.text, Author.display_name.label("author_name"))
            .join(Message, Message.id == Mention.message_id)
            .outerjoin(Author, Author.id == Message.author_id)
            .where(Mention.user_id == user_id, *([Mention.read_at.is_(None)] if unread_only else []))
            .order_by(Mention.id.desc())
            .limit(limit)
        )
    ).all()
    return [
        MentionOut(
            id=r.Mention.id,
            message_id=r.Mention.message_id,
            conversation_id=r.Mention.conversation_id,
            author_name=r.author_name,
            text=r.text,
            created_at=r.Mention.created_at,
            read=r.Mention.read_at is not None,
        )
        for r in rows
    ]


async def reply_as_note(session, st, caller, conversation, body, response) -> MessageOut:
    """``POST /conversations/{id}/messages`` with ``"kind": "note"``: stored, audited, streamed, never sent."""
    if not caller.may(Permission.CONVERSATION_NOTE):
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"this needs the permission {Permission.CONVERSATION_NOTE}")
    message = await add_note(
        session, st.db, conversation=conversation, author_id=caller.user_id, text=body.text, client_key=body.client_key
    )
    await audit.record(
        session, caller.actor, "message.note", "conversation", conversation.id, {"message_id": message.id}
    )
    await session.commit()
    response.status_code = status.HTTP_201_CREATED
    return message
