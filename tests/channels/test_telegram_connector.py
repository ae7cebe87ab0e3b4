"""The Telegram connector against the documented payloads and a loopback Bot API server (no database)."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

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
from omnidesk.channels.telegram.connector import TelegramConnector
from tests.channels.platforms import FakeTelegram, fixture

SECRET = "s3cr3t_Token-for-tests"


def connector(fake: FakeTelegram | None = None) -> TelegramConnector:
    return TelegramConnector(
        ChannelConfig(
            1,
            "Bot",
            api_base=fake.url if fake else None,
            secrets={"token": fake.token if fake else "1:x", "webhook_secret": SECRET},
            options={"mode": "webhook"},
            webhook_url="https://desk.example/hooks/telegram/1",
        )
    )


def request(body: dict | bytes, secret: str | None = SECRET) -> InboundRequest:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"x-telegram-bot-api-secret-token": secret} if secret is not None else {}
    return InboundRequest("POST", headers, {}, raw)


def outbound(text: str = "Hello", **kw) -> OutboundMessage:
    return OutboundMessage(
        message_id=5,
        conversation_id=1,
        channel_id=1,
        text=text,
        sent_at=dt.datetime.now(dt.UTC),
        recipient=Recipient(1, "Olena", address="111222333"),
        author=Author(1, "op", "Operator"),
        **kw,
    )


def test_secret_header_is_checked():
    c = connector()
    c.verify(request(fixture("telegram", "text")))
    for wrong in (None, "", "other", SECRET + "x"):
        with pytest.raises(Unverified):
            c.verify(request(fixture("telegram", "text"), wrong))


def test_every_fixture_parses_into_the_right_item():
    c = connector()
    items = {
        name: c.parse(request(fixture("telegram", name)))
        for name in (
            "text",
            "start_payload",
            "photo",
            "document",
            "voice",
            "contact_own",
            "contact_other",
            "location",
            "sticker",
            "edited",
            "callback",
            "group",
        )
    }
    (text,) = items["text"]
    assert text.kind is ItemKind.MESSAGE and text.external_id == "111222333:17"
    assert text.sender.kind == "telegram_id" and text.sender.value == "111222333"
    assert text.sender.name == "Olena Kovalenko"
    assert ("telegram_username", "olena_k") in [(i.kind, i.value) for i in text.identities]
    assert text.sent_at == dt.datetime(2025, 12, 2, 5, 0, tzinfo=dt.UTC)
    (start,) = items["start_payload"]
    assert start.start_payload == "crm-70412" and ("external", "crm-70412") in [
        (i.kind, i.value) for i in start.identities
    ]
    (photo,) = items["photo"]
    assert photo.text == "Ось скріншот помилки"
    assert [a.platform_id for a in photo.attachments] == ["AgACAgIAAxkBAAIBQ2large"]  # the largest size
    assert items["document"][0].attachments[0].file_name == "statement.pdf"
    assert items["voice"][0].attachments[0].kind == "voice"
    own = items["contact_own"][0]
    assert own.contact.phone == "380671234567" and ("phone", "+380671234567") in [
        (i.kind, i.value) for i in own.identities
    ]
    other = items["contact_other"][0]
    assert other.contact.name == "Petro" and not [i for i in other.identities if i.kind == "phone"]
    assert items["location"][0].location.latitude == pytest.approx(50.450001)
    sticker = items["sticker"][0]
    assert sticker.attachments[0].kind == "sticker" and sticker.attachments[0].mime_type == "image/webp"
    assert sticker.text == "👍"
    (edit,) = items["edited"]
    assert edit.kind is ItemKind.EDIT and edit.target_external_id == "111222333:17"
    assert edit.text == "Добрий день, картку заблоковано"
    (press,) = items["callback"]
    assert press.button == "unblock:yes" and press.text == "Так" and press.external_id == "callback:4382bfdwdsb323b2d9"
    assert json.loads(c.ack(items["callback"]).body) == {
        "method": "answerCallbackQuery",
        "callback_query_id": "4382bfdwdsb323b2d9",
    }
    assert items["group"] == []


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"message": {}}', b'{"update_id": "x"}'])
def test_unreadable_payloads_raise_value_error(body):
    with pytest.raises(ValueError):
        connector().parse(request(body))


async def test_send_text_split_buttons_and_a_photo_through_the_bot_api():
    async with FakeTelegram().running() as fake, httpx.AsyncClient() as client:
        c = connector(fake)
        long_text = ("Слово " * 1500).strip()  # about 9000 characters: three messages
        result = await c.send(
            client, outbound(long_text, buttons=(Button("Так", "yes"), Button("Сайт", url="https://bank.example")))
        )
        texts = [p for m, p, _ in fake.sent if m == "sendMessage"]
        assert len(texts) == 3 and all(len(p["text"]) <= 4096 for p in texts)
        assert " ".join(p["text"] for p in texts) == long_text
        assert "reply_markup" not in texts[0] and texts[-1]["reply_markup"] == {
            "inline_keyboard": [
                [{"text": "Так", "callback_data": "yes"}],
                [{"text": "Сайт", "url": "https://bank.example"}],
            ]
        }
        assert len(result.external_ids) == 3 and all(i.startswith("111222333:") for i in result.external_ids)
        fake.sent.clear()
        png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
        await c.send(
            client,
            outbound(
                "See the photo",
                files=(OutboundFile("card.png", "image/png", png, "image"),),
                quick_replies=("Yes", "No"),
            ),
        )
        ((method, params, files),) = fake.sent
        assert method == "sendPhoto" and params["caption"] == "See the photo"
        assert files["photo"][:2] == ("card.png", png)
        assert params["reply_markup"]["keyboard"] == [[{"text": "Yes"}], [{"text": "No"}]]


async def test_429_carries_retry_after_and_403_blocked_is_permanent_in_words():
    async with FakeTelegram().running() as fake, httpx.AsyncClient() as client:
        c = connector(fake)
        fake.fail("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
        with pytest.raises(SendFailure) as caught:
            await c.send(client, outbound())
        assert caught.value.retryable and caught.value.retry_after == 7
        fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
        with pytest.raises(SendFailure) as caught:
            await c.send(client, outbound())
        assert not caught.value.retryable and "blocked the bot" in caught.value.reason
        fake.fail("sendMessage", 400, "Bad Request: chat not found")
        with pytest.raises(SendFailure) as caught:
            await c.send(client, outbound())
        assert not caught.value.retryable and "chat not found" in caught.value.reason


async def test_get_file_download_and_health():
    async with FakeTelegram().running() as fake, httpx.AsyncClient() as client:
        c = connector(fake)
        fake.files["AgACAgIAAxkBAAIBQ2large"] = ("photos/file_7.jpg", b"\xff\xd8\xff\xe0jpegdata")
        (item,) = c.parse(request(fixture("telegram", "photo")))
        data, mime = await c.fetch_attachment(client, item.attachments[0])
        assert data == b"\xff\xd8\xff\xe0jpegdata" and mime == "image/jpeg"
        health = await c.health(client)
        assert not health.ok and "webhook not set" in health.checks[1][2]
        await c.set_webhook(client, c.config.webhook_url, SECRET)
        assert fake.webhook == {"url": c.config.webhook_url, "secret_token": SECRET}
        health = await c.health(client)
        assert health.ok and health.checks[0][2] == "token valid (@bank_help_bot)"
        bad = TelegramConnector(ChannelConfig(1, "Bot", api_base=fake.url, secrets={"token": "1:wrong"}))
        assert not (await bad.health(client)).ok


async def test_the_bot_token_never_reaches_the_log(caplog):
    import logging

    import omnidesk.server.channels.service  # noqa: F401  (installs the redaction)

    caplog.set_level(logging.DEBUG)
    async with FakeTelegram().running() as fake, httpx.AsyncClient() as client:
        await connector(fake).get_me(client)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "getMe" in logged and "/bot<token>/getMe" in logged
    assert fake.token not in logged and fake.token.split(":")[1] not in logged
