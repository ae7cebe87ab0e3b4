"""What channels II parsed but only logged before the fold, now stored through the one inbound path
(channels/inbound.py) on SQLite and PostgreSQL: receipts that never step backwards, edits with the previous text
kept, deletions marked, echoes stored once as outbound, Viber's subscription rule enforced on reply, inbound files
downloaded once, and a poll-mode VK channel polled by the server's own worker."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func, select

from omnidesk.domain.enums import Role
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.channels.models import ChannelSettings, ChannelSubscription, MessageDetails
from omnidesk.server.conversations.models import Message
from tests.channels import test_messengers_server as messengers
from tests.channels.ch2_loopback import Platform, fixture
from tests.channels.test_messengers_server import _wait_delivery, create, hook, meta_sig, viber_sig

mapi = messengers.mapi  # the same server fixture (a channel key set)


async def _messages(api, channel_id: int) -> list[Message]:
    async with api.db.session() as session:
        return list(
            (await session.scalars(select(Message).where(Message.channel_id == channel_id).order_by(Message.id))).all()
        )


async def _details(api, message_id: int) -> dict:
    async with api.db.session() as session:
        row = await session.get(MessageDetails, message_id)
        return dict(row.payload or {}) if row else {}


async def test_viber_receipts_subscription_rule_and_files(mapi):
    from tests.channels import test_viber_connector as tviber

    fake = tviber.FakeViber()
    viber_api = Platform(fake).start()
    try:
        admin = await mapi.headers_for("root", Role.ADMIN)
        operator = await mapi.headers_for("op", Role.OPERATOR)
        viber = await create(mapi, admin, "viber", api_base=viber_api.url + "/pa")
        url = hook("viber", viber["id"])
        picture = fixture("viber", "message_picture.json").replace(b"MEDIA_URL", (viber_api.url + "/media").encode())
        for _ in range(2):  # a redelivery stores neither the message nor its file again
            assert (await mapi.client.post(url, content=picture, headers=viber_sig(picture))).status_code == 200
        [inbound] = await _messages(mapi, viber["id"])
        async with mapi.db.session() as session:
            files = (await session.scalars(select(Attachment).where(Attachment.message_id == inbound.id))).all()
        assert [(f.kind, f.mime_type, f.size) for f in files] == [("image", "image/png", len(fake.media))]

        r = await mapi.client.post(
            f"/api/v1/conversations/{inbound.conversation_id}/messages", json={"text": "Дякуємо"}, headers=operator
        )
        sent = await _wait_delivery(mapi, operator, r.json())
        assert sent["delivery_status"] == "sent"
        token = str(fake.next_token)

        def receipt(name: str) -> bytes:
            event = json.loads(fixture("viber", f"{name}.json"))
            event["message_token"] = int(token)
            return json.dumps(event).encode()

        for name in ("seen", "delivered", "seen"):  # a late "delivered" does not step back from "read"
            body = receipt(name)
            assert (await mapi.client.post(url, content=body, headers=viber_sig(body))).status_code == 200
        async with mapi.db.session() as session:
            status = await session.scalar(select(Message.delivery_status).where(Message.id == sent["id"]))
        assert status == "read"

        body = fixture("viber", "unsubscribed.json").replace(b"1457764197627", b"1957764197627")
        assert (await mapi.client.post(url, content=body, headers=viber_sig(body))).status_code == 200
        async with mapi.db.session() as session:
            [sub] = (await session.scalars(select(ChannelSubscription))).all()
        assert (sub.channel_id, sub.address, sub.subscribed) == (viber["id"], "01234567890A=", False)
        r = await mapi.client.post(
            f"/api/v1/conversations/{inbound.conversation_id}/messages", json={"text": "Ще одне"}, headers=operator
        )
        assert r.status_code == 422 and "only subscribed users" in r.text
        again = json.loads(fixture("viber", "message_text.json"))
        again["timestamp"] = 1957764199000  # the customer writes again: subscribed by Viber's own rule
        again["message_token"] = 4912661846655299999
        body = json.dumps(again).encode()
        assert (await mapi.client.post(url, content=body, headers=viber_sig(body))).status_code == 200
        r = await mapi.client.post(
            f"/api/v1/conversations/{inbound.conversation_id}/messages", json={"text": "Ще одне"}, headers=operator
        )
        assert r.status_code == 201, r.text
    finally:
        viber_api.stop()


async def test_vk_edits_echoes_and_deletions(mapi):
    admin = await mapi.headers_for("root", Role.ADMIN)
    vk = await create(mapi, admin, "vk")
    url = hook("vk", vk["id"])
    for name in ("message_new.json", "message_edit.json", "message_edit.json", "message_reply.json"):
        r = await mapi.client.post(url, content=fixture("vk", name))
        assert (r.status_code, r.text) == (200, "ok"), (name, r.text)
    again = await mapi.client.post(url, content=fixture("vk", "message_reply.json"))  # a redelivered echo
    assert again.text == "ok"
    inbound, echo = await _messages(mapi, vk["id"])
    assert inbound.text == "Здравствуйте, карта не работает в банкомате"
    [edit] = (await _details(mapi, inbound.id))["edits"]
    assert edit["text"].startswith("Здравствуйте, карта не работает") and edit["text"] != inbound.text
    assert (echo.direction, echo.author_id, echo.external_id, echo.delivery_status) == ("out", None, "2348", "sent")
    assert echo.conversation_id == inbound.conversation_id and (await _details(mapi, echo.id))["echo"] is True
    media = await mapi.client.get(f"/api/v1/conversations/{inbound.conversation_id}/media", headers=admin)
    shown = {d["message_id"]: d for d in media.json()["details"]}  # what the client marks in the history
    assert shown[echo.id]["echo"] is True and shown[inbound.id]["echo"] is False and shown[inbound.id]["edits"]
    # the first piece of a long reply of ours comes back too: its random_id names our message, so it is not stored
    from omnidesk.channels.vk.connector import random_id

    piece = json.loads(fixture("vk", "message_reply.json"))
    piece["object"].update(id=2349, random_id=random_id(echo.id, 0), text="the first piece")
    assert (await mapi.client.post(url, content=json.dumps(piece).encode())).text == "ok"
    assert len(await _messages(mapi, vk["id"])) == 2

    meta = await create(mapi, admin, "meta")
    text = fixture("meta", "messenger_text.json")
    assert (await mapi.client.post(hook("meta", meta["id"]), content=text, headers=meta_sig(text))).status_code == 200
    [message] = await _messages(mapi, meta["id"])
    event = json.loads(text)
    messaging = event["entry"][0]["messaging"][0]
    messaging["message"] = {"mid": message.external_id, "is_deleted": True}
    body = json.dumps(event).encode()
    for _ in range(2):
        r = await mapi.client.post(hook("meta", meta["id"]), content=body, headers=meta_sig(body))
        assert r.status_code == 200
    [kept] = await _messages(mapi, meta["id"])  # kept for audit, marked deleted
    assert kept.text == message.text and (await _details(mapi, kept.id))["deleted"] is True


async def test_a_page_that_writes_first_opens_the_persons_conversation(mapi):
    """Meta's echo of a message the page sent from Business Suite to a person who never wrote on this channel: the
    person becomes a customer (the one identity rule) with a pending conversation holding that outbound message,
    announced to the inbox; a redelivery stores nothing again, and the person's answer lands in that conversation."""
    from omnidesk.server.conversations.models import Conversation
    from omnidesk.server.customers.models import Customer
    from omnidesk.server.events.models import EventRow

    admin = await mapi.headers_for("root", Role.ADMIN)
    meta = await create(mapi, admin, "meta")
    echo = json.loads(fixture("meta", "messenger_echo.json"))
    echo["entry"][0]["messaging"] = echo["entry"][0]["messaging"][:1]  # the Business Suite one, not ours
    body = json.dumps(echo).encode()
    for _ in range(2):
        r = await mapi.client.post(hook("meta", meta["id"]), content=body, headers=meta_sig(body))
        assert r.status_code == 200
    [sent] = await _messages(mapi, meta["id"])
    assert (sent.direction, sent.author_id, sent.external_id) == ("out", None, "m_echo_inbox")
    async with mapi.db.session() as session:
        conv = await session.get(Conversation, sent.conversation_id)
        assert conv.status == "pending" and conv.waiting_since is None
        assert conv.last_message_preview == "Відповідаю з Meta Business Suite"
        assert await session.scalar(select(func.count()).select_from(Customer)) == 1
        created = await session.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.type == "conversation.created")
        )
    assert created == 1 and (await _details(mapi, sent.id))["echo"] is True
    text = fixture("meta", "messenger_text.json")  # the same person answers
    assert (await mapi.client.post(hook("meta", meta["id"]), content=text, headers=meta_sig(text))).status_code == 200
    messages = await _messages(mapi, meta["id"])
    assert [m.direction for m in messages] == ["out", "in"]
    assert {m.conversation_id for m in messages} == {conv.id}
    async with mapi.db.session() as session:
        assert (await session.get(Conversation, conv.id)).status == "open"


async def test_a_poll_mode_vk_channel_is_polled_by_the_server(mapi):
    from tests.channels import test_vk_connector as tvk

    fake = tvk.FakeVk()
    vk_api = Platform(fake).start()
    fake.url = vk_api.url
    try:
        events = [json.loads(fixture("vk", n)) for n in ("message_new.json", "wall_reply_new.json")]
        fake.lp_updates = [events, events]  # the second batch redelivers the first
        admin = await mapi.headers_for("root", Role.ADMIN)
        vk = await create(
            mapi,
            admin,
            "vk",
            secrets={"access_token": tvk.TOKEN},
            api_base=vk_api.url + "/method",
            options={"group_id": str(tvk.GROUP), "mode": "poll"},
        )
        deadline = asyncio.get_running_loop().time() + 20
        while True:
            async with mapi.db.session() as session:
                stored = await session.scalar(select(func.count()).select_from(Message))
                row = await session.get(ChannelSettings, vk["id"])
                position = (row.options or {}).get("poll_position") or {}
            if stored == 2 and not fake.lp_updates and position.get("ts") == "14":
                break
            assert asyncio.get_running_loop().time() < deadline, (stored, position)
            await asyncio.sleep(0.2)
        await asyncio.sleep(0.5)
        async with mapi.db.session() as session:
            assert await session.scalar(select(func.count()).select_from(Message)) == 2  # stored once
    finally:
        vk_api.stop()


async def test_vk_meta_and_max_files_are_downloaded_once(mapi):
    """Each platform's documented media payload, its files served by that platform's loopback: fetched, type
    sniffed, stored in the attachment store, and not again on a redelivery."""
    from tests.channels import test_max_connector as tmax
    from tests.channels import test_meta_connector as tmeta
    from tests.channels import test_vk_connector as tvk

    fakes = {"vk": tvk.FakeVk(), "meta": tmeta.FakeGraph(), "max": tmax.FakeMax()}
    platforms = {kind: Platform(fake).start() for kind, fake in fakes.items()}
    try:
        admin = await mapi.headers_for("root", Role.ADMIN)
        made = {kind: await create(mapi, admin, kind) for kind in fakes}
        deliveries = {
            "vk": ("message_new_media.json", lambda b: {}),
            "meta": ("messenger_quick_reply_and_attachments.json", meta_sig),
            "max": (
                "message_created_attachments.json",
                lambda b: {"X-Max-Bot-Api-Secret": made["max"]["generated"]["webhook_secret"]},
            ),
        }
        for kind, (name, sign) in deliveries.items():
            platform = "meta" if kind == "meta" else kind
            body = fixture(platform, name).replace(b"MEDIA_URL", (platforms[kind].url + "/media").encode())
            for _ in range(2):
                r = await mapi.client.post(hook(kind, made[kind]["id"]), content=body, headers=sign(body))
                assert r.status_code == 200, (kind, r.text)
        async with mapi.db.session() as session:
            rows = (
                await session.execute(
                    select(Message.channel_id, Attachment.kind, Attachment.mime_type, Attachment.size).join(
                        Attachment, Attachment.message_id == Message.id
                    )
                )
            ).all()
        by_channel = {kind: sorted((r.kind, r.mime_type) for r in rows if r.channel_id == made[kind]["id"])
                      for kind in fakes}  # fmt: skip
        assert by_channel["vk"] and all(mime == "image/jpeg" for _, mime in by_channel["vk"])
        assert by_channel["meta"] and ("image", "image/jpeg") in by_channel["meta"]
        assert ("document", "application/pdf") in by_channel["max"]  # the statement, as the platform served it
        for kind in fakes:  # each file fetched once, whatever the redeliveries
            fetched = [s.path for s in platforms[kind].seen if s.path.startswith("/media/")]
            assert fetched and len(fetched) == len(set(fetched)) and len(by_channel[kind]) <= len(fetched), kind
    finally:
        for platform in platforms.values():
            platform.stop()


async def test_one_vk_poller_across_pollers_and_a_standby_takes_over(db_url, tmp_path):
    """The same advisory lock as Telegram's: two pollers of one VK channel, one polls; when it stops, the other
    goes on from the confirmed position (nothing stored twice)."""
    import pytest
    from cryptography.fernet import Fernet

    from omnidesk.server.channels import service
    from omnidesk.server.channels.poller import ChannelPoller
    from omnidesk.server.db import Database
    from tests.channels import test_vk_connector as tvk
    from tests.conftest import test_settings

    if db_url.startswith("sqlite"):
        pytest.skip("one server process on SQLite: the poller lock is PostgreSQL's advisory lock")
    settings = test_settings(
        db_url, channel_key=Fernet.generate_key().decode(), data_dir=str(tmp_path), telegram_poll_timeout=0
    )
    fake = tvk.FakeVk()
    vk_api = Platform(fake).start()
    fake.url = vk_api.url
    db = Database(db_url, pool_size=4)
    tasks: list[asyncio.Task] = []
    try:
        async with db.session() as session:
            created = await service.create_messenger_channel(
                session,
                settings,
                kind="vk",
                name="VK",
                secrets={"access_token": tvk.TOKEN},
                options={"group_id": str(tvk.GROUP), "mode": "poll"},
                api_base=vk_api.url + "/method",
            )
            await session.commit()
            channel_id = created.channel.id
        first, second = (ChannelPoller(db, settings, channel_id, retry=0.2) for _ in range(2))
        tasks = [asyncio.create_task(first.run())]
        await asyncio.wait_for(first.holding.wait(), 20)
        tasks.append(asyncio.create_task(second.run()))
        await asyncio.sleep(1.0)
        assert not second.holding.is_set(), "two pollers of one channel"
        fake.lp_updates = [[json.loads(fixture("vk", "message_new.json"))]]
        while first.stored < 1:
            await asyncio.sleep(0.1)
        tasks[0].cancel()
        await asyncio.gather(tasks[0], return_exceptions=True)
        await asyncio.wait_for(second.holding.wait(), 20)
        fake.lp_updates = [[json.loads(fixture("vk", "message_new_button.json"))]]
        while second.stored < 1:
            await asyncio.sleep(0.1)
        async with db.session() as session:
            assert await session.scalar(select(func.count()).select_from(Message)) == 2
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await db.dispose()
        vk_api.stop()


class _GatedWriter:
    """A details writer whose commits wait for the test: the write-behind row of a message is still in flight when
    the platform's next delivery (an edit, a deletion) for that message arrives."""

    def __init__(self, db) -> None:
        from omnidesk.server.channels.inbound import DetailsWriter

        self.gate = asyncio.Event()
        writer = DetailsWriter(db)
        flush = writer._flush

        async def gated_flush() -> None:
            await self.gate.wait()
            await flush()

        writer._flush = gated_flush
        self.writer = writer


async def _without_details(mapi, message_id: int) -> None:
    """Remove the details row the server wrote behind the message's ack, once it is there."""
    for _ in range(100):
        async with mapi.db.session() as session:
            row = await session.get(MessageDetails, message_id)
            if row is not None:
                await session.delete(row)
                await session.commit()
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the server never wrote the message's details")


async def _vk_parsed(mapi, channel_id: int, name: str):
    from omnidesk.channels.base import InboundRequest
    from omnidesk.server.channels import service

    channel, connector = await service.ConnectorCache().get(mapi.db, mapi.settings, channel_id)
    body = fixture("vk", name)
    return channel, connector, connector.parse(InboundRequest("POST", {}, {}, body))


async def test_an_edit_racing_the_originals_write_behind_row_keeps_both(mapi):
    """The original's raw payload is written behind its ack; an edit of it arriving before that commit waits for the
    row and adds to it (before: the edit's own row won, the raw payload was dropped; or the two inserts collided on
    the key and the platform heard 500)."""
    from omnidesk.server.channels.inbound import InboundHandler

    admin = await mapi.headers_for("root", Role.ADMIN)
    vk = await create(mapi, admin, "vk")
    assert (await mapi.client.post(hook("vk", vk["id"]), content=fixture("vk", "message_new.json"))).text == "ok"
    [inbound] = await _messages(mapi, vk["id"])
    await _without_details(mapi, inbound.id)
    gated = _GatedWriter(mapi.db)
    gated.writer.write_behind(inbound.id, {"raw": {"type": "message_new"}})
    channel, connector, [edit] = await _vk_parsed(mapi, vk["id"], "message_edit.json")
    handler = InboundHandler(mapi.db, mapi.settings, None, gated.writer)
    import httpx

    async with httpx.AsyncClient() as client:
        editing = asyncio.create_task(handler.handle(channel, connector, [edit], client))
        await asyncio.sleep(0.3)
        assert not editing.done()  # waiting for the row in flight
        gated.gate.set()
        await asyncio.wait_for(editing, 10)
    details = await _details(mapi, inbound.id)
    assert details["raw"] == {"type": "message_new"}
    assert [e["text"] for e in details["edits"]] == [inbound.text]


async def test_an_edit_whose_row_another_process_wrote_meanwhile_is_applied_again(mapi, monkeypatch):
    """Another server process wrote the message's details row between this edit's read and its commit (their inserts
    race for the key): the edit is applied again onto that row, not answered with 500. PostgreSQL only: SQLite's
    writers take the database's lock at BEGIN, so no other writer commits inside this edit's transaction."""
    from omnidesk.server.channels.inbound import InboundHandler

    if mapi.db.sqlite:
        pytest.skip("SQLite serialises writers from BEGIN IMMEDIATE: the race cannot happen there")

    admin = await mapi.headers_for("root", Role.ADMIN)
    vk = await create(mapi, admin, "vk")
    assert (await mapi.client.post(hook("vk", vk["id"]), content=fixture("vk", "message_new.json"))).text == "ok"
    [inbound] = await _messages(mapi, vk["id"])
    await _without_details(mapi, inbound.id)
    handler = InboundHandler(mapi.db, mapi.settings, None, None)
    calls = []

    async def other_process_writes_first(self, session, message_id):
        calls.append(message_id)
        if len(calls) == 1:  # after this attempt read nothing, before it inserts: the other process commits its row
            async with mapi.db.session() as other:
                other.add(MessageDetails(message_id=message_id, payload={"raw": {"by": "other"}}, complete=True))
                await other.commit()
        return False

    monkeypatch.setattr(InboundHandler, "_settle_details", other_process_writes_first, raising=False)
    import sqlalchemy.ext.asyncio as sa_async

    real_get = sa_async.AsyncSession.get

    async def stale_get(self, entity, ident, *args, **kwargs):  # the read this attempt made before the other commit
        if entity is MessageDetails and len(calls) == 1:
            return None
        return await real_get(self, entity, ident, *args, **kwargs)

    monkeypatch.setattr(sa_async.AsyncSession, "get", stale_get)
    channel, connector, [edit] = await _vk_parsed(mapi, vk["id"], "message_edit.json")
    import httpx

    async with httpx.AsyncClient() as client:
        await handler.handle(channel, connector, [edit], client)
    monkeypatch.undo()
    details = await _details(mapi, inbound.id)
    assert details["raw"] == {"by": "other"} and [e["text"] for e in details["edits"]] == [inbound.text]
    assert len(calls) == 2


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


async def test_viber_fetches_a_replys_file_by_a_signed_expiring_public_address(mapi):
    """Viber (and Instagram) take a reply's file only as an address they fetch: without the server's public_url the
    operator is told at once (422), with it the platform fetches exactly that file from /files/<sealed token>/<name>,
    once per link, audited; a forged, tampered or expired token, or one naming a customer's file, opens nothing."""
    import time
    import urllib.parse

    import httpx

    from omnidesk.server.attachments import links
    from omnidesk.server.audit.models import AuditRecord
    from omnidesk.server.guards import RedactQuery
    from tests.channels import test_viber_connector as tviber

    fetched: list[tuple[str, int, bytes, str]] = []

    class FetchingViber(tviber.FakeViber):
        def __call__(self, seen):  # Viber downloads a send_message's "media" itself
            if seen.path == "/pa/send_message" and seen.json().get("media"):
                got = httpx.get(seen.json()["media"], timeout=10)
                fetched.append((seen.json()["media"], got.status_code, got.content, got.headers.get("content-type")))
            return super().__call__(seen)

    fake = FetchingViber()
    viber_api = Platform(fake).start()
    try:
        admin = await mapi.headers_for("root", Role.ADMIN)
        operator = await mapi.headers_for("op", Role.OPERATOR)
        viber = await create(mapi, admin, "viber", api_base=viber_api.url + "/pa")
        url = hook("viber", viber["id"])
        picture = fixture("viber", "message_picture.json").replace(b"MEDIA_URL", (viber_api.url + "/media").encode())
        assert (await mapi.client.post(url, content=picture, headers=viber_sig(picture))).status_code == 200
        [inbound] = await _messages(mapi, viber["id"])
        conversation = inbound.conversation_id

        async def upload(name: str) -> int:
            r = await mapi.client.post(
                f"/api/v1/conversations/{conversation}/attachments",
                files={"file": (name, PNG, "image/png")},
                headers=operator,
            )
            assert r.status_code == 201, r.text
            return r.json()["id"]

        first = await upload("рахунок 12.png")
        mapi.settings.public_url = None
        r = await mapi.client.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"text": "Ваш рахунок", "attachment_ids": [first]},
            headers=operator,
        )
        assert r.status_code == 422 and "public address" in r.text and "public_url" in r.text, r.text
        assert viber_api.calls("/pa/send_message") == []  # refused before anything was queued

        mapi.settings.public_url = mapi.url + "/"
        r = await mapi.client.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"text": "Ваш рахунок", "attachment_ids": [first]},
            headers=operator,
        )
        assert r.status_code == 201, r.text
        sent = await _wait_delivery(mapi, operator, r.json())
        assert sent["delivery_status"] == "sent", sent["delivery_error"]
        [(address, code, content, mime)] = fetched
        assert (code, content, mime) == (200, PNG, "image/png")
        path = urllib.parse.urlsplit(address).path
        assert address.startswith(mapi.url + "/files/") and path.endswith("/" + urllib.parse.quote("рахунок 12.png"))
        token = path.split("/")[2]
        media_body = next(c.json() for c in viber_api.calls("/pa/send_message") if c.json().get("media"))
        assert media_body["type"] == "picture" and media_body["media"] == address
        import base64

        sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert b'"a"' not in sealed and b'"h"' not in sealed  # encrypted: the address names nothing

        async with mapi.db.session() as session:
            audited = (
                await session.scalars(select(AuditRecord).where(AuditRecord.action == "attachment.fetched"))
            ).all()
        assert [(a.object_id, a.username) for a in audited] == [(str(first), "platform")]

        head = await mapi.client.head(path)
        assert head.status_code == 200 and head.headers["content-length"] == str(len(PNG))
        tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
        for bad in (f"/files/{tampered}/x.png", "/files/not-a-token/x.png", f"/files/{'x' * 600}/x.png"):
            assert (await mapi.client.get(bad)).status_code == 404, bad
        async with mapi.db.session() as session:
            stored = await session.get(Attachment, first)
            customers_file = (
                await session.scalars(select(Attachment).where(Attachment.message_id == inbound.id))
            ).one()
            expired = links.link(
                mapi.settings, stored, now=time.time() - mapi.settings.public_file_link_hours * 3600 - 60
            )
            theirs = links.link(mapi.settings, customers_file)
        for refused in (expired, theirs):  # expired; a customer's own file is never shared
            assert (await mapi.client.get(urllib.parse.urlsplit(refused).path)).status_code == 404

        # The token never reaches the access log.
        import logging

        line = logging.LogRecord(
            "uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d', ("1.2.3.4", "GET", path, "1.1", 200), None
        )
        RedactQuery().filter(line)
        assert token not in line.getMessage() and "/files/…/" in line.getMessage()
    finally:
        mapi.settings.public_url = None
        viber_api.stop()
