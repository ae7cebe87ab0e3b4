"""Shared test helpers: real databases, a real in-process HTTP server, a real server process, a webhook receiver."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import httpx

PG_ADMIN_URL = os.environ.get("OMNIDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("OMNIDESK_REQUIRE_PG") == "1"


T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- PostgreSQL -----------------------------------------------------------------------------------------------


def pg_available() -> bool:
    import asyncpg

    async def probe() -> bool:
        try:
            conn = await asyncpg.connect(PG_ADMIN_URL, timeout=3)
        except Exception:
            return False
        await conn.close()
        return True

    return run_blocking(probe)


def run_blocking(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion from sync code, also when the caller already runs inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def pg_keep_database(name: str) -> str:
    """The URL of database ``name``, created when missing (kept between runs: loading 1M messages takes minutes)."""
    import asyncpg

    async def ensure() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await conn.execute(f'CREATE DATABASE "{name}"')
            if FAST_COMMITS:
                await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        finally:
            await conn.close()

    run_blocking(ensure)
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


# Under pytest (tests/conftest.py's pytest_configure) a test database need not survive a crash of PostgreSQL itself:
# no test stops PostgreSQL, the crash tests kill OmniDesk's own processes. Its commits then return without waiting
# for the WAL's flush to disk; what each commit makes visible, and when, is unchanged. The benchmarks in tests/perf
# run as scripts and keep PostgreSQL's durable default, as production has it.
FAST_COMMITS = False


def pg_create_database(name: str) -> str:
    import asyncpg

    async def create() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    run_blocking(create)
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def pg_drop_database(name: str) -> None:
    import asyncpg

    async def drop() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    run_blocking(drop)


def unique_name(prefix: str = "omnidesk_test") -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


# --- a webhook receiver ---------------------------------------------------------------------------------------


@dataclass
class WebhookSink:
    """A loopback HTTP server that records every POST; ``responses`` scripts the status codes it answers with."""

    url: str = ""
    received: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    responses: list[int] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> WebhookSink:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with sink._lock:
                    code = sink.responses.pop(0) if sink.responses else 200
                    if code < 300:
                        sink.received.append(json.loads(body))
                        sink.headers.append(dict(self.headers))
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        raise AssertionError(f"webhook got {len(self.received)} POSTs, expected {count}")


# --- a real server process ------------------------------------------------------------------------------------


def omnidesk_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "omnidesk", *args]


def run_cli(*args: str, database: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        omnidesk_cmd(*args, "--database", database),
        input=stdin,
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
    )


class LiveServer:
    """``omnidesk server`` in its own process on a loopback port, with its own database."""

    ADMIN = ("admin", "admin-password-1")

    def __init__(self, database_url: str, *, port: int | None = None, env: dict | None = None, log_dir=None) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # One process unless a test asks for more: a kill() must take the whole server down.
        self.env = {**os.environ, "OMNIDESK_LOG_LEVEL": "warning", "OMNIDESK_PROCESSES": "1", **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.log_dir = Path(log_dir) if log_dir else None
        self._admin_token: str | None = None
        self._log = None

    def prepare(self) -> LiveServer:
        run_cli("db", "upgrade", database=self.database_url)
        run_cli(
            "user",
            "add",
            self.ADMIN[0],
            "--role",
            "admin",
            "--password-stdin",
            database=self.database_url,
            stdin=self.ADMIN[1] + "\n",
        )
        return self

    def start(self, timeout: float = 30.0) -> LiveServer:
        log_target = subprocess.DEVNULL
        if self.log_dir:
            self._log = open(self.log_dir / f"server-{self.port}.log", "ab")
            log_target = self._log
        self.proc = subprocess.Popen(
            omnidesk_cmd("server", "--database", self.database_url, "--port", str(self.port)),
            env=self.env,
            stdout=log_target,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.1)
        raise RuntimeError("server did not become ready")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def close(self) -> None:
        self.stop()
        if self._log:
            self._log.close()

    # conveniences over the public API

    def login(self, username: str, password: str) -> dict:
        r = httpx.post(self.url + "/api/v1/auth/login", json={"username": username, "password": password})
        r.raise_for_status()
        return r.json()

    def admin_headers(self) -> dict:
        if self._admin_token is None:
            self._admin_token = self.login(*self.ADMIN)["access_token"]
        return {"Authorization": f"Bearer {self._admin_token}"}

    def add_user(self, username: str, password: str, role: str = "operator") -> int:
        r = httpx.post(
            self.url + "/api/v1/users",
            json={"username": username, "password": password, "role": role},
            headers=self.admin_headers(),
        )
        if r.status_code == 401:
            self._admin_token = None
            return self.add_user(username, password, role)
        r.raise_for_status()
        return r.json()["id"]

    def add_channel(self, name: str, webhook_url: str | None = None) -> tuple[int, str]:
        r = httpx.post(
            self.url + "/api/v1/channels", json={"name": name, "webhook_url": webhook_url}, headers=self.admin_headers()
        )
        if r.status_code == 401:
            self._admin_token = None
            return self.add_channel(name, webhook_url)
        r.raise_for_status()
        body = r.json()
        return body["id"], body["token"]

    def inbound(
        self,
        channel_id: int,
        token: str,
        external_id: str,
        value: str,
        text: str,
        kind: str = "phone",
        name: str | None = None,
    ) -> dict:
        r = httpx.post(
            f"{self.url}/api/v1/channels/{channel_id}/inbound",
            json={"external_id": external_id, "sender": {"kind": kind, "value": value, "name": name}, "text": text},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        r.raise_for_status()
        return r.json()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def copy_sqlite(template: Path, target: Path) -> None:
    shutil.copyfile(template, target)


# What Qt Multimedia says once per process as it first loads (omnidesk.client.attachments.voice) on a machine without
# PipeWire, VA-API or a sound server, as CI and the test machine are: of the machine's audio stack, not of our code,
# and logged in whichever test first touches a voice note (tests/client/conftest.py, tests/demo/test_gui.py).
HEADLESS_MULTIMEDIA = re.compile(
    r"^Couldn't (load|resolve) (pipewire-0\.3|va|va-x11|va-drm|va\(in plugin\)) (library|symbols)$"
    r"|^PulseAudioService: pa_context_connect\(\) failed$"
    r"|^No audio device detected$"
)
