"""E-mail endpoints: add a mailbox channel (admins), read a message as a letter and its files (operators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from sqlalchemy import select

from omnidesk.channels.email.parse import parse_message
from omnidesk.domain.permissions import Permission
from omnidesk.protocol.webchannels import EmailChannelCreate, MailAttachmentOut, MailOut, WebChannelCreated
from omnidesk.server.audit import service as audit
from omnidesk.server.context import Caller, OperatorDep, SessionDep, require_permission
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.email.models import MailAttachment, MailMessage
from omnidesk.server.email.service import create_email_channel

router = APIRouter(prefix="/api/v1", tags=["e-mail"])
ChannelAdmin = Annotated[Caller, Depends(require_permission(Permission.CHANNEL_MANAGE))]


@router.post("/channels/email", response_model=WebChannelCreated, status_code=status.HTTP_201_CREATED)
async def add_email_channel(
    body: EmailChannelCreate, caller: ChannelAdmin, session: SessionDep, request: Request
) -> WebChannelCreated:
    """Connect a mailbox: IMAP to read it, SMTP to answer from it. The password is stored encrypted."""
    try:
        channel = await create_email_channel(
            session,
            name=body.name,
            address=body.address,
            imap_host=body.imap_host,
            imap_port=body.imap_port,
            imap_tls=body.imap_tls,
            folder=body.folder,
            smtp_host=body.smtp_host,
            smtp_port=body.smtp_port,
            smtp_security=body.smtp_security,
            username=body.username,
            password=body.password,
            signature=body.signature,
            delivery_reports=body.delivery_reports,
            read_receipts=body.read_receipts,
            poll_interval=body.poll_interval,
            queue_id=body.queue_id,
            actor=caller.actor,
        )
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    await session.commit()
    worker = getattr(request.app.state, "mail_worker", None)
    if worker is not None:  # start reading it now, not at the next rescan
        worker.wake.set()
    return WebChannelCreated(id=channel.id, kind=channel.kind, name=channel.name, queue_id=channel.queue_id)


async def _visible_message(session, caller: Caller, message_id: int) -> Message:
    row = (
        await session.execute(
            select(Message, Conversation.queue_id, Conversation.assignee_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Message.id == message_id)
        )
    ).first()
    if row is None or not caller.may_read(row.Message.conversation_id, row.queue_id, row.assignee_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such message")
    return row.Message


@router.get("/messages/{message_id}/mail", response_model=MailOut)
async def get_mail(message_id: int, caller: OperatorDep, session: SessionDep, remote_images: bool = False) -> MailOut:
    """The letter behind an e-mail message: headers, full text with the quoted history, sanitised HTML, files.

    Remote images (tracking pixels among them) are left out unless the operator asks with ``remote_images=true``."""
    message = await _visible_message(session, caller, message_id)
    mail = await session.get(MailMessage, message_id)
    if mail is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this message is not an e-mail")
    files = (
        await session.scalars(
            select(MailAttachment).where(MailAttachment.message_id == message_id).order_by(MailAttachment.id)
        )
    ).all()
    html = mail.html
    if remote_images and mail.raw:
        html = parse_message(mail.raw, remote_images=True).html
    await audit.record(session, caller.actor, "mail.read", "message", message_id, {"remote_images": remote_images})
    await session.commit()
    return MailOut(
        message_id=message_id,
        direction=mail.direction,
        rfc_message_id=mail.rfc_message_id,
        subject=mail.subject,
        from_address=mail.from_address,
        from_name=mail.from_name,
        to=list(mail.to_addresses or []),
        cc=list(mail.cc_addresses or []),
        in_reply_to=mail.in_reply_to,
        text=message.text,
        full_text=mail.full_text,
        html=html,
        attachments=[
            MailAttachmentOut(
                id=f.id,
                file_name=f.file_name,
                mime_type=f.mime_type,
                size=f.size,
                inline=f.inline,
                content_id=f.content_id,
            )
            for f in files
        ],
    )


@router.get("/mail-attachments/{attachment_id}")
async def get_mail_attachment(attachment_id: int, caller: OperatorDep, session: SessionDep) -> Response:
    """One file of a mail, as an attachment download (never rendered inline by a browser)."""
    f = await session.get(MailAttachment, attachment_id)
    if f is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such attachment")
    await _visible_message(session, caller, f.message_id)
    await audit.record(session, caller.actor, "mail.attachment.read", "mail_attachment", attachment_id)
    await session.commit()
    safe = "".join(c for c in f.file_name if c.isalnum() or c in "._- ") or "attachment"
    return Response(
        f.content,
        media_type=f.mime_type,
        headers={
            "Content-Disposition": f'attachment; filename="{safe}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
