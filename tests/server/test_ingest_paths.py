"""Ingest gives the same result whichever path stores the message.

On PostgreSQL a message whose sender has one identifier is stored by the group-commit batcher
(omnidesk/server/ingest_pg.py); everything else, and everything on SQLite, through the general path. The same
scenarios run on both databases and must produce the same customers, conversations, messages, timeline, audit and
events; the concurrent ones make the batcher store many messages per transaction.
"""

from __future__ import annotations

import asyncio

import pytest

from omnidesk.server.ingest import batch_pg as ingest_pg
from tests.helpers import PG_ADMIN_URL
from tests.sse import StreamReader, of_type


async def _scenario(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("sup", "supervisor")
    head = (await api.client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
    before = dict(ingest_pg.STATS)
    async with StreamReader(api.url, headers, after=head) as stream:
        first = await api.inbound(channel_id, token, "p-1", value="050 123 45 67", text="Перше", name="Оксана")
        second = await api.inbound(channel_id, token, "p-2", value="+380501234567", text="Друге")
        again = await api.inbound(channel_id, token, "p-2", value="+380501234567", text="Друге")
        third = await api.inbound(channel_id, token, "p-3", value="0501234567", text="Третє")
        await stream.wait_for(lambda ev: len(of_type(ev, "message.created")) >= 3, timeout=10)
        await asyncio.sleep(0.3)
    after = {k: ingest_pg.STATS[k] - before[k] for k in before}
    return channel_id, headers, (first, second, again, third), stream.events, after


async def test_returning_sender_joins_the_open_conversation_with_timeline_and_events(api):
    channel_id, headers, (first, second, again, third), events, fast = await _scenario(api)
    assert [r.status_code for r in (first, second, again, third)] == [201, 201, 200, 201]
    ids = [r.json() for r in (first, second, again, third)]
    assert len({i["conversation_id"] for i in ids}) == 1
    assert len({i["customer_id"] for i in ids}) == 1
    assert ids[2]["message_id"] == ids[1]["message_id"] and ids[2]["duplicate"] is True
    conversation_id, customer_id = ids[0]["conversation_id"], ids[0]["customer_id"]

    conv = (await api.client.get(f"/api/v1/conversations/{conversation_id}", headers=headers)).json()
    assert conv["unread_count"] == 3
    assert conv["last_message_preview"] == "Третє"
    assert conv["last_message_direction"] == "in"
    assert conv["status"] == "open"
    assert conv["customer"]["name"] == "Оксана"

    page = (await api.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=headers)).json()
    assert [m["text"] for m in page["items"]] == ["Перше", "Друге", "Третє"]

    timeline = (await api.client.get(f"/api/v1/customers/{customer_id}/timeline", headers=headers)).json()
    message_items = [i for i in timeline["items"] if i["kind"] == "message_in"]
    assert [i["payload"]["message"]["text"] for i in message_items] == ["Третє", "Друге", "Перше"]
    assert all(i["conversation_id"] == conversation_id and i["channel_id"] == channel_id for i in message_items)

    assert [e["type"] for e in events if e["type"].startswith(("message.", "conversation."))] == [
        "message.created",
        "conversation.created",
        "message.created",
        "conversation.updated",
        "message.created",
        "conversation.updated",
    ]
    last = of_type(events, "conversation.updated")[-1]["payload"]["conversation"]
    assert last == conv | {"unread_count": 3}

    if api.db.sqlite:
        assert fast["stored"] == fast["duplicate"] == fast["declined"] == 0
    else:  # every message of this single-identifier sender is stored by a batch, the new customer's first one too
        assert (fast["stored"], fast["duplicate"], fast["declined"]) == (3, 1, 0)


async def test_concurrent_redelivery_of_a_returning_senders_message_is_stored_once(api):
    channel_id, token = await api.channel()
    assert (await api.inbound(channel_id, token, "r-0", text="hello")).status_code == 201
    answers = await asyncio.gather(*(api.inbound(channel_id, token, "r-1", text="again") for _ in range(12)))
    assert sorted(r.status_code for r in answers) == [200] * 11 + [201]
    assert len({r.json()["message_id"] for r in answers}) == 1
    headers = await api.headers_for("sup2", "supervisor")
    conv_id = answers[0].json()["conversation_id"]
    page = (await api.client.get(f"/api/v1/conversations/{conv_id}/messages", headers=headers)).json()
    assert [m["text"] for m in page["items"]] == ["hello", "again"]


async def test_a_message_after_resolution_opens_a_new_conversation(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("sup3", "supervisor")
    first = (await api.inbound(channel_id, token, "s-1", text="one")).json()
    r = await api.client.post(
        f"/api/v1/conversations/{first['conversation_id']}/status", json={"status": "resolved"}, headers=headers
    )
    assert r.status_code == 200, r.text
    second = (await api.inbound(channel_id, token, "s-2", text="two")).json()
    assert second["customer_id"] == first["customer_id"]
    assert second["conversation_id"] != first["conversation_id"]
    third = (await api.inbound(channel_id, token, "s-3", text="three")).json()
    assert third["conversation_id"] == second["conversation_id"]


async def test_inbound_survives_the_database_dropping_every_connection(api):
    """A PostgreSQL restart or failover kills pooled connections: ingest retries on a fresh one, nothing is lost."""
    if api.db.sqlite:
        pytest.skip("PostgreSQL connections only")
    channel_id, token = await api.channel()
    assert (await api.inbound(channel_id, token, "c-0", text="before")).status_code == 201
    headers = await api.headers_for("sup4", "supervisor")
    import asyncpg

    admin = await asyncpg.connect(PG_ADMIN_URL)
    try:
        killed = await admin.fetchval(
            # every connection the server holds: pooled ones, the hub's LISTEN connection, the sequencer leader's
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            api.db.engine.url.database,
        )
    finally:
        await admin.close()
    assert killed >= 1
    for _ in range(20):  # the first requests may meet a dead pooled connection: a 503 to retry, never a 500
        r = await api.client.get("/api/v1/events/head", headers=headers)
        assert r.status_code in (200, 503), r.text
        if r.status_code == 200:
            break
    head = r.json()["last_event_id"]
    async with StreamReader(api.url, headers, after=head) as stream:  # events flow again once reconnected
        answers = [await api.inbound(channel_id, token, f"c-{i}", text=f"after {i}") for i in range(1, 4)]
        await stream.wait_for(lambda ev: len(of_type(ev, "message.created")) >= 3, timeout=15)
    assert [r.status_code for r in answers] == [201, 201, 201]
    listed = await api.client.get("/api/v1/conversations", headers=headers)
    assert listed.status_code in (200, 503)  # a clear answer, never a 500
    conv_id = answers[0].json()["conversation_id"]
    page = (await api.client.get(f"/api/v1/conversations/{conv_id}/messages", headers=headers)).json()
    assert [m["text"] for m in page["items"]] == ["before", "after 1", "after 2", "after 3"]


def burst_created(events: list[dict]) -> list[dict]:
    """The burst's message.created events: the warm-up's own may be sequenced after `head` was read."""
    return [e for e in of_type(events, "message.created") if e["payload"]["message"]["text"] != "earlier"]


async def test_concurrent_traffic_is_stored_exactly_once_with_one_customer_per_sender(api):
    """Many deliveries at once: first-time senders (one of them writing twice at once), returning senders, and
    redeliveries of one external id, all racing. On PostgreSQL they share transactions (group commit)."""
    channel_id, token = await api.channel()
    headers = await api.headers_for("sup5", "supervisor")
    returning = [f"+38067{i:07d}" for i in range(5)]
    for i, phone in enumerate(returning):
        assert (await api.inbound(channel_id, token, f"warm-{i}", value=phone, text="earlier")).status_code == 201
    head = (await api.client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
    before = dict(ingest_pg.STATS)
    sends = []
    for i in range(20):  # 20 first-time senders, named, one message each
        sends.append((f"new-{i}", f"+38068{i:07d}", f"Клієнт {i}", f"new {i}"))
    sends += [(f"twice-{i}", "+380689999999", "Двічі", f"twice {i}") for i in range(2)]  # one new sender, 2 messages
    for i, phone in enumerate(returning):  # returning senders, three messages each
        sends += [(f"ret-{i}-{n}", phone, None, f"ret {i} {n}") for n in range(3)]
    sends += [("same", "+380670000000", None, "redelivered")] * 6  # one external id, six deliveries

    async with StreamReader(api.url, headers, after=head) as stream:
        answers = await asyncio.gather(
            *(
                api.inbound(channel_id, token, ext, value=phone, name=name, text=text)
                for ext, phone, name, text in sends
            )
        )
        stored = len({ext for ext, *_ in sends})
        await stream.wait_for(lambda ev: len(burst_created(ev)) >= stored, timeout=20)
        await asyncio.sleep(0.3)
    assert all(r.status_code in (200, 201) for r in answers), [r.text for r in answers if r.status_code >= 300]
    by_ext: dict[str, set[int]] = {}
    for (ext, *_), r in zip(sends, answers, strict=True):
        by_ext.setdefault(ext, set()).add(r.json()["message_id"])
    assert all(len(ids) == 1 for ids in by_ext.values())  # every delivery of one external id got the same id
    assert sorted(r.status_code for (ext, *_), r in zip(sends, answers, strict=True) if ext == "same") == [200] * 5 + [
        201
    ]
    created = burst_created(stream.events)
    assert len(created) == stored  # each stored message announced once
    assert len({e["payload"]["message"]["id"] for e in created}) == stored

    twice = [r.json() for (ext, *_), r in zip(sends, answers, strict=True) if ext.startswith("twice-")]
    assert twice[0]["customer_id"] == twice[1]["customer_id"]
    assert twice[0]["conversation_id"] == twice[1]["conversation_id"]
    conv = (await api.client.get(f"/api/v1/conversations/{twice[0]['conversation_id']}", headers=headers)).json()
    assert conv["unread_count"] == 2 and conv["customer"]["name"] == "Двічі"
    page = await api.client.get(f"/api/v1/conversations/{twice[0]['conversation_id']}/messages", headers=headers)
    assert sorted(m["text"] for m in page.json()["items"]) == ["twice 0", "twice 1"]

    for phone in returning:
        ids = {r.json()["conversation_id"] for (ext, p, *_), r in zip(sends, answers, strict=True) if p == phone}
        assert len(ids) == 1
        conv = (await api.client.get(f"/api/v1/conversations/{ids.pop()}", headers=headers)).json()
        redelivered = 1 if phone == "+380670000000" else 0  # the six deliveries of "same" stored one message
        assert conv["unread_count"] == 1 + 3 + redelivered

    for i in range(20):  # one customer per new sender, found by its identifier, with the name it wrote under
        found = (await api.client.get("/api/v1/customers", params={"q": f"+38068{i:07d}"}, headers=headers)).json()
        assert [c["name"] for c in found["items"]] == [f"Клієнт {i}"]
    admin = await api.headers_for("adm5", "admin")
    audit = await api.client.get("/api/v1/audit", params={"action": "customer.create", "limit": 200}, headers=admin)
    assert audit.status_code == 200, audit.text
    created_customers = {r["object_id"] for r in audit.json()["items"]}
    assert len(created_customers) >= 21 + len(returning)

    after = {k: ingest_pg.STATS[k] - before[k] for k in before}
    if not api.db.sqlite:
        assert after["stored"] + after["declined"] >= stored
        assert after["batches"] < len(sends)  # messages shared transactions
        assert ingest_pg.STATS["largest"] > 1
