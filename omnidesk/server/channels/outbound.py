"""What the outbox needs beyond the common part to send a reply through a messenger channel (Viber, VK, Meta,
Instagram, MAX): the customer's platform address (the identity the conversation came through) and the comment thread
a public answer goes under. The decrypted config comes from ``channel_settings`` like every provider channel's."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ChannelConfig, OutboundMessage
from omnidesk.domain.enums import Direction
from omnidesk.server.channels.kinds import KINDS
from omnidesk.server.channels.models import ChannelSettings, ConversationThread
from omnidesk.server.channels.threads import as_ref
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Identity

# The identity kind a messenger channel knows its customers by.
ADDRESS_KIND = {"viber": "viber", "vk": "vk", "meta": "meta", "instagram": "instagram", "max": "max"}


async def prepare(
    session: AsyncSession, kind: str, config: ChannelConfig, message: OutboundMessage
) -> tuple[str, ChannelConfig, OutboundMessage] | None:
    """The connector kind, config and completed message for a messenger channel; None for any other channel.

    A channel of a messenger kind without credentials is a bridge speaking the generic API (an external Viber
    gateway, the demo): its replies keep going to its webhook URL through the generic API connector."""
    if kind not in KINDS:
        return None
    if await session.get(ChannelSettings, message.channel_id) is None:
        return "api", config, message
    conversation = await session.get(Conversation, message.conversation_id)
    address = None
    if conversation is not None and conversation.identity_id is not None:
        identity = await session.get(Identity, conversation.identity_id)
        if identity is not None and identity.kind == ADDRESS_KIND[kind]:
            address = identity.value
    if address is None:  # a conversation opened by an operator: the customer's one account on this platform
        values = [v for k, v in message.recipient.identities if k == ADDRESS_KIND[kind]]
        address = values[0] if len(values) == 1 else None
    last_inbound = await session.scalar(
        select(func.max(Message.sent_at)).where(
            Message.conversation_id == message.conversation_id, Message.direction == Direction.IN.value
        )
    )
    recipient = dataclasses.replace(message.recipient, address=address)
    thread = await session.get(ConversationThread, message.conversation_id)
    return (
        kind,
        config,
        dataclasses.replace(
            message,
            recipient=recipient,
            last_inbound_at=last_inbound,
            thread=as_ref(thread) if thread is not None else None,
            public=bool(thread and thread.public),
        ),
    )
