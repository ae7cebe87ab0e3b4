"""One customer across several channels, for the customer screens and the timeline benchmark: Оксана wrote from
her phone on WhatsApp and Viber, e-mailed (the e-mail carried her phone too), chatted on Telegram as @kusya_99
(a separate profile merged into hers); "Oksana Petrenko" with another e-mail is a suggested duplicate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from omnidesk.domain.enums import ChannelKind, Role
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.users.service import create_user


@dataclass
class CustomerScene:
    oksana: int = 0
    latin: int = 0
    channels: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


async def make_channels(
    api, kinds: list[tuple[ChannelKind, str]], webhook_url: str | None = None
) -> dict[str, tuple[int, str]]:
    found = {}
    async with api.db.session() as session:
        for kind, name in kinds:
            channel, token = await create_api_channel(session, name=name, kind=kind, webhook_url=webhook_url)
            found[kind.value] = (channel.id, token)
        await session.commit()
    return found


async def post(api, channel: tuple[int, str], external_id: str, sender: dict, body: str, extra=()) -> dict:
    r = await api.client.post(
        f"/api/v1/channels/{channel[0]}/inbound",
        json={"external_id": external_id, "sender": sender, "identities": list(extra), "text": body},
        headers={"Authorization": f"Bearer {channel[1]}"},
    )
    assert r.status_code in (200, 201), r.text
    return r.json()


async def seed_customer(api, webhook_url: str | None = None) -> CustomerScene:
    scene = CustomerScene()
    async with api.db.session() as session:
        await create_user(session, username="lead", password="password-123", role=Role.SUPERVISOR,
                          display_name="Олена Шевчук")  # fmt: skip
        await session.commit()
    scene.headers = {"Authorization": f"Bearer {(await api.login('lead'))['access_token']}"}
    channels = await make_channels(
        api,
        [
            (ChannelKind.WHATSAPP, "WhatsApp"),
            (ChannelKind.VIBER, "Viber"),
            (ChannelKind.EMAIL, "support@shop.example"),
            (ChannelKind.TELEGRAM, "Telegram"),
            (ChannelKind.WEBFORM, "Contact form"),
        ],
        webhook_url,
    )
    scene.channels = {kind: channel_id for kind, (channel_id, _) in channels.items()}
    phone = {"kind": "phone", "value": "+380501234567", "name": "Оксана Петренко"}
    ack = await post(api, channels["whatsapp"], "wa-1", phone, "Добрий день! Картку заблоковано після трьох спроб PIN.")
    scene.oksana = ack["customer_id"]
    first = ack["conversation_id"]
    r = await api.client.post(
        f"/api/v1/conversations/{first}/messages",
        json={"text": "Оксано, розблокували. Новий PIN прийде SMS.", "client_key": "scene-r1"},
        headers=scene.headers,
    )
    assert r.status_code in (200, 201), r.text
    r = await api.client.post(f"/api/v1/conversations/{first}/status", json={"status": "resolved"},
                              headers=scene.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    viber = {"kind": "phone", "value": "050 123 45 67", "name": "Оксана"}
    await post(api, channels["viber"], "vb-1", viber, "А коли прийде нова картка?")
    mail = {"kind": "email", "value": "Oksana.Petrenko@ukr.net", "name": "Оксана Петренко"}
    await post(api, channels["email"], "em-1", mail, "Надсилаю скан паспорта для перевипуску картки.",
               extra=[{"kind": "phone", "value": "+380501234567"}])  # fmt: skip
    kusya = {"kind": "telegram_username", "value": "@Kusya_99", "name": "Kusya_99"}
    ack = await post(api, channels["telegram"], "tg-1", kusya, "Привіт, це знову я. Картку отримала, дякую!")
    r = await api.client.post("/api/v1/customers/merge", json={"survivor_id": scene.oksana,
                              "other_id": ack["customer_id"]}, headers=scene.headers)  # fmt: skip
    assert r.status_code == 201, r.text
    latin = {"kind": "email", "value": "oksana.p@gmail.com", "name": "Oksana Petrenko"}
    ack = await post(api, channels["webform"], "wf-1", latin, "Card delivery question: is courier delivery possible?")
    scene.latin = ack["customer_id"]
    r = await api.client.patch(
        f"/api/v1/customers/{scene.oksana}",
        json={
            "segment": "VIP",
            "language": "uk",
            "tags": ["картка", "Київ"],
            "attributes": {"contract": "A-1042", "credit_limit": 50000, "newsletter": True},
        },
        headers=scene.headers,
    )
    assert r.status_code == 200, r.text
    await spread_in_time(api, scene.oksana)
    return scene


async def spread_in_time(api, customer_id: int, now: datetime | None = None) -> None:
    """Give the timeline a realistic rhythm (items happened over two days, not within a second)."""
    now = now or datetime.now(UTC)
    async with api.db.engine.begin() as conn:
        ids = [row[0] for row in (await conn.execute(
            text("SELECT id FROM timeline_items WHERE customer_id = :c ORDER BY id DESC"), {"c": customer_id}
        )).all()]  # fmt: skip
        for number, item_id in enumerate(ids):
            when = now - timedelta(minutes=7 + number * 211)
            await conn.execute(text("UPDATE timeline_items SET at = :at WHERE id = :id"), {"at": when, "id": item_id})
