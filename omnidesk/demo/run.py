"""``omnidesk demo``: a fresh seeded database, the server, live traffic, and the client signed in as an operator.

Everything runs in this one process: the server (uvicorn), the reply receiver and the traffic simulator share one
asyncio loop in a background thread (``DemoServices``); the client, or in headless mode a wait for Ctrl+C / SIGTERM,
runs in the main thread. Closing the client stops the services and joins their thread: nothing is left running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from pathlib import Path

import uvicorn
from cryptography.fernet import Fernet

from omnidesk import __version__
from omnidesk.server import migrate
from omnidesk.server.app import create_app
from omnidesk.server.config import Settings
from omnidesk.server.db import Database

from .data import DEMO_LOGINS, DemoWorld, seed
from .providers import DemoPlatforms
from .simulator import DEFAULT_INTERVAL, ReplyReceiver, TrafficSimulator
from .workorg import colleague_ids, keep_colleagues_present, seed_work

log = logging.getLogger("omnidesk.demo")

DB_NAME = "omnidesk-demo.db"
INTERVAL_ENV = "OMNIDESK_DEMO_INTERVAL"
INTRODUCTION_TIMEOUT = 30.0  # seconds for the showcase's live messages (TrafficSimulator.introduce) at start


class DemoError(Exception):
    """The demo cannot start; the message says why in words."""


def demo_interval(value: float | None = None) -> float:
    """Seconds between simulated messages: the argument, else $OMNIDESK_DEMO_INTERVAL, else the default."""
    if value is None:
        raw = os.environ.get(INTERVAL_ENV, "").strip()
        try:
            value = float(raw) if raw else DEFAULT_INTERVAL
        except ValueError:
            raise DemoError(f"{INTERVAL_ENV} must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise DemoError("the traffic interval must be more than 0 seconds")
    return value


def bind(port: int | None) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` or a free one), bound before anything else starts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if os.name != "nt":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port or 0))
    except OSError as error:
        sock.close()
        raise DemoError(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def fresh_database(folder: Path) -> str:
    """A new, migrated SQLite database in ``folder`` (an older demo database there is replaced)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DB_NAME
    for leftover in (path, path.with_name(DB_NAME + "-wal"), path.with_name(DB_NAME + "-shm")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    return url


async def seed_database(url: str, webhook_url: str) -> DemoWorld:
    db = Database(url, pool_size=1)
    try:
        world = await seed(db, webhook_url=webhook_url)
        await seed_work(db, world.users)  # issue 11: queues, skills, presence, routing rules, canned replies
        return world
    finally:
        await db.dispose()


class DemoServices:
    """The server, the reply receiver and the simulator on one asyncio loop in a background thread."""

    def __init__(
        self,
        settings: Settings,
        world: DemoWorld,
        server_socket: socket.socket,
        receiver_socket: socket.socket,
        *,
        interval: float,
    ) -> None:
        self.settings = settings
        self.world = world
        self.interval = interval
        self._sockets = (server_socket, receiver_socket)
        host, port = server_socket.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        self.ready = threading.Event()
        self.failure: BaseException | None = None
        self.simulator: TrafficSimulator | None = None
        self.platforms: DemoPlatforms | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="omnidesk-demo-services")

    def start(self, timeout: float = 60.0) -> DemoServices:
        self._thread.start()
        if not self.ready.wait(timeout) or self.failure is not None:
            self.stop()
            raise DemoError(f"the demo server did not start: {self.failure or 'timed out'}")
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and self.failure is None

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the simulator and both servers, and wait for the thread to end."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stop.set)
        if self._thread.is_alive():
            self._thread.join(timeout)
        for sock in self._sockets:
            sock.close()

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:
            self.failure = error
            log.exception("demo services failed")
        finally:
            self.ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        replies: asyncio.Queue = asyncio.Queue()
        receiver = ReplyReceiver(on_reply=replies.put_nowait)
        api = uvicorn.Server(
            uvicorn.Config(
                create_app(self.settings),
                log_level="warning",
                lifespan="on",
                timeout_graceful_shutdown=2,
            )
        )
        channels = uvicorn.Server(uvicorn.Config(receiver, log_level="warning", lifespan="off"))
        platforms = None
        if self.settings.channel_key:  # every provider channel through its real connector (demo/providers.py),
            # configured before the server starts its workers (the mailbox's IMAP reader reads its settings once)
            platforms = DemoPlatforms()
            await platforms.start()
            platforms.replies = replies
            await _configure_platforms(platforms, self.settings, self.world, self.url)
        servers = [
            asyncio.create_task(api.serve(sockets=[self._sockets[0]]), name="demo-api"),
            asyncio.create_task(channels.serve(sockets=[self._sockets[1]]), name="demo-channels"),
        ]
        self.platforms = platforms
        self.simulator = TrafficSimulator(self.url, self.world, interval=self.interval, platforms=platforms)
        simulator = colleagues = None
        try:
            while not (api.started and channels.started):
                if any(task.done() for task in servers):
                    raise DemoError("a demo server stopped while starting")
                await asyncio.sleep(0.02)
            # Before the operator signs in: the showcase writes in Telegram, then in MAX and Viber (their connectors).
            try:
                await asyncio.wait_for(self.simulator.introduce(), INTRODUCTION_TIMEOUT)
            except TimeoutError:
                log.warning("the demo's first live messages were not all stored in %s s", INTRODUCTION_TIMEOUT)
            except Exception:  # the demo still runs; its traffic goes on
                log.exception("the demo's first live messages failed")
            simulator = asyncio.create_task(self.simulator.run(replies), name="demo-traffic")
            colleagues = asyncio.create_task(
                keep_colleagues_present(self.settings.database_url, colleague_ids(self.world.users)),
                name="demo-colleagues",
            )
            self.ready.set()
            stopping = asyncio.create_task(self._stop.wait())
            done, _ = await asyncio.wait([stopping, *servers], return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            for task in servers:
                if task in done and task.exception() is not None:
                    raise task.exception()
        finally:
            for task in (simulator, colleagues):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            api.should_exit = channels.should_exit = True
            _, late = await asyncio.wait(servers, timeout=10)
            for task in late:
                task.cancel()
            await asyncio.gather(*servers, return_exceptions=True)
            if platforms is not None:
                await platforms.stop()


async def _configure_platforms(platforms: DemoPlatforms, settings: Settings, world: DemoWorld, url: str) -> None:
    db = Database(settings.database_url, pool_size=1)
    try:
        await platforms.configure(db, settings, world, url)
    finally:
        await db.dispose()


def banner(url: str, folder: Path, interval: float) -> str:
    logins = ", ".join(f"{user} / {password}" for user, password, _role, _name in DEMO_LOGINS)
    return "\n".join(
        (
            f"OmniDesk {__version__} demo serving on {url}",
            f"  logins (demo only): {logins}",
            f"  data: {folder}",
            f"  traffic: a new customer message every ~{interval:g} s",
        )
    )


class _StopSignals:
    """SIGINT and SIGTERM only ask the headless demo to stop, from before its services start (a signal that came
    while they started would otherwise kill the process before it removed its temporary folder)."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self._previous: dict = {}

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            self._previous = {sig: signal.signal(sig, self._request) for sig in (signal.SIGINT, signal.SIGTERM)}
        return self

    def _request(self, _signum, _frame) -> None:
        self.stop.set()

    def __exit__(self, *_exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def _wait_for_signal(services: DemoServices, signals: _StopSignals) -> None:
    while not signals.stop.wait(0.5) and services.running:
        pass


def run_demo(
    *,
    headless: bool = False,
    port: int | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    language: str | None = None,
    interval: float | None = None,
) -> int:
    """Run the demo until the client closes (or, headless, until Ctrl+C / SIGTERM); return the exit code."""
    if not headless:
        from omnidesk.client.platform_check import problems

        found = problems()  # before Qt: no display or missing XCB libraries abort inside Qt with no hint
        if found:
            for problem in found:
                print(f"omnidesk: error: {problem}", file=sys.stderr)
            return 2
        try:
            from omnidesk.client.main import run as run_client
        except ImportError as error:
            print(
                f"omnidesk: error: the desktop client is not installed ({error}); "
                "pip install 'omnidesk[client]', or run 'omnidesk demo --headless'",
                file=sys.stderr,
            )
            return 2
    temporary = data_dir is None
    folder = Path(tempfile.mkdtemp(prefix="omnidesk-demo-")) if temporary else Path(data_dir).expanduser().resolve()
    sockets: list[socket.socket] = []
    services: DemoServices | None = None
    signals = _StopSignals().__enter__() if headless else None  # from the start: the folder is always removed
    try:
        pace = demo_interval(interval)
        sockets = [bind(port), bind(None)]
        url = fresh_database(folder)
        receiver_url = f"http://127.0.0.1:{sockets[1].getsockname()[1]}/replies"
        world = asyncio.run(seed_database(url, receiver_url))
        settings = Settings(
            database_url=url,
            host="127.0.0.1",
            port=sockets[0].getsockname()[1],
            log_level="warning",
            data_dir=str(folder),  # the demo's attachments and channel key stay in its folder
            channel_key=Fernet.generate_key().decode(),
        )
        services = DemoServices(settings, world, sockets[0], sockets[1], interval=pace).start()
        print(banner(services.url, folder, pace))
        if signals is not None:
            print("Press Ctrl+C to stop.", flush=True)
            _wait_for_signal(services, signals)
            return 0 if services.failure is None else 1
        sys.stdout.flush()
        user, password, _role, _name = DEMO_LOGINS[0]
        return run_client(
            ["omnidesk"],
            server_url=services.url,
            username=user,
            password=password,
            language=language,
            home=folder / "client",
        )
    except DemoError as error:
        print(f"omnidesk: error: {error}", file=sys.stderr)
        return 2
    finally:
        if services is not None:
            services.stop()
        for sock in sockets:
            sock.close()
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)
        if signals is not None:
            signals.__exit__(None, None, None)
