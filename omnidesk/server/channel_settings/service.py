"""Reading and writing a channel's options and its encrypted secrets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.server import secrets as secret_store
from omnidesk.server.channel_settings.models import ChannelSettings
from omnidesk.server.db import utcnow


async def save(
    session: AsyncSession, channel_id: int, options: Mapping[str, Any], secrets: Mapping[str, str] | None = None
) -> None:
    row = await session.get(ChannelSettings, channel_id)
    if row is None:
        row = ChannelSettings(channel_id=channel_id, options={})
        session.add(row)
    row.options = dict(options)
    if secrets is not None:
        row.secrets = secret_store.encrypt(secrets)
    row.updated_at = utcnow()
    await session.flush()


async def load(session: AsyncSession, channel_id: int) -> tuple[dict[str, Any], dict[str, str]]:
    """(options, decrypted secrets); empty when the channel has none."""
    row = await session.get(ChannelSettings, channel_id)
    if row is None:
        return {}, {}
    return dict(row.options or {}), secret_store.decrypt(row.secrets)
