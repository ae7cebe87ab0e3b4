"""The MAX connector against a loopback MAX Bot API: the secret header, updates, long polling with a marker, sends
with inline keyboards and uploads, the request-rate limit and error codes, webhook subscriptions."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time

import httpx
import pytest

from omnidesk.channels import connector_for, limits
from omnidesk.channels.base import (
    Author,
    Button,
    ChannelConfig,
    InboundRequest,
    ItemKind,
    OutboundFile,
    OutboundMessage,
    Recipient,
    SendFailure,
    Unverified,
)
from omnidesk.channels.max import longpoll
from omnidesk.channels.max.connector import MAX_TEXT, MaxConnector
from tests.channels.ch2_loopback import Platform, Seen, fixture

TOKEN = "f9LHodD0cOJ6Q0lUl9Vo4Ikdn9ML2Sqa2LmdsFE1hXvp6O4L"
SECRET = "omnidesk_max-hook-7c1e"
USER = "4012345"


class FakeMax:
    """MAX as documented: ``Authorization: <token>``, 30 requests/s (429 ``too.many.requests`` above it)."""

    def __init__(self) -> None:
        self.url = ""
        self.recent: list[float] = []
        self.limit = 30
        self.not_ready = 0
        self.next_seq = 0
        self.updates: list[dict] = []
        self.marker = 100
        self.subscriptions: list[dict] = []
        self.media = b"%PDF-1.7 statement"
        self.lock = threading.Lock()

    def __call__(self, seen: Seen):
        if seen.path.startswith("/media/"):
            return 200, self.media, {"Content-Type": "application/pdf"}
        if seen.path == "/upload":
            assert seen.parts()["data"][1]
            return 200, {"token": f"upload-token-{seen.query['type']}"}
        if "access_token" in seen.query:
            return 401, {"code": "verify.token", "message": "Query-parameter tokens are no longer supported"}
        if seen.headers.get("authorization") != TOKEN:
            return 401, {"code": "verify.token", "message": "Invalid access_token"}
        now = time.monotonic()
        self.recent = [t for t in self.recent if now - t < 1.0] + [now]
        if len(self.recent) > self.limit:
            return 429, {"code": "too.many.requests", "message": "Too many requests"}
        if seen.path == "/messages" and seen.method == "POST":
            body = seen.json()
            if any(a["type"] == "file" for a in body.get("attachments", [])) and self.not_ready:
                self.not_ready -= 1
                return 400, {
                    "code": "attachment.not.ready",
                    "message": "Key: errors.process.attachment.file.not.processed",
                }
            if len(body.get("text", "")) > MAX_TEXT:
                return 400, {"code": "proto.payload", "message": "text: size must be between 0 and 4000"}
            if seen.query.get("user_id") != USER:
                return 404, {"code": "not.found", "message": "Chat not found"}
            self.next_seq += 1
            mid = f"mid.sent{self.next_seq}"
            return 200, {
                "message": {"recipient": {"user_id": int(USER)}, "body": {"mid": mid, "text": body.get("text")}}
            }
        if seen.path == "/uploads":
            return 200, {"url": f"{self.url}/upload?type={seen.query['type']}"}
        if seen.path == "/subscriptions" and seen.method == "POST":
            self.subscriptions.append(seen.json())
            return 200, {"success": True}
        if seen.path == "/subscriptions" and seen.method == "DELETE":
            self.subscriptions = [s for s in self.subscriptions if s["url"] != seen.query["url"]]
            return 200, {"success": True}
        if seen.path == "/updates":
            marker = int(seen.query.get("marker", self.marker))
            batch = [u for i, u in enumerate(self.updates) if self.marker + i >= marker]
            return 200, {"updates": batch, "marker": self.marker + len(self.updates)}
        if seen.path == "/me":
            return 200, {"user_id": 9001, "name": "Банк", "username": "bank_bot", "is_bot": True}
        if seen.path == "/answers":
            return 200, {"success": True}
        return 404, {"code": "not.found", "message": "Unknown method"}


@pytest.fixture
def max_api():
    fake = FakeMax()
    platform = Platform(fake).start()
    fake.url = platform.url
    platform.fake = fake
    limits._token_windows.clear()
    yield platform
    platform.stop()


def connector(api_base: str | None = None, token: str = TOKEN, **options) -> MaxConnector:
    return connector_for(
        "max",
        ChannelConfig(
            6, "Bank MAX", api_base=api_base, secrets={"access_token": token, "webhook_secret": SECRET}, options=options
        ),
    )


def request(body: bytes, secret: str | None = SECRET) -> InboundRequest:
    headers = {"x-max-bot-api-secret": secret} if secret is not None else {}
    return InboundRequest("POST", headers, {}, body)


def outbound(text: str = "Здравствуйте!", **kw) -> OutboundMessage:
    return OutboundMessage(
        message_id=74,
        conversation_id=10,
        channel_id=6,
        text=text,
        sent_at=dt.datetime.now(dt.UTC),
        recipient=Recipient(1, "Иван", USER),
        author=Author(2, "olga", "Ольга"),
        **kw,
    )


def test_the_secret_header_is_required():
    body = fixture("max", "message_created.json")
    connector().verify(request(body))
    for forged in (request(body, None), request(body, "guess"), request(body, SECRET.upper())):
        with pytest.raises(Unverified):
            connector().verify(forged)


def test_updates_are_parsed():
    [message] = connector().parse(request(fixture("max", "message_created.json")))
    assert (message.kind, message.external_id) == (ItemKind.MESSAGE, "mid.000000000442a3c70199d5e8b6a81c2f")
    assert (message.sender.kind, message.sender.value, message.sender.name) == ("max", USER, "Иван Петров")
    assert message.sent_at == dt.datetime.fromtimestamp(1764676800.1, dt.UTC)
    [rich] = connector().parse(request(fixture("max", "message_created_attachments.json")))
    assert [(a.kind, a.platform_id) for a in rich.attachments] == [
        ("image", "MEDIA_URL/photo.jpg"),
        ("document", "MEDIA_URL/statement.pdf"),
    ]
    assert rich.attachments[1].file_name == "statement.pdf" and rich.attachments[1].size == 48213
    assert (rich.contact.name, rich.contact.phone, rich.contact.platform_user_id) == (
        "Иван Петров",
        "+79161234567",
        USER,
    )
    assert [(i.kind, i.value) for i in rich.identities] == [("phone", "+79161234567")]
    someone = json.loads(fixture("max", "message_created_attachments.json"))
    someone["message"]["body"]["attachments"][2]["payload"]["max_info"]["user_id"] = 5550000
    [forwarded] = connector().parse(request(json.dumps(someone).encode()))
    assert forwarded.contact.phone == "+79161234567" and forwarded.identities == ()  # another person's card
    assert (rich.location.latitude, rich.location.longitude) == (55.7558, 37.6173)
    [pressed] = connector().parse(request(fixture("max", "message_callback.json")))
    assert (pressed.button, pressed.sender.value) == ("card-blocked", USER) and pressed.external_id.startswith(
        "callback:"
    )
    [started] = connector().parse(request(fixture("max", "bot_started.json")))
    assert (started.kind, started.start_payload, started.text) == (ItemKind.MESSAGE, "customer-7Hq2", None)
    [edit] = connector().parse(request(fixture("max", "message_edited.json")))
    assert (edit.kind, edit.target_external_id) == (ItemKind.EDIT, message.external_id)
    [removed] = connector().parse(request(fixture("max", "message_removed.json")))
    assert (removed.kind, removed.target_external_id) == (ItemKind.DELETION, "mid.000000000442a3c70199d5e8b6a81c30")
    [stopped] = connector().parse(request(fixture("max", "bot_stopped.json")))
    assert stopped.kind is ItemKind.UNSUBSCRIBED
    with pytest.raises(ValueError):
        connector().parse(request(b'{"timestamp": 1}'))


async def test_send_with_inline_keyboard_long_text_and_upload(max_api):
    bot = connector(max_api.url)
    async with httpx.AsyncClient() as client:
        buttons = (Button("Карта заблокирована", "card-blocked"), Button("Сайт", url="https://bank.ru"))
        result = await bot.send(client, outbound(buttons=buttons, quick_replies=("Да", "Нет")))
        call = max_api.calls("/messages")[0]
        assert call.query == {"user_id": USER} and call.headers["authorization"] == TOKEN
        body = call.json()
        keyboard = body["attachments"][0]
        assert keyboard["type"] == "inline_keyboard"
        assert keyboard["payload"]["buttons"] == [
            [{"type": "callback", "text": "Карта заблокирована", "payload": "card-blocked"}],
            [{"type": "link", "text": "Сайт", "url": "https://bank.ru"}],
            [{"type": "message", "text": "Да"}, {"type": "message", "text": "Нет"}],
        ]
        assert result.external_ids == ("mid.sent1",)
        long = await bot.send(client, outbound("слово " * 1500))
        assert len(long.external_ids) == 3
        max_api.fake.not_ready = 2  # MAX is still processing the upload twice
        pdf = OutboundFile("statement.pdf", "application/pdf", b"%PDF-1.7", kind="document")
        sent = await bot.send(client, outbound("Выписка", files=(pdf,)))
        assert len(sent.external_ids) == 1
        body = max_api.calls("/messages")[-1].json()
        assert body["attachments"] == [{"type": "file", "payload": {"token": "upload-token-file"}}]
        assert max_api.calls("/uploads")[0].query == {"type": "file"}


async def test_errors_and_the_rate_limit(max_api):
    async with httpx.AsyncClient() as client:
        with pytest.raises(SendFailure) as bad_token:
            await connector(max_api.url, token="wrong").send(client, outbound())
        assert not bad_token.value.retryable and bad_token.value.code == "verify.token"
        with pytest.raises(SendFailure) as unknown:
            await connector(max_api.url).send(client, _to("777"))
        assert not unknown.value.retryable and unknown.value.code == "not.found"

        # Paced at the documented 30 requests/s, 45 concurrent sends are never refused...
        paced = connector(max_api.url)
        max_api.fake.recent.clear()
        started = time.monotonic()
        results = await asyncio.gather(*(paced.send(client, outbound()) for _ in range(45)))
        assert len(results) == 45 and time.monotonic() - started >= 1.4
        # ...while a connector told to ignore the limit meets 429, read as retryable.
        limits._token_windows.clear()
        reckless = connector(max_api.url, rate=100000)
        outcomes = await asyncio.gather(*(reckless.send(client, outbound()) for _ in range(60)), return_exceptions=True)
        refused = [o for o in outcomes if isinstance(o, SendFailure)]
        assert refused and all(f.retryable and f.code == "too.many.requests" and f.retry_after for f in refused)


def _to(address: str) -> OutboundMessage:
    message = outbound()
    return OutboundMessage(**{**message.__dict__, "recipient": Recipient(1, "x", address)})


async def test_long_polling_with_a_marker(max_api):
    updates = [json.loads(fixture("max", n)) for n in ("bot_started.json", "message_created.json")]
    max_api.fake.updates = updates
    bot = connector(max_api.url)
    async with httpx.AsyncClient() as client:
        items, marker = await longpoll.poll(client, bot, None, timeout=0)
        assert [i.start_payload or i.text for i in items] == [
            "customer-7Hq2",
            "Добрый день! Раньше писал вам в Telegram",
        ]
        assert marker == 102
        again, same_marker = await longpoll.poll(client, bot, marker, timeout=0)
        assert again == [] and same_marker == 102
        query = max_api.calls("/updates")[-1].query
        assert query["marker"] == "102" and "message_created" in query["types"]


async def test_subscription_carries_our_secret(max_api):
    bot = connector(max_api.url)
    async with httpx.AsyncClient() as client:
        await bot.register_webhook(client, "https://desk.bank.ru/api/v1/channels/6/webhook")
        assert max_api.fake.subscriptions == [
            {
                "url": "https://desk.bank.ru/api/v1/channels/6/webhook",
                "update_types": [
                    "message_created",
                    "message_edited",
                    "message_removed",
                    "message_callback",
                    "bot_started",
                    "bot_stopped",
                ],
                "secret": SECRET,
            }
        ]
        assert (await bot.me(client))["username"] == "bank_bot"
        await bot.remove_webhook(client, "https://desk.bank.ru/api/v1/channels/6/webhook")
        assert max_api.fake.subscriptions == []
        await bot.answer_callback(client, "f9LH", "Принято")
        assert max_api.calls("/answers")[0].json() == {"notification": "Принято"}


async def test_fetch_attachment(max_api):
    body = fixture("max", "message_created_attachments.json").replace(b"MEDIA_URL", (max_api.url + "/media").encode())
    [item] = connector().parse(request(body))
    async with httpx.AsyncClient() as client:
        content, mime = await connector().fetch_attachment(client, item.attachments[1])
    assert (content, mime) == (max_api.fake.media, "application/pdf")
