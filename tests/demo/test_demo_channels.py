"""Every demo channel with a real connector takes the demo's traffic through it, and stores each message once:
the platform's webhook (Telegram, WhatsApp, Viber, VK, Messenger, Instagram, MAX), the web chat's and the form's
public endpoints, and a mail submitted over SMTP that the server's IMAP reader fetches from the demo's mail server."""

from __future__ import annotations

import asyncio
import random
import time

import httpx
from sqlalchemy import func, select

from omnidesk.demo.data import DEMO_LOGINS
from omnidesk.demo.people import account_for, random_person
from omnidesk.demo.providers import MESSENGERS
from omnidesk.domain.enums import ChannelKind, Role
from omnidesk.server.admin.models import Channel
from omnidesk.server.conversations.models import Message
from tests.demo.conftest import demo_services

EXPECTED = {
    ChannelKind.TELEGRAM,
    ChannelKind.WHATSAPP,
    *MESSENGERS,
    ChannelKind.EMAIL,
    ChannelKind.WEBCHAT,
    ChannelKind.WEBFORM,
}


async def test_each_channels_demo_traffic_is_stored_once_through_its_connector(tmp_path):
    async with demo_services(tmp_path) as (services, _world, db):
        platforms, simulator = services.platforms, services.simulator
        assert set(platforms.channels) == EXPECTED
        async with db.session() as session:  # after what the demo stored at start (the showcase's live messages)
            last_before = await session.scalar(select(func.max(Message.id)))
        rng = random.Random(5)
        async with httpx.AsyncClient(timeout=20) as client:
            for kind in sorted(EXPECTED):
                person = random_person(rng, channel_count=1)
                body = simulator._body(account_for(rng, person, kind), "Добрий день! Не проходить оплата карткою")
                for attempt in ("first", "redelivery"):
                    # The demo's form pace would turn the redelivered form into an e-mail; the pace has its own tests.
                    platforms._last_form = 0.0
                    assert await platforms.post(client, kind, body) in (200, 201), (kind, attempt)

        async def stored() -> dict[str, int]:
            async with db.session() as session:
                rows = await session.execute(
                    select(Channel.kind, func.count())
                    .join(Message, Message.channel_id == Channel.id)
                    .where(Message.direction == "in", Message.id > last_before)
                    .group_by(Channel.kind)
                )
                return dict(rows.all())

        deadline = time.monotonic() + 30  # the mail waits for the IMAP reader's IDLE wake-up
        while time.monotonic() < deadline and set(await stored()) != {k.value for k in EXPECTED}:
            await asyncio.sleep(0.3)
        assert await stored() == {kind.value: 1 for kind in EXPECTED}

        # An operator's reply on each newer platform gets that platform's own receipts from the demo (Viber's
        # delivered and seen, Messenger's deliveries and reads, Instagram's seen, VK's message_read): the ticks.
        answered = {ChannelKind.VIBER, ChannelKind.VK, ChannelKind.META, ChannelKind.INSTAGRAM}
        async with httpx.AsyncClient(base_url=services.url, timeout=20) as client:
            admin = next(login for login in DEMO_LOGINS if login[2] is Role.ADMIN)
            login = await client.post("/api/v1/auth/login", json={"username": admin[0], "password": admin[1]})
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            replies = {}
            for kind in sorted(answered):
                # A direct message (the first may have been a public comment: those live on the comments channel).
                person = random_person(rng, channel_count=1)
                body = simulator._body(account_for(rng, person, kind), "Чи можна змінити ліміт?")
                raw, hook_headers = platforms.payloads.build(kind, body, comment=False)
                hook = f"{services.url}/hooks/{kind.value}/{platforms.channels[kind]}"
                assert (await client.post(hook, content=raw, headers=hook_headers)).status_code == 200
                async with db.session() as session:
                    conversation = await session.scalar(
                        select(Message.conversation_id)
                        .where(
                            Message.channel_id == platforms.channels[kind], Message.text == "Чи можна змінити ліміт?"
                        )
                        .limit(1)
                    )
                assert conversation is not None, kind
                r = await client.post(
                    f"/api/v1/conversations/{conversation}/messages",
                    json={"text": "Перевірте, будь ласка"},
                    headers=headers,
                )
                assert r.status_code == 201, (kind, r.text)
                replies[kind] = r.json()["id"]

            async def states() -> dict[ChannelKind, str | None]:
                async with db.session() as session:
                    found = dict(
                        (
                            await session.execute(
                                select(Message.id, Message.delivery_status).where(Message.id.in_(replies.values()))
                            )
                        ).all()
                    )
                return {kind: found.get(message_id) for kind, message_id in replies.items()}

            deadline = time.monotonic() + 40
            while time.monotonic() < deadline and set((await states()).values()) != {"read"}:
                await asyncio.sleep(0.3)
            assert await states() == dict.fromkeys(answered, "read")
