"""The ``omnidesk`` command as an admin uses it: users, channels, and a server that will not run on an old schema."""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import time

import httpx
import pytest
from sqlalchemy import select as sql_select

from omnidesk.server import migrate
from omnidesk.server.db import Database
from omnidesk.server.security import verify_password
from omnidesk.server.users.models import User
from tests.conftest import serve, test_settings
from tests.helpers import PG_ADMIN_URL, free_port, omnidesk_cmd, sqlite_url, unique_name
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
    missing = sqlite_url(tmp_path / "missing.db")
    result = _start_server(missing)
    assert result.returncode == 6  # the database does not exist
    assert "missing.db does not exist: 'omnidesk db upgrade' creates it" in result.stderr
    assert "serving on" not in result.stdout and not (tmp_path / "missing.db").exists()
    sqlite3.connect(tmp_path / "empty.db").close()  # a file with no schema in it
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


# --- a problem an admin can fix is one line and a status of its own, never a traceback (README "Exit statuses") ---

SECRET = "pw-Not-Shown-1"


def _one_line(result: subprocess.CompletedProcess) -> str:
    """The single error line of a failed command (nothing else on standard error, no traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("omnidesk: error: ")
    assert SECRET not in result.stderr + result.stdout
    return lines[0]


def _closed_port() -> int:
    return free_port()  # nothing listens there once free_port has closed its probe


READS_THE_DATABASE = [
    ("db", "current"),
    ("db", "upgrade"),
    ("user", "logout-everywhere", "olena"),
    ("analytics", "rebuild"),
]


@pytest.mark.parametrize("command", READS_THE_DATABASE, ids=lambda c: " ".join(c[:2]))
def test_an_unreachable_postgresql_is_one_line_and_status_5(command):
    port = _closed_port()
    result = omnidesk_here(*command, database=f"postgresql://omnidesk:{SECRET}@127.0.0.1:{port}/omnidesk")
    assert result.returncode == 5
    line = _one_line(result)
    assert f"cannot reach PostgreSQL at 127.0.0.1:{port}: connection refused" in line
    assert "OMNIDESK_DATABASE_URL" in line


@pytest.mark.pg
@pytest.mark.parametrize("command", READS_THE_DATABASE, ids=lambda c: " ".join(c[:2]))
def test_a_missing_postgresql_database_is_one_line_and_status_6(pg_server, command):
    if not pg_server:
        pytest.skip("PostgreSQL not reachable")
    name = unique_name("omnidesk_absent")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    result = omnidesk_here(*command, database=f"{base}/{name}")
    assert result.returncode == 6
    line = _one_line(result)
    assert f'database "{name}" does not exist on PostgreSQL at 127.0.0.1:5432' in line
    assert f"createdb --owner postgres {name}" in line


@pytest.mark.pg
def test_a_refused_login_names_the_role_but_not_the_password(pg_server):
    if not pg_server:
        pytest.skip("PostgreSQL not reachable")
    result = omnidesk_here("db", "current", database=f"postgresql://no_such_role_x:{SECRET}@127.0.0.1:5432/test")
    assert result.returncode == 5
    assert 'refused the login: role "no_such_role_x" does not exist' in _one_line(result)


@pytest.mark.parametrize("command", READS_THE_DATABASE, ids=lambda c: " ".join(c[:2]))
def test_an_unsupported_url_scheme_is_one_line_and_status_4(command):
    result = omnidesk_here(*command, database=f"mysql://omnidesk:{SECRET}@db.example/omnidesk")
    assert result.returncode == 4
    line = _one_line(result)
    assert "unsupported database URL scheme 'mysql': use postgresql:// or sqlite://" in line
    assert "OMNIDESK_DATABASE_URL" in line
    result = omnidesk_here(*command, database=f"omnidesk:{SECRET}@db.example/omnidesk")  # no scheme at all
    assert result.returncode == 4 and "not a database URL" in _one_line(result)


def test_a_bad_setting_or_configuration_file_is_one_line_and_status_4(tmp_path, monkeypatch):
    monkeypatch.setenv("OMNIDESK_PORT", "eighty")
    result = omnidesk_here("db", "current", database=sqlite_url(tmp_path / "x.db"))
    assert result.returncode == 4
    assert "invalid setting port (OMNIDESK_PORT): Input should be a valid integer" in _one_line(result)
    monkeypatch.delenv("OMNIDESK_PORT")
    broken = tmp_path / "broken.toml"
    broken.write_text('database_url = "sqlite:///x.db\n')
    monkeypatch.setenv("OMNIDESK_CONFIG", str(broken))  # restored after the test (load_settings sets it)
    result = omnidesk_here("--config", str(broken), "db", "current")
    assert result.returncode == 4
    assert f"the configuration file {broken} is not valid TOML" in _one_line(result)


def test_debug_shows_the_traceback_instead():
    url = f"postgresql://omnidesk:{SECRET}@127.0.0.1:{_closed_port()}/omnidesk"
    result = subprocess.run(
        omnidesk_cmd("--debug", "db", "current", "--database", url), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "ConnectionRefusedError" in result.stderr
    result = subprocess.run(
        omnidesk_cmd("db", "current", "--database", url),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "OMNIDESK_DEBUG": "1"},
    )
    assert result.returncode == 1 and "Traceback" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("db", "current"),
        ("db", "downgrade", "base"),
        ("user", "disable", "olena"),
        ("analytics", "rebuild"),
        ("channel", "list"),
        ("queue", "list"),
        ("backup", "/dev/null"),
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_commands_that_only_read_or_change_a_database_create_none(tmp_path, command):
    database = tmp_path / "no" / "such" / "dir" / "omnidesk.db"
    result = omnidesk_here(*command, database=sqlite_url(database))
    assert result.returncode == 6
    line = _one_line(result)
    assert f"the SQLite database {database} does not exist: 'omnidesk db upgrade' creates it" in line
    assert not (tmp_path / "no").exists()  # neither the file nor its directory was made
    created = omnidesk_here("db", "upgrade", database=sqlite_url(database))  # the one command that makes it
    assert created.returncode == 0 and database.is_file()


def test_an_sqlite_file_without_the_schema_says_to_upgrade(tmp_path):
    sqlite3.connect(tmp_path / "empty.db").close()
    result = omnidesk_here("user", "disable", "olena", database=sqlite_url(tmp_path / "empty.db"))
    assert result.returncode == 2
    assert "has no OmniDesk tables yet: run 'omnidesk db upgrade'" in _one_line(result)
