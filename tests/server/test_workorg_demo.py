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
