"""The README's commands: a Telegram bot (poll mode) and a WhatsApp number added from the command line."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from omnidesk.server.channels.models import ChannelSettings
from omnidesk.server.db import Database
from tests.server.conftest import omnidesk_here


async def run(*args, **kw):
    """The command in a thread, so the loopback platforms in this event loop can answer it."""
    return await asyncio.to_thread(lambda: omnidesk_here(*args, **kw))


async def test_channel_add_telegram_and_whatsapp_from_the_command_line(
    db_url, telegram, whatsapp, tmp_path, monkeypatch
):
    monkeypatch.setenv("OMNIDESK_DATA_DIR", str(tmp_path))
    telegram.webhook = {"url": "https://stale.example/hook"}
    r = await run(
        "channel",
        "add",
        "telegram",
        "Bank bot",
        "--token-stdin",
        "--api-base",
        telegram.url,
        "--json",
        database=db_url,
        stdin=telegram.token + "\n",
    )
    assert r.returncode == 0, r.stderr
    created = json.loads(r.stdout)
    assert created["kind"] == "telegram" and created["mode"] == "poll" and created["bot"] == "bank_help_bot"
    assert telegram.webhook == {}  # poll mode: getUpdates answers 409 while a webhook is set
    assert telegram.token not in r.stdout + r.stderr
    r = await run(
        "channel",
        "add",
        "whatsapp",
        "Bank WhatsApp",
        "--phone-number-id",
        whatsapp.phone_number_id,
        "--verify-token",
        "vt-1",
        "--secrets-stdin",
        "--api-base",
        whatsapp.url,
        "--json",
        database=db_url,
        stdin=f"{whatsapp.access_token}\n{whatsapp.app_secret}\n",
    )
    assert r.returncode == 0, r.stderr
    wa = json.loads(r.stdout)
    assert wa["id"] != created["id"] and wa["webhook_path"] == f"/hooks/whatsapp/{wa['id']}"
    db = Database(db_url, pool_size=1)
    async with db.session() as session:
        sealed = " ".join(s.secrets for s in await session.scalars(select(ChannelSettings)))
    await db.dispose()
    for secret in (telegram.token, whatsapp.access_token, whatsapp.app_secret):
        assert secret not in sealed  # encrypted at rest
    assert (tmp_path / "channel.key").stat().st_mode & 0o777 == 0o600
    r = await run("channel", "health", str(wa["id"]), database=db_url)
    assert r.returncode == 0 and "token valid" in r.stdout, r.stdout + r.stderr
    r = await run("channel", "list", "--json", database=db_url)
    assert [c["kind"] for c in json.loads(r.stdout)] == ["telegram", "whatsapp"]
    r = await run("channel", "add", "telegram", "No token", "--json", database=db_url)
    assert r.returncode == 2 and "--token-stdin" in r.stderr
    r = await run(
        "channel",
        "add",
        "telegram",
        "Bad",
        "--token-stdin",
        "--api-base",
        telegram.url,
        database=db_url,
        stdin="1:wrong\n",
    )
    assert r.returncode == 1 and "bot token" in r.stderr and "1:wrong" not in r.stderr
