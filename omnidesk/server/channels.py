"""Channels: configured inbound/outbound paths. Here: the generic API channel and its inbound endpoint.

A channel authenticates with its own bearer token (stored hashed). The inbound endpoint acknowledges only after the
message is committed; a redelivery of the same external id answers with the same ids and stores nothing.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import ChannelKind
from omnidesk.domain.identity import InvalidIdentifier
from omnidesk.protocol import ChannelCreate, ChannelCreated, ChannelOut, InboundAck, InboundMessage
from omnidesk.server import audit
from omnidesk.server.audit import Actor
from omnidesk.server.context import AdminDep, OperatorDep, SessionDep, StateDep
from omnidesk.server.db import Database
from omnidesk.server.ingest import ChannelRef, extra_identifiers, ingest, sender_identifier
from omnidesk.server.models import Channel, Queue
from omnidesk.server.security import new_token, token_hash
from omnidesk.server.users import default_queue_id

router = APIRouter(prefix="/api/v1", tags=["channels"])

_channel_bearer = HTTPBearer(auto_error=False, description="The channel's inbound token.")


def _check_webhook_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError("webhook URL must start with http:// or https://")
    return url


async def create_api_channel(
    session: AsyncSession,
    *,
    name: str,
    webhook_url: str | None = None,
    queue_id: int | None = None,
    actor: Actor | None = None,
    kind: ChannelKind = ChannelKind.API,
) -> tuple[Channel, str]:
    """Create a channel; return it and its inbound token (shown once, stored only hashed). Caller commits."""
    if queue_id is None:
        queue_id = await default_queue_id(session)
    elif await session.get(Queue, queue_id) is None:
        raise ValueError(f"no such queue: {queue_id}")
    token = new_token("odc")
    channel = Channel(
        kind=kind.value,
        name=name.strip(),
        token_hash=token_hash(token),
        webhook_url=_check_webhook_url(webhook_url),
        queue_id=queue_id,
        is_active=True,
    )
    session.add(channel)
    await session.flush()
    await audit.record(session, actor, "channel.create", "channel", channel.id, {"name": channel.name})
    return channel, token


class ChannelTokens:
    """A short-lived in-process cache of token hash → channel, so the hot inbound path skips one query."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl = ttl
        self._cache: dict[str, tuple[float, ChannelRef]] = {}

    async def resolve(self, db: Database, token: str) -> ChannelRef | None:
        """The active channel whose token this is; a session is opened only when the cache cannot answer."""
        digest = token_hash(token)
        hit = self._cache.get(digest)
        now = time.monotonic()
        if hit and hit[0] > now:
            return hit[1]
        async with db.session() as session:
            channel = await session.scalar(select(Channel).where(Channel.token_hash == digest, Channel.is_active))
            ref = (
                ChannelRef(channel.id, channel.kind, channel.name, channel.queue_id, channel.webhook_url)
                if channel
                else None
            )
        if ref is None:
            self._cache.pop(digest, None)
            return None
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[digest] = (now + self.ttl, ref)
        return ref


async def inbound_channel(
    channel_id: int,
    request: Request,
    st: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_channel_bearer)],
) -> ChannelRef:
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "channel token missing", {"WWW-Authenticate": "Bearer"})
    tokens: ChannelTokens = request.app.state.channel_tokens
    ref = await tokens.resolve(st.db, credentials.credentials)
    if ref is None or ref.id != channel_id:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "channel token invalid", {"WWW-Authenticate": "Bearer"})
    return ref


@router.post(
    "/channels/{channel_id}/inbound",
    response_model=InboundAck,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": InboundAck, "description": "Already stored (same external_id)."}, 401: {}, 413: {}},
    summary="Deliver a customer's message through a generic API channel",
)
async def post_inbound(
    body: InboundMessage,
    response: Response,
    st: StateDep,
    channel: Annotated[ChannelRef, Depends(inbound_channel)],
) -> InboundAck:
    try:
        identifier = sender_identifier(body, st.settings.default_region)
    except InvalidIdentifier as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [{"loc": ["body", "sender", "value"], "msg": str(exc), "type": "value_error.identifier"}],
        ) from None
    try:
        extra = extra_identifiers(body, st.settings.default_region)
    except InvalidIdentifier as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [{"loc": ["body", "identities"], "msg": str(exc), "type": "value_error.identifier"}],
        ) from None
    ack = await ingest(st.db, channel, body, identifier, extra, batcher=st.ingest)
    if ack.duplicate:
        response.status_code = status.HTTP_200_OK
    return ack


@router.get("/channels", response_model=list[ChannelOut])
async def list_channels(caller: OperatorDep, session: SessionDep) -> list[ChannelOut]:
    rows = (await session.scalars(select(Channel).where(Channel.is_active).order_by(Channel.id))).all()
    return [ChannelOut(id=c.id, kind=c.kind, name=c.name) for c in rows]


@router.post("/channels", response_model=ChannelCreated, status_code=status.HTTP_201_CREATED)
async def add_channel(body: ChannelCreate, caller: AdminDep, session: SessionDep) -> ChannelCreated:
    try:
        channel, token = await create_api_channel(
            session, name=body.name, webhook_url=body.webhook_url, queue_id=body.queue_id, actor=caller.actor
        )
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    await session.commit()
    return ChannelCreated(
        id=channel.id,
        kind=channel.kind,
        name=channel.name,
        token=token,
        webhook_url=channel.webhook_url,
        queue_id=channel.queue_id,
    )
