"""An operator's internal note never reaches the customer, on every channel path that runs here (issue 11): a real
server (SQLite and PostgreSQL) and each channel's loopback platform — the Telegram Bot API and WhatsApp Cloud API
fakes, the Viber, VK, Messenger, Instagram and MAX send APIs (omnidesk/demo), the real postfix/dovecot pair for
e-mail, and the web chat visitor's own live stream and history. The customer writes through the platform's own
webhook (or mail, or the widget's API), the operator writes a note and then a reply, the outbox runs, and the platform
has received the reply and nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dt
import random
import shutil
import time

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from omnidesk.demo.messengers import CREDENTIALS, FakeMessengers, Payloads
from omnidesk.demo.platforms import FakeTelegram, FakeWhatsApp
from omnidesk.domain.enums import ChannelKind, Role
from omnidesk.server.conversations.models import Message
from omnidesk.server.db import Database
from omnidesk.server.outbox.models import OutboxItem
from tests.channels.platforms import fixture
from tests.channels.server_fixtures import add_telegram, add_whatsapp
from tests.conftest import Api, serve, test_settings

NOTE = "NOTE-7f3a: fraud team blocked the card, do not tell the customer"
REPLY = "Your card is on its way"
CUSTOMER = "4051234"  # the customer's id on the messenger platforms (VK and MAX ids are numbers)


@pytest.fixture
async def napi(db_url, tmp_path):
    settings = test_settings(db_url, channel_key=Fernet.generate_key().decode(), data_dir=str(tmp_path / "data"))
    db = Database(db_url, pool_size=2)
    async with serve(settings) as (app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield Api(url=url, db=db, settings=settings, client=client, app=app)
    await db.dispose()


async def _wait(check, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await check()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Path:
    """One channel path: ``start`` makes the channel and has the customer write; ``received`` is every text the
    customer's side has been given (what the platform's API was asked to send, or what the visitor was shown)."""

    async def start(self, api: Api, admin: dict) -> None:
        raise NotImplementedError

    async def received(self) -> list[str]:
        raise NotImplementedError

    async def close(self) -> None:
        pass


class TelegramPath(Path):
    async def start(self, api, admin):
        self._running = FakeTelegram().running()
        self.fake = await self._running.__aenter__()
        channel = await add_telegram(api, self.fake, admin)
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.fake.webhook["secret_token"]}
        r = await api.client.post(f"/hooks/telegram/{channel['id']}", json=fixture("telegram", "text"), headers=headers)
        assert r.status_code == 200, r.text

    async def received(self):
        return [params.get("text") or params.get("caption") or "" for _method, params, _files in self.fake.sent]

    async def close(self):
        await self._running.__aexit__(None, None, None)


class WhatsAppPath(Path):
    async def start(self, api, admin):
        self._running = FakeWhatsApp().running()
        self.fake = await self._running.__aenter__()
        channel = await add_whatsapp(api, self.fake, admin)
        payload = copy.deepcopy(fixture("whatsapp", "text"))  # a fresh timestamp: inside the 24-hour window
        for item in payload["entry"][0]["changes"][0]["value"]["messages"]:
            item["timestamp"] = str(int(dt.datetime.now(dt.UTC).timestamp()) - 60)
        r = await self.fake.notify(api.client, f"{api.url}/hooks/whatsapp/{channel['id']}", payload)
        assert r.status_code == 200, r.text

    async def received(self):
        return [(body.get("text") or {}).get("body", str(body)) for body in self.fake.sent]

    async def close(self):
        await self._running.__aexit__(None, None, None)


class MessengerPath(Path):
    def __init__(self, kind: ChannelKind) -> None:
        self.kind = kind

    async def start(self, api, admin):
        self._running = FakeMessengers().running()
        self.fake = await self._running.__aenter__()
        secrets, options = CREDENTIALS[self.kind]
        body = {
            "name": f"Bank {self.kind.value}",
            "secrets": dict(secrets),
            "options": dict(options),
            "api_base": self.fake.api_base(self.kind),
        }
        r = await api.client.post(f"/api/v1/admin/channels/{self.kind.value}", json=body, headers=admin)
        assert r.status_code == 201, r.text
        raw, headers = Payloads(random.Random(11)).build(
            self.kind, {"sender": {"value": CUSTOMER, "name": "Olena"}, "text": "Where is my card?"}
        )
        r = await api.client.post(f"/hooks/{self.kind.value}/{r.json()['id']}", content=raw, headers=headers)
        assert r.status_code == 200, r.text

    async def received(self):
        return [text for kind, _address, text in self.fake.sent if kind is self.kind]

    async def close(self):
        await self._running.__aexit__(None, None, None)


class EmailPath(Path):
    def __init__(self, servers) -> None:
        self.servers = servers

    async def start(self, api, admin):
        for user in self.servers.users:
            shutil.rmtree(self.servers.maildir(user), ignore_errors=True)
        r = await api.client.post("/api/v1/channels/email", headers=admin, json=self.servers.channel_body())
        assert r.status_code == 201, r.text
        self.servers.deliver(
            "support",
            b"From: Customer <customer@customer.test>\r\nTo: support@bank.test\r\nSubject: Card\r\n"
            b"Message-ID: <note-test-1@customer.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            b"Where is my card?\r\n",
        )

    async def received(self):
        inbox = await asyncio.to_thread(self.servers.read_inbox, "customer")
        return [mail.get_body(("plain",)).get_content() for mail in inbox]


class WebchatPath(Path):
    """The visitor's side: the widget's live stream (the server's visitor fan-out) and the history a reload shows."""

    async def start(self, api, admin):
        self.api = api
        r = await api.client.post("/api/v1/channels/webchat", headers=admin, json={"name": "Bank site"})
        assert r.status_code == 201, r.text
        self.cid = r.json()["id"]
        token = (await api.client.post(f"/webchat/{self.cid}/session", json={"name": "Olena"})).json()["token"]
        r = await api.client.post(
            f"/webchat/{self.cid}/messages",
            headers={"authorization": f"Bearer {token}"},
            json={"text": "Where is my card?", "client_key": "n1"},
        )
        assert r.status_code == 201, r.text
        self.token = (await api.client.post(f"/webchat/{self.cid}/session", json={"token": token})).json()["token"]
        self.frames: list[str] = []
        self.listening = asyncio.Event()
        self.listener = asyncio.ensure_future(self._listen())
        await asyncio.wait_for(self.listening.wait(), 10)

    async def _listen(self):
        async with self.api.client.stream("GET", f"/webchat/{self.cid}/stream", params={"token": self.token}) as r:
            self.listening.set()
            async for line in r.aiter_lines():
                if line.startswith("data:"):
                    self.frames.append(line)

    async def ready(self, api, operator, conversation_id: int) -> None:
        """Wait until the server's visitor fan-out follows this widget's stream (its open widgets count)."""

        async def open_widgets():
            url = f"/api/v1/conversations/{conversation_id}/webchat"
            return (await api.client.get(url, headers=operator)).json()["open_widgets"] > 0

        await _wait(open_widgets, "the visitor's stream to be followed")

    async def received(self):
        live = [f for f in self.frames if REPLY in f or NOTE in f]
        history = (await self.api.client.post(f"/webchat/{self.cid}/session", json={"token": self.token})).json()
        shown = [m["text"] for m in history["history"] if m.get("direction") == "out" or m.get("text") in (REPLY, NOTE)]
        if not live:
            return []  # the reply has not reached the stream yet
        self.everything = " ".join(self.frames) + " " + " ".join(m.get("text") or "" for m in history["history"])
        return shown

    async def close(self):
        self.listener.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.listener


PATHS = {
    "telegram": lambda request: TelegramPath(),
    "whatsapp": lambda request: WhatsAppPath(),
    **{kind.value: (lambda request, kind=kind: MessengerPath(kind)) for kind in CREDENTIALS},
    "email": lambda request: EmailPath(request.getfixturevalue("mail_servers")),
    "webchat": lambda request: WebchatPath(),
}


@pytest.mark.parametrize("path_name", list(PATHS))
async def test_an_internal_note_never_reaches_the_customer(napi, request, path_name):
    api = napi
    path = PATHS[path_name](request)
    admin = await api.headers_for("root", Role.ADMIN)
    operator = await api.headers_for("op", Role.OPERATOR)
    try:
        await path.start(api, admin)

        async def conversations():
            return (await api.client.get("/api/v1/conversations", headers=operator)).json()["items"]

        (conv,) = await _wait(conversations, "the customer's message to open a conversation")
        if isinstance(path, WebchatPath):
            await path.ready(api, operator, conv["id"])
        url = f"/api/v1/conversations/{conv['id']}/messages"
        note = await api.client.post(url, json={"text": NOTE, "kind": "note"}, headers=operator)
        assert note.status_code == 201, note.text
        assert note.json()["kind"] == "note" and note.json()["delivery_status"] is None
        reply = await api.client.post(url, json={"text": REPLY, "client_key": f"r-{path_name}"}, headers=operator)
        assert reply.status_code == 201, reply.text

        async def sent():
            items = (await api.client.get(url, params={"limit": 100}, headers=operator)).json()["items"]
            ours = next(m for m in items if m["id"] == reply.json()["id"])
            return ours if ours["delivery_status"] not in (None, "queued") else None

        ours = await _wait(sent, "the reply to be sent")
        assert ours["delivery_status"] in ("sent", "delivered", "read"), ours

        async def given():
            texts = await path.received()
            return texts if any(REPLY in t for t in texts) else None

        await _wait(given, "the platform to receive the reply")
        await asyncio.sleep(0.5)  # a note, if it were sent, would have gone out with or before the reply
        texts = await path.received()
        assert len(texts) == 1 and REPLY in texts[0], texts
        assert not any("NOTE-7f3a" in t for t in texts), texts
        if isinstance(path, WebchatPath):
            assert "NOTE-7f3a" not in path.everything  # neither in the live stream nor in the history
        async with api.db.session() as session:
            queued = await session.scalar(
                select(func.count()).select_from(OutboxItem).where(OutboxItem.message_id == note.json()["id"])
            )
            stored = await session.get(Message, note.json()["id"])
        assert queued == 0 and stored.delivery_status is None and stored.external_id is None
        # The operators still read the note in the conversation.
        items = (await api.client.get(url, params={"limit": 100}, headers=operator)).json()["items"]
        assert [m["text"] for m in items if m["kind"] == "note"] == [NOTE]
    finally:
        await path.close()
