"""The demo's Telegram and WhatsApp customers arrive through the real connectors (loopback Bot API and Graph API):
platform payloads on /hooks/..., photos stored as attachments, buttons and contacts, and WhatsApp's delivery and read
receipts for operators' replies."""

from __future__ import annotations

import asyncio
import random
import time

import httpx
from sqlalchemy import func, select

from omnidesk.demo.data import DEMO_LOGINS
from omnidesk.domain.enums import ChannelKind, Role
from omnidesk.server.attachments.models import Attachment
from omnidesk.server.channels.models import MessageDetails
from omnidesk.server.conversations.models import Conversation, Message
from tests.demo.conftest import demo_services


async def test_telegram_and_whatsapp_traffic_goes_through_the_connectors(tmp_path):
    async with demo_services(tmp_path, interval=0.05, outbox_base_delay=0.1) as (services, world, db):
        services.simulator.rng = random.Random(7)
        tg, wa = world.channels[ChannelKind.TELEGRAM].id, world.channels[ChannelKind.WHATSAPP].id

        async def hooked(channel_id: int) -> int:
            async with db.session() as session:
                return await session.scalar(
                    select(func.count())
                    .select_from(Message)
                    .join(MessageDetails, MessageDetails.message_id == Message.id)
                    .where(Message.channel_id == channel_id)
                )

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (await hooked(tg) < 3 or await hooked(wa) < 3):
            await asyncio.sleep(0.3)
        assert await hooked(tg) >= 3 and await hooked(wa) >= 3, "platform payloads through /hooks"
        assert services.platforms.telegram.webhook["url"].endswith(f"/hooks/telegram/{tg}")

        async with httpx.AsyncClient(base_url=services.url, timeout=20) as client:
            admin = next(login for login in DEMO_LOGINS if login[2] is Role.ADMIN)
            login = await client.post("/api/v1/auth/login", json={"username": admin[0], "password": admin[1]})
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            async with db.session() as session:
                conv = await session.scalar(
                    select(Conversation.id)
                    .join(Message, Message.conversation_id == Conversation.id)
                    .join(MessageDetails, MessageDetails.message_id == Message.id)
                    .where(Conversation.channel_id == wa)
                    .order_by(Message.id.desc())
                    .limit(1)
                )
            r = await client.post(f"/api/v1/conversations/{conv}/messages", json={"text": "Вітаю!"}, headers=headers)
            assert r.status_code == 201, r.text
            reply = r.json()["id"]
            deadline = time.monotonic() + 30
            state = None
            while time.monotonic() < deadline and state != "read":
                async with db.session() as session:
                    state = await session.scalar(select(Message.delivery_status).where(Message.id == reply))
                await asyncio.sleep(0.3)
            assert state == "read", state
            assert any(s["type"] == "text" and s["text"]["body"] == "Вітаю!" for s in services.platforms.whatsapp.sent)
        async with db.session() as session:
            files = await session.scalar(select(func.count()).select_from(Attachment))
        print(f"demo: {await hooked(tg)} Telegram and {await hooked(wa)} WhatsApp messages, {files} files")
