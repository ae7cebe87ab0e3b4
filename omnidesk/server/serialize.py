"""Rows to protocol objects: one query shape and one conversion for the API and the event payloads alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from omnidesk.protocol import ChannelOut, ConversationOut, CustomerBrief, MessageOut
from omnidesk.server.models import Channel, Conversation, Customer, Message, User

Assignee = aliased(User, name="assignee")
Author = aliased(User, name="author")


def conversation_query() -> Select:
    return (
        select(
            Conversation,
            Customer.display_name.label("customer_name"),
            Channel.kind.label("channel_kind"),
            Channel.name.label("channel_name"),
            Assignee.display_name.label("assignee_name"),
        )
        .join(Customer, Customer.id == Conversation.customer_id)
        .join(Channel, Channel.id == Conversation.channel_id)
        .outerjoin(Assignee, Assignee.id == Conversation.assignee_id)
    )


def conversation_out(row: Any) -> ConversationOut:
    c: Conversation = row.Conversation
    return ConversationOut(
        id=c.id,
        channel=ChannelOut(id=c.channel_id, kind=row.channel_kind, name=row.channel_name),
        customer=CustomerBrief(id=c.customer_id, name=row.customer_name),
        queue_id=c.queue_id,
        status=c.status,
        assignee_id=c.assignee_id,
        assignee_name=row.assignee_name,
        last_message_at=c.last_message_at,
        last_message_preview=c.last_message_preview,
        last_message_direction=c.last_message_direction,
        unread_count=c.unread_count,
        created_at=c.created_at,
    )


def message_query() -> Select:
    return select(Message, Author.display_name.label("author_name")).outerjoin(Author, Author.id == Message.author_id)


def message_out(row: Any) -> MessageOut:
    m: Message = row.Message
    return MessageOut(
        id=m.id,
        conversation_id=m.conversation_id,
        direction=m.direction,
        kind=m.kind,
        author_id=m.author_id,
        author_name=row.author_name,
        text=m.text,
        sent_at=m.sent_at,
        delivery_status=m.delivery_status,
        delivery_error=m.delivery_error,
        client_key=m.client_key,
    )


def preview(text: str, limit: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
