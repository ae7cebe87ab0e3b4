"""0011 folds 0006's ``channel_credentials`` into ``channel_settings`` and back, on SQLite and PostgreSQL: a messenger
channel's sealed token, options and API base survive the upgrade and the downgrade unchanged."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from sqlalchemy import text

from omnidesk.domain.enums import ChannelKind
from omnidesk.server import migrate
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.db import Database
from tests.server.test_migrations import empty_url  # noqa: F401  (the fixture)
from tests.server.test_migrations import select_rows as _rows

SEALED = "gAAAAABfake-token-as-stored"


async def test_credentials_move_into_channel_settings_and_back(empty_url):  # noqa: F811
    await asyncio.to_thread(migrate.upgrade, empty_url, "0010")
    db = Database(empty_url, pool_size=1)
    try:
        async with db.session() as session:
            viber, _ = await create_api_channel(session, name="Viber", kind=ChannelKind.VIBER)
            telegram, _ = await create_api_channel(session, name="Bot", kind=ChannelKind.TELEGRAM)
            await session.commit()
        async with db.engine.begin() as conn:
            now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
            await conn.execute(
                text(
                    "INSERT INTO channel_credentials (channel_id, ciphertext, options, api_base, updated_at) "
                    "VALUES (:id, :sealed, :options, :base, :now)"
                ),
                {"id": viber.id, "sealed": SEALED, "options": json.dumps({"sender_name": "Bank"}),
                 "base": "http://127.0.0.1:9/pa", "now": now},
            )  # fmt: skip
            await conn.execute(
                text(
                    "INSERT INTO channel_settings (channel_id, secrets, options, rejected, updated_at) "
                    "VALUES (:id, 'tg-sealed', :options, 0, :now)"
                ),
                {"id": telegram.id, "options": json.dumps({"mode": "poll"}), "now": now},
            )
    finally:
        await db.dispose()

    await asyncio.to_thread(migrate.upgrade, empty_url)
    rows = await _rows(empty_url, "SELECT channel_id, secrets, api_base FROM channel_settings ORDER BY channel_id")
    assert rows == [(viber.id, SEALED, "http://127.0.0.1:9/pa"), (telegram.id, "tg-sealed", None)]

    await asyncio.to_thread(migrate.downgrade, empty_url, "0010")
    assert await _rows(empty_url, "SELECT channel_id, ciphertext, api_base FROM channel_credentials") == [
        (viber.id, SEALED, "http://127.0.0.1:9/pa")
    ]
    assert await _rows(empty_url, "SELECT channel_id FROM channel_settings") == [(telegram.id,)]
    [(options,)] = await _rows(empty_url, "SELECT options FROM channel_credentials")
    assert (json.loads(options) if isinstance(options, str) else options) == {"sender_name": "Bank"}
