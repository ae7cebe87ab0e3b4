"""Exactly one Telegram poller per bot across processes: a second one stands by, and takes over when the first dies."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from omnidesk.server.channels import service
from omnidesk.server.channels.poller import TelegramPoller
from omnidesk.server.conversations.models import Message
from omnidesk.server.db import Database
from tests.channels.platforms import fixture
from tests.channels.server_fixtures import wait_for
from tests.conftest import test_settings

ROOT = Path(__file__).resolve().parents[2]

POLLER = textwrap.dedent(
    """
    import asyncio, sys
    from omnidesk.server.config import Settings
    from omnidesk.server.db import Database
    from omnidesk.server.channels.poller import TelegramPoller

    async def main():
        settings = Settings()
        db = Database(settings.database_url, pool_size=2)
        await TelegramPoller(db, settings, int(sys.argv[1]), retry=0.2).run()

    asyncio.run(main())
    """
)


async def stored(db: Database) -> int:
    async with db.session() as session:
        return await session.scalar(select(func.count()).select_from(Message))


async def test_a_standby_poller_takes_over_when_the_polling_process_is_killed(db_url, telegram, tmp_path):
    if db_url.startswith("sqlite"):
        pytest.skip("one server process on SQLite: the poller lock is PostgreSQL's advisory lock")
    key = Fernet.generate_key().decode()
    settings = test_settings(db_url, channel_key=key, data_dir=str(tmp_path), telegram_poll_timeout=1)
    db = Database(db_url, pool_size=3)
    async with db.session() as session:
        channel, _config = await service.create_provider_channel(
            session,
            settings,
            kind="telegram",
            name="Bot",
            secrets={"token": telegram.token},
            options={"mode": "poll"},
            api_base=telegram.url,
        )
        await session.commit()
        channel_id = channel.id
    env = {
        **os.environ,
        "OMNIDESK_DATABASE_URL": db_url,
        "OMNIDESK_CHANNEL_KEY": key,
        "OMNIDESK_DATA_DIR": str(tmp_path),
        "OMNIDESK_TELEGRAM_POLL_TIMEOUT": "1",
    }
    first = subprocess.Popen([sys.executable, "-c", POLLER, str(channel_id)], cwd=ROOT, env=env)  # noqa: ASYNC220
    standby = TelegramPoller(db, settings, channel_id, retry=0.2)
    task = None
    try:

        async def polling():
            return any(m == "getUpdates" for m, _ in telegram.calls)

        await wait_for(polling, timeout=30, what="the first process polling")
        task = asyncio.create_task(standby.run())
        await asyncio.sleep(1.5)
        assert not standby.holding.is_set(), "two pollers of one bot"
        telegram.push(fixture("telegram", "text"))
        await wait_for(lambda: _is(stored(db), 1), what="the first update stored by the first process")
        assert standby.handled == 0

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        await asyncio.wait_for(standby.holding.wait(), 20)
        telegram.push(fixture("telegram", "photo") | {"update_id": 900003})
        telegram.files["AgACAgIAAxkBAAIBQ2large"] = ("photos/p.jpg", b"\xff\xd8\xff\xe0jpeg")
        await wait_for(lambda: _is(stored(db), 2), what="the second update stored by the standby")

        # The standby counts an update once its offset is confirmed, just after the message's commit.
        async def confirmed():
            return standby.handled >= 1

        await wait_for(confirmed, what="the standby confirming the update")
        assert standby.handled == 1  # it went on from the stored offset: the first update was not handled again
        await asyncio.sleep(1.2)
        assert await stored(db) == 2
    finally:
        if first.poll() is None:
            first.kill()
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await db.dispose()


async def _is(awaitable, value):
    return (await awaitable) == value
