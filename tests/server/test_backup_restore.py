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


async def test_the_backup_carries_the_stored_files_and_with_key_the_channel_key(db_url, tmp_path, monkeypatch):
    """Attachments larger than attachment_db_max_bytes live on disk beside the database, and channel credentials are
    sealed with channel.key: a backup that held only the database would restore replies whose files answer 410 and
    channels whose tokens no longer decrypt."""
    import os
    import stat
    import tarfile

    from cryptography.fernet import Fernet

    from omnidesk.server.channels import crypto
    from omnidesk.server.channels.models import ChannelSettings

    data = tmp_path / "data"
    monkeypatch.setenv("OMNIDESK_DATA_DIR", str(data))
    settings = test_settings(db_url, data_dir=str(data), attachment_db_max_bytes=1024)
    picture = b"\x89PNG\r\n\x1a\n" + os.urandom(5000)
    async with serve(settings) as (_app, base), httpx.AsyncClient(base_url=base, timeout=30) as client:
        api = Api(url=base, db=Database(db_url, pool_size=1), settings=settings, client=client, app=_app)
        channel_id, token = await api.channel("Site")
        conversation = (await api.inbound(channel_id, token, "f-1", text="Фото картки")).json()["conversation_id"]
        operator = await api.headers_for("op")
        r = await client.post(
            f"/api/v1/conversations/{conversation}/attachments",
            files={"file": ("card.png", picture, "image/png")},
            headers=operator,
        )
        assert r.status_code == 201, r.text
        attachment = r.json()["id"]
        admin = await api.headers_for("root", "admin")
        viber = {"name": "Bank Viber", "secrets": {"auth_token": "445da6az1s-viber-token"}}
        assert (await client.post("/api/v1/admin/channels/viber", json=viber, headers=admin)).status_code == 201
        await api.db.dispose()
    stored = [p for p in (data / "attachments").rglob("*") if p.is_file()]
    key_file = data / "channel.key"
    assert len(stored) == 1 and key_file.is_file()

    plain, keyed = tmp_path / "plain.backup", tmp_path / "keyed.backup"
    made = omnidesk_here("backup", str(plain), database=db_url)
    assert made.returncode == 0, made.stderr
    assert "1 stored file(s)" in made.stdout and "channel key is not in it" in made.stdout
    with tarfile.open(plain) as archive:
        names = archive.getnames()
    assert "omnidesk-backup.json" in names and "channel.key" not in names
    assert f"attachments/{stored[0].relative_to(data / 'attachments').as_posix()}" in names
    made = omnidesk_here("backup", str(keyed), "--with-key", database=db_url)
    assert made.returncode == 0, made.stderr
    with tarfile.open(keyed) as archive:
        assert stat.S_IMODE(archive.getmember("channel.key").mode) == 0o600

    # The machine is lost: a new data directory, nothing in it. A different key already there is refused.
    for path in stored:
        path.unlink()
    original_key = key_file.read_bytes()
    key_file.write_bytes(Fernet.generate_key() + b"\n")
    refused = omnidesk_here("restore", str(keyed), "--yes", database=db_url)
    assert refused.returncode == 2 and "channel key differs" in refused.stderr, refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and not any(p.is_file() for p in stored)
    key_file.unlink()
    done = omnidesk_here("restore", str(keyed), "--yes", database=db_url)
    assert done.returncode == 0, done.stderr
    assert "1 stored file(s)" in done.stdout
    assert key_file.read_bytes() == original_key and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert all(p.read_bytes() == picture for p in stored)

    crypto._cache.clear()  # as a freshly started server: the key read from the restored file
    async with serve(settings) as (_app, base), httpx.AsyncClient(base_url=base, timeout=30) as client:
        api = Api(url=base, db=Database(db_url, pool_size=1), settings=settings, client=client, app=_app)
        r = await client.get(f"/api/v1/attachments/{attachment}", headers=await api.headers_for("root2", "admin"))
        assert r.status_code == 200 and r.content == picture
        async with api.db.session() as session:
            [row] = (await session.scalars(select(ChannelSettings))).all()
        assert crypto.unseal(settings, row.secrets)["auth_token"] == "445da6az1s-viber-token"
        await api.db.dispose()
