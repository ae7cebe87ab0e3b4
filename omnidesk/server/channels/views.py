"""Provider channels over HTTP: the platforms' webhooks, channel administration, templates, windows, comment threads.

``GET|POST /hooks/{kind}/{channel_id}`` is the one inbound address of every provider channel (Telegram, WhatsApp,
Viber, VK, Meta/Messenger, Instagram, MAX), public like the web chat's and the forms' routes (not under /api/v1): no
user token, the connector verifies the request itself (a secret header, a signature, Meta's verification GET, VK's
confirmation) before anything is read. An unknown channel id, or one of another kind, answers 401 like a forgery, so
ids cannot be probed; a forged handshake (GET) 403; an unreadable payload 400. The platform hears its answer only
after every item of the request is committed, and the platform's own ids make a redelivery a no-op.

``POST /api/v1/admin/channels/{kind}`` creates a channel of any provider kind (telegram and whatsapp have typed
bodies, because the server checks their credentials with the platform at once); the secrets OmniDesk generates
(VK's secret key, Meta's verify token, MAX's webhook secret) are answered once, in ``generated``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any, Literal

import httpx
from fastapi import APIRouter, HTTPException, Path, Request, status
from fastapi.responses import Response
from pydantic import Field, StringConstraints
from sqlalchemy import select

from omnidesk.channels import CONNECTORS
from omnidesk.channels.api.connector import ApiConnector
from omnidesk.channels.base import ChannelConfig, InboundRequest, SendFailure, Unverified
from omnidesk.domain.enums import ChannelKind
from omnidesk.domain.identity import InvalidIdentifier
from omnidesk.domain.permissions import ConversationAccess, Permission
from omnidesk.domain.reply_window import reply_window as window_at
from omnidesk.protocol.channels import (
    ChannelHealth,
    ProviderChannelOut,
    ReplyWindow,
    TelegramChannelCreate,
    TemplateOut,
    TemplatesSynced,
    WhatsAppChannelCreate,
)
from omnidesk.protocol.schemas import Contract, Strict
from omnidesk.server.admin.models import Channel
from omnidesk.server.audit import service as audit
from omnidesk.server.channels import service, threads
from omnidesk.server.channels.crypto import SecretsUnreadable
from omnidesk.server.channels.inbound import DetailsWriter, InboundHandler, TryLater
from omnidesk.server.channels.models import ChannelSettings, ChannelTemplate, ConversationThread
from omnidesk.server.context import OperatorDep, SessionDep, StateDep, permitted
from omnidesk.server.conversations.service import load_visible

log = logging.getLogger("omnidesk.channels")

hooks = APIRouter(tags=["webhooks"])
router = APIRouter(prefix="/api/v1", tags=["channels"])
ChannelManager = permitted(Permission.CHANNEL_MANAGE)


def _cache(request: Request) -> service.ConnectorCache:
    cache = getattr(request.app.state, "provider_connectors", None)
    if cache is None:
        cache = request.app.state.provider_connectors = service.ConnectorCache()
    return cache


def _writer(request: Request, st) -> DetailsWriter:
    writer = getattr(request.app.state, "details_writer", None)
    if writer is None:
        writer = request.app.state.details_writer = DetailsWriter(st.db)
    return writer


def _client(request: Request) -> httpx.AsyncClient:
    client = getattr(request.app.state, "provider_http", None)
    if client is None or client.is_closed:
        client = request.app.state.provider_http = service.http_client()
    return client


HOOK_KIND = "^(" + "|".join(service.HOOK_KINDS) + ")$"


def _disabled() -> Response:
    """A verified request to a disabled channel: 410, nothing taken (only the platform, which passed the check,
    learns that the channel exists and is off)."""
    return Response(
        "the channel is disabled: OmniDesk takes nothing from it",
        status_code=status.HTTP_410_GONE,
        media_type="text/plain",
    )


def _unverified(reason: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, f"unverified: {reason}")


async def webhook(
    kind: Annotated[str, Path(pattern=HOOK_KIND)], channel_id: int, request: Request, st: StateDep
) -> Response:
    """A platform's delivery: verified (secret header or signature) before anything is read; answered after commit."""
    cache = _cache(request)
    try:
        found = await cache.get(st.db, st.settings, channel_id, disabled=True)
    except SecretsUnreadable as exc:  # the key file was replaced: say so, and let the platform retry later
        log.error("channel %s: %s", channel_id, exc)
        return Response(str(exc), status_code=503, headers={"Retry-After": "60"})
    if found is None or found[0].kind != kind:
        raise _unverified("no such channel")  # the same answer as a forgery: ids are not probed
    channel, connector = found
    inbound = InboundRequest(
        method=request.method,
        headers={k.lower(): v for k, v in request.headers.items()},
        query=dict(request.query_params),
        body=await request.body() if request.method == "POST" else b"",
    )
    try:
        reply = connector.handshake(inbound)  # Meta's verification GET, VK's confirmation POST
        if reply is not None:
            return (
                _disabled()
                if not channel.is_active
                else Response(reply.body, status_code=reply.status, media_type=reply.media_type)
            )
        if request.method == "GET":
            raise HTTPException(status.HTTP_405_METHOD_NOT_ALLOWED, "POST the platform's updates here")
        connector.verify(inbound)
        if not channel.is_active:
            return _disabled()  # the platform's own request: told in words, nothing is read or stored
    except Unverified as exc:
        await service.count_rejected(st.db, channel_id, str(exc))
        log.warning("channel %s: refused an unverified %s request", channel_id, request.method)
        if request.method == "GET":
            raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from None
        raise _unverified(str(exc)) from None
    try:
        items = connector.parse(inbound)
    except (ValueError, KeyError, TypeError) as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"unreadable {kind} payload: {exc}") from None
    handler = InboundHandler(st.db, st.settings, st.ingest, _writer(request, st))
    try:
        await handler.handle(channel, connector, items, _client(request))
    except InvalidIdentifier as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"sender: {exc}") from None
    except TryLater as exc:
        return Response(str(exc), status_code=503, headers={"Retry-After": "5"})
    except SendFailure as failure:  # a file could not be fetched yet: the platform redelivers, nothing is lost
        return Response(failure.reason, status_code=503, headers={"Retry-After": "10"})
    except httpx.HTTPError as exc:
        return Response(f"fetching a file failed: {type(exc).__name__}", status_code=503, headers={"Retry-After": "10"})
    if cache.should_touch(channel_id):
        await service.touch(st.db, channel_id)
    ack = connector.ack(items)
    if ack is not None:
        return Response(ack.body, status_code=ack.status, media_type=ack.media_type)
    return Response(status_code=status.HTTP_200_OK)


# One handler, two operations (each with its own id in the OpenAPI document): GET for the platforms' verification
# handshakes (Meta's hub.challenge), POST for their deliveries.
for _method in ("GET", "POST"):
    hooks.add_api_route(
        "/hooks/{kind}/{channel_id}", webhook, methods=[_method], operation_id=f"channel_hook_{_method.lower()}"
    )


# --- administration -----------------------------------------------------------------------------------------


def _out(st, channel: Channel, row: ChannelSettings | None, generated: dict | None = None) -> ProviderChannelOut:
    return service.channel_out(st.settings, channel, row, generated)


async def _finish_create(st, session, channel, config, request: Request, caller) -> ProviderChannelOut:
    try:
        if channel.kind == ChannelKind.TELEGRAM.value:
            await service.connect_telegram(config, _client(request))
    except SendFailure as failure:
        await session.rollback()
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"Telegram: {failure.reason}") from None
    except httpx.HTTPError as exc:
        await session.rollback()
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, f"the platform is unreachable: {type(exc).__name__}") from None
    await session.commit()
    _wake_pollers(request)
    row = await session.get(ChannelSettings, channel.id)
    return _out(st, channel, row)


def _wake_pollers(request: Request) -> None:
    pollers = getattr(request.app.state, "channel_pollers", None)
    if pollers is not None:
        pollers.wake.set()


@router.post("/admin/channels/telegram", response_model=ProviderChannelOut, status_code=status.HTTP_201_CREATED)
async def add_telegram(
    body: TelegramChannelCreate, caller: ChannelManager, session: SessionDep, st: StateDep, request: Request
) -> ProviderChannelOut:
    """Connect a Telegram bot: the token is checked (getMe), the webhook set (webhook mode) or removed (poll)."""
    try:
        channel, config = await service.create_provider_channel(
            session,
            st.settings,
            kind=ChannelKind.TELEGRAM.value,
            name=body.name,
            secrets={"token": body.token},
            options={"mode": body.mode, "public_url": body.public_url},
            api_base=body.api_base,
            queue_id=body.queue_id,
            actor=caller.actor,
        )
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    return await _finish_create(st, session, channel, config, request, caller)


@router.post("/admin/channels/whatsapp", response_model=ProviderChannelOut, status_code=status.HTTP_201_CREATED)
async def add_whatsapp(
    body: WhatsAppChannelCreate, caller: ChannelManager, session: SessionDep, st: StateDep, request: Request
) -> ProviderChannelOut:
    """Connect a WhatsApp Business number; point the app's webhook at the answered webhook_url."""
    try:
        channel, config = await service.create_provider_channel(
            session,
            st.settings,
            kind=ChannelKind.WHATSAPP.value,
            name=body.name,
            secrets={
                "access_token": body.access_token,
                "app_secret": body.app_secret,
                "verify_token": body.verify_token,
            },
            options={
                "phone_number_id": body.phone_number_id,
                "business_account_id": body.business_account_id,
                "api_version": body.api_version,
            },
            api_base=body.api_base,
            queue_id=body.queue_id,
            actor=caller.actor,
        )
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    return await _finish_create(st, session, channel, config, request, caller)


class MessengerChannelCreate(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    secrets: dict[str, Annotated[str, StringConstraints(min_length=1, max_length=4000)]]
    options: dict[str, Annotated[str, StringConstraints(max_length=500)]] = Field(default_factory=dict)
    api_base: str | None = Field(None, max_length=2000, description="The platform's API address (a proxy, a test)")
    queue_id: int | None = None


@router.post(
    "/admin/channels/{kind}",
    response_model=ProviderChannelOut,
    status_code=status.HTTP_201_CREATED,
    summary="Connect a Viber, VK, Messenger, Instagram or MAX channel (credentials encrypted at rest)",
)
async def add_messenger(
    kind: Literal["viber", "vk", "meta", "instagram", "max"],
    body: MessengerChannelCreate,
    caller: ChannelManager,
    session: SessionDep,
    st: StateDep,
    request: Request,
) -> ProviderChannelOut:
    """What each kind needs is in omnidesk/server/channels/kinds.py; ``generated`` holds the secrets made here, shown
    only now (enter them in the platform's console). VK and MAX with ``options.mode=poll`` are long-polled."""
    try:
        created = await service.create_messenger_channel(
            session,
            st.settings,
            kind=kind,
            name=body.name,
            secrets=body.secrets,
            options=body.options,
            api_base=body.api_base,
            queue_id=body.queue_id,
            actor=caller.actor,
        )
    except SecretsUnreadable as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    await session.commit()
    _wake_pollers(request)
    row = await session.get(ChannelSettings, created.channel.id)
    return _out(st, created.channel, row, created.generated)


@router.get("/admin/channels", response_model=list[ProviderChannelOut])
async def admin_channels(caller: ChannelManager, session: SessionDep, st: StateDep) -> list[ProviderChannelOut]:
    """Every channel, active or not, with its (credential-free) configuration."""
    rows = (
        await session.execute(
            select(Channel, ChannelSettings)
            .outerjoin(ChannelSettings, ChannelSettings.channel_id == Channel.id)
            .order_by(Channel.id)
            .limit(1000)
        )
    ).all()
    return [_out(st, r.Channel, r.ChannelSettings) for r in rows]


async def _channel(session, channel_id: int) -> tuple[Channel, ChannelSettings | None]:
    row = (
        await session.execute(
            select(Channel, ChannelSettings)
            .outerjoin(ChannelSettings, ChannelSettings.channel_id == Channel.id)
            .where(Channel.id == channel_id)
        )
    ).first()
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"channel {channel_id} not found")
    return row.Channel, row.ChannelSettings


@router.get("/admin/channels/{channel_id}", response_model=ProviderChannelOut)
async def show_channel(channel_id: int, caller: ChannelManager, session: SessionDep, st: StateDep):
    channel, row = await _channel(session, channel_id)
    return _out(st, channel, row)


@router.post("/admin/channels/{channel_id}/disable", response_model=ProviderChannelOut)
async def disable_channel(
    channel_id: int, caller: ChannelManager, session: SessionDep, st: StateDep, request: Request
) -> ProviderChannelOut:
    """Stop taking and sending this channel's messages (its history stays)."""
    channel, row = await _channel(session, channel_id)
    await service.disable(session, channel_id, caller.actor)
    await session.commit()
    _cache(request).forget(channel_id)
    _wake_pollers(request)
    channel, row = await _channel(session, channel_id)
    return _out(st, channel, row)


@router.get("/admin/channels/{channel_id}/health", response_model=ChannelHealth)
async def channel_health(
    channel_id: int, caller: ChannelManager, session: SessionDep, st: StateDep, request: Request
) -> ChannelHealth:
    """Asks the platform: "token valid, webhook set, last update 5 s ago"."""
    channel, row = await _channel(session, channel_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not a provider channel")
    found = await service.load(session, st.settings, channel_id)
    session.expunge(channel)
    session.expunge(row)
    await session.rollback()  # no transaction open while the platform answers
    assert found is not None
    return service.health_report(channel, row, await found[1].health(_client(request)))


@router.post("/admin/channels/{channel_id}/templates/sync", response_model=TemplatesSynced)
async def sync_templates(
    channel_id: int, caller: ChannelManager, session: SessionDep, st: StateDep, request: Request
) -> TemplatesSynced:
    """Fetch the approved templates from the business account."""
    try:
        count = await service.sync_channel_templates(session, st.settings, channel_id, _client(request), caller.actor)
    except service.NoTemplates:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no channel with templates of that id") from None
    except SendFailure as failure:
        await session.rollback()
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, failure.reason) from None
    await session.commit()
    return TemplatesSynced(count=count)


@router.get("/channels/{channel_id}/templates", response_model=list[TemplateOut])
async def list_templates(channel_id: int, caller: OperatorDep, session: SessionDep) -> list[TemplateOut]:
    """The channel's approved templates, for an operator outside the reply window."""
    rows = (
        await session.scalars(
            select(ChannelTemplate)
            .where(ChannelTemplate.channel_id == channel_id, ChannelTemplate.status == "APPROVED")
            .order_by(ChannelTemplate.name, ChannelTemplate.language)
            .limit(500)
        )
    ).all()
    return [
        TemplateOut(
            id=t.id,
            name=t.name,
            language=t.language,
            status=t.status,
            category=t.category,
            body=t.body,
            parameters=t.parameters,
        )
        for t in rows
    ]


@router.get("/conversations/{conversation_id}/window", response_model=ReplyWindow)
async def reply_window(conversation_id: int, caller: OperatorDep, session: SessionDep) -> ReplyWindow:
    """What the operator may send now: "21 h left to reply freely", or "window closed: choose a template"."""
    row = await load_visible(session, caller, conversation_id, need=ConversationAccess.MENTIONED)
    kind = row.channel_kind
    connector_class = CONNECTORS.get(kind, ApiConnector)
    caps = connector_class.capabilities
    left = None
    free = True
    state = None
    if caps.reply_window is not None:
        now = dt.datetime.now(dt.UTC)
        last_in = await service.last_inbound_at(session, conversation_id)
        closes = connector_class(ChannelConfig(conversation_id, "")).window_closes_at(last_in, now)
        left = max(0.0, (closes - now).total_seconds()) if closes else 0.0
        free = left > 0
        # The same rule the connector sends by (domain.reply_window), named for the client.
        state = window_at(last_in, now, caps.reply_window, connector_class.reply_window_extension).state.value
    await session.rollback()
    return ReplyWindow(
        conversation_id=conversation_id,
        channel_kind=kind,
        free_text=free,
        seconds_left=left,
        state=state,
        templates_required=caps.templates and not free,
        max_text=caps.max_text,
        buttons=caps.buttons,
        max_buttons=caps.max_buttons,
        max_button_title=caps.max_button_title,
        media_kinds=sorted(caps.media_kinds),
        max_media_bytes=caps.max_media_bytes,
    )


# -- comment conversations: the post as context and the public / private choice -----------------------------------


class ThreadOut(Contract):
    conversation_id: int
    kind: str
    comment_id: str
    url: str | None
    context: str | None = Field(description="The post the comment is under (its text or caption).")
    public: bool = Field(description="Replies go out as a public reply comment (true) or a private message.")


class ThreadUpdate(Strict):
    public: bool


def _thread_out(thread: ConversationThread) -> ThreadOut:
    return ThreadOut(
        conversation_id=thread.conversation_id,
        kind=thread.kind,
        comment_id=thread.external_id,
        url=thread.url,
        context=thread.context,
        public=thread.public,
    )


async def _thread(session, caller, conversation_id: int) -> tuple[ConversationThread, Any]:
    row = await load_visible(session, caller, conversation_id)
    thread = await session.get(ConversationThread, conversation_id)
    if thread is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"conversation {conversation_id} is not a comment conversation")
    return thread, row


@router.get(
    "/conversations/{conversation_id}/thread", response_model=ThreadOut, summary="A comment conversation's post"
)
async def get_thread(
    conversation_id: int, caller: OperatorDep, session: SessionDep, st: StateDep, request: Request
) -> ThreadOut:
    thread, row = await _thread(session, caller, conversation_id)
    if thread.context is None and thread.post_id:
        # Read the post once, when an operator first looks (not on the platform's delivery path).
        found = await service.load(session, st.settings, row.Conversation.channel_id)
        if found is not None:
            channel, connector = found
            try:
                if channel.kind == "vk":
                    ref = threads.as_ref(thread)
                    thread.context = (await connector.post_context(_client(request), ref)).context
                else:
                    thread.context = await connector.post_context(_client(request), thread.post_id)
            except (httpx.HTTPError, SendFailure, KeyError, ValueError) as exc:
                log.info("conversation %s: the post could not be read: %s", conversation_id, exc)
    await audit.record(session, caller.actor, "conversation.read_thread", "conversation", conversation_id)
    out = _thread_out(thread)
    await session.commit()
    return out


@router.put("/conversations/{conversation_id}/thread", response_model=ThreadOut, summary="Answer publicly or privately")
async def put_thread(
    conversation_id: int, body: ThreadUpdate, caller: permitted(Permission.CONVERSATION_REPLY), session: SessionDep
) -> ThreadOut:
    thread, _ = await _thread(session, caller, conversation_id)
    thread.public = body.public
    await audit.record(
        session, caller.actor, "conversation.reply_mode", "conversation", conversation_id, {"public": body.public}
    )
    out = _thread_out(thread)
    await session.commit()
    return out
