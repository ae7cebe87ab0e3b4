"""Attachments over HTTP: upload for a reply, the conversation's files and details, download and thumbnails.

Every read checks that the caller may see the attachment's conversation (its queue, or assigned to them) and is
audited; files are served as downloads with the sniffed type and ``nosniff``, so a file never runs in a browser's
or the client's context.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile, status
from fastapi.responses import Response
from sqlalchemy import select

from omnidesk.domain.enums import Direction, MessageKind
from omnidesk.domain.permissions import ConversationAccess, Permission
from omnidesk.protocol.channels import AttachmentOut, ConversationMedia, MessageDetailsOut
from omnidesk.server.attachments import links, service
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.audit import service as audit
from omnidesk.server.channels.models import MessageDetails
from omnidesk.server.context import OperatorDep, SessionDep, StateDep, client_ip, permitted
from omnidesk.server.conversations.models import Message
from omnidesk.server.conversations.service import load_visible
from omnidesk.server.db.pagination import bad_request

router = APIRouter(prefix="/api/v1", tags=["attachments"])
Replier = permitted(Permission.CONVERSATION_REPLY)


def attachment_out(a: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=a.id,
        conversation_id=a.conversation_id,
        message_id=a.message_id,
        direction=a.direction,
        kind=a.kind,
        mime_type=a.mime_type,
        file_name=a.file_name,
        size=a.size,
        width=a.width,
        height=a.height,
        has_thumbnail=a.thumbnail is not None,
        created_at=a.created_at,
    )


@router.post(
    "/conversations/{conversation_id}/attachments",
    response_model=AttachmentOut,
    status_code=status.HTTP_201_CREATED,
    responses={413: {}, 422: {}},
)
async def upload(
    conversation_id: int,
    caller: Replier,
    session: SessionDep,
    st: StateDep,
    file: Annotated[UploadFile, File(description="The file; its type is read from its content.")],
) -> AttachmentOut:
    """Upload a file for a reply (then send its id in the reply's ``attachment_ids``)."""
    await load_visible(session, caller, conversation_id)
    data = await file.read(st.settings.attachment_max_bytes + 1)
    try:
        attachment_id = await service.store(
            session,
            st.settings,
            conversation_id=conversation_id,
            message_id=None,
            direction="out",
            data=data,
            declared_mime=file.content_type,
            file_name=file.filename,
            uploaded_by=caller.user_id,
        )
    except service.AttachmentRefused as exc:
        await session.rollback()
        code = status.HTTP_413_CONTENT_TOO_LARGE if "larger" in str(exc) else status.HTTP_422_UNPROCESSABLE_CONTENT
        raise HTTPException(code, str(exc)) from None
    await audit.record(
        session, caller.actor, "attachment.upload", "conversation", conversation_id, {"attachment_id": attachment_id}
    )
    await session.commit()
    return attachment_out(await session.get(Attachment, attachment_id))


@router.get("/conversations/{conversation_id}/media", response_model=ConversationMedia)
async def conversation_media(
    conversation_id: int,
    caller: OperatorDep,
    session: SessionDep,
    before: Annotated[int | None, Query(description="Only messages with a smaller id (paging backwards).")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
) -> ConversationMedia:
    """The files and details (button, contact, location, edits) of the conversation's latest messages."""
    await load_visible(session, caller, conversation_id, need=ConversationAccess.MENTIONED)
    ids_query = select(Message.id).where(Message.conversation_id == conversation_id)
    if before is not None:
        if before < 1:
            raise bad_request("before must be a message id")
        ids_query = ids_query.where(Message.id < before)
    ids = list((await session.scalars(ids_query.order_by(Message.id.desc()).limit(limit))).all())
    found = (
        (await session.scalars(select(Attachment).where(Attachment.message_id.in_(ids)).order_by(Attachment.id))).all()
        if ids
        else []
    )
    details = (
        (await session.scalars(select(MessageDetails).where(MessageDetails.message_id.in_(ids)))).all() if ids else []
    )
    await audit.record(session, caller.actor, "attachment.list", "conversation", conversation_id, {"count": len(found)})
    await session.commit()
    out = []
    for d in details:
        p = d.payload or {}
        out.append(
            MessageDetailsOut(
                message_id=d.message_id,
                button=p.get("button"),
                contact=p.get("contact"),
                location=p.get("location"),
                buttons=p.get("buttons") or [],
                template=p.get("template"),
                edits=p.get("edits") or [],
                deleted=bool(p.get("deleted")),
                echo=bool(p.get("echo")),
            )
        )
    return ConversationMedia(
        attachments=[attachment_out(a) for a in found],
        details=out,
        next_cursor=str(ids[-1]) if len(ids) == limit else None,
    )


async def _visible(session, caller, attachment_id: int) -> Attachment:
    attachment = await session.get(Attachment, attachment_id)
    if attachment is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"attachment {attachment_id} not found")
    try:
        await load_visible(session, caller, attachment.conversation_id, need=ConversationAccess.MENTIONED)
    except HTTPException:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"attachment {attachment_id} not found") from None
    return attachment


@router.get("/attachments/{attachment_id}", response_class=Response, responses={200: {"content": {"*/*": {}}}})
async def download(attachment_id: int, caller: OperatorDep, session: SessionDep, st: StateDep, request: Request):
    """The file itself, as a download."""
    attachment = await _visible(session, caller, attachment_id)
    name, mime, conversation_id = attachment.file_name, attachment.mime_type, attachment.conversation_id
    await audit.record(
        session, caller.actor, "attachment.read", "attachment", attachment_id, {"conversation_id": conversation_id}
    )
    try:
        data = service.body(st.settings, attachment)
    except OSError:
        raise HTTPException(status.HTTP_410_GONE, "the stored file is missing or damaged") from None
    await session.commit()
    return service.file_response(
        data,
        attachment.size,
        media_type=mime,
        headers={
            "Content-Disposition": service.content_disposition(name, False),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=3600",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


@router.get("/attachments/{attachment_id}/thumbnail", response_class=Response)
async def thumbnail(attachment_id: int, caller: OperatorDep, session: SessionDep):
    """A JPEG preview of at most 320x320 (images only)."""
    attachment = await _visible(session, caller, attachment_id)
    data = attachment.thumbnail
    await session.rollback()
    if data is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this attachment has no thumbnail")
    return Response(
        data,
        media_type="image/jpeg",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=86400"},
    )


# The public address of a reply's file (omnidesk.server.attachments.links): for Viber and Instagram, which fetch
# media themselves. No user: the sealed token is the credential. Not in the OpenAPI document (like /widget.js and the
# survey pages): it serves platforms, not API clients. Answers 200 with the file, 404 for a token that is forged,
# expired, or names a file no longer there to share, 410 for a stored file that is missing or damaged.
public = APIRouter(tags=["attachments"], include_in_schema=False)


@public.api_route(links.PREFIX + "{token}/{file_name}", methods=["GET", "HEAD"], response_class=Response)
async def public_file(token: str, file_name: str, request: Request, st: StateDep) -> Response:
    if len(token) > 512:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file")
    try:
        attachment_id, checksum = links.opened(st.settings, token)
    except links.LinkRefused:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this file address is not valid or has expired") from None
    async with st.db.session() as session:
        row = (
            await session.execute(
                select(Attachment, Message.kind, Message.direction)
                .join(Message, Message.id == Attachment.message_id)
                .where(Attachment.id == attachment_id)
            )
        ).first()
        if (
            row is None
            or not row.Attachment.sha256.startswith(checksum)
            or row.kind != MessageKind.TEXT.value
            or row.direction != Direction.OUT.value
        ):  # only the files of operators' replies are ever shared, never a customer's or a note's
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file")
        attachment = row.Attachment
        name, mime, size, conversation_id = (
            attachment.file_name,
            attachment.mime_type,
            attachment.size,
            attachment.conversation_id,
        )
        try:
            data = service.body(st.settings, attachment) if request.method == "GET" else None
        except OSError:
            raise HTTPException(status.HTTP_410_GONE, "the stored file is missing or damaged") from None
        if request.method == "GET":
            await audit.record(
                session,
                audit.Actor(None, "platform", client_ip(request)),
                "attachment.fetched",
                "attachment",
                attachment_id,
                {"conversation_id": conversation_id, "by": "public link"},
            )
            await session.commit()
    headers = {
        "Content-Disposition": service.content_disposition(name, mime in service.IMAGE_TYPES),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=3600",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if data is None:
        return Response(status_code=200, media_type=mime, headers={**headers, "Content-Length": str(size)})
    return service.file_response(data, size, media_type=mime, headers=headers)
