"""The ``omnidesk`` command as an admin uses it: users, channels, and a server that will not run on an old schema."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time

import httpx
from sqlalchemy import select as sql_select

from omnidesk.server import migrate
from omnidesk.server.db import Database
from omnidesk.server.security import verify_password
from omnidesk.server.users.models import User
from tests.conftest import serve, test_settings
from tests.helpers import free_port, omnidesk_cmd, sqlite_url
from tests.server.conftest import omnidesk_here


def run_in_terminal(args: list[str], answers: list[tuple[str, str]], timeout: float = 90) -> tuple[int, str]:
    """Run ``args`` on a pseudo-terminal, typing each reply when its prompt appears; return (exit code, screen)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execvp(args[0], args)
    screen, seen, pending = b"", 0, list(answers)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                screen += chunk
            if pending and pending[0][0].encode() in screen[seen:]:
                prompt, reply = pending.pop(0)
                seen = screen.index(prompt.encode(), seen) + len(prompt)
                os.write(fd, reply.encode() + b"\n")
        else:
            os.kill(pid, 9)
            raise AssertionError(f"timed out; screen so far: {screen!r}")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), screen.decode(errors="replace")


async def _users(url: str) -> dict[str, User]:
    db = Database(url, pool_size=1)
    try:
        async with db.session() as session:
            return {u.username: u for u in (await session.scalars(sql_select(User))).all()}
    finally:
        await db.dispose()


async def test_user_add_with_password_on_stdin(db_url):
    result = omnidesk_here(
        "user", "add", "olena", "--role", "supervisor", "--password-stdin", database=db_url, stdin="a long passphrase\n"
    )
    assert "user olena (supervisor) created" in result.stdout
    olena = (await _users(db_url))["olena"]
    assert olena.role == "supervisor" and olena.is_active
    assert olena.password_hash.startswith("$argon2id$")
    assert verify_password(olena.password_hash, "a long passphrase")
    async with serve(test_settings(db_url), start_workers=False) as (_app, url):
        async with httpx.AsyncClient(base_url=url) as client:
            r = await client.post("/api/v1/auth/login", json={"username": "olena", "password": "a long passphrase"})
    assert r.status_code == 200 and r.json()["user"]["role"] == "supervisor"
    again = omnidesk_here(
        "user",
        "add",
        "olena",
        "--role",
        "operator",
        "--password-stdin",
        database=db_url,
        stdin="another passphrase\n",
    )
    assert again.returncode == 2 and "already exists" in again.stderr


def test_user_add_prompts_twice_without_echo(tmp_path):
    url = sqlite_url(tmp_path / "omnidesk.db")
    migrate.upgrade(url)
    code, screen = run_in_terminal(
        omnidesk_cmd("user", "add", "taras", "--role", "operator", "--database", url),
        [("Password:", "typed secretly 1"), ("Repeat password:", "typed secretly 1")],
    )
    assert code == 0, screen
    assert "user taras (operator) created" in screen
    assert "typed secretly" not in screen  # the terminal did not echo it
    code, screen = run_in_terminal(
        omnidesk_cmd("user", "add", "ivan", "--role", "operator", "--database", url),
        [("Password:", "first version 1"), ("Repeat password:", "second version")],
    )
    assert code == 2 and "the passwords differ" in screen
    assert set(user_names(url)) == {"taras"}


def user_names(url: str) -> list[str]:
    import asyncio

    return list(asyncio.run(_users(url)))


def test_short_password_is_refused_and_no_user_is_created(tmp_path):
    url = sqlite_url(tmp_path / "omnidesk.db")
    migrate.upgrade(url)
    result = omnidesk_here("user", "add", "olena", "--role", "admin", "--password-stdin", database=url, stdin="short\n")
    assert result.returncode == 2
    assert "at least 8 characters" in result.stderr
    code, screen = run_in_terminal(
        omnidesk_cmd("user", "add", "olena", "--role", "admin", "--database", url),
        [("Password:", "1234567"), ("Repeat password:", "1234567")],
    )
    assert code == 2 and "at least 8 characters" in screen
    result = omnidesk_here(
        "user",
        "add",
        "olena",
        "--role",
        "superuser",
        "--password-stdin",
        database=url,
        stdin="long enough pw\n",
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr
    assert user_names(url) == []


async def test_channel_add_api_json_gives_an_id_and_a_working_token(db_url, webhook_sink):
    result = omnidesk_here(
        "channel", "add", "api", "Bank app", "--webhook-url", webhook_sink.url, "--json", database=db_url
    )
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    created = json.loads(lines[0])
    assert isinstance(created["id"], int) and created["token"].startswith("odc_")
    assert created["name"] == "Bank app" and created["kind"] == "api" and created["webhook_url"] == webhook_sink.url
    async with serve(test_settings(db_url), start_workers=False) as (_app, url):
        async with httpx.AsyncClient(base_url=url) as client:
            r = await client.post(
                f"/api/v1/channels/{created['id']}/inbound",
                json={"external_id": "m-1", "sender": {"kind": "phone", "value": "+380501234567"}, "text": "hi"},
                headers={"Authorization": f"Bearer {created['token']}"},
            )
    assert r.status_code == 201, r.text


def test_channel_add_prints_the_token_once_for_people_and_refuses_a_bad_webhook(tmp_path):
    url = sqlite_url(tmp_path / "omnidesk.db")
    migrate.upgrade(url)
    result = omnidesk_here("channel", "add", "api", "Site", database=url)
    assert "created with id 1" in result.stdout
    assert "inbound token (shown once" in result.stdout and "odc_" in result.stdout
    assert "POST /api/v1/channels/1/inbound" in result.stdout
    bad = omnidesk_here("channel", "add", "api", "Bad", "--webhook-url", "ftp://example.org", database=url)
    assert bad.returncode == 2 and "http:// or https://" in bad.stderr


def _start_server(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        omnidesk_cmd("server", "--database", url, "--port", str(free_port())),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_server_refuses_to_start_on_an_unmigrated_database(tmp_path):
    empty = sqlite_url(tmp_path / "empty.db")
    result = _start_server(empty)
    assert result.returncode == 2
    assert "run 'omnidesk db upgrade' first" in result.stderr
    assert "serving on" not in result.stdout
    behind = sqlite_url(tmp_path / "behind.db")
    migrate.upgrade(behind, "0001")
    result = _start_server(behind)
    assert result.returncode == 2
    assert "schema is at 0001" in result.stderr and migrate.head_revision() in result.stderr
