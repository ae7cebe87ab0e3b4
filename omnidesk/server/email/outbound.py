"""What the outbox needs to send a reply as a mail: the mailbox's settings and the thread it answers."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ChannelConfig, OutboundMessage
from omnidesk.domain.mail import reply_subject
from omnidesk.server.channel_settings import service as channel_settings
from omnidesk.server.channels.models import MessageDetails
from omnidesk.server.email.models import MailMessage


def is_mailbox(options: dict) -> bool:
    """Whether an e-mail channel's settings name a mailbox (``omnidesk channel add email`` always sets both)."""
    return bool(options.get("imap_host") and options.get("smtp_host"))


async def prepare(session: AsyncSession, config: ChannelConfig, message: OutboundMessage):
    """The channel's config with its decrypted secrets and this reply's thread, and the recipient's address; None for
    a channel of the e-mail kind without a mailbox (an external mail gateway speaking the generic API, the demo's)."""
    options, secrets = await channel_settings.load(session, config.channel_id)
    if not is_mailbox(options):
        return None
    last = await session.scalar(
        select(MailMessage)
        .where(MailMessage.conversation_id == message.conversation_id, MailMessage.direction == "in")
        .order_by(MailMessage.message_id.desc())
        .limit(1)
    )
    address = message.recipient.address
    if last is not None:
        address = last.from_address or address
        refs = list(last.references or [])
        options["thread"] = {
            "subject": reply_subject(last.subject),
            "in_reply_to": last.rfc_message_id,
            "references": refs,
        }
    details = await session.get(MessageDetails, message.message_id)
    chosen = (details.payload or {}).get("mail") if details is not None else None
    if chosen:  # the operator's own To, Cc and subject (reply all, an edited list): the client's composer
        thread = options.setdefault("thread", {})
        own = str(options.get("address") or "").lower()  # never mail the mailbox itself: it would read it back
        thread["to"] = [a for a in chosen["to"] if a.lower() != own] or list(chosen["to"])
        thread["cc"] = [a for a in chosen.get("cc") or [] if a.lower() != own]
        thread["subject"] = chosen.get("subject") or thread.get("subject")
        address = thread["to"][0]
    if address is None:
        address = next((v for k, v in message.recipient.identities if k == "email"), None)
    from omnidesk.server.csat import links as survey_links  # here: the e-mail feature does not need the survey's

    survey_mail = await survey_links.for_message(session, message.message_id, message.text)
    if survey_mail is not None:  # a survey question with one link per score: the text and the HTML part
        options["survey_mail"] = {"text": survey_mail[0], "html": survey_mail[1]}
    config = dataclasses.replace(config, options=options, secrets={**config.secrets, **secrets})
    message = dataclasses.replace(message, recipient=dataclasses.replace(message.recipient, address=address))
    return config, message
