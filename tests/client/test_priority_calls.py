"""The call the operator waits for goes first (issue 16: opening a long conversation, the first inbox page).

The server answers one process's requests on one thread: the card, the timeline and the reply window read alongside
the newest messages shared its time with them, and opening a conversation took the sum of all four. ApiClient.priority
(and ApiClient.hold for a call not yet made) makes the other calls wait until the priority one is answered, at most
PRIORITY_WAIT each. Against the real in-process server; the client's sends are recorded, not replaced.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from omnidesk.client import api as api_module
from omnidesk.client.api import ApiClient
from tests.client.live import settle, signed_in, until


@pytest.fixture
def sends(monkeypatch) -> list[tuple[str, str, float, float]]:
    """Every request any ApiClient sends: (method, path, sent at, answered at)."""
    log: list[tuple[str, str, float, float]] = []
    real = ApiClient._send

    async def recorded(self, request, *, stream=False):
        began = time.perf_counter()
        try:
            return await real(self, request, stream=stream)
        finally:
            log.append((request.method, request.url.path, began, time.perf_counter()))

    monkeypatch.setattr(ApiClient, "_send", recorded)
    return log


async def _signed_in_api(api, username: str) -> ApiClient:
    await api.user(username)
    client = ApiClient(api.url)
    await client.login(username, "password-123")
    return client


async def test_other_calls_wait_until_the_priority_call_is_answered(api, sends, monkeypatch):
    monkeypatch.setattr(api_module, "PRIORITY_WAIT", 30.0)  # the order, not the limit (a loaded machine is slow)
    client = await _signed_in_api(api, "olena")
    channel_id, token = await api.channel("Site")
    conversation_id = (await api.inbound(channel_id, token, "m-1", "+380501110000", "Hello", name="Anna")).json()[
        "conversation_id"
    ]
    sends.clear()

    async def first() -> None:
        async with client.priority():
            await client.messages(conversation_id)

    task = asyncio.ensure_future(first())
    await asyncio.sleep(0)  # the priority call is on its way
    await asyncio.gather(client.me(), client.channels(), task)
    by_path = {path: (began, answered) for _, path, began, answered in sends}
    messages = by_path[f"/api/v1/conversations/{conversation_id}/messages"]
    assert by_path["/api/v1/me"][0] >= messages[1] and by_path["/api/v1/channels"][0] >= messages[1], sends
    await client.aclose()


async def test_a_hold_keeps_calls_back_until_released_and_never_longer_than_the_limit(api, sends, monkeypatch):
    client = await _signed_in_api(api, "taras")
    release = client.hold()
    call = asyncio.ensure_future(client.me())
    await asyncio.sleep(0.05)
    assert not call.done() and not [s for s in sends if s[1] == "/api/v1/me"]  # held back: not even sent
    release()
    await asyncio.wait_for(call, 5)
    release()  # a second release is harmless

    monkeypatch.setattr(api_module, "PRIORITY_WAIT", 0.2)
    forgotten = client.hold()  # never released: each call waits the limit, then goes
    began = time.perf_counter()
    await client.me()
    assert 0.19 <= time.perf_counter() - began < 3
    forgotten()
    await client.aclose()


async def test_opening_a_conversation_reads_its_messages_ahead_of_the_card_and_the_side_panes(
    api, tmp_path, memory_keyring, sends, monkeypatch
):
    monkeypatch.setattr(api_module, "PRIORITY_WAIT", 30.0)  # the order, not the limit (a loaded machine is slow)
    await api.user("olena")
    channel_id, token = await api.channel("Site")
    for number in range(3):
        await api.inbound(channel_id, token, f"o-{number}", "+380501112233", f"Question {number}", name="Emily Carter")
    client = await signed_in(tmp_path, api.url, "olena")
    window = client.window
    # Signing in: the first inbox page went ahead of what signing in set off (presence, offers, the stream...).
    first_page = next(s for s in sends if s[1] == "/api/v1/conversations")
    later = [s for s in sends if s[2] > first_page[2] - 1e-9 and s is not first_page]
    assert later and all(s[2] >= first_page[3] for s in later), (first_page, later)

    conversation_id = window.inbox.conversation_at(0).id
    await asyncio.sleep(0.3)
    sends.clear()
    window.open_conversation(conversation_id)
    await until(lambda: window.messages.rowCount() == 3, what="the history")
    await until(lambda: len(sends) >= 3, what="the side panes' reads")
    page = next(s for s in sends if s[1] == f"/api/v1/conversations/{conversation_id}/messages")
    others = [s for s in sends if s is not page]
    assert others and all(s[2] >= page[3] for s in others), (page, others)  # card, timeline, reply window: after
    await settle(client)
