"""The reports' roll-up equals a recomputation from the raw facts after a random sequence of events (seeded, so a
failure replays), on SQLite and PostgreSQL: customer messages on two channels (the PostgreSQL batch stores most),
replies, pending/open/resolved, satisfaction answers, warnings and breaches; and ``omnidesk analytics rebuild``."""

from __future__ import annotations

import asyncio
import datetime as dt
import random

import pytest
from sqlalchemy import delete, select

from omnidesk.server.analytics.rebuild import rebuild
from omnidesk.server.sla.models import ConversationSla
from omnidesk.server.sla.service import BUSINESS_FIELDS, CLOCK_FIELDS
from omnidesk.server.sla.worker import SlaWorker
from tests.server.conftest import omnidesk_here

NAMES = [*CLOCK_FIELDS, "next_check_at", *BUSINESS_FIELDS]  # the business durations as the live paths stored them


async def _rows(api) -> dict[int, tuple]:
    async with api.db.session() as session:
        rows = (await session.scalars(select(ConversationSla).execution_options(populate_existing=True))).all()
        return {r.conversation_id: tuple(getattr(r, f) for f in NAMES) for r in rows}


@pytest.mark.parametrize("seed", [1, 2])
async def test_rollup_equals_a_rebuild_from_raw_facts_after_random_events(api, seed):
    rnd = random.Random(seed)
    sup = await api.headers_for("sup", "supervisor")
    r = await api.client.post(
        "/api/v1/sla/policies",
        json={"name": "fast", "first_response_seconds": 1, "next_response_seconds": 2, "resolution_seconds": 600},
        headers=sup,
    )
    assert r.status_code == 201
    office = {"tz": "Europe/Kyiv", "week": {str(d): [["09:00", "13:00"]] for d in range(5)}, "holidays": []}
    r = await api.client.post("/api/v1/queues", json={"name": "Office", "calendar": office}, headers=sup)
    assert r.status_code == 201, r.text  # channel A's conversations count business time in office hours
    channels = [await api.channel("A", queue_id=r.json()["id"]), await api.channel("B")]
    phones = [f"+38050{n:07d}" for n in rnd.sample(range(10**6, 10**7), 4)]
    open_convs: set[int] = set()
    known: set[int] = set()
    for step in range(40):
        op = rnd.random()
        if op < 0.45 or not known:
            channel_id, token = rnd.choice(channels)
            text = rnd.choice(["Hello", "5", "still waiting", "3 ok"])
            ack = (await api.inbound(channel_id, token, f"s{seed}-{step}", value=rnd.choice(phones), text=text)).json()
            known.add(ack["conversation_id"])
            open_convs.add(ack["conversation_id"])
            continue
        conversation_id = rnd.choice(sorted(known))
        base = f"/api/v1/conversations/{conversation_id}"
        if op < 0.7:
            await api.client.post(f"{base}/messages", json={"text": "On it"}, headers=sup)
        elif op < 0.95:
            status_ = rnd.choice(["pending", "open", "resolved"])
            await api.client.post(f"{base}/status", json={"status": status_}, headers=sup)
        else:
            await asyncio.sleep(1.1)  # let promises come due
    now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)
    await SlaWorker(api.db).tick(now)
    live = await _rows(api)
    assert len(live) >= 3
    await rebuild(api.db, now=now, page=3)  # small pages: the paging is exercised too
    rebuilt = await _rows(api)
    assert rebuilt == live, _diff(live, rebuilt)


async def test_the_command_rebuilds_a_lost_rollup(api):
    channel_id, token = await api.channel()
    op = await api.headers_for("op")
    conversation_id = (await api.inbound(channel_id, token, "c-1")).json()["conversation_id"]
    await api.client.post(f"/api/v1/conversations/{conversation_id}/messages", json={"text": "Hi"}, headers=op)
    before = await _rows(api)
    async with api.db.session() as session:
        await session.execute(delete(ConversationSla))
        await session.commit()
    result = await asyncio.to_thread(omnidesk_here, "analytics", "rebuild", database=api.db.url)
    assert result.returncode == 0, result.stderr
    assert "1 conversations" in result.stdout
    assert await _rows(api) == before


def _diff(a: dict, b: dict) -> list:
    names = NAMES
    return [
        (cid, n, x, y)
        for cid in a
        for n, x, y in zip(names, a[cid], b.get(cid, (None,) * len(names)), strict=True)
        if x != y
    ]
