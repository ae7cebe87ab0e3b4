"""A real OmniDesk server (SQLite and PostgreSQL) with loopback Telegram and WhatsApp platforms beside it."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import NamedTuple

import httpx
import pytest
from cryptography.fernet import Fernet

from omnidesk.domain.enums import Role
from omnidesk.server.db import Database
from tests.channels.platforms import FakeTelegram, FakeWhatsApp
from tests.conftest import Api, serve, test_settings

VERIFY_TOKEN = "wa-verify-token-1"


def provider_settings(db_url: str, tmp_path, **overrides):
    return test_settings(
        db_url,
        channel_key=Fernet.generate_key().decode(),
        data_dir=str(tmp_path / "data"),
        attachment_db_max_bytes=1024,  # small files in the row, larger ones on disk: both paths run
        telegram_poll_timeout=1,
        **overrides,
    )


@pytest.fixture
async def provider_api(db_url, tmp_path):
    settings = provider_settings(db_url, tmp_path)
    db = Database(db_url, pool_size=2)
    async with serve(settings) as (app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield Api(url=url, db=db, settings=settings, client=client, app=app)
    await db.dispose()


@pytest.fixture
async def telegram():
    async with FakeTelegram().running() as fake:
        yield fake


@pytest.fixture
async def whatsapp():
    async with FakeWhatsApp().running() as fake:
        yield fake


async def admin_headers(api: Api) -> dict:
    return await api.headers_for("admin", Role.ADMIN)


async def add_telegram(api: Api, fake: FakeTelegram, headers: dict, mode: str = "webhook") -> dict:
    r = await api.client.post(
        "/api/v1/admin/channels/telegram",
        json={"name": "Bank bot", "token": fake.token, "mode": mode, "public_url": api.url, "api_base": fake.url},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


async def add_whatsapp(api: Api, fake: FakeWhatsApp, headers: dict) -> dict:
    r = await api.client.post(
        "/api/v1/admin/channels/whatsapp",
        json={
            "name": "Bank WhatsApp",
            "phone_number_id": fake.phone_number_id,
            "access_token": fake.access_token,
            "app_secret": fake.app_secret,
            "verify_token": VERIFY_TOKEN,
            "business_account_id": fake.business_account_id,
            "api_base": fake.url,
            "api_version": fake.version,
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return r.json()


async def wait_for(predicate, timeout: float = 15.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await predicate()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def messages(api: Api, headers: dict, conversation_id: int) -> list[dict]:
    r = await api.client.get(f"/api/v1/conversations/{conversation_id}/messages", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]


class WhatsAppDesk(NamedTuple):
    api: Api
    whatsapp: FakeWhatsApp
    headers: dict  # an administrator's
    hook: str  # the channel's webhook URL


@contextlib.asynccontextmanager
async def whatsapp_desk(db_url: str, tmp_path, admin: str = "olena"):
    """A real server on ``db_url`` with one WhatsApp channel on the loopback Cloud API, and its administrator."""
    settings = provider_settings(db_url, tmp_path)
    db = Database(db_url, pool_size=2)
    try:
        async with (
            FakeWhatsApp().running() as wa,
            serve(settings) as (app, url),
            httpx.AsyncClient(base_url=url, timeout=30) as http,
        ):
            api = Api(url=url, db=db, settings=settings, client=http, app=app)
            headers = await api.headers_for(admin, Role.ADMIN)
            channel = await add_whatsapp(api, wa, headers)
            yield WhatsAppDesk(api, wa, headers, f"{url}/hooks/whatsapp/{channel['id']}")
    finally:
        await db.dispose()
