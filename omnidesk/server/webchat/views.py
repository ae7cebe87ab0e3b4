"""Web chat endpoints: the widget's files and its public API (per visitor token), and the operators' side.

Public routes answer CORS for the channel's allowed origins only (any origin when none are set), limit requests per
address and per visitor, cap message sizes, and never show a visitor internal notes or who else is in the queue.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from omnidesk.channels.webchat.connector import read_site_user_token, read_visitor_token, visitor_token
from omnidesk.domain.enums import MessageKind
from omnidesk.domain.identity import IdentityKind, InvalidIdentifier, normalize
from omnidesk.domain.permissions import Permission
from omnidesk.protocol.webchannels import WebChannelCreated, WebchatChannelCreate
from omnidesk.server.attachments import service as attachment_service
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.audit import service as audit
from omnidesk.server.channel_settings.limits import RateLimiter, origin_allowed
from omnidesk.server.context import Caller, OperatorDep, SessionDep, StateDep, client_ip, require_permission
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.forms.service import FormInvalid, Submission, read_submission, submit
from omnidesk.server.webchat.models import WebchatVisitor
from omnidesk.server.webchat.service import (
    VISITOR_FILE_MAX,
    VisitorFanout,
    VisitorFileRefused,
    create_webchat_channel,
    files_of,
    get_or_create_visitor,
    history,
    operators_online,
    post_visitor_file,
    post_visitor_message,
    snippet,
    tell_visitor_typing,
    visitor_online,
    webchat_channel,
)

router = APIRouter(tags=["web chat"])
ChannelAdmin = Annotated[Caller, Depends(require_permission(Permission.CHANNEL_MANAGE))]

PER_ADDRESS = RateLimiter(limit=120, window=60)  # widget requests per client address per minute
PER_VISITOR = RateLimiter(limit=30, window=60)  # messages per visitor per minute
NEW_VISITORS = RateLimiter(limit=20, window=600)  # new visitor identities per address per 10 minutes
MAX_TEXT = 4000
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
_STATIC = resources.files("omnidesk.channels.webchat") / "static"


def _file(name: str, media_type: str) -> Response:
    return Response(
        (_STATIC / name).read_bytes(),
        media_type=media_type,
        headers={
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
            "Access-Control-Allow-Origin": "*",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


@router.get("/widget.js", include_in_schema=False)
async def widget_js() -> Response:
    return _file("widget.js", "application/javascript; charset=utf-8")


@router.get("/widget.css", include_in_schema=False)
async def widget_css() -> Response:
    return _file("widget.css", "text/css; charset=utf-8")


@router.post("/api/v1/channels/webchat", response_model=WebChannelCreated, status_code=status.HTTP_201_CREATED)
async def add_webchat_channel(
    body: WebchatChannelCreate, caller: ChannelAdmin, session: SessionDep, request: Request
) -> WebChannelCreated:
    options = body.model_dump(exclude={"name", "queue_id"})
    try:
        channel, secret = await create_webchat_channel(
            session, name=body.name, options=options, queue_id=body.queue_id, actor=caller.actor
        )
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    await session.commit()
    base = str(request.base_url).rstrip("/")
    return WebChannelCreated(
        id=channel.id,
        kind=channel.kind,
        name=channel.name,
        queue_id=channel.queue_id,
        secret=secret,
        snippet=snippet(base, channel.id, options),
    )


# --- the widget's public API ----------------------------------------------------------------------------------------


def _cors(request: Request, options: dict, response: Response) -> Response:
    origin = request.headers.get("origin")
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


async def _channel(request: Request, st, channel_id: int):
    wait = PER_ADDRESS.hit(f"w:{client_ip(request)}")
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, "too many requests", {"Retry-After": str(math.ceil(wait))}
        )
    found = await webchat_channel(st.db, channel_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such chat")
    channel, options, secrets = found
    if not origin_allowed(request.headers.get("origin"), options.get("origins") or []):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this chat is not offered on that site")
    return channel, options, secrets


async def _visitor(request: Request, st, channel_id: int, token: str | None):
    channel, options, secrets = await _channel(request, st, channel_id)
    if token is None:
        auth = request.headers.get("authorization", "")
        token = auth[7:] if auth.lower().startswith("bearer ") else None
    key = read_visitor_token(secrets["visitor_secret"], channel_id, token)
    if key is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "visitor token missing or invalid")
    async with st.db.session() as session:
        visitor = await session.scalar(
            select(WebchatVisitor).where(WebchatVisitor.visitor_key == key, WebchatVisitor.channel_id == channel_id)
        )
        if visitor is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "visitor token missing or invalid")
        session.expunge(visitor)
    return channel, options, secrets, visitor


@router.options("/webchat/{channel_id}/{rest:path}", include_in_schema=False)
async def preflight(channel_id: int, rest: str, request: Request, st: StateDep) -> Response:
    _, options, _ = await _channel(request, st, channel_id)
    response = Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Methods": "GET, POST",
            "Access-Control-Allow-Headers": "Authorization, Content-Type",
            "Access-Control-Max-Age": "600",
        },
    )
    return _cors(request, options, response)


@router.get("/webchat/{channel_id}/config")
async def widget_config(channel_id: int, request: Request, st: StateDep) -> Response:
    channel, options, _ = await _channel(request, st, channel_id)
    body = {k: options.get(k) for k in ("color", "greeting", "language", "position", "prechat")}
    body["name"] = channel.name
    body["online"] = await operators_online(st.db, channel.queue_id)
    return _cors(request, options, JSONResponse(body))


class SessionIn(BaseModel):
    token: str | None = Field(None, max_length=300)
    page_url: str | None = Field(None, max_length=2000)
    referrer: str | None = Field(None, max_length=2000)
    page_title: str | None = Field(None, max_length=300)
    language: str | None = Field(None, max_length=35, description="The browser's language (BCP 47, e.g. uk-UA).")
    name: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=64)
    email: str | None = Field(None, max_length=320)
    user_token: str | None = Field(None, max_length=500, description="The site's signed user token, if logged in.")


@router.post("/webchat/{channel_id}/session")
async def start_session(channel_id: int, body: SessionIn, request: Request, st: StateDep) -> Response:
    """The visitor's identity (kept across page loads) and its history; pre-chat fields become identities."""
    _, options, secrets = await _channel(request, st, channel_id)
    key = read_visitor_token(secrets["visitor_secret"], channel_id, body.token)
    if key is None:
        wait = NEW_VISITORS.hit(f"{channel_id}:{client_ip(request)}")
        if wait is not None:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS, "too many new chats", {"Retry-After": str(math.ceil(wait))}
            )
    site_user = read_site_user_token(secrets["site_secret"], body.user_token) if body.user_token else None
    if body.user_token and site_user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "the site's user token is invalid or expired")
    visitor = await get_or_create_visitor(
        st.db,
        channel_id,
        key,
        {
            "page_url": body.page_url,
            "referrer": body.referrer,
            "page_title": body.page_title,
            # A tag that is not BCP 47 is left out rather than failing the visitor's chat.
            "language": body.language if body.language and LANGUAGE_TAG.fullmatch(body.language) else None,
            "user_agent": request.headers.get("user-agent"),
            "name": body.name,
            "site_user": site_user,
        },
    )
    request.state.prechat = body
    return _cors(
        request,
        options,
        JSONResponse(
            {
                "token": visitor_token(secrets["visitor_secret"], channel_id, visitor.visitor_key),
                "name": visitor.name,
                "history": await history(st.db, visitor.conversation_id),
                "prechat_done": bool(visitor.name or visitor.customer_id),
            }
        ),
    )


class MessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    client_key: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    phone: str | None = Field(None, max_length=64)
    email: str | None = Field(None, max_length=320)
    page_url: str | None = Field(None, max_length=2000)
    page_title: str | None = Field(None, max_length=300)


@router.post("/webchat/{channel_id}/messages", status_code=201)
async def visitor_message(channel_id: int, body: MessageIn, request: Request, st: StateDep) -> Response:
    channel, options, _secrets, visitor = await _visitor(request, st, channel_id, None)
    wait = PER_VISITOR.hit(f"{channel_id}:{visitor.visitor_key}")
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, "too many messages", {"Retry-After": str(math.ceil(wait))}
        )
    extra = []
    try:
        if body.phone:
            extra.append(normalize(IdentityKind.PHONE, body.phone, st.settings.default_region))
        if body.email:
            extra.append(normalize(IdentityKind.EMAIL, body.email))
    except InvalidIdentifier as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    if body.page_url or body.page_title:
        visitor = await get_or_create_visitor(
            st.db, channel_id, visitor.visitor_key, {"page_url": body.page_url, "page_title": body.page_title}
        )
    ack = await post_visitor_message(st.db, channel, visitor, body.text.strip() or body.text, body.client_key, extra)
    return _cors(
        request,
        options,
        JSONResponse({"id": ack.message_id, "duplicate": ack.duplicate}, status_code=200 if ack.duplicate else 201),
    )


@router.post(
    "/webchat/{channel_id}/files", status_code=201, responses={200: {}, 401: {}, 413: {}, 415: {}, 422: {}, 429: {}}
)
async def visitor_file(
    channel_id: int,
    request: Request,
    st: StateDep,
    file: Annotated[UploadFile, File(description="The visitor's file; its type is read from its content.")],
    client_key: Annotated[str, Form(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
) -> Response:
    """A visitor sends a file (a photo of a document, a statement): one message with the file, exactly once per
    client key. Programs and scripts are refused; the size limit is the web chat channel's."""
    channel, options, _secrets, visitor = await _visitor(request, st, channel_id, None)
    wait = PER_VISITOR.hit(f"{channel_id}:{visitor.visitor_key}")
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, "too many messages", {"Retry-After": str(math.ceil(wait))}
        )
    data = await file.read(VISITOR_FILE_MAX + 1)
    try:
        ack = await post_visitor_file(
            st.db, st.settings, channel, visitor, data, file.content_type, file.filename, client_key
        )
    except VisitorFileRefused as exc:
        code = status.HTTP_413_CONTENT_TOO_LARGE if exc.too_large else status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
        if str(exc) == "the file is empty":
            code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return _cors(request, options, JSONResponse({"detail": str(exc)}, status_code=code))
    async with st.db.session() as session:
        files = (await files_of(session, [ack.message_id])).get(ack.message_id, [])
        await session.rollback()
    return _cors(
        request,
        options,
        JSONResponse(
            {"id": ack.message_id, "duplicate": ack.duplicate, "files": files},
            status_code=200 if ack.duplicate else 201,
        ),
    )


@router.get(
    "/webchat/{channel_id}/files/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {"*/*": {}}}, 401: {}, 404: {}},
)
async def visitor_download(
    channel_id: int,
    attachment_id: int,
    request: Request,
    st: StateDep,
    token: Annotated[str, Query(max_length=300)],
) -> Response:
    """A file of the visitor's own conversation (theirs or an operator's), by the visitor's token; never another's."""
    _, options, _secrets, visitor = await _visitor(request, st, channel_id, token)
    async with st.db.session() as session:
        attachment = await session.get(Attachment, attachment_id)
        if (
            attachment is None
            or visitor.conversation_id is None
            or attachment.conversation_id != visitor.conversation_id
            or attachment.message_id is None
        ):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file")
        message = await session.get(Message, attachment.message_id)
        if message is None or message.kind != MessageKind.TEXT.value:  # a note's file is never the visitor's
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file")
        try:
            data = attachment_service.body(st.settings, attachment)
        except OSError:
            raise HTTPException(status.HTTP_410_GONE, "the stored file is missing or damaged") from None
        name, mime, size = attachment.file_name, attachment.mime_type, attachment.size
        await session.rollback()
    inline = mime in attachment_service.IMAGE_TYPES
    response = attachment_service.file_response(
        data,
        size,
        media_type=mime if inline else "application/octet-stream",
        headers={
            "Content-Disposition": attachment_service.content_disposition(name, inline),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=3600",
            "Cross-Origin-Resource-Policy": "cross-origin",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
    return _cors(request, options, response)


@router.post("/webchat/{channel_id}/typing", status_code=204)
async def visitor_typing(channel_id: int, request: Request, st: StateDep) -> Response:
    _, options, _s, visitor = await _visitor(request, st, channel_id, None)
    fanout: VisitorFanout = request.app.state.webchat
    if visitor.conversation_id:
        fanout.visitor_typing[visitor.conversation_id] = time.monotonic() + 5
        if fanout.should_tell_visitor_typing(visitor.conversation_id):
            await tell_visitor_typing(st.db, visitor.conversation_id)
    return _cors(request, options, Response(status_code=204))


@router.get("/webchat/{channel_id}/stream")
async def visitor_stream(
    channel_id: int, request: Request, st: StateDep, token: Annotated[str, Query(max_length=300)]
) -> StreamingResponse:
    """Server-sent events for one visitor: its conversation's new messages and the operator typing."""
    _, options, _secrets, visitor = await _visitor(request, st, channel_id, token)
    fanout: VisitorFanout = request.app.state.webchat
    heartbeat = st.settings.heartbeat_interval

    async def frames():
        conversation_id = visitor.conversation_id
        following = (channel_id, visitor.customer_id) if visitor.customer_id else None
        q = fanout.subscribe(conversation_id, following) if conversation_id else None
        yield b": connected\nretry: 2000\n\n"
        try:
            while True:
                if q is None:
                    # No conversation yet: wait for the visitor's first message to open one.
                    await asyncio.sleep(0.25)
                    async with st.db.session() as session:
                        row = (
                            await session.execute(
                                select(WebchatVisitor.conversation_id, WebchatVisitor.customer_id).where(
                                    WebchatVisitor.id == visitor.id
                                )
                            )
                        ).first()
                    if row is not None and row.conversation_id:
                        conversation_id = row.conversation_id
                        q = fanout.subscribe(
                            conversation_id, (channel_id, row.customer_id) if row.customer_id else None
                        )
                        for m in await history(st.db, conversation_id):
                            yield _sse("message", {"type": "message.created", "message": m})
                    else:
                        if await request.is_disconnected():
                            return
                        continue
                try:
                    frame = await asyncio.wait_for(q.get(), heartbeat)
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    yield b": ping\n\n"
                    continue
                if frame["type"] == "moved":
                    # The visitor wrote after their conversation was resolved: a new one, followed from now on.
                    conversation_id = frame["conversation_id"]
                    for m in await history(st.db, conversation_id):
                        yield _sse("message", {"type": "message.created", "message": m})
                    continue
                yield _sse("typing" if frame["type"] == "typing" else "message", frame)
        finally:
            if q is not None:
                fanout.unsubscribe(q)

    response = StreamingResponse(
        frames(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )
    return _cors(request, options, response)


def _sse(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class OfflineIn(BaseModel):
    name: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=64)
    email: str | None = Field(None, max_length=320)
    message: str = Field(min_length=1, max_length=MAX_TEXT)
    page_url: str | None = Field(None, max_length=2000)


@router.post("/webchat/{channel_id}/offline", status_code=201)
async def offline_message(channel_id: int, body: OfflineIn, request: Request, st: StateDep) -> Response:
    """Nobody is online: the visitor leaves a message with a phone or an e-mail, answered later."""
    channel, options, _secrets, _ = await _visitor(request, st, channel_id, None)
    try:
        s: Submission = read_submission(body.model_dump(), st.settings.default_region)
    except FormInvalid as exc:
        return _cors(request, options, JSONResponse({"detail": exc.errors}, status_code=422))
    ack = await submit(st.db, channel, s, client_ip(request))
    return _cors(
        request, options, JSONResponse({"status": "received", "conversation_id": ack.conversation_id}, status_code=201)
    )


# --- the operators' side --------------------------------------------------------------------------------------------


@router.get("/api/v1/conversations/{conversation_id}/webchat")
async def conversation_visitor(
    conversation_id: int, caller: OperatorDep, session: SessionDep, request: Request
) -> dict[str, Any]:
    """The visitor behind a web chat conversation: the page, the referrer, still on the site, typing."""
    conv = await session.get(Conversation, conversation_id)
    if conv is None or not caller.may_read(conv.id, conv.queue_id, conv.assignee_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such conversation")
    visitor = await session.scalar(
        select(WebchatVisitor)
        .where(WebchatVisitor.conversation_id == conversation_id)
        .order_by(WebchatVisitor.id.desc())
    )
    if visitor is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this conversation is not a web chat")
    fanout: VisitorFanout = request.app.state.webchat
    info = {
        "page_url": visitor.page_url,
        "referrer": visitor.referrer,
        "page_title": visitor.page_title,
        "language": visitor.language,
        "user_agent": visitor.user_agent,
        "site_user": visitor.site_user,
        "last_seen_at": visitor.last_seen_at.isoformat(),
        "first_seen_at": visitor.created_at.isoformat(),  # the client's "time on site" counts from here
        "online": visitor_online(fanout, conversation_id, visitor.last_seen_at),
        "typing": fanout.visitor_typing.get(conversation_id, 0) > time.monotonic(),
        "open_widgets": fanout.online_visitors.get(conversation_id, 0),  # on this server process
    }
    await audit.record(session, caller.actor, "webchat.visitor.read", "conversation", conversation_id)
    await session.commit()
    return info


@router.post("/api/v1/conversations/{conversation_id}/typing", status_code=204)
async def operator_typing(conversation_id: int, caller: OperatorDep, session: SessionDep, request: Request) -> Response:
    conv = await session.get(Conversation, conversation_id)
    if conv is None or not caller.may_see(conv.queue_id, conv.assignee_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such conversation")
    request.app.state.webchat.typing(conversation_id)
    return Response(status_code=204)
