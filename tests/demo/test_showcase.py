"""The demo's "wrote in Telegram, then in MAX and Viber" customer is joined at runtime by the shared phone, not by the
seed: the seed knows her by phone, the form and e-mail only; her Telegram, MAX and Viber messages arrive once the demo
runs, through the inbound path (and, in the full demo, Telegram and MAX through their connectors' webhooks), each
sharing her own number, and ingest's identity rule puts them on her card."""

from __future__ import annotations

import random

import httpx
from sqlalchemy import func, select

from omnidesk.demo.data import DEMO_LOGINS
from omnidesk.demo.simulator import TrafficSimulator
from omnidesk.server.admin.models import Channel
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.customers.models import Customer
from omnidesk.server.db import Database
from tests.conftest import serve, test_settings
from tests.demo.conftest import demo_services

NAME = "Наталія Гончаренко"
PHONE_AS_TYPED = "067 123 45 67"


async def _headers(client: httpx.AsyncClient) -> dict:
    username, password, _role, _name = DEMO_LOGINS[1]  # the supervisor sees every queue
    r = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _card(client: httpx.AsyncClient, headers: dict) -> tuple[dict, set[str]]:
    """Her card as found by her phone (the only customer it finds), and the channel kinds of her conversations."""
    r = await client.get("/api/v1/customers", params={"q": PHONE_AS_TYPED}, headers=headers)
    assert r.status_code == 200, r.text
    (found,) = r.json()["items"]
    assert found["name"] == NAME
    card = (await client.get(f"/api/v1/customers/{found['id']}", headers=headers)).json()
    r = await client.get(
        "/api/v1/conversations",
        params={"customer_id": found["id"], "status": ["open", "pending", "resolved"], "limit": 200},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return card, {c["channel"]["kind"] for c in r.json()["items"]}


def _kinds(card: dict) -> set[str]:
    return {group["kind"] for group in card["identities"]}


async def test_her_telegram_max_and_viber_messages_join_her_card_by_the_shared_phone(seeded_url):
    """Both databases, through the inbound API (the path the demo takes for a channel without its connector)."""
    url, world = seeded_url
    async with serve(test_settings(url)) as (_app, base):
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            headers = await _headers(client)
            card, channels = await _card(client, headers)
            assert not _kinds(card) & {"telegram_id", "max", "viber"} and not channels & {"telegram", "max", "viber"}
            simulator = TrafficSimulator(base, world, rng=random.Random(2), client=client)
            assert not simulator.introduced
            # Telegram: her number, her question; MAX with her number; Viber: her number, then a question
            assert await simulator.introduce() == 5
            card, channels = await _card(client, headers)
    assert {"phone", "email", "viber", "telegram_id", "max"} <= _kinds(card)
    assert {"phone", "webform", "email", "telegram", "max", "viber"} <= channels
    db = Database(url, pool_size=1)
    try:
        async with db.session() as session:
            assert await session.scalar(select(func.count()).where(Customer.display_name == NAME)) == 1
    finally:
        await db.dispose()


async def test_the_full_demo_delivers_them_through_the_telegram_max_and_viber_connectors_before_it_is_ready(tmp_path):
    async with demo_services(tmp_path) as (services, _world, db):
        assert services.simulator.introduced
        async with httpx.AsyncClient(base_url=services.url, timeout=20) as client:
            card, channels = await _card(client, await _headers(client))
        assert {"phone", "telegram_id", "max", "viber"} <= _kinds(card) and {"telegram", "max", "viber"} <= channels
        async with db.session() as session:
            rows = await session.execute(
                select(Channel.kind, Message.external_id, Message.text)
                .join(Message, Message.channel_id == Channel.id)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(Conversation.customer_id == card["id"], Channel.kind.in_(("telegram", "max", "viber")))
                .order_by(Message.id)
            )
            stored = rows.all()
        # Stored under the platforms' own message ids (Telegram's chat:message, MAX's mid, Viber's message_token), so
        # their connectors parsed them: the shared contact first, then her question, then MAX with her contact card,
        # then Viber's contact (the share-phone button's answer) and her question there.
        assert [kind for kind, _, _ in stored] == ["telegram", "telegram", "max", "viber", "viber"]
        assert stored[0].external_id.count(":") == 1 and stored[2].external_id.startswith("mid.")
        assert all(row.external_id.isdigit() for row in stored[3:]) and "Viber" in stored[4].text
        assert "ліміт" in stored[1].text and "MAX" in stored[2].text
