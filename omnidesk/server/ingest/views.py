"""The inbound endpoint of the generic API channel: verify the channel token, ingest, answer after commit."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from omnidesk.domain.identity import InvalidIdentifier
from omnidesk.protocol import InboundAck, InboundMessage
from omnidesk.server.admin.service import ChannelTokens
from omnidesk.server.context import StateDep
from omnidesk.server.ingest.service import ChannelRef, extra_identifiers, ingest, sender_identifier

router = APIRouter(prefix="/api/v1", tags=["channels"])


_channel_bearer = HTTPBearer(auto_error=False, description="The channel's inbound token.")


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


def _plausible(at: dt.datetime) -> bool:
    """A delivery time the databases can store (near year 1 or 9999 an offset overflows): refused with 422, so a
    channel learns at once instead of retrying a message that can never be stored."""
    try:
        utc = at.astimezone(dt.UTC) if at.tzinfo else at.replace(tzinfo=dt.UTC)
    except (OverflowError, ValueError):
        return False
    return 1970 <= utc.year <= 2200


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
    if body.sent_at is not None and not _plausible(body.sent_at):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [
                {
                    "loc": ["body", "sent_at"],
                    "msg": "sent_at must be a time between 1970 and 2200",
                    "type": "value_error",
                }
            ],
        )
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
