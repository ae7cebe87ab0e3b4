"""WhatsApp end to end: a real server (SQLite and PostgreSQL) and a loopback Graph API server."""

from __future__ import annotations

import copy
import datetime as dt
import io

from PIL import Image
from sqlalchemy import func, select

from omnidesk.server.attachments.models import Attachment
from omnidesk.server.conversations.models import Message
from omnidesk.server.customers.models import Identity
from omnidesk.server.events.models import EventRow
from tests.channels.platforms import fixture
from tests.channels.server_fixtures import VERIFY_TOKEN, add_whatsapp, admin_headers, messages, wait_for


def fresh(name: str, seconds_ago: float = 60, wamid: str | None = None) -> dict:
    """A documented payload with a recent timestamp (the fixtures' own dates are long past)."""
    payload = copy.deepcopy(fixture("whatsapp", name))
    value = payload["entry"][0]["changes"][0]["value"]
    stamp = str(int((dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds_ago)).timestamp()))
    for item in value.get("messages", []) + value.get("statuses", []):
        item["timestamp"] = stamp
        if wamid and "status" in item:
            item["id"] = wamid
    return payload


async def count(api, model, *where) -> int:
    async with api.db.session() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def test_verification_get_and_signed_posts_only(provider_api, whatsapp):
    api = provider_api
    headers = await admin_headers(api)
    channel = await add_whatsapp(api, whatsapp, headers)
    hook = f"/hooks/whatsapp/{channel['id']}"
    assert channel["webhook_url"] is None or channel["webhook_url"].endswith(hook)
    ok = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    r = await api.client.get(hook, params=ok)
    assert r.status_code == 200 and r.text == "1158201444"
    r = await api.client.get(hook, params={**ok, "hub.verify_token": "wrong"})
    assert r.status_code == 403

    body, good = whatsapp.signed(fresh("text"))
    r = await api.client.post(hook, content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 401
    _, forged = whatsapp.signed(fresh("text"), secret="not-the-app-secret")
    r = await api.client.post(hook, content=body, headers=forged)
    assert r.status_code == 401
    assert await count(api, Message) == 0
    shown = (await api.client.get(f"/api/v1/admin/channels/{channel['id']}", headers=headers)).json()
    assert shown["rejected"] == 3
    for _ in range(3):  # Meta redelivers for days; duplicates are normal
        r = await api.client.post(hook, content=body, headers=good)
        assert r.status_code == 200, r.text
    assert await count(api, Message) == 1
    r = await api.client.post(hook, content=b"{not json", headers=whatsapp.signed(b"{not json")[1])
    assert r.status_code == 400
    async with api.db.session() as session:
        kinds = {(i.kind, i.value) for i in await session.scalars(select(Identity))}
    assert {("whatsapp", "+16505551234"), ("phone", "+16505551234")} <= kinds
    assert "app_secret" not in str(shown) and whatsapp.app_secret not in str(shown)


async def test_media_receipts_buttons_and_the_24_hour_window(provider_api, whatsapp):
    api = provider_api
    headers = await admin_headers(api)
    channel = await add_whatsapp(api, whatsapp, headers)
    hook = f"{api.url}/hooks/whatsapp/{channel['id']}"
    picture = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 120, 200)).save(picture, "JPEG")
    whatsapp.media["1003383421387256"] = ("image/jpeg", picture.getvalue())
    assert (await whatsapp.notify(api.client, hook, fresh("image", 120))).status_code == 200
    assert (await whatsapp.notify(api.client, hook, fresh("button_reply", 60))).status_code == 200
    (conv,) = (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
    async with api.db.session() as session:
        (attachment,) = (await session.scalars(select(Attachment))).all()
    r = await api.client.get(f"/api/v1/attachments/{attachment.id}", headers=headers)
    assert r.content == picture.getvalue() and r.headers["content-type"] == "image/jpeg"

    window = (await api.client.get(f"/api/v1/conversations/{conv['id']}/window", headers=headers)).json()
    assert window["free_text"] and 23 * 3600 < window["seconds_left"] <= 24 * 3600
    assert window["max_buttons"] == 3 and not window["templates_required"]
    r = await api.client.post(
        f"/api/v1/conversations/{conv['id']}/messages",
        json={"text": "Розблокувати картку?", "buttons": [{"title": "Так", "payload": "yes"}, {"title": "Ні"}]},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    reply = r.json()
    r = await api.client.post(
        f"/api/v1/conversations/{conv['id']}/messages",
        json={"text": "x", "buttons": [{"title": str(i)} for i in range(4)]},
        headers=headers,
    )
    assert r.status_code == 422 and "at most 3 buttons" in r.text

    async def external():
        async with api.db.session() as session:
            return await session.scalar(select(Message.external_id).where(Message.id == reply["id"]))

    wamid = await wait_for(external, what="the reply sent")
    assert whatsapp.sent[-1]["type"] == "interactive"
    assert whatsapp.sent[-1]["interactive"]["action"]["buttons"][1] == {
        "type": "reply",
        "reply": {"id": "Ні", "title": "Ні"},
    }
    # Receipts: delivered, read; a late "delivered" does not step back; an unknown recent id asks Meta to retry.
    for state in ("delivered", "read", "delivered"):
        r = await whatsapp.notify(api.client, hook, fresh(f"status_{state}", 1, wamid))
        assert r.status_code == 200
    row = next(m for m in await messages(api, headers, conv["id"]) if m["id"] == reply["id"])
    assert row["delivery_status"] == "read"
    async with api.db.session() as session:
        states = [
            e.payload["message"]["delivery_status"]
            for e in await session.scalars(
                select(EventRow).where(EventRow.type == "message.updated").order_by(EventRow.id)
            )
            if e.payload["message"]["id"] == reply["id"]
        ]
    assert states[-2:] == ["delivered", "read"]
    r = await whatsapp.notify(api.client, hook, fresh("status_delivered", 1, "wamid.unknown"))
    assert r.status_code == 503
    r = await whatsapp.notify(api.client, hook, fresh("status_delivered", 3 * 86400, "wamid.unknown"))
    assert r.status_code == 200


async def test_outside_the_window_only_an_approved_template(provider_api, whatsapp):
    api = provider_api
    headers = await admin_headers(api)
    channel = await add_whatsapp(api, whatsapp, headers)
    hook = f"{api.url}/hooks/whatsapp/{channel['id']}"
    assert (await whatsapp.notify(api.client, hook, fresh("text", 25 * 3600))).status_code == 200
    (conv,) = (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
    window = (await api.client.get(f"/api/v1/conversations/{conv['id']}/window", headers=headers)).json()
    assert not window["free_text"] and window["templates_required"] and window["seconds_left"] == 0
    r = await api.client.post(f"/api/v1/conversations/{conv['id']}/messages", json={"text": "Hi"}, headers=headers)
    assert r.status_code == 422 and "window is closed" in r.text
    template = {"name": "card_blocked", "language": "uk", "parameters": ["Olena"]}
    r = await api.client.post(
        f"/api/v1/conversations/{conv['id']}/messages", json={"text": "", "template": template}, headers=headers
    )
    assert r.status_code == 422 and "sync" in r.text
    whatsapp.templates = [
        {
            "name": "card_blocked",
            "language": "uk",
            "status": "APPROVED",
            "category": "UTILITY",
            "id": "1",
            "components": [{"type": "BODY", "text": "{{1}}, вашу картку заблоковано. Напишіть нам."}],
        },
        {"name": "promo", "language": "uk", "status": "REJECTED", "category": "MARKETING", "id": "2", "components": []},
        {
            "name": "hello",
            "language": "en_US",
            "status": "APPROVED",
            "category": "UTILITY",
            "id": "3",
            "components": [],
        },
    ]
    r = await api.client.post(f"/api/v1/admin/channels/{channel['id']}/templates/sync", headers=headers)
    assert r.json() == {"count": 3}
    listed = (await api.client.get(f"/api/v1/channels/{channel['id']}/templates", headers=headers)).json()
    assert [(t["name"], t["parameters"]) for t in listed] == [("card_blocked", 1), ("hello", 0)]
    r = await api.client.post(
        f"/api/v1/conversations/{conv['id']}/messages", json={"text": "", "template": template}, headers=headers
    )
    assert r.status_code == 201, r.text

    async def sent():
        return whatsapp.sent

    await wait_for(sent, what="the template sent")
    assert whatsapp.sent[-1]["template"]["components"][0]["parameters"] == [{"type": "text", "text": "Olena"}]


async def test_a_failed_status_is_shown_in_words(provider_api, whatsapp):
    api = provider_api
    headers = await admin_headers(api)
    channel = await add_whatsapp(api, whatsapp, headers)
    hook = f"{api.url}/hooks/whatsapp/{channel['id']}"
    await whatsapp.notify(api.client, hook, fresh("text"))
    (conv,) = (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
    reply = (
        await api.client.post(f"/api/v1/conversations/{conv['id']}/messages", json={"text": "Hi"}, headers=headers)
    ).json()

    async def external():
        async with api.db.session() as session:
            return await session.scalar(select(Message.external_id).where(Message.id == reply["id"]))

    wamid = await wait_for(external, what="sent")
    assert (await whatsapp.notify(api.client, hook, fresh("status_failed", 1, wamid))).status_code == 200
    row = next(m for m in await messages(api, headers, conv["id"]) if m["id"] == reply["id"])
    assert row["delivery_status"] == "failed" and "24 hours" in row["delivery_error"]


async def test_a_changed_channel_key_is_a_clear_503_and_a_failure_in_words(provider_api, whatsapp):
    from cryptography.fernet import Fernet

    api = provider_api
    headers = await admin_headers(api)
    channel = await add_whatsapp(api, whatsapp, headers)
    hook = f"{api.url}/hooks/whatsapp/{channel['id']}"
    assert (await whatsapp.notify(api.client, hook, fresh("text"))).status_code == 200
    (conv,) = (await api.client.get("/api/v1/conversations", headers=headers)).json()["items"]
    api.settings.channel_key = Fernet.generate_key().decode()  # as if the key file had been replaced
    api.app.state.provider_connectors.forget(channel["id"])
    r = await whatsapp.notify(api.client, hook, fresh("text", wamid=None) | {})
    assert r.status_code == 503 and "decrypt" in r.text
    reply = (
        await api.client.post(f"/api/v1/conversations/{conv['id']}/messages", json={"text": "Hi"}, headers=headers)
    ).json()

    async def failed():
        rows = await messages(api, headers, conv["id"])
        row = next(m for m in rows if m["id"] == reply["id"])
        return row["delivery_status"] == "failed" and row

    row = await wait_for(failed, what="a failure in words")
    assert "decrypt" in row["delivery_error"] and whatsapp.sent == []
