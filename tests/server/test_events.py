"""The event stream: live delivery, resume by id, audience, heartbeats, and ordering under concurrent writers."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select

from omnidesk.domain.enums import Role
from omnidesk.server.db import Database
from omnidesk.server.events.models import EventRow
from omnidesk.server.events.service import emit, sequence_batch
from omnidesk.server.queues.models import Queue
from tests.conftest import serve, test_settings
from tests.sse import StreamReader, of_type


async def _head(api, headers) -> int:
    r = await api.client.get("/api/v1/events/head", headers=headers)
    assert r.status_code == 200
    return r.json()["last_event_id"]


async def test_new_message_reaches_a_connected_stream_once(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    async with StreamReader(api.url, headers, after=await _head(api, headers)) as stream:
        r = await api.inbound(channel_id, token, "m-1", text="Доброго дня")
        assert r.status_code == 201
        events = await stream.wait_count(2)
        await asyncio.sleep(0.3)  # nothing more may follow
    assert [e["type"] for e in stream.events] == ["message.created", "conversation.created"]
    assert events[0]["payload"]["message"]["text"] == "Доброго дня"
    assert events[1]["payload"]["conversation"]["id"] == r.json()["conversation_id"]
    assert events[1]["id"] == events[0]["id"] + 1


async def test_reconnect_with_last_id_gets_exactly_what_was_missed(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    start = await _head(api, headers)
    async with StreamReader(api.url, headers, after=start) as first:
        for i in range(3):
            await api.inbound(channel_id, token, f"a-{i}", text=f"first {i}")
        await first.wait_count(6)
    last_seen = first.last_id
    for i in range(4):  # while disconnected
        await api.inbound(channel_id, token, f"b-{i}", text=f"missed {i}")
    async with StreamReader(api.url, headers, after=last_seen) as second:
        await second.wait_count(8)
        await asyncio.sleep(0.3)
    texts = [e["payload"]["message"]["text"] for e in of_type(second.events, "message.created")]
    assert texts == [f"missed {i}" for i in range(4)]
    ids = [e["id"] for e in first.events + second.events]
    assert ids == list(range(start + 1, start + 15))


async def test_last_event_id_header_resumes_like_after(api):
    channel_id, token = await api.channel()
    headers = await api.headers_for("op")
    await api.inbound(channel_id, token, "x-1")
    await api.inbound(channel_id, token, "x-2")
    async with StreamReader(api.url, headers, after=0) as everything:
        await everything.wait_count(4)
    resume_from = everything.events[1]["id"]
    async with StreamReader(api.url, {**headers, "Last-Event-ID": str(resume_from)}) as resumed:
        await resumed.wait_count(2)
    assert [e["id"] for e in resumed.events] == [e["id"] for e in everything.events[2:]]


async def test_idle_stream_sends_heartbeats(api):
    headers = await api.headers_for("op")
    async with StreamReader(api.url, headers) as stream:
        await asyncio.sleep(1.3)  # heartbeat_interval is 0.5 s in tests
    assert stream.comments.count("ping") >= 2


async def test_stream_needs_a_valid_token(api):
    r = await api.client.get("/api/v1/events", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    r = await api.client.get("/api/v1/events")
    assert r.status_code == 401


async def test_operator_receives_only_events_of_their_queues(api):
    async with api.db.session() as session:
        session.add(Queue(name="VIP"))
        await session.commit()
        vip = await session.scalar(select(Queue.id).where(Queue.name == "VIP"))
    general_channel, general_token = await api.channel("General line")
    vip_channel, vip_token = await api.channel("VIP line", queue_id=vip)
    operator = await api.headers_for("op")  # member of General only
    supervisor = await api.headers_for("sup", Role.SUPERVISOR)
    head = await _head(api, supervisor)
    async with (
        StreamReader(api.url, operator, after=head) as op_stream,
        StreamReader(api.url, supervisor, after=head) as sup_stream,
    ):
        await api.inbound(vip_channel, vip_token, "vip-1", value="+380671112233", text="VIP question")
        await api.inbound(general_channel, general_token, "gen-1", value="+380671112244", text="general question")
        await sup_stream.wait_count(4)
        await op_stream.wait_count(2)
        await asyncio.sleep(0.3)
    assert [e["payload"]["message"]["text"] for e in of_type(op_stream.events, "message.created")] == [
        "general question"
    ]
    assert len(sup_stream.events) == 4


async def test_concurrent_writers_every_event_arrives_once_in_order(api):
    channel_id, token = await api.channel()
    supervisor = await api.headers_for("sup", Role.SUPERVISOR)
    head = await _head(api, supervisor)
    senders, per_sender = 8, 15

    async def sender(n: int) -> None:
        async with httpx.AsyncClient(base_url=api.url, timeout=30) as client:
            for i in range(per_sender):
                r = await client.post(
                    f"/api/v1/channels/{channel_id}/inbound",
                    json={
                        "external_id": f"s{n}-{i}",
                        "sender": {"kind": "external", "value": f"c{n}"},
                        "text": f"{n}/{i}",
                    },
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert r.status_code == 201, r.text

    async with StreamReader(api.url, supervisor, after=head) as stream:
        await asyncio.gather(*(sender(n) for n in range(senders)))
        total = senders * per_sender
        await stream.wait_for(lambda ev: len(of_type(ev, "message.created")) >= total, timeout=30)
        await asyncio.sleep(0.5)
    texts = [e["payload"]["message"]["text"] for e in of_type(stream.events, "message.created")]
    assert sorted(texts) == sorted(f"{n}/{i}" for n in range(senders) for i in range(per_sender))
    ids = [e["id"] for e in stream.events]
    assert ids == list(range(head + 1, head + 1 + len(ids))), "ids must be dense and strictly increasing"


@pytest.mark.pg
async def test_out_of_order_commits_are_never_skipped(pg_database):
    """Writer A inserts first but commits last. A reader that already saw B must still get A.

    Only PostgreSQL can run this: SQLite admits one writer at a time, so its commits cannot overtake each other.
    """
    from tests.conftest import _reset_pg, in_thread

    in_thread(asyncio.run, _reset_pg(pg_database))
    settings = test_settings(pg_database)
    writer_db = Database(pg_database, pool_size=3)
    async with serve(settings) as (_app, url):
        async with writer_db.session() as session:
            from omnidesk.server.users.service import create_user

            await create_user(session, username="sup", password="password-123", role=Role.SUPERVISOR)
            await session.commit()
        async with httpx.AsyncClient(base_url=url) as client:
            token = (
                await client.post("/api/v1/auth/login", json={"username": "sup", "password": "password-123"})
            ).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        async with StreamReader(url, headers, after=0) as stream:
            session_a = writer_db.sessionmaker()
            await emit(session_a, writer_db, "conversation.updated", {"writer": "A"}, queue_id=1)
            await session_a.flush()  # A holds the lower id, uncommitted
            async with writer_db.session() as session_b:
                await emit(session_b, writer_db, "conversation.updated", {"writer": "B"}, queue_id=1)
                await session_b.commit()
            await stream.wait_count(1)
            assert stream.events[0]["payload"] == {"writer": "B"}
            await session_a.commit()
            await session_a.close()
            await stream.wait_count(2)
        async with writer_db.session() as session:
            rows = (
                await session.execute(select(EventRow.id, EventRow.seq, EventRow.payload).order_by(EventRow.id))
            ).all()
    await writer_db.dispose()
    by_writer = {r.payload["writer"]: r for r in rows}
    # The pitfall was really provoked: A's id is lower although it committed later...
    assert by_writer["A"].id < by_writer["B"].id
    # ...and the stream still delivered it, after B, with the next number.
    assert [e["payload"]["writer"] for e in stream.events] == ["B", "A"]
    assert [e["id"] for e in stream.events] == [1, 2]


async def test_sequencer_numbers_only_committed_events(db_url):
    db = Database(db_url, pool_size=2)
    try:
        async with db.session() as session:
            await emit(session, db, "conversation.updated", {"n": 1}, queue_id=None)
            await session.commit()
        async with db.session() as session:
            await emit(session, db, "conversation.updated", {"n": 2}, queue_id=None)
            await session.rollback()
        assert await sequence_batch(db) == 1
        assert await sequence_batch(db) == 0
        async with db.session() as session:
            rows = (await session.execute(select(EventRow.seq, EventRow.payload))).all()
        assert [(r.seq, r.payload) for r in rows] == [(1, {"n": 1})]
    finally:
        await db.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
async def test_a_server_whose_event_hub_cannot_start_fails_its_start_at_once_with_the_reason(backend, tmp_path):
    """The event hub is the first to read the database at start; when it cannot (here: a database that does not
    exist), the start fails within seconds naming the hub's own error, not 30 s later with a bare timeout."""
    import time

    from tests.conftest import serve, test_settings

    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'no-such-dir' / 'omnidesk.db'}"
    else:
        url = "postgresql+asyncpg://postgres@127.0.0.1:5432/omnidesk_no_such_database"
    started = time.monotonic()
    with pytest.raises(BaseException) as failed:
        async with serve(test_settings(url)):
            pass
    assert time.monotonic() - started < 10
    chain, err = [], failed.value
    while err is not None:
        chain.append(repr(err))
        err = err.__cause__ or err.__context__
    assert any("the event hub could not start" in text for text in chain), chain
