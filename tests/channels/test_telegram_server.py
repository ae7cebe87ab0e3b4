"""Telegram end to end: a real server (SQLite and PostgreSQL) and a loopback Bot API server, webhook and poll mode."""

from __future__ import annotations

import asyncio
import copy
import io
import json

import pytest
from PIL import Image
from sqlalchemy import func, select

from omnidesk.server.attachments.models import Attachment
from omnidesk.server.channels.models import ChannelSettings
from omnidesk.server.conversations.models import Message
from omnidesk.server.customers.models import Identity
from omnidesk.server.outbox.models import OutboxItem
from tests.channels.platforms import fixture
from tests.channels.server_fixtures import add_telegram, admin_headers, messages, wait_for


def png(size=(640, 480), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


async def hook(api, channel_id: int, update: dict, secret: str | None):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return await api.client.post(f"/hooks/telegram/{channel_id}", json=update, headers=headers)


async def count(api, model, *where) -> int:
    async with api.db.session() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def test_webhook_mode_stores_each_update_once_and_refuses_a_wrong_secret(provider_api, telegram):
    api = provider_api
    headers = await admin_headers(api)
    channel = await add_telegram(api, telegram, headers, mode="webhook")
    cid = channel["id"]
    assert telegram.webhook["url"] == f"{api.url}/hooks/telegram/{cid}"
    secret = telegram.webhook["secret_token"]
    assert secret and "token" not in json.dumps(channel) and telegram.token not in json.dumps(channel)

    for wrong in (None, "guess", secret[:-1]):
        r = await hook(api, cid, fixture("telegram", "text"), wrong)
        assert r.status_code == 401
    assert await count(api, Message) == 0
    shown = (await api.client.get(f"/api/v1/admin/channels/{cid}", headers=headers)).json()
    assert shown["rejected"] == 3

    for _ in range(3):  # Telegram redelivers until it gets a 200
        r = await hook(api, cid, fixture("telegram", "text"), secret)
        assert r.status_code == 200, r.text
    assert await count(api, Message, Message.channel_id == cid) == 1

    telegram.files["AgACAgIAAxkBAAIBQ2large"] = ("photos/file_1.jpg", png())
    assert (await hook(api, cid, fixture("telegram", "photo"), secret)).status_code == 200
    assert (await hook(api, cid, fixture("telegram", "photo"), secret)).status_code == 200
    assert (await hook(api, cid, fixture("telegram", "contact_own"), secret)).status_code == 200
    r = await hook(api, cid, fixture("telegram", "callback"), secret)
    assert r.status_code == 200 and r.json() == {
        "method": "answerCallbackQuery",
        "callback_query_id": "4382bfdwdsb323b2d9",
    }
    assert (await hook(api, cid, fixture("telegram", "edited"), secret)).status_code == 200
    assert (await hook(api, cid, fixture("telegram", "group"), secret)).status_code == 200
    assert (await hook(api, cid, {"update_id": "bad"}, secret)).status_code == 400

    conversations = (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
    (conv,) = conversations
    history = await messages(api, headers, conv["id"])
    texts = [m["text"] for m in history]
    assert texts == [
        "Добрий день, картку заблоковано",  # edited in place
        "Ось скріншот помилки",
        "👤 Olena Kovalenko 380671234567",
        "Так",
    ]
    async with api.db.session() as session:
        kinds = {
            (i.kind, i.value)
            for i in await session.scalars(select(Identity).where(Identity.customer_id == conv["customer"]["id"]))
        }
        assert {("telegram_id", "111222333"), ("telegram_username", "olena_k"), ("phone", "+380671234567")} <= kinds
        (attachment,) = (await session.scalars(select(Attachment))).all()
        assert attachment.mime_type == "image/png"  # sniffed from the bytes: Telegram said image/jpeg
        assert attachment.storage == "disk" and attachment.thumbnail is not None
    media = (await api.client.get(f"/api/v1/conversations/{conv['id']}/media", headers=headers)).json()
    assert [a["id"] for a in media["attachments"]] == [attachment.id]
    details = {d["message_id"]: d for d in media["details"]}
    assert details[history[3]["id"]]["button"] == "unblock:yes"
    assert details[history[0]["id"]]["edits"][0]["text"] == "Добрий день, картка заблокована"
    r = await api.client.get(f"/api/v1/attachments/{attachment.id}", headers=headers)
    assert r.status_code == 200 and r.content == png() and r.headers["x-content-type-options"] == "nosniff"
    thumb = await api.client.get(f"/api/v1/attachments/{attachment.id}/thumbnail", headers=headers)
    assert Image.open(io.BytesIO(thumb.content)).size == (320, 240)

    health = (await api.client.get(f"/api/v1/admin/channels/{cid}/health", headers=headers)).json()
    assert health["ok"], health
    details_text = " ".join(c["detail"] for c in health["checks"])
    assert "token valid" in details_text and "webhook set" in details_text and "last update" in details_text


async def test_start_payload_links_the_chat_to_a_known_customer(provider_api, telegram):
    api = provider_api
    headers = await admin_headers(api)
    api_channel, token = await api.channel("Bank app")
    r = await api.inbound(api_channel, token, "app-1", value="crm-70412", kind="external", name="Olena K.")
    known = r.json()["customer_id"]
    channel = await add_telegram(api, telegram, headers)
    r = await hook(api, channel["id"], fixture("telegram", "start_payload"), telegram.webhook["secret_token"])
    assert r.status_code == 200
    async with api.db.session() as session:
        owner = await session.scalar(
            select(Identity.customer_id).where(Identity.kind == "telegram_id", Identity.value == "111222333")
        )
    assert owner == known


async def test_operator_answers_with_text_a_file_and_buttons(provider_api, telegram):
    api = provider_api
    headers = await admin_headers(api)
    channel = await add_telegram(api, telegram, headers)
    await hook(api, channel["id"], fixture("telegram", "text"), telegram.webhook["secret_token"])
    (conv,) = (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
    r = await api.client.post(
        f"/api/v1/conversations/{conv['id']}/attachments",
        files={"file": ("card.png", png((100, 50)), "image/png")},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    upload = r.json()
    assert upload["kind"] == "image" and upload["has_thumbnail"]
    r = await api.client.post(
        f"/api/v1/conversations/{conv['id']}/messages",
        json={
            "text": "Ось ваша картка. Розблокувати?",
            "attachment_ids": [upload["id"]],
            "buttons": [{"title": "Так", "payload": "unblock:yes"}, {"title": "Ні", "payload": "unblock:no"}],
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    reply = r.json()

    async def sent():
        found = [m for m in await messages(api, headers, conv["id"]) if m["id"] == reply["id"]]
        return found and found[0]["delivery_status"] == "sent"

    await wait_for(sent, what="the reply sent")
    ((method, params, files),) = [s for s in telegram.sent if s[0] != "answerCallbackQuery"]
    assert method == "sendPhoto" and params["chat_id"] == "111222333"
    assert params["caption"] == "Ось ваша картка. Розблокувати?"
    assert params["reply_markup"]["inline_keyboard"][0][0] == {"text": "Так", "callback_data": "unblock:yes"}
    assert files["photo"][1] == png((100, 50))
    async with api.db.session() as session:
        external = await session.scalar(select(Message.external_id).where(Message.id == reply["id"]))
    assert external.startswith("111222333:")
    # The same file cannot be sent twice; a file-less empty reply is refused in words.
    r = await api.client.post(
        f"/api/v1/conversations/{conv['id']}/messages",
        json={"text": "again", "attachment_ids": [upload["id"]]},
        headers=headers,
    )
    assert r.status_code == 422 and "already sent" in r.text
    r = await api.client.post(f"/api/v1/conversations/{conv['id']}/messages", json={"text": " "}, headers=headers)
    assert r.status_code == 422


async def test_429_retry_after_is_waited_and_a_blocked_bot_fails_in_words(provider_api, telegram):
    api = provider_api
    headers = await admin_headers(api)
    channel = await add_telegram(api, telegram, headers)
    await hook(api, channel["id"], fixture("telegram", "text"), telegram.webhook["secret_token"])
    (conv,) = (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
    telegram.fail("sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2)
    r = await api.client.post(f"/api/v1/conversations/{conv['id']}/messages", json={"text": "one"}, headers=headers)
    first = r.json()["id"]

    async def status_of(message_id):
        async with api.db.session() as session:
            return await session.scalar(select(Message.delivery_status).where(Message.id == message_id))

    await wait_for(lambda: _eq(status_of(first), "sent"), what="sent after the 429")
    attempts = [t for m, t in telegram.calls if m == "sendMessage"]
    assert len(attempts) == 2 and attempts[1] - attempts[0] >= 1.9  # the platform's retry_after, not our 0.05 s
    assert [p["text"] for m, p, _ in telegram.sent if m == "sendMessage"] == ["one"]  # sent once

    telegram.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    r = await api.client.post(f"/api/v1/conversations/{conv['id']}/messages", json={"text": "two"}, headers=headers)
    second = r.json()["id"]
    await wait_for(lambda: _eq(status_of(second), "failed"), what="failed")
    row = next(m for m in await messages(api, headers, conv["id"]) if m["id"] == second)
    assert "blocked the bot" in row["delivery_error"]
    assert await count(api, OutboxItem, OutboxItem.message_id == second, OutboxItem.attempts == 1) == 1


async def _eq(awaitable, value):
    return (await awaitable) == value


async def test_poll_mode_reads_updates_by_offset_once_each(provider_api, telegram):
    api = provider_api
    headers = await admin_headers(api)
    telegram.webhook = {"url": "https://old.example/hook"}  # a webhook left from before: poll mode removes it
    channel = await add_telegram(api, telegram, headers, mode="poll")
    assert telegram.webhook == {}
    for name in ("text", "contact_own", "callback"):
        telegram.push(fixture("telegram", name))

    async def stored():
        return await count(api, Message, Message.channel_id == channel["id"]) == 3

    await wait_for(stored, what="three polled updates")
    await wait_for(lambda: _answered(telegram), what="the button answered")
    async with api.db.session() as session:
        offset = await session.scalar(
            select(ChannelSettings.last_update_id).where(ChannelSettings.channel_id == channel["id"])
        )
    assert offset == 900011
    again = copy.deepcopy(fixture("telegram", "text"))
    again["update_id"] = 900020  # the same message in a new update (a redelivery after a lost offset)
    telegram.push(again)
    location = fixture("telegram", "location")
    location["update_id"] = 900021  # update ids only grow
    telegram.push(location)
    await wait_for(lambda: _eq(_count_messages(api, channel["id"]), 4), what="the location")
    await asyncio.sleep(0.3)
    assert await count(api, Message, Message.channel_id == channel["id"]) == 4


async def _answered(fake):
    return any(m == "answerCallbackQuery" for m, _, _ in fake.sent)


async def _count_messages(api, channel_id):
    return await count(api, Message, Message.channel_id == channel_id)


@pytest.mark.parametrize("body", [{"name": "x", "token": "t", "mode": "webhook"}, {"name": "", "token": "t"}])
async def test_bad_channel_requests_are_refused_in_words(provider_api, body):
    headers = await admin_headers(provider_api)
    r = await provider_api.client.post("/api/v1/admin/channels/telegram", json=body, headers=headers)
    assert r.status_code == 422


async def test_a_wrong_token_is_refused_at_creation(provider_api, telegram):
    headers = await admin_headers(provider_api)
    r = await provider_api.client.post(
        "/api/v1/admin/channels/telegram",
        json={"name": "Bot", "token": "1:wrong", "mode": "poll", "api_base": telegram.url},
        headers=headers,
    )
    assert r.status_code == 422 and "bot token" in r.text
    listed = (await provider_api.client.get("/api/v1/admin/channels", headers=headers)).json()
    assert listed == []
