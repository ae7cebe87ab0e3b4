"""Channel administration: creating channel instances and resolving an inbound token to its channel.

A generic API channel authenticates with its own bearer token (stored only hashed, shown once at creation). The wire
protocol of each channel kind lives in its connector (omnidesk/channels/); this module keeps the instances.
"""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.enums import ChannelKind
from omnidesk.server.admin.models import Channel
from omnidesk.server.audit import service as audit
from omnidesk.server.audit.service import Actor
from omnidesk.server.db import Database
from omnidesk.server.ingest.service import ChannelRef
from omnidesk.server.queues.models import Queue
from omnidesk.server.queues.service import default_queue_id
from omnidesk.server.security import new_token, token_hash


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

    def clear(self) -> None:
        """Forget every cached token (after a rotation: the old token must stop working at once)."""
        self._cache.clear()

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
