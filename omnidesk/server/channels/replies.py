"""The parts of an operator's reply beyond its text: files, buttons, quick replies, a template, the reply window.

``prepare`` runs before the reply is stored and refuses, in words (422), what the conversation's channel cannot
send: free text outside WhatsApp's 24-hour window, a file the channel does not take, too many buttons, an unknown
template. ``attach`` runs in the reply's transaction: the uploaded files join the message and its details are stored
for the outbox. The checks read the connector's declared capabilities, so every channel answers the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, status
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels import CONNECTORS
from omnidesk.channels.api.connector import ApiConnector
from omnidesk.channels.base import ChannelConfig
from omnidesk.protocol import ReplyIn
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.channels.models import ChannelSubscription, ChannelTemplate, MessageDetails
from omnidesk.server.channels.service import last_inbound_at
from omnidesk.server.customers.models import Identity

# Platforms where a user withdraws the channel's right to write to them: Viber's unsubscribed (a bot may message
# only subscribed users), VK's message_deny, MAX's bot_stopped.
SUBSCRIPTION_KINDS = frozenset({"viber", "vk", "max"})


def disabled_reason(name: str) -> str:
    """Why nothing goes out through a disabled channel: the reply refused (422) or a queued one failed, in words."""
    return f"the channel {name!r} is disabled: nothing is sent through it (an administrator disabled it)"


@dataclass(frozen=True)
class ReplyPlan:
    deliverable: bool
    undeliverable_reason: str | None = None


def _refuse(message: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, message)


async def prepare(
    session: AsyncSession,
    kind: str,
    webhook_url: str | None,
    conv,
    body: ReplyIn,
    *,
    public_url: str | None,
    disabled: str | None = None,
) -> ReplyPlan:
    """``disabled``: the channel's name when it is disabled (the reply is refused in words)."""
    if disabled is not None:
        raise _refuse(disabled_reason(disabled))
    connector_class = CONNECTORS.get(kind, ApiConnector)
    caps = connector_class.capabilities
    # E-mail and web chat (issue 13) deliver through their own transport; a web form carries no replies.
    deliverable = connector_class.delivers_itself or bool(webhook_url) or kind == "webchat"
    reason = (
        "a web form cannot carry replies: answer through the customer's e-mail or phone"
        if kind == "webform"
        else "the channel has no webhook URL to deliver replies to"
    )
    plan = ReplyPlan(deliverable, None if deliverable else reason)
    if body.mail is not None and kind != "email":
        raise _refuse("To, Cc and a subject belong to e-mail replies only")
    if not connector_class.splits_long_text and caps.max_text and len(body.text) > caps.max_text:
        raise _refuse(f"the text is longer than this channel takes ({caps.max_text} characters)")
    if kind in SUBSCRIPTION_KINDS:
        await refuse_unsubscribed(session, kind, conv)
    extras = body.attachment_ids or body.buttons or body.quick_replies or body.template
    if not extras and caps.reply_window is None:
        return plan  # the common case: nothing to check
    if body.buttons and not caps.buttons:
        raise _refuse("this channel cannot show buttons")
    if body.buttons and caps.max_buttons and len(body.buttons) > caps.max_buttons:
        raise _refuse(f"this channel shows at most {caps.max_buttons} buttons")
    if body.buttons and caps.max_button_title and any(len(b.title) > caps.max_button_title for b in body.buttons):
        raise _refuse(f"a button title may have at most {caps.max_button_title} characters on this channel")
    if body.quick_replies and not caps.quick_replies:
        raise _refuse("this channel has no quick replies")
    if body.attachment_ids:
        if not caps.media_kinds:
            raise _refuse("this channel cannot send files")
        if caps.media_by_url and not public_url:
            raise _refuse(
                "this channel takes files only by a public address the platform fetches, and the server has none: "
                "the administrator sets public_url (see the README's configuration)"
            )
        rows = (
            await session.execute(
                select(Attachment.id, Attachment.kind, Attachment.size, Attachment.message_id).where(
                    Attachment.id.in_(body.attachment_ids), Attachment.conversation_id == conv.id
                )
            )
        ).all()
        if len(rows) != len(set(body.attachment_ids)):
            raise _refuse("an attachment is not one uploaded to this conversation")
        for row in rows:
            if row.message_id is not None:
                raise _refuse(f"attachment {row.id} was already sent")
            if row.kind not in caps.media_kinds and "document" not in caps.media_kinds:
                raise _refuse(f"this channel cannot send a {row.kind}")
            if caps.max_media_bytes and row.size > caps.max_media_bytes:
                raise _refuse(f"a file is larger than this channel takes ({caps.max_media_bytes // 1048576} MB)")
    if body.template is not None:
        if not caps.templates:
            raise _refuse("this channel has no templates")
        template = (
            await session.execute(
                select(ChannelTemplate).where(
                    ChannelTemplate.channel_id == conv.channel_id,
                    ChannelTemplate.name == body.template.name,
                    ChannelTemplate.language == body.template.language,
                )
            )
        ).scalar_one_or_none()
        if template is None or template.status.upper() != "APPROVED":
            raise _refuse("no approved template of that name and language: sync the channel's templates")
        if len(body.template.parameters) != template.parameters:
            raise _refuse(f"the template takes {template.parameters} parameters")
    elif caps.reply_window is not None:
        connector = connector_class(ChannelConfig(conv.channel_id, ""))
        if not connector.within_window(await last_inbound_at(session, conv.id)):
            raise _refuse(connector.window_closed_reason())
    return plan


async def refuse_unsubscribed(session: AsyncSession, kind: str, conv) -> None:
    """422 when the customer unsubscribed from the channel and has not written since (writing subscribes again)."""
    if conv.identity_id is None:
        return
    row = (
        await session.execute(
            select(ChannelSubscription.subscribed, ChannelSubscription.changed_at)
            .join(Identity, Identity.value == ChannelSubscription.address)
            .where(
                Identity.id == conv.identity_id,
                ChannelSubscription.channel_id == conv.channel_id,
            )
        )
    ).first()
    if row is None or row.subscribed:
        return
    last = await last_inbound_at(session, conv.id)
    if last is not None and last > row.changed_at:
        return
    who = {"viber": "unsubscribed from the Viber bot", "vk": "forbade the community's messages"}.get(
        kind, "stopped the bot"
    )
    raise _refuse(f"the customer {who}: the channel may message only subscribed users, until they write again")


async def attach(session: AsyncSession, conv, message_id: int, body: ReplyIn) -> None:
    """In the reply's transaction: the files join the message, the buttons and template are kept for the outbox."""
    if body.attachment_ids:
        result = await session.execute(
            update(Attachment)
            .where(
                Attachment.id.in_(body.attachment_ids),
                Attachment.conversation_id == conv.id,
                Attachment.message_id.is_(None),
            )
            .values(message_id=message_id)
        )
        if result.rowcount != len(set(body.attachment_ids)):
            raise _refuse("an attachment was sent by another reply meanwhile")
    payload: dict = {}
    if body.buttons:
        payload["buttons"] = [b.model_dump(exclude_none=True) for b in body.buttons]
    if body.quick_replies:
        payload["quick_replies"] = list(body.quick_replies)
    if body.template is not None:
        payload["template"] = body.template.model_dump()
    if body.mail is not None:  # issue 13: the envelope the operator chose, read by server/email/outbound.py
        payload["mail"] = body.mail.model_dump()
    if payload:
        session.add(MessageDetails(message_id=message_id, payload=payload, complete=True))
        await session.flush()
