"""Conversations and messages: the operator's inbox, history, replies, status and assignment.

Every endpoint checks the caller's scope: supervisors and admins see every queue; an operator sees the queues they
belong to and whatever is assigned to them. A conversation outside the caller's scope answers 404, as if absent. A
colleague mentioned in a note may read that conversation and add notes (``ConversationAccess.MENTIONED``): the
endpoints that allow this say so with ``need=``; everything else needs the full scope.
"""

from __future__ import annotations

from fastapi import status
from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import EventType
from omnidesk.domain.permissions import ConversationAccess
from omnidesk.protocol import ConversationOut, MessageOut
from omnidesk.server.context import Caller, ServerState
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.conversations.serialize import (
    conversation_out,
    conversation_query,
    message_out,
    message_query,
)
from omnidesk.server.events.service import emit_many
from omnidesk.server.refusals import Refusal


def scope_filter(caller: Caller):
    if caller.sees_all_queues:
        return None
    conditions = [Conversation.assignee_id == caller.user_id]
    if caller.queue_ids:
        conditions.append(Conversation.queue_id.in_(caller.queue_ids))
    return or_(*conditions)


async def load_visible(
    session: AsyncSession,
    caller: Caller,
    conversation_id: int,
    *,
    lock: bool = False,
    need: ConversationAccess = ConversationAccess.FULL,
):
    """The conversation's row if the caller's access to it reaches ``need``, else 404 (as if it did not exist)."""
    query = conversation_query().where(Conversation.id == conversation_id).execution_options(populate_existing=True)
    if lock and session.bind.dialect.name != "sqlite":
        query = query.with_for_update(of=Conversation)
    row = (await session.execute(query)).first()
    if row is None or access_of(caller, row) < need:
        raise Refusal(
            status.HTTP_404_NOT_FOUND,
            "conversation.missing",
            f"conversation {conversation_id} not found",
            conversation_id=conversation_id,
        )
    return row


def access_of(caller: Caller, row) -> ConversationAccess:
    conv = row.Conversation
    return caller.access(conv.id, conv.queue_id, conv.assignee_id)


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


async def _existing_reply(session: AsyncSession, caller: Caller, client_key: str) -> MessageOut | None:
    row = (
        await session.execute(
            message_query()
            .where(Message.author_id == caller.user_id, Message.client_key == client_key)
            .execution_options(populate_existing=True)
        )
    ).first()
    return message_out(row) if row else None
