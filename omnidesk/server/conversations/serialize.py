"""Rows to protocol objects: one query shape and one conversion for the API and the event payloads alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import aliased

from omnidesk.protocol import ChannelOut, ConversationOut, CustomerBrief, MessageOut
from omnidesk.server.admin.models import Channel
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer
from omnidesk.server.sla.models import ConversationSla
from omnidesk.server.sla.service import clock_of, sla_out
from omnidesk.server.users.models import User

Assignee = aliased(User, name="assignee")
Author = aliased(User, name="author")


def unanswered_since_expr() -> Any:
    """When the customer's oldest unanswered message came: the first inbound message after the last reply, or NULL
    when the last message is ours (nobody waits). A correlated subquery on ix_messages_conversation_id, per row."""
    answered = (
        select(func.max(Message.sent_at))
        .where(Message.conversation_id == Conversation.id, Message.direction == "out")
        .correlate(Conversation)
        .scalar_subquery()
    )
    first_unanswered = (
        select(func.min(Message.sent_at))
        .where(
            Message.conversation_id == Conversation.id,
            Message.direction == "in",
            or_(answered.is_(None), Message.sent_at > answered),
        )
        .correlate(Conversation)
        .scalar_subquery()
    )
    return case((Conversation.last_message_direction == "in", first_unanswered), else_=None)


def conversation_query() -> Select:
    return (
        select(
            Conversation,
            Customer.display_name.label("customer_name"),
            Channel.kind.label("channel_kind"),
            Channel.name.label("channel_name"),
            Assignee.display_name.label("assignee_name"),
            ConversationSla,
            unanswered_since_expr().label("unanswered_since"),
        )
        .join(Customer, Customer.id == Conversation.customer_id)
        .join(Channel, Channel.id == Conversation.channel_id)
        .outerjoin(Assignee, Assignee.id == Conversation.assignee_id)
        .outerjoin(ConversationSla, ConversationSla.conversation_id == Conversation.id)
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
        priority=c.priority,
        waiting_since=c.waiting_since,
        sla=sla_out(clock_of(row.ConversationSla)) if getattr(row, "ConversationSla", None) is not None else None,
        unanswered_since=_aware(getattr(row, "unanswered_since", None)),
        revision=c.revision,
    )


def _aware(moment: Any) -> Any:
    """SQLite hands the subquery's value back as naive text or datetime: make it an aware UTC datetime."""
    import datetime as dt

    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    if isinstance(moment, dt.datetime) and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


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
