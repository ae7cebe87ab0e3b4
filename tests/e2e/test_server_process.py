"""End to end against real ``omnidesk`` processes on loopback ports: the CLI, restarts, kill -9, two servers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from omnidesk.server import migrate
from tests.helpers import (
    PG_ADMIN_URL,
    LiveServer,
    free_port,
    omnidesk_cmd,
    pg_create_database,
    pg_drop_database,
    run_cli,
    sqlite_url,
    unique_name,
)
from tests.sse import StreamReader, of_type

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def empty_db(request, tmp_path):
    """A brand-new, empty database (no schema): what an admin has before ``omnidesk db upgrade``."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "data" / "omnidesk.db")
        return
    if not request.getfixturevalue("pg_server"):
        pytest.skip("PostgreSQL not reachable")
    name = unique_name("omnidesk_e2e")
    yield pg_create_database(name)
    pg_drop_database(name)


def _server(url: str, tmp_path, **kw) -> LiveServer:
    return LiveServer(url, log_dir=tmp_path, env={"OMNIDESK_OUTBOX_BASE_DELAY": "0.1"}, **kw)


async def _login(server: LiveServer, username: str, password: str) -> dict:
    async with httpx.AsyncClient(base_url=server.url) as client:
        r = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def test_a_new_installation_receives_answers_and_delivers(empty_db, tmp_path, webhook_sink):
    # What an admin does on a fresh machine, command by command.
    assert migrate.head_revision() in run_cli("db", "upgrade", database=empty_db).stdout
    run_cli("user", "add", "olena", "--role", "operator", "--password-stdin", database=empty_db, stdin="s3cret-pass\n")
    created = json.loads(
        run_cli(
            "channel", "add", "api", "Mobile app", "--webhook-url", webhook_sink.url, "--json", database=empty_db
        ).stdout
    )
    assert {"id", "token"} <= created.keys()
    server = _server(empty_db, tmp_path).start()
    try:
        headers = await _login(server, "olena", "s3cret-pass")
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            head = (await client.get("/api/v1/events/head", headers=headers)).json()["last_event_id"]
            async with StreamReader(server.url, headers, after=head) as stream:
                inbound = {
                    "external_id": "app-1",
                    "sender": {"kind": "phone", "value": "+380 50 123 4567", "name": "Оксана"},
                    "text": "Картку заблоковано",
                }
                channel_auth = {"Authorization": f"Bearer {created['token']}"}
                url = f"/api/v1/channels/{created['id']}/inbound"
                first = await client.post(url, json=inbound, headers=channel_auth)
                again = await client.post(url, json=inbound, headers=channel_auth)
                assert first.status_code == 201 and again.status_code == 200
                assert again.json()["message_id"] == first.json()["message_id"]
                conversation_id = first.json()["conversation_id"]

                listed = (await client.get("/api/v1/conversations", headers=headers)).json()["items"]
                assert [c["id"] for c in listed] == [conversation_id]
                await stream.wait_count(2)

                reply = await client.post(
                    f"/api/v1/conversations/{conversation_id}/messages",
                    json={"text": "Розблокували, перевірте", "client_key": "r-1"},
                    headers=headers,
                )
                assert reply.status_code == 201
                delivered = await stream.wait_for(
                    lambda ev: any(
                        e["payload"].get("message", {}).get("delivery_status") == "sent"
                        for e in of_type(ev, "message.updated")
                    )
                )
                await asyncio.sleep(0.3)
        assert len(of_type(delivered, "message.created")) == 2  # the customer's message once, the reply once
        posts = webhook_sink.wait_for(1)
        assert [p["text"] for p in posts] == ["Розблокували, перевірте"]
        assert posts[0]["customer"]["identities"] == [{"kind": "phone", "value": "+380501234567"}]
    finally:
        server.close()


async def test_stream_resumes_across_a_server_restart(empty_db, tmp_path):
    server = _server(empty_db, tmp_path).prepare().start()
    try:
        channel_id, token = server.add_channel("Site")
        headers = await _login(server, *LiveServer.ADMIN)
        async with StreamReader(server.url, headers, after=0) as before:
            server.inbound(channel_id, token, "r-1", "+380501110001", "before restart")
            await before.wait_count(2)
        server.stop()
        server.start()
        server.inbound(channel_id, token, "r-2", "+380501110001", "after restart")
        headers = await _login(server, *LiveServer.ADMIN)
        async with StreamReader(server.url, headers, after=before.last_id) as after:
            await after.wait_count(2)
            await asyncio.sleep(0.3)
        texts = [e["payload"]["message"]["text"] for e in of_type(after.events, "message.created")]
        assert texts == ["after restart"]
        assert after.events[0]["id"] == before.last_id + 1
    finally:
        server.close()


async def test_kill_9_during_concurrent_ingest_loses_no_acknowledged_message(empty_db, tmp_path):
    server = _server(empty_db, tmp_path).prepare().start()
    try:
        channel_id, token = server.add_channel("Site")
        acknowledged: dict[str, int] = {}
        stop = asyncio.Event()

        async def sender(n: int) -> None:
            async with httpx.AsyncClient(base_url=server.url, timeout=5) as client:
                i = 0
                while not stop.is_set():
                    external_id = f"k{n}-{i}"
                    i += 1
                    try:
                        r = await client.post(
                            f"/api/v1/channels/{channel_id}/inbound",
                            json={
                                "external_id": external_id,
                                "sender": {"kind": "external", "value": f"cust-{n % 5}"},
                                "text": f"message {external_id}",
                            },
                            headers={"Authorization": f"Bearer {token}"},
                        )
                    except httpx.HTTPError:
                        await asyncio.sleep(0.05)
                        continue
                    if r.status_code in (200, 201):
                        acknowledged[external_id] = r.json()["message_id"]

        tasks = [asyncio.create_task(sender(n)) for n in range(16)]
        deadline = time.monotonic() + 30
        while len(acknowledged) < 60 and time.monotonic() < deadline:  # let the load get going, however slow the box
            await asyncio.sleep(0.05)
        server.kill()  # SIGKILL mid-flight: no shutdown, no flush
        await asyncio.sleep(0.3)
        stop.set()
        await asyncio.gather(*tasks)
        assert len(acknowledged) > 50, "the load did not get going before the kill"

        server.start()
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            sem = asyncio.Semaphore(16)

            async def check(external_id: str, message_id: int) -> None:
                async with sem:
                    n = external_id[1:].split("-")[0]
                    r = await client.post(
                        f"/api/v1/channels/{channel_id}/inbound",
                        json={
                            "external_id": external_id,
                            "sender": {"kind": "external", "value": f"cust-{int(n) % 5}"},
                            "text": f"message {external_id}",
                        },
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    assert r.status_code == 200, f"{external_id} was acknowledged but is not stored: {r.text}"
                    assert r.json() == {**r.json(), "message_id": message_id, "duplicate": True}

            await asyncio.gather(*(check(e, m) for e, m in acknowledged.items()))
    finally:
        server.close()


@pytest.mark.pg
async def test_two_server_processes_each_deliver_every_event_to_their_clients(pg_server, tmp_path):
    if not pg_server:
        pytest.skip("PostgreSQL not reachable")
    name = unique_name("omnidesk_two")
    url = pg_create_database(name)
    first = _server(url, tmp_path).prepare().start()
    second = _server(url, tmp_path).start()
    try:
        channel_id, token = first.add_channel("Site")
        headers_a = await _login(first, *LiveServer.ADMIN)
        headers_b = await _login(second, *LiveServer.ADMIN)
        async with (
            StreamReader(first.url, headers_a, after=0) as on_a,
            StreamReader(second.url, headers_b, after=0) as on_b,
        ):
            total = 40
            for i in range(total):
                target = first if i % 2 == 0 else second
                target.inbound(channel_id, token, f"two-{i}", f"+38050200{i:04d}", f"message {i}")
            started = time.monotonic()
            await on_a.wait_for(lambda ev: len(of_type(ev, "message.created")) >= total, timeout=20)
            await on_b.wait_for(lambda ev: len(of_type(ev, "message.created")) >= total, timeout=20)
            await asyncio.sleep(0.5)
            assert time.monotonic() - started < 10
        assert [e["id"] for e in on_a.events] == [e["id"] for e in on_b.events]
        texts = [e["payload"]["message"]["text"] for e in of_type(on_a.events, "message.created")]
        assert sorted(texts) == sorted(f"message {i}" for i in range(total))
    finally:
        second.close()
        first.close()
        pg_drop_database(name)


def _children(pid: int) -> set[int]:
    """Live child processes of ``pid`` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    with contextlib.suppress(OSError):
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    return False


def _workers(server: LiveServer) -> set[int]:
    deadline = time.monotonic() + 20
    while len(found := _children(server.proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def _wait_gone(pids: set[int], timeout: float) -> set[int]:
    deadline = time.monotonic() + timeout
    while (alive := {p for p in pids if _alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads child processes from /proc")
async def test_a_multi_process_server_stores_once_streams_everything_and_stops_with_its_supervisor(pg_server, tmp_path):
    """`omnidesk server --processes 2` on PostgreSQL: two worker processes share the port; concurrent deliveries are
    stored exactly once; one stream sees every message; SIGTERM stops every worker, and so does a kill -9 of the
    supervisor (the workers notice their parent is gone)."""
    if not pg_server:
        pytest.skip("PostgreSQL not reachable")
    name = unique_name("omnidesk_procs")
    url = pg_create_database(name)
    server = LiveServer(url, log_dir=tmp_path, env={"OMNIDESK_PROCESSES": "2"}).prepare().start()
    try:
        workers = _workers(server)
        assert len(workers) >= 2, "two worker processes"
        channel_id, token = server.add_channel("Site")
        headers = await _login(server, *LiveServer.ADMIN)
        total = 60
        async with (
            StreamReader(server.url, headers, after=0) as stream,
            httpx.AsyncClient(base_url=server.url, timeout=30, limits=httpx.Limits(max_connections=12)) as client,
        ):

            async def send(i: int) -> httpx.Response:
                body = {"external_id": f"mp-{i % 40}", "sender": {"kind": "phone", "value": f"+3805030{i % 7:05d}"}}
                return await client.post(
                    f"/api/v1/channels/{channel_id}/inbound",
                    json=body | {"text": f"message {i % 40}"},
                    headers={"Authorization": f"Bearer {token}"},
                )

            answers = await asyncio.gather(*(send(i) for i in range(total)))
            await stream.wait_for(lambda ev: len(of_type(ev, "message.created")) >= 40, timeout=20)
            await asyncio.sleep(0.5)
        assert sorted(r.status_code for r in answers) == [200] * 20 + [201] * 40
        ids: dict[str, set[int]] = {}
        for i, r in enumerate(answers):
            ids.setdefault(f"mp-{i % 40}", set()).add(r.json()["message_id"])
        assert all(len(v) == 1 for v in ids.values())
        created = of_type(stream.events, "message.created")
        assert sorted(e["payload"]["message"]["text"] for e in created) == sorted(f"message {i}" for i in range(40))

        server.stop()  # SIGTERM to the supervisor
        assert _wait_gone(workers, 15) == set()

        server.start()
        workers = _workers(server)
        assert len(workers) >= 2
        server.kill()  # kill -9 of the supervisor only
        assert _wait_gone(workers, 15) == set(), "orphaned workers stop by themselves"
    finally:
        server.close()
        pg_drop_database(name)


def test_sqlite_refuses_several_processes(tmp_path):
    url = sqlite_url(tmp_path / "one.db")
    run_cli("db", "upgrade", database=url)
    result = run_cli("server", "--processes", "2", "--port", "9", database=url, check=False)
    assert result.returncode == 2
    assert "SQLite has a single writer" in result.stderr


# --- what an admin sees when the server cannot start, and when it can (README "Exit statuses") ---------------------


def _error_line(result) -> str:
    """The one error line of a server that refused to start: no traceback, nothing printed as serving."""
    assert "Traceback" not in result.stderr, result.stderr
    assert "serving on" not in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("omnidesk: error: ")]
    assert len(errors) == 1 and len(result.stderr.strip().splitlines()) <= 2, result.stderr
    assert "pw-Not-Shown-1" not in result.stdout + result.stderr
    return errors[0]


def _refused(*args: str, database: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        omnidesk_cmd("server", *args, "--database", database),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "OMNIDESK_LOG_LEVEL": "info", **(env or {})},  # as shipped: info lines would show
    )


def test_the_server_says_in_one_line_why_it_cannot_use_its_database(pg_server, tmp_path):
    closed = free_port()
    result = _refused(database=f"postgresql://omnidesk:pw-Not-Shown-1@127.0.0.1:{closed}/omnidesk")
    assert result.returncode == 5
    assert f"cannot reach PostgreSQL at 127.0.0.1:{closed}: connection refused" in _error_line(result)
    result = _refused(database="mysql://omnidesk:pw-Not-Shown-1@127.0.0.1/omnidesk")
    assert result.returncode == 4
    assert "unsupported database URL scheme 'mysql': use postgresql:// or sqlite://" in _error_line(result)
    result = _refused(database=sqlite_url(tmp_path / "nowhere" / "omnidesk.db"))
    assert result.returncode == 6 and "does not exist" in _error_line(result)
    assert not (tmp_path / "nowhere").exists()
    if pg_server:
        name = unique_name("omnidesk_absent")
        result = _refused(database=f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
        assert result.returncode == 6
        assert f'database "{name}" does not exist on PostgreSQL at 127.0.0.1:5432' in _error_line(result)


def _wait_serving(proc: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "serving on" in line:
            return line
        if not line and proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode} before serving")
    raise AssertionError("no 'serving on' line")


def test_serving_is_printed_once_the_port_listens_and_a_taken_port_is_one_line(empty_db, tmp_path):
    run_cli("db", "upgrade", database=empty_db)
    processes = "1" if empty_db.startswith("sqlite") else "2"  # PostgreSQL: the multi-process server as well
    taken = socket.create_server(("127.0.0.1", 0))
    port = taken.getsockname()[1]
    try:
        result = _refused("--port", str(port), database=empty_db, env={"OMNIDESK_PROCESSES": processes})
    finally:
        taken.close()
    assert result.returncode == 7
    line = _error_line(result)
    assert f"port {port} on 127.0.0.1 is already in use" in line and "--port" in line

    proc = subprocess.Popen(
        omnidesk_cmd("server", "--port", str(port), "--database", empty_db),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "OMNIDESK_PROCESSES": processes, "OMNIDESK_LOG_LEVEL": "warning"},
    )
    try:
        assert f"serving on http://127.0.0.1:{port} " in _wait_serving(proc)
        # The moment it says so, the port takes connections (they wait for the app, they are not refused) ...
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        # ... and a request sent right then is answered once the app has started.
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=90).status_code == 200
    finally:
        proc.terminate()
        proc.wait(30)


async def test_a_second_server_on_one_sqlite_file_is_refused_while_the_first_lives(tmp_path):
    url = sqlite_url(tmp_path / "omnidesk.db")
    first = _server(url, tmp_path).prepare().start()
    try:
        second = _refused("--port", str(free_port()), database=url)
        assert second.returncode == 8
        line = _error_line(second)
        assert f"omnidesk.db is in use by omnidesk server (pid {first.proc.pid})" in line
        assert "one server per file" in line
        # Beside it: what only reads, or writes through SQLite's own locking, still works ...
        assert "up to date" in run_cli("db", "current", database=url).stdout
        run_cli("user", "add", "taras", "--role", "operator", "--password-stdin", database=url, stdin="long pass 12\n")
        run_cli("backup", str(tmp_path / "copy.db"), database=url)
        assert (tmp_path / "copy.db").is_file()
        # ... a schema change does not (the server checked the schema when it started).
        upgrade = run_cli("db", "upgrade", database=url, check=False)
        assert upgrade.returncode == 8 and "in use by omnidesk server" in upgrade.stderr
        restore = run_cli("restore", str(tmp_path / "copy.db"), "--yes", database=url, check=False)
        assert restore.returncode == 8 and "in use by omnidesk server" in restore.stderr
        first.kill()  # SIGKILL: no clean-up; the operating system drops the lock with the process
        again = _server(url, tmp_path).start()
        try:
            await _login(again, "taras", "long pass 12")
        finally:
            again.close()
    finally:
        first.close()
