"""Internal notes (never sent to the customer, on any channel path), @mentions, and canned replies."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, update

from omnidesk.domain import canned
from omnidesk.server.customers.models import Customer
from omnidesk.server.outbox.models import OutboxItem
from tests.sse import StreamReader, of_type


def test_placeholders_fill_known_values_and_list_what_is_missing():
    text, missing = canned.render(
        "Добрий день, {customer.first_name}! Я {operator.name}. Картка: {customer.card}. {queue.position}",
        {"customer.first_name": "Оксана", "operator.name": "Ірина", "customer.card": "Gold"},
    )
    assert text == "Добрий день, Оксана! Я Ірина. Картка: Gold. "
    assert missing == ["queue.position"]
    assert canned.mentioned("@anna please, and @bob.smith. Not an e-mail a@b.c; @anna again") == ["anna", "bob.smith"]


@pytest.mark.parametrize("webhook", [False, True])
async def test_a_note_is_never_sent_stays_out_of_the_preview_and_is_in_the_history(api, webhook_sink, webhook):
    channel_id, token = await api.channel("Site", webhook_url=webhook_sink.url if webhook else None)
    conversation_id = (await api.inbound(channel_id, token, "n-1", text="Where is my card?")).json()["conversation_id"]
    op = await api.headers_for("op")
    r = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "Card was sent on Monday", "kind": "note"},
        headers=op,
    )
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == "note" and r.json()["delivery_status"] is None
    reply = await api.client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json={"text": "It is on its way"}, headers=op
    )
    assert reply.status_code == 201
    conv = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=op)).json()
    assert conv["last_message_preview"] == "It is on its way"
    async with api.db.session() as session:
        outbox = await session.scalar(select(func.count()).select_from(OutboxItem))
    assert outbox == (1 if webhook else 0)  # only the reply
    if webhook:
        await asyncio.to_thread(webhook_sink.wait_for, 1)
        await asyncio.sleep(0.5)  # a note, if it were sent, would have arrived by now too
        assert [p["text"] for p in webhook_sink.received] == ["It is on its way"]
    history = (await api.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=op)).json()["items"]
    assert [(m["kind"], m["text"]) for m in history] == [
        ("text", "Where is my card?"),
        ("note", "Card was sent on Monday"),
        ("text", "It is on its way"),
    ]
    timeline = (await api.client.get(f"/api/v1/customers/{conv['customer']['id']}/timeline", headers=op)).json()
    assert "note" in [i["kind"] for i in timeline["items"]]


async def test_a_mentioned_colleague_outside_the_queue_is_notified_and_finds_it_in_mentions(api):
    from tests.server.customer_helpers import add_queue

    other_queue = await add_queue(api, "Back office")
    channel_id, token = await api.channel("Site")
    conversation_id = (await api.inbound(channel_id, token, "m-1")).json()["conversation_id"]
    op = await api.headers_for("op")
    anna = await api.headers_for("anna", queue_ids=[other_queue])
    head = (await api.client.get("/api/v1/events/head", headers=anna)).json()["last_event_id"]
    async with StreamReader(api.url, anna, after=head) as stream:
        r = await api.client.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"text": "@anna can you check the limit? @nobody", "kind": "note"},
            headers=op,
        )
        assert r.status_code == 201
        await stream.wait_for(lambda ev: of_type(ev, "mention.created"), timeout=10)
    mention = of_type(stream.events, "mention.created")[0]["payload"]["mention"]
    assert mention["conversation_id"] == conversation_id and mention["author_name"] == "op"
    # Anna is not in the queue: she gets the mention, not the conversation's other events.
    assert not of_type(stream.events, "message.created")
    listed = (await api.client.get("/api/v1/mentions?unread=true", headers=anna)).json()
    assert [m["text"] for m in listed] == ["@anna can you check the limit? @nobody"]
    assert (await api.client.post(f"/api/v1/mentions/{listed[0]['id']}/read", headers=anna)).status_code == 204
    assert (await api.client.get("/api/v1/mentions?unread=true", headers=anna)).json() == []
    assert (await api.client.post(f"/api/v1/mentions/{listed[0]['id']}/read", headers=op)).status_code == 204
    assert len((await api.client.get("/api/v1/mentions", headers=anna)).json()) == 1


async def test_canned_replies_personal_and_shared_are_filtered_and_rendered(api):
    from tests.server.customer_helpers import add_queue

    vip = await add_queue(api, "VIP")
    channel_id, token = await api.channel("Site", queue_id=vip)
    ack = (await api.inbound(channel_id, token, "c-1", name="Оксана Петренко")).json()
    async with api.db.session() as session:
        await session.execute(
            update(Customer).where(Customer.id == ack["customer_id"]).values(attributes={"card": "Gold"})
        )
        await session.commit()
    sup = await api.headers_for("sup", "supervisor")
    op = await api.headers_for("op", queue_ids=[vip])
    stranger = await api.headers_for("stranger")
    shared = {
        "shortcut": "hello",
        "title": "Привітання",
        "language": "uk",
        "body": "Добрий день, {customer.first_name}! Мене звати {operator.first_name}. Ваша картка {customer.card}; "
        "ви {queue.position}-й у черзі.",
        "queue_id": vip,
        "shared": True,
    }
    assert (await api.client.post("/api/v1/canned-replies", json=shared, headers=op)).status_code == 403
    r = await api.client.post("/api/v1/canned-replies", json=shared, headers=sup)
    assert r.status_code == 201, r.text
    mine = {"shortcut": "help", "title": "Help", "language": "en", "body": "How can I help, {customer.name}?"}
    assert (await api.client.post("/api/v1/canned-replies", json=mine, headers=op)).status_code == 201
    listed = (await api.client.get("/api/v1/canned-replies?q=/hel", headers=op)).json()
    assert [c["shortcut"] for c in listed] == ["help", "hello"]  # personal first
    assert [c["shortcut"] for c in (await api.client.get("/api/v1/canned-replies?q=прив", headers=op)).json()] == [
        "hello"
    ]
    assert (await api.client.get("/api/v1/canned-replies", headers=stranger)).json() == []  # not in VIP, not theirs
    rendered = await api.client.post(
        f"/api/v1/canned-replies/{r.json()['id']}/render", json={"conversation_id": ack["conversation_id"]}, headers=op
    )
    assert rendered.status_code == 200, rendered.text
    assert rendered.json() == {
        "text": "Добрий день, Оксана! Мене звати op. Ваша картка Gold; ви 1-й у черзі.",
        "missing": [],
    }
    r2 = await api.client.put(f"/api/v1/canned-replies/{r.json()['id']}", json=shared | {"body": "x"}, headers=op)
    assert r2.status_code == 403
    bad = await api.client.post("/api/v1/canned-replies", json=mine | {"language": "de"}, headers=op)
    assert bad.status_code == 422
