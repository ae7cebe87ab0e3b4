"""``omnidesk backup`` / ``omnidesk restore``: a round trip on SQLite (online backup API) and PostgreSQL (pg_dump and
pg_restore), the search index included; refusals are one clear line."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.conversations.models import Message
from omnidesk.server.db import Database
from tests.conftest import Api, in_thread, serve, test_settings
from tests.server.conftest import omnidesk_here


async def _count(url: str, query) -> int:
    db = Database(url, pool_size=1)
    try:
        async with db.session() as session:
            return int(await session.scalar(query))
    finally:
        await db.dispose()


def count(url, query) -> int:
    return in_thread(asyncio.run, _count(url, query))


async def _deliver(url: str, settings, numbers, channel=None) -> tuple[int, str]:
    """Deliver messages through a running server (stopped again on return); returns the channel and its token."""
    async with serve(settings) as (_app, base), httpx.AsyncClient(base_url=base, timeout=30) as client:
        api = Api(url=base, db=Database(url, pool_size=1), settings=settings, client=client, app=_app)
        channel_id, token = channel or await api.channel("Site")
        for n in numbers:
            r = await api.inbound(channel_id, token, f"b{n}", text=f"Картку номер {n} заблоковано")
            assert r.status_code in (200, 201), r.text
        await api.db.dispose()
    return channel_id, token


async def test_backup_then_restore_brings_back_the_data_and_its_search_index(db_url, tmp_path):
    settings = test_settings(db_url)
    channel = await _deliver(db_url, settings, range(5))
    file = tmp_path / "omnidesk.backup"
    made = omnidesk_here("backup", str(file), database=db_url)
    assert made.returncode == 0, made.stderr
    assert file.stat().st_size > 0 and "written to" in made.stdout
    # Life goes on after the backup: more messages arrive.
    await _deliver(db_url, settings, range(5, 8), channel)
    assert count(db_url, select(func.count()).select_from(Message)) == 8
    # Restore with the servers stopped, as the guide says.
    refused = omnidesk_here("restore", str(file), database=db_url)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    done = omnidesk_here("restore", str(file), "--yes", database=db_url)
    assert done.returncode == 0, done.stderr
    assert count(db_url, select(func.count()).select_from(Message)) == 5
    assert count(db_url, select(func.count()).where(AuditRecord.action == "ops.restore")) == 1
    async with serve(settings) as (_app, base), httpx.AsyncClient(base_url=base, timeout=30) as client:
        api = Api(url=base, db=Database(db_url, pool_size=1), settings=settings, client=client, app=_app)
        headers = await api.headers_for("sup", "supervisor")
        r = await client.get("/api/v1/search/messages", params={"q": "картка"}, headers=headers)
        assert r.status_code == 200 and len(r.json()["items"]) == 5
        await api.db.dispose()


def test_restore_refuses_a_file_that_is_no_backup_in_one_line(db_url, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"hello, this is not a database")
    r = omnidesk_here("restore", str(junk), "--yes", database=db_url)
    assert r.returncode == 2 and "not an OmniDesk backup" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    missing = omnidesk_here("restore", str(tmp_path / "nope"), "--yes", database=db_url)
    assert missing.returncode == 2 and "not found" in missing.stderr
