"""The envelope of an answer to one letter (GET /api/v1/messages/{id}/mail/reply): what the client's mail composer
starts from when the operator presses Reply or Reply all. The rule is domain/mail.py's ``reply_envelope``."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from omnidesk.domain.mail import reply_envelope
from omnidesk.protocol.schemas import ReplyMail
from omnidesk.server.audit import service as audit
from omnidesk.server.channel_settings.models import ChannelSettings
from omnidesk.server.context import OperatorDep, SessionDep
from omnidesk.server.email.models import MailMessage
from omnidesk.server.email.views import _visible_message

router = APIRouter(prefix="/api/v1", tags=["e-mail"])


@router.get("/messages/{message_id}/mail/reply", response_model=ReplyMail)
async def mail_reply_envelope(
    message_id: int, caller: OperatorDep, session: SessionDep, everyone: bool = False
) -> ReplyMail:
    """To, Cc and subject of an answer to this letter: its sender; with ``everyone=true`` every other recipient
    in Cc (the mailbox's own address left out); the subject with "Re: " once."""
    await _visible_message(session, caller, message_id)
    mail = await session.get(MailMessage, message_id)
    if mail is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this message is not an e-mail")
    settings_row = await session.get(ChannelSettings, mail.channel_id)  # the options only: no secret is decrypted
    options = dict(settings_row.options or {}) if settings_row is not None else {}
    to, cc, subject = reply_envelope(
        sender=mail.from_address,
        to=list(mail.to_addresses or []),
        cc=list(mail.cc_addresses or []),
        subject=mail.subject,
        mailbox=options.get("address"),
        everyone=everyone,
    )
    if not to:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "this letter has no address to answer to")
    await audit.record(session, caller.actor, "mail.reply_envelope", "message", message_id, {"everyone": everyone})
    await session.commit()
    return ReplyMail(to=to, cc=cc, subject=subject)
