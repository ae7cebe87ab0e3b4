"""Ingest gives the same result whichever path stores the message.

On PostgreSQL a returning sender's message in an open conversation goes through the asyncpg fast path
(omnidesk/server/ingest_pg.py); everything else, and everything on SQLite, through the general path. The same
scenario runs on both databases and must produce the same conversations, messages, timeline and events.
"""

from __future__ import annotations

import asyncio

import pytest

from omnidesk.server import ingest_pg
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
        assert fast == {"stored": 0, "duplicate": 0, "declined": 0}
    else:  # the first message declines (new customer); the rest take the fast path
        assert fast == {"stored": 2, "duplicate": 1, "declined": 1}


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
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name = 'omnidesk'",
            api.db.engine.url.database,
        )
    finally:
        await admin.close()
    assert killed >= 1
    answers = [await api.inbound(channel_id, token, f"c-{i}", text=f"after {i}") for i in range(1, 4)]
    assert [r.status_code for r in answers] == [201, 201, 201]
    listed = await api.client.get("/api/v1/conversations", headers=headers)
    assert listed.status_code in (200, 503)  # a clear answer, never a 500
    conv_id = answers[0].json()["conversation_id"]
    page = (await api.client.get(f"/api/v1/conversations/{conv_id}/messages", headers=headers)).json()
    assert [m["text"] for m in page["items"]] == ["before", "after 1", "after 2", "after 3"]
