"""Rotating a channel's inbound token (offboarding: a token that left with someone must stop working).

The new token is returned once and stored only hashed; the old one answers 401 at once in this process and within
the channel-token cache's lifetime (30 s) in the server's other processes.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.permissions import Permission
from omnidesk.protocol.users import ChannelTokenOut
from omnidesk.server.admin.models import Channel
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.service import Actor
from omnidesk.server.context import SessionDep, permitted
from omnidesk.server.security import new_token, token_hash

router = APIRouter(prefix="/api/v1/channels", tags=["channels"])


async def rotate_channel_token(session: AsyncSession, channel_id: int, *, actor: Actor | None) -> str:
    """A new inbound token for the channel (the old one stops working); LookupError if there is no such channel."""
    channel = await session.scalar(select(Channel).where(Channel.id == channel_id).with_for_update())
    if channel is None:
        raise LookupError(f"channel {channel_id} not found")
    token = new_token("odc")
    channel.token_hash = token_hash(token)
    await session.flush()
    await audit.record(session, actor, "channel.token_rotated", "channel", channel_id)
    return token


@router.post(
    "/{channel_id}/token",
    response_model=ChannelTokenOut,
    responses={404: {"description": "No such channel."}},
)
async def rotate_token(
    channel_id: int, request: Request, caller: permitted(Permission.CHANNEL_MANAGE), session: SessionDep
) -> ChannelTokenOut:
    """Issue a new inbound token for the channel; the old token stops working. The new one is shown only here."""
    try:
        token = await rotate_channel_token(session, channel_id, actor=caller.actor)
    except LookupError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    await session.commit()
    cache = getattr(request.app.state, "channel_tokens", None)
    if cache is not None:
        cache.clear()
    return ChannelTokenOut(id=channel_id, token=token)
