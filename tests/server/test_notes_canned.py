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
        await stream.wait_for(lambda ev: of_type(ev, "message.created"), timeout=10)
    mention = of_type(stream.events, "mention.created")[0]["payload"]["mention"]
    assert mention["conversation_id"] == conversation_id and mention["author_name"] == "op"
    # The mention first, then the note that made it: from the mention on she reads the conversation along.
    assert [e["type"] for e in stream.events] == ["mention.created", "message.created"]
    listed = (await api.client.get("/api/v1/mentions?unread=true", headers=anna)).json()
    assert [m["text"] for m in listed] == ["@anna can you check the limit? @nobody"]
    assert (await api.client.post(f"/api/v1/mentions/{listed[0]['id']}/read", headers=anna)).status_code == 204
    assert (await api.client.get("/api/v1/mentions?unread=true", headers=anna)).json() == []
    assert (await api.client.post(f"/api/v1/mentions/{listed[0]['id']}/read", headers=op)).status_code == 204
    assert len((await api.client.get("/api/v1/mentions", headers=anna)).json()) == 1


async def _mentioned_outsider(api):
    """A conversation of the default queue, a note in it mentioning anna (of another queue), and bob (of that other
    queue too, never mentioned)."""
    from tests.server.customer_helpers import add_queue

    other_queue = await add_queue(api, "Back office")
    channel_id, token = await api.channel("Site")
    ack = (await api.inbound(channel_id, token, "x-1", text="My card is blocked")).json()
    op = await api.headers_for("op")
    anna = await api.headers_for("anna", queue_ids=[other_queue])
    bob = await api.headers_for("bob", queue_ids=[other_queue])
    note = {"text": "@anna is this one for the back office?", "kind": "note"}
    r = await api.client.post(f"/api/v1/conversations/{ack['conversation_id']}/messages", json=note, headers=op)
    assert r.status_code == 201, r.text
    return ack, op, anna, bob, (channel_id, token)


async def test_a_mentioned_colleague_outside_the_queue_reads_the_conversation_and_adds_notes_but_cannot_reply(api):
    from omnidesk.server.audit.models import AuditRecord

    ack, op, anna, _bob, _channel = await _mentioned_outsider(api)
    conversation_id, customer_id = ack["conversation_id"], ack["customer_id"]
    base = f"/api/v1/conversations/{conversation_id}"
    r = await api.client.get(base, headers=anna)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == conversation_id
    history = (await api.client.get(f"{base}/messages", headers=anna)).json()["items"]
    assert [m["text"] for m in history] == ["My card is blocked", "@anna is this one for the back office?"]
    card = await api.client.get(f"/api/v1/customers/{customer_id}", headers=anna)
    assert card.status_code == 200, card.text
    timeline = (await api.client.get(f"/api/v1/customers/{customer_id}/timeline", headers=anna)).json()["items"]
    assert {i["conversation_id"] for i in timeline if i["conversation_id"]} == {conversation_id}
    assert (await api.client.post(f"{base}/activity", json={"typing": False}, headers=anna)).status_code == 204

    note = await api.client.post(f"{base}/messages", json={"text": "Yes, pass it on", "kind": "note"}, headers=anna)
    assert note.status_code == 201, note.text
    assert note.json()["kind"] == "note"
    reply = await api.client.post(f"{base}/messages", json={"text": "Hello from the back office"}, headers=anna)
    assert reply.status_code == 403 and "internal note" in reply.json()["detail"]
    # Reading along leaves the queue's unread count alone; taking, resolving and changing the card need the queue.
    before = (await api.client.get(base, headers=op)).json()["unread_count"]
    assert (await api.client.post(f"{base}/read", headers=anna)).status_code == 200
    assert (await api.client.get(base, headers=op)).json()["unread_count"] == before == 1
    assert (await api.client.post(f"{base}/assign", headers=anna)).status_code == 404
    assert (await api.client.post(f"{base}/status", json={"status": "resolved"}, headers=anna)).status_code == 404
    patch = await api.client.patch(f"/api/v1/customers/{customer_id}", json={"name": "X"}, headers=anna)
    assert patch.status_code == 404
    # The conversation does not join her inbox: she reaches it through the mention.
    listed = (await api.client.get("/api/v1/conversations", headers=anna)).json()["items"]
    assert conversation_id not in [c["id"] for c in listed]
    async with api.db.session() as session:
        mine = (AuditRecord.username == "anna", AuditRecord.object_type == "conversation")
        actions = (await session.scalars(select(AuditRecord.action).where(*mine))).all()
    assert {"conversation.read", "conversation.read_messages", "message.note"} <= set(actions)
    assert "message.reply" not in actions


async def test_a_colleague_not_mentioned_still_finds_nothing(api):
    ack, _op, _anna, bob, _channel = await _mentioned_outsider(api)
    conversation_id, customer_id = ack["conversation_id"], ack["customer_id"]
    base = f"/api/v1/conversations/{conversation_id}"
    assert (await api.client.get(base, headers=bob)).status_code == 404
    assert (await api.client.get(f"{base}/messages", headers=bob)).status_code == 404
    assert (await api.client.get(f"/api/v1/customers/{customer_id}", headers=bob)).status_code == 404
    note = {"text": "me too", "kind": "note"}
    assert (await api.client.post(f"{base}/messages", json=note, headers=bob)).status_code == 404


async def test_the_stream_brings_a_mentioned_colleague_the_conversation_s_later_updates_only(api):
    ack, op, anna, bob, (channel_id, token) = await _mentioned_outsider(api)
    other = (await api.inbound(channel_id, token, "y-1", value="+380671112233")).json()["conversation_id"]
    assert other != ack["conversation_id"]
    head = (await api.client.get("/api/v1/events/head", headers=anna)).json()["last_event_id"]
    async with (
        StreamReader(api.url, anna, after=head) as anna_stream,
        StreamReader(api.url, bob, after=head) as bob_stream,
    ):
        # The customer writes again (the ingest path), the queue replies: anna reads along; another conversation of
        # the same queue stays out of her stream, and bob (never mentioned) receives none of it.
        await api.inbound(channel_id, token, "y-2", value="+380671112233", text="Other customer again")
        again = await api.inbound(channel_id, token, "x-2", text="Still blocked")
        assert again.json()["conversation_id"] == ack["conversation_id"]
        r = await api.client.post(
            f"/api/v1/conversations/{ack['conversation_id']}/messages", json={"text": "Unblocked"}, headers=op
        )
        assert r.status_code == 201
        await anna_stream.wait_for(
            lambda ev: any(e["payload"].get("message", {}).get("text") == "Unblocked" for e in ev), timeout=10
        )
        await asyncio.sleep(0.5)  # the other conversation's events, if they leaked, would have arrived by now too
    texts = [e["payload"]["message"]["text"] for e in of_type(anna_stream.events, "message.created")]
    assert texts == ["Still blocked", "Unblocked"]
    about = set()
    for e in anna_stream.events:
        p = e["payload"]
        about.add((p.get("conversation") or {}).get("id") or (p.get("message") or {}).get("conversation_id"))
    assert about == {ack["conversation_id"]}
    assert other not in about
    assert not [e for e in bob_stream.events if e["type"].startswith(("message.", "conversation."))]


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
