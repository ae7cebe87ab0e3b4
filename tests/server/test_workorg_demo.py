"""The demo's work organisation: queues with members and presence, and rules that route its traffic."""

from __future__ import annotations

from sqlalchemy import func, select, update

from omnidesk.demo.data import seed
from omnidesk.demo.workorg import seed_work
from omnidesk.domain.enums import ChannelKind
from omnidesk.server.customers.models import Customer
from omnidesk.server.queues.models import Queue, QueueMember


async def test_demo_routes_a_vip_whatsapp_message_to_vip_support_and_fills_the_board(api):
    world = await seed(api.db, customers=12, conversations=20)
    ids = await seed_work(api.db, world.users)
    async with api.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Queue)) == 4
        assert await session.scalar(select(func.count()).select_from(QueueMember)) >= 8
    whatsapp = world.channels[ChannelKind.WHATSAPP]
    ack = (await api.inbound(whatsapp.id, whatsapp.token, "demo-vip-1", "+380671234000", "Добрий день")).json()
    async with api.db.session() as session:
        await session.execute(update(Customer).where(Customer.id == ack["customer_id"]).values(segment="VIP"))
        await session.commit()
    sup = {"Authorization": f"Bearer {(await api.login('supervisor', 'supervisor'))['access_token']}"}
    await api.client.post(
        f"/api/v1/conversations/{ack['conversation_id']}/status", json={"status": "resolved"}, headers=sup
    )
    again = (await api.inbound(whatsapp.id, whatsapp.token, "demo-vip-2", "+380671234000", "Де моя картка?")).json()
    conversation = (await api.client.get(f"/api/v1/conversations/{again['conversation_id']}", headers=sup)).json()
    assert (conversation["queue_id"], conversation["priority"]) == (ids["VIP support"], 2)
    board = (await api.client.get("/api/v1/board", headers=sup)).json()
    assert {t["name"] for t in board["queues"]} >= {"Support", "Sales", "Complaints", "VIP support"}
    assert sum(t["waiting"] for t in board["queues"]) >= 1 and board["waiting"]
    assert any(o["status"] == "online" for o in board["operators"])
    canned = (await api.client.get("/api/v1/canned-replies?q=hello", headers=sup)).json()
    assert {c["language"] for c in canned} == {"uk", "ru", "en"}


async def test_the_demos_colleagues_stay_present_past_the_lost_client_timeout(api):
    """Seeded once, the simulated colleagues were taken for lost clients after presence_timeout (3 min) and their work
    went back to the queues; their clients' heartbeat (demo/workorg.keep_colleagues_present) keeps them present."""
    import asyncio
    import contextlib
    import datetime as dt

    from omnidesk.demo.workorg import DEMO_OPERATORS, colleague_ids, keep_colleagues_present
    from omnidesk.server.presence.models import Presence
    from omnidesk.server.presence.service import mark_lost

    world = await seed(api.db, customers=4, conversations=4)
    await seed_work(api.db, world.users)
    colleagues = colleague_ids(world.users)
    assert len(colleagues) == len(DEMO_OPERATORS)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    async with api.db.session() as session:  # the demo has been open for ten minutes
        await session.execute(update(Presence).values(changed_at=long_ago, last_seen_at=long_ago))
        await session.commit()
    beating = asyncio.create_task(keep_colleagues_present(api.settings.database_url, colleagues, every=0.2))
    try:
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            async with api.db.session() as session:
                seen = (
                    await session.scalars(select(Presence.last_seen_at).where(Presence.user_id.in_(colleagues)))
                ).all()
            if all(s is not None and s > long_ago + dt.timedelta(minutes=5) for s in seen):
                break
            assert asyncio.get_running_loop().time() < deadline, seen
            await asyncio.sleep(0.1)
        async with api.db.session() as session:  # (the server's own worker may have made this pass already)
            await mark_lost(session, api.db, dt.timedelta(seconds=180))
            await session.commit()
            status = dict((await session.execute(select(Presence.user_id, Presence.status))).all())
        assert all(status[c] != "offline" for c in colleagues), status  # the colleagues are not lost clients
        assert status[world.users["operator"]] == "offline"  # nobody's client speaks for the signed-out operator
    finally:
        beating.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beating
