"""MAX long polling: ``GET /updates?marker=...&timeout=...&types=...`` for a bot without a webhook subscription.

The answer is ``{"updates": [Update, ...], "marker": N}``: the next call passes ``marker`` = N, which confirms the
batch. The caller commits the items first and keeps the new marker only then, so a crash re-reads the batch (and the
items dedupe on the platform's ids) instead of losing it.
"""

from __future__ import annotations

import httpx

from omnidesk.channels.base import InboundItem
from omnidesk.channels.max.connector import UPDATE_TYPES, MaxConnector


async def poll(
    client: httpx.AsyncClient, connector: MaxConnector, marker: int | None, timeout: int = 30, limit: int = 100
) -> tuple[list[InboundItem], int | None]:
    """One long poll: the items since ``marker`` and the marker to pass next time."""
    params: dict[str, object] = {"limit": limit, "timeout": timeout, "types": ",".join(UPDATE_TYPES)}
    if marker is not None:
        params["marker"] = marker
    answer = await connector.call(client, "GET", "/updates", params=params, timeout=timeout + 10)
    items: list[InboundItem] = []
    for update in answer.get("updates") or ():
        items.extend(connector.parse_update(update))
    next_marker = answer.get("marker")
    return items, int(next_marker) if next_marker is not None else marker
