"""The traffic simulator against a real server: messages through the inbound endpoint reach the event stream,
a server that is down for a while gets the message once when it is back, and replies turn "sent" at the demo's
receiver, where the customer may answer back."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select, update

from omnidesk.demo.dialogues import THANKS
from omnidesk.demo.simulator import ReplyReceiver, TrafficSimulator
from omnidesk.domain.names import guess_language
from omnidesk.server.admin.models import Channel
from omnidesk.server.app import create_app
from omnidesk.server.conversations.models import Message
from omnidesk.server.db import Database
from tests.conftest import serve, test_settings
from tests.helpers import free_port
from tests.sse import StreamReader, of_type


@contextlib.asynccontextmanager
async def serving(app, port: int = 0):
    """Any ASGI app on 127.0.0.1 (``port`` or a free one) until the block ends; yields its URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server stopped during start")
        await asyncio.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{bound}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


async def operator_headers(client: httpx.AsyncClient) -> dict:
    r = await client.post("/api/v1/auth/login", json={"username": "operator", "password": "operator"})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def count_external(url: str, external_id: str) -> int:
    db = Database(url, pool_size=1)
    try:
        async with db.session() as session:
            return await session.scalar(select(func.count()).where(Message.external_id == external_id))
    finally:
        await db.dispose()


def test_messages_come_in_three_languages_from_known_and_new_customers(seeded_url):
    _url, world = seeded_url
    simulator = TrafficSimulator("http://unused", world, rng=random.Random(5))
    known = {id(p) for p in world.people}
    deliveries = [simulator.next_delivery() for _ in range(300)]
    languages = Counter(guess_language(d.body["text"]) or "en" for d in deliveries)
    assert languages.keys() == {"uk", "ru", "en"}
    assert len({d.channel.kind for d in deliveries}) >= 8
    assert len({d.body["external_id"] for d in deliveries}) == 300
    new_people = [p for p in simulator.people if id(p) not in known]
    assert 50 < len(new_people) < 250, "a mix of new and returning customers"


async def test_simulated_messages_arrive_on_the_operators_event_stream(seeded_url):
    url, world = seeded_url
    async with serve(test_settings(url)) as (_app, base):
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            headers = await operator_headers(client)
            async with StreamReader(base, headers) as stream:
                simulator = TrafficSimulator(base, world, rng=random.Random(11), client=client)
                acks = [await simulator.deliver(simulator.next_delivery()) for _ in range(6)]
                assert all(ack and not ack["duplicate"] for ack in acks)
                events = await stream.wait_for(lambda ev: len(of_type(ev, "message.created")) >= 6, timeout=20)
            ids = {e["payload"]["message"]["id"] for e in of_type(events, "message.created")}
            assert {ack["message_id"] for ack in acks} <= ids
            assert simulator.sent == 6 and simulator.retries == 0


async def test_a_message_sent_while_the_server_is_down_is_stored_once_when_it_is_back(seeded_url):
    url, world = seeded_url
    port = free_port()
    async with httpx.AsyncClient(timeout=5) as client:
        simulator = TrafficSimulator(
            f"http://127.0.0.1:{port}", world, rng=random.Random(3), client=client, max_backoff=0.3
        )
        delivery = simulator.next_delivery()
        sending = asyncio.create_task(simulator.deliver(delivery))
        await asyncio.sleep(1.5)
        assert not sending.done() and simulator.retries >= 2, "keeps retrying while nobody listens"
        async with serving(create_app(test_settings(url)), port):
            ack = await asyncio.wait_for(sending, 30)
            assert ack is not None and not ack["duplicate"]
            # The answer got lost, say, and the channel sends it again: the same message, not a second one.
            again = await simulator.deliver(delivery)
            assert again["duplicate"] and again["message_id"] == ack["message_id"]
    assert await count_external(url, delivery.body["external_id"]) == 1


async def test_an_operators_reply_turns_sent_and_the_customer_may_answer_back(seeded_url):
    url, world = seeded_url
    replies: asyncio.Queue = asyncio.Queue()
    receiver = ReplyReceiver(on_reply=replies.put_nowait)
    async with serving(receiver) as receiver_url:
        db = Database(url, pool_size=1)
        async with db.session() as session:
            await session.execute(update(Channel).values(webhook_url=receiver_url + "/replies"))
            await session.commit()
        await db.dispose()
        async with serve(test_settings(url)) as (_app, base):
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                headers = await operator_headers(client)
                r = await client.get("/api/v1/conversations", params={"status": "open", "limit": 1}, headers=headers)
                conversation = r.json()["items"][0]
                simulator = TrafficSimulator(
                    base, world, rng=random.Random(1), client=client, interval=0.3, answer_rate=1.0
                )
                answering = asyncio.create_task(simulator._answer(replies))
                try:
                    text = "Перевірили, все гаразд. Гарного дня!"
                    r = await client.post(
                        f"/api/v1/conversations/{conversation['id']}/messages", json={"text": text}, headers=headers
                    )
                    assert r.status_code == 201, r.text
                    reply_id = r.json()["id"]
                    history = await poll_history(client, headers, conversation["id"], reply_id)
                finally:
                    answering.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await answering
    (reply,) = [m for m in history if m["id"] == reply_id]
    assert reply["delivery_status"] == "sent"
    assert [r["text"] for r in receiver.received.values()] == [text]
    thanks = [m for m in history if m["id"] > reply_id and m["direction"] == "in"]
    assert thanks and thanks[0]["text"] in THANKS["uk"]


async def poll_history(client, headers, conversation_id: int, reply_id: int, timeout: float = 30.0) -> list[dict]:
    """The conversation's messages once the reply is sent and a customer message came after it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        r = await client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=headers)
        history = r.json()["items"]
        sent = any(m["id"] == reply_id and m["delivery_status"] == "sent" for m in history)
        answered = any(m["id"] > reply_id and m["direction"] == "in" for m in history)
        if sent and answered:
            return history
        if loop.time() > deadline:
            pytest.fail(f"reply not sent and answered in time: {history[-3:]}")
        await asyncio.sleep(0.2)
