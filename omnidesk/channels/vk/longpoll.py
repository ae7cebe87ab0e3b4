"""VK Bots Long Poll API: the Callback API's events for a server without a public address.

``groups.getLongPollServer`` gives ``server``, ``key`` and ``ts``; ``GET {server}?act=a_check&key=...&ts=...&wait=25``
answers ``{"ts": ..., "updates": [event, ...]}`` with the same event objects as the Callback API, or
``{"failed": 1, "ts": ...}`` (history lost: continue from the new ts), ``{"failed": 2}`` (key expired) or
``{"failed": 3}`` (key and ts lost). The caller commits the items of a batch, then keeps ``position.ts`` for the next
call, so nothing acknowledged is lost and a restart resumes where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import httpx

from omnidesk.channels.base import InboundItem, SendFailure
from omnidesk.channels.vk.connector import VkConnector
from omnidesk.channels.wire import response_json


@dataclass(frozen=True)
class Position:
    server: str | None = None
    key: str | None = None
    ts: str | None = None


async def open_session(client: httpx.AsyncClient, connector: VkConnector, position: Position) -> Position:
    answer = await connector.call(client, "groups.getLongPollServer", group_id=connector.group_id)
    return Position(answer["server"], answer["key"], position.ts or str(answer["ts"]))


async def poll(
    client: httpx.AsyncClient, connector: VkConnector, position: Position, wait: int = 25
) -> tuple[list[InboundItem], Position]:
    """One long poll: the items delivered since ``position`` and the position after them."""
    if not position.server or not position.key:
        position = await open_session(client, connector, position)
    response = await client.get(
        position.server,
        params={"act": "a_check", "key": position.key, "ts": position.ts, "wait": wait},
        timeout=wait + 10,
    )
    if response.status_code != 200:
        raise connector.classify(response)
    answer = response_json(response)
    failed = answer.get("failed")
    if failed == 1:
        return [], replace(position, ts=str(answer["ts"]))
    if failed in (2, 3):
        fresh = await open_session(client, connector, Position(ts=None if failed == 3 else position.ts))
        return [], fresh
    if failed is not None:
        raise SendFailure(f"VK long poll failed with {failed}", retryable=True, retry_after=5.0)
    items: list[InboundItem] = []
    for event in answer.get("updates") or ():
        if event.get("group_id") is not None and str(event.get("group_id")) != str(connector.group_id):
            continue
        items.extend(connector.parse_event(event))
    return items, replace(position, ts=str(answer.get("ts", position.ts)))
