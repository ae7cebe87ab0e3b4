"""Issue 17, item 6 on the command line: offboarding without the API (the server may be down), audited."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.auth.models import AuthSession
from omnidesk.server.queues.models import QueueMember
from omnidesk.server.users.models import User
from tests.server.conftest import omnidesk_here
from tests.server.customer_helpers import add_queue


async def cli(*args, **kw):
    """The command line in a worker thread: this test's event loop keeps serving the in-process server meanwhile
    (blocked, it could hold SQLite's lock mid-transaction and the command would wait for it in vain)."""
    return await asyncio.to_thread(omnidesk_here, *args, **kw)


async def _user(api, name: str) -> User:
    async with api.db.session() as session:
        return await session.scalar(select(User).where(User.username == name))


async def test_user_offboarding_commands_disable_roles_passwords_queues_and_sessions(api):
    url = api.settings.database_url
    await api.user("olena")
    await api.login("olena")
    vip = await add_queue(api, "VIP")

    result = await cli("user", "disable", "olena", database=url)
    assert result.returncode == 0, result.stderr
    user = await _user(api, "olena")
    assert user.is_active is False
    async with api.db.session() as session:
        sessions = (await session.scalars(select(AuthSession).where(AuthSession.user_id == user.id))).all()
    assert sessions and all(s.revoked_at is not None for s in sessions)
    r = await api.client.post("/api/v1/auth/login", json={"username": "olena", "password": "password-123"})
    assert r.status_code == 401

    assert (await cli("user", "enable", "olena", database=url)).returncode == 0
    assert (await cli("user", "set-role", "olena", "supervisor", database=url)).returncode == 0
    assert (await _user(api, "olena")).role == "supervisor"
    result = await cli("user", "set-password", "olena", "--password-stdin", database=url, stdin="brand-new-pw\n")
    assert result.returncode == 0, result.stderr
    await api.login("olena", "brand-new-pw")
    assert (await cli("user", "add-queue", "olena", str(vip), database=url)).returncode == 0
    async with api.db.session() as session:
        queues = set((await session.scalars(select(QueueMember.queue_id).where(QueueMember.user_id == user.id))).all())
    assert vip in queues
    assert (await cli("user", "remove-queue", "olena", str(vip), database=url)).returncode == 0
    result = await cli("user", "logout-everywhere", "olena", database=url)
    assert result.returncode == 0 and "1 session" in result.stdout

    missing = await cli("user", "disable", "nobody", database=url)
    assert missing.returncode == 2 and "nobody" in missing.stderr
    bad_queue = await cli("user", "add-queue", "olena", "987654", database=url)
    assert bad_queue.returncode == 2 and "987654" in bad_queue.stderr

    async with api.db.session() as session:
        rows = (await session.scalars(select(AuditRecord).where(AuditRecord.user_id.is_(None)))).all()
    cli_actions = [r.action for r in rows if (r.username or "").startswith("cli:")]
    assert cli_actions.count("user.update") == 4
    assert {"user.queue_add", "user.queue_remove", "user.sessions_revoked"} <= set(cli_actions)


async def test_channel_rotate_token_command(api):
    url = api.settings.database_url
    channel_id, old = await api.channel()
    result = await cli("channel", "rotate-token", str(channel_id), "--json", database=url)
    assert result.returncode == 0, result.stderr
    new = json.loads(result.stdout)["token"]
    assert (await api.inbound(channel_id, new, "m1")).status_code == 201
    assert (await api.inbound(channel_id, old, "m2")).status_code == 401
    assert (await cli("channel", "rotate-token", "987654", database=url)).returncode == 2
