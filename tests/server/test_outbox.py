"""Replies go out through the outbox: signed webhook POSTs, retries, permanent failures, delivery events, no doubles."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from sqlalchemy import select

from omnidesk.server import migrate
from omnidesk.server.db import Database
from omnidesk.server.outbox.models import OutboxItem
from tests.conftest import Api, serve, test_settings
from tests.helpers import LiveServer, sqlite_url
from tests.server.conftest import omnidesk_here
from tests.sse import StreamReader, of_type

SECRET = "webhook-secret-for-tests"


@pytest.fixture
async def signed_api(db_url):
    """The in-process server with a webhook secret, so every delivery carries an HMAC signature."""
    settings = test_settings(db_url, webhook_secret=SECRET)
    db = Database(db_url, pool_size=2)
    async with serve(settings) as (app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield Api(url=url, db=db, settings=settings, client=client, app=app)
    await db.dispose()


async def _conversation_with_reply(api, sink_url: str, text: str = "Ваша картка готова") -> tuple[dict, dict]:
    channel_id, token = await api.channel("Bank app", webhook_url=sink_url)
    headers = await api.headers_for("op")
    conversation_id = (await api.inbound(channel_id, token, "in-1")).json()["conversation_id"]
    r = await api.client.post(f"/api/v1/conversations/{conversation_id}/messages", json={"text": text}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json(), headers


async def _message(api, headers, message: dict) -> dict:
    url = f"/api/v1/conversations/{message['conversation_id']}/messages"
    items = (await api.client.get(url, params={"limit": 500}, headers=headers)).json()["items"]
    return next(m for m in items if m["id"] == message["id"])


async def _wait_status(api, headers, message: dict, status: str, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = await _message(api, headers, message)
        if current["delivery_status"] == status:
            return current
        await asyncio.sleep(0.05)
    raise AssertionError(f"message {message['id']} is {current['delivery_status']}, expected {status}")


def _lower(headers: dict) -> dict:
    return {k.lower(): v for k, v in headers.items()}


async def test_reply_is_posted_with_idempotency_key_and_a_valid_signature(signed_api, webhook_sink):
    api = signed_api
    reply, headers = await _conversation_with_reply(api, webhook_sink.url)
    received = await asyncio.to_thread(webhook_sink.wait_for, 1)
    body, sent_headers = received[0], _lower(webhook_sink.headers[0])
    assert body["type"] == "message.outgoing"
    assert body["message_id"] == reply["id"] and body["text"] == "Ваша картка готова"
    assert body["customer"]["identities"] == [{"kind": "phone", "value": "+380501234567"}]
    assert body["author"]["username"] == "op"
    assert sent_headers["idempotency-key"] == f"omnidesk-message-{reply['id']}"
    # Recompute the signature the way a receiver would: HMAC-SHA256 over "timestamp.body".
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = sent_headers["x-omnidesk-timestamp"]
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    assert sent_headers["x-omnidesk-signature"] == f"sha256={expected}"
    assert abs(int(timestamp) - time.time()) < 120
    wrong = hmac.new(b"another secret", timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    assert sent_headers["x-omnidesk-signature"] != f"sha256={wrong}"
    sent = await _wait_status(api, headers, reply, "sent")
    assert sent["delivery_error"] is None


async def test_server_errors_are_retried_until_sent_and_each_state_is_an_event(api, webhook_sink):
    webhook_sink.responses = [500, 429]  # a server error, then "too many requests": both are retried
    channel_id, token = await api.channel("Bank app", webhook_url=webhook_sink.url)
    headers = await api.headers_for("op")
    conversation_id = (await api.inbound(channel_id, token, "in-1")).json()["conversation_id"]
    head = (await api.client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
    async with StreamReader(api.url, headers, after=head) as stream:
        r = await api.client.post(
            f"/api/v1/conversations/{conversation_id}/messages", json={"text": "retry me"}, headers=headers
        )
        reply = r.json()
        assert reply["delivery_status"] == "queued"
        await stream.wait_for(
            lambda ev: any(e["payload"]["message"]["delivery_status"] == "sent" for e in of_type(ev, "message.updated"))
        )
    updates = [e["payload"]["message"] for e in of_type(stream.events, "message.updated")]
    assert [(m["delivery_status"], m["delivery_error"]) for m in updates] == [
        ("queued", "HTTP 500"),
        ("queued", "HTTP 429"),
        ("sent", None),
    ]
    assert all(m["id"] == reply["id"] for m in updates)
    assert [b["message_id"] for b in webhook_sink.received] == [reply["id"]]
    assert (await _message(api, headers, reply))["delivery_status"] == "sent"


async def test_permanent_client_error_fails_at_once_with_the_last_error(api, webhook_sink):
    webhook_sink.responses = [422]
    reply, headers = await _conversation_with_reply(api, webhook_sink.url)
    failed = await _wait_status(api, headers, reply, "failed")
    assert failed["delivery_error"] == "HTTP 422"
    await asyncio.sleep(0.8)  # well past several backoff delays: no further attempt
    assert webhook_sink.received == []  # the sink would have answered 200 to a retry
    assert (await _message(api, headers, reply))["delivery_status"] == "failed"


async def test_attempts_run_out_and_the_reply_is_failed(api, webhook_sink):
    webhook_sink.responses = [500] * api.settings.outbox_max_attempts
    reply, headers = await _conversation_with_reply(api, webhook_sink.url)
    failed = await _wait_status(api, headers, reply, "failed", timeout=20)
    assert failed["delivery_error"] == "HTTP 500"
    assert webhook_sink.responses == []  # exactly max_attempts tries were made
    await asyncio.sleep(0.5)
    assert webhook_sink.received == []


async def test_unreachable_webhook_stays_queued_with_the_error_recorded(api):
    from tests.helpers import free_port

    dead_url = f"http://127.0.0.1:{free_port()}/hook"
    reply, headers = await _conversation_with_reply(api, dead_url)
    deadline = time.monotonic() + 15
    while (current := await _message(api, headers, reply))["delivery_error"] is None:
        assert time.monotonic() < deadline, "no delivery attempt was recorded"
        await asyncio.sleep(0.05)
    assert "ConnectError" in current["delivery_error"]
    assert current["delivery_status"] == "queued"  # a network error is retried, not a permanent failure


async def test_many_concurrent_replies_are_each_sent_exactly_once(api, webhook_sink):
    channel_id, token = await api.channel("Bank app", webhook_url=webhook_sink.url)
    operators = [await api.headers_for(f"op{i}") for i in range(4)]
    conversation_ids = [
        (await api.inbound(channel_id, token, f"in-{n}", value=f"+38067111{n:04d}")).json()["conversation_id"]
        for n in range(5)
    ]

    async def reply(k: int) -> int:
        r = await api.client.post(
            f"/api/v1/conversations/{conversation_ids[k % 5]}/messages",
            json={"text": f"reply {k}", "client_key": f"key-{k}"},
            headers=operators[k % 4],
        )
        assert r.status_code in (200, 201), r.text
        return r.json()["id"]

    # Every reply sent twice by its client (a retry after a lost answer): still one message, one POST.
    ids = await asyncio.gather(*(reply(k) for k in list(range(16)) * 2))
    assert len(set(ids)) == 16
    await asyncio.to_thread(webhook_sink.wait_for, 16)
    await asyncio.sleep(0.5)
    keys = Counter(_lower(h)["idempotency-key"] for h in webhook_sink.headers)
    assert len(keys) == 16 and set(keys.values()) == {1}
    assert sorted(b["message_id"] for b in webhook_sink.received) == sorted(set(ids))


class SlowReceiver:
    """A webhook receiver that takes ``delay`` seconds to answer, so a stopping server has deliveries in flight."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.keys: list[str] = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.keys.append(self.headers["Idempotency-Key"])
                receiver.arrived.set()
                time.sleep(receiver.delay)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def _outbox_rows(url: str) -> list:
    db = Database(url, pool_size=1)
    try:
        async with db.session() as session:
            query = select(OutboxItem.message_id, OutboxItem.state, OutboxItem.lease_until)
            return (await session.execute(query)).all()
    finally:
        await db.dispose()


@pytest.mark.slow
def test_a_stopping_server_finishes_deliveries_in_flight_and_nothing_is_sent_twice(tmp_path):
    receiver = SlowReceiver(delay=1.5)
    url = sqlite_url(tmp_path / "omnidesk.db")
    migrate.upgrade(url)
    username, password = LiveServer.ADMIN
    omnidesk_here("user", "add", username, "--role", "admin", "--password-stdin", database=url, stdin=password)
    server = LiveServer(url, env={"OMNIDESK_OUTBOX_BASE_DELAY": "0.3"}, log_dir=tmp_path).start()
    try:
        channel_id, token = server.add_channel("Bank app", webhook_url=receiver.url)
        conversation_id = server.inbound(channel_id, token, "in-1", "+380501234567", "hello")["conversation_id"]
        message_ids = []
        for k in range(5):
            r = httpx.post(
                f"{server.url}/api/v1/conversations/{conversation_id}/messages",
                json={"text": f"reply {k}", "client_key": f"k{k}"},
                headers=server.admin_headers(),
            )
            assert r.status_code == 201, r.text
            message_ids.append(r.json()["id"])
        assert receiver.arrived.wait(30)
        server.stop()  # SIGTERM while the receiver is still answering
        rows = asyncio.run(_outbox_rows(url))
        held = [r.message_id for r in rows if r.lease_until is not None]
        assert held == [], f"replies {held} stay leased after a clean stop: a restart would wait for them"
        server.start()
        deadline = time.monotonic() + 30
        while len(set(receiver.keys)) < len(message_ids) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2 * receiver.delay)  # any double would arrive by now
        assert sorted(receiver.keys) == sorted(f"omnidesk-message-{i}" for i in message_ids), Counter(receiver.keys)
        r = httpx.get(
            f"{server.url}/api/v1/conversations/{conversation_id}/messages",
            params={"limit": 100},
            headers=server.admin_headers(),
        )
        statuses = {m["id"]: m["delivery_status"] for m in r.json()["items"] if m["direction"] == "out"}
        assert statuses == dict.fromkeys(message_ids, "sent")
    finally:
        server.close()
        receiver.close()


async def test_an_email_kind_channel_without_a_mailbox_is_a_gateway_on_the_generic_api(api, webhook_sink):
    """A channel of the e-mail kind created without mailbox settings (an external mail gateway on the generic API,
    as in the demo) gets its replies on its webhook, like a messenger channel without credentials; before, the outbox
    took it for a mailbox and every reply failed with "internal error: KeyError"."""
    from omnidesk.domain.enums import ChannelKind
    from omnidesk.server.admin.service import create_api_channel
    from omnidesk.server.email.service import email_channels

    async with api.db.session() as session:
        channel, token = await create_api_channel(
            session, name="Mail gateway", webhook_url=webhook_sink.url, kind=ChannelKind.EMAIL
        )
        await session.commit()
    headers = await api.headers_for("op")
    inbound = await api.inbound(channel.id, token, "mail-1", value="olena@bank.test", kind="email")
    assert inbound.status_code == 201, inbound.text
    conversation_id = inbound.json()["conversation_id"]
    url = f"/api/v1/conversations/{conversation_id}/messages"
    reply = (await api.client.post(url, json={"text": "Відповідь"}, headers=headers)).json()
    [body] = await asyncio.to_thread(webhook_sink.wait_for, 1)
    assert body["message_id"] == reply["id"] and body["text"] == "Відповідь"
    await _wait_status(api, headers, reply, "sent")
    assert [c.id for c, _, _ in await email_channels(api.db)] == []  # no mailbox to read


async def test_a_receipt_that_arrived_before_the_send_was_recorded_is_not_stepped_back(api, webhook_sink):
    """E-mail's delivery report or a platform's fast "read" can land while the reply is still queued for a retry;
    recording the send afterwards must not lower delivered/read to sent."""
    from sqlalchemy import update

    from omnidesk.server.conversations.models import Message

    webhook_sink.responses = [500]  # the first attempt fails and is retried after the backoff
    reply, headers = await _conversation_with_reply(api, webhook_sink.url)
    deadline = time.monotonic() + 15
    while (await _message(api, headers, reply))["delivery_error"] != "HTTP 500":  # the first attempt is recorded
        assert time.monotonic() < deadline, "the first attempt was never recorded"
        await asyncio.sleep(0.05)
    async with api.db.session() as session:
        await session.execute(update(Message).where(Message.id == reply["id"]).values(delivery_status="read"))
        await session.commit()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not webhook_sink.received:
        await asyncio.sleep(0.05)
    assert [b["message_id"] for b in webhook_sink.received] == [reply["id"]]
    async with api.db.session() as session:
        item = await session.scalar(select(OutboxItem).where(OutboxItem.message_id == reply["id"]))
        for _ in range(100):
            await session.refresh(item)
            if item.state == "done":
                break
            await asyncio.sleep(0.05)
    assert item.state == "done"
    assert (await _message(api, headers, reply))["delivery_status"] == "read"
