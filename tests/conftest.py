"""Fixtures shared by the whole suite: fresh databases on SQLite and PostgreSQL, real servers, a webhook receiver.

Database tests take the ``db_url`` fixture and run twice, on SQLite and on PostgreSQL. PostgreSQL is a real server
(127.0.0.1:5432 by default, ``OMNIDESK_TEST_PG`` to change); each run creates its own database and drops it at the
end. Without PostgreSQL those cases skip, unless ``OMNIDESK_REQUIRE_PG=1`` (CI), where they fail.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gc
import logging
import sys
from dataclasses import dataclass

import httpx
import pytest
import uvicorn
from sqlalchemy import text

from omnidesk.domain.enums import Role
from omnidesk.server import migrate
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.app import create_app
from omnidesk.server.config import Settings
from omnidesk.server.db import Database
from omnidesk.server.users.service import create_user
from tests.helpers import (
    REQUIRE_PG,
    LiveServer,
    WebhookSink,
    copy_sqlite,
    pg_available,
    pg_create_database,
    pg_drop_database,
    sqlite_url,
    unique_name,
)

# A test's event loop is closed by cancelling every task left on it and waiting for them all. One task that never ends
# on cancellation (seen under heavy load in a client test's teardown: anyio re-delivering a cancellation forever) held
# the whole worker for good, and pytest-xdist stalls after it replaces a killed worker. The wait is bounded here: what
# is still running after LOOP_CLOSE_GRACE is printed with its stack (so the cause can be found in the log), dropped
# from the loop's task list, and the test fails in its teardown instead of hanging the suite.
LOOP_CLOSE_GRACE = 20.0
_stuck_at_close: list[str] = []


def _bounded_cancel_all_tasks(loop: asyncio.AbstractEventLoop) -> None:
    import io
    import sys

    to_cancel = [task for task in asyncio.all_tasks(loop) if not task.done()]
    if not to_cancel:
        return
    for task in to_cancel:
        task.cancel()
    loop.run_until_complete(asyncio.wait(to_cancel, timeout=LOOP_CLOSE_GRACE))
    for task in to_cancel:
        if not task.done():
            stack = io.StringIO()
            task.print_stack(file=stack)
            _stuck_at_close.append(stack.getvalue())
            print(
                f"task still running {LOOP_CLOSE_GRACE}s after its cancellation:\n{stack.getvalue()}", file=sys.stderr
            )
            asyncio.tasks._unregister_task(task)
        elif not task.cancelled() and task.exception() is not None:
            loop.call_exception_handler(
                {"message": "unhandled exception at loop close", "exception": task.exception(), "task": task}
            )


asyncio.runners._cancel_all_tasks = _bounded_cancel_all_tasks


LONGEST_FILES = (
    "tests/e2e/test_server_process.py",
    "tests/server/test_schemathesis.py",
    "tests/channels/test_messengers_server.py",
    "tests/server/test_search_history.py",
    "tests/channels/test_webchat.py",
    "tests/channels/test_notes_never_sent.py",
)


def pytest_configure(config):
    from tests import helpers

    helpers.FAST_COMMITS = True  # see tests/helpers.py


def pytest_collection_modifyitems(config, items):
    """The longest files first; a second run after a crashed test worker (installer/bootstrap.py) leaves out what
    passed the first time."""
    import json
    import os

    # The longest files start first: pytest-xdist hands out whole files in collection order, and a long file
    # dealt out last would keep one worker busy while the other has nothing left (durations from CI's report).
    first = {path: rank for rank, path in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: first.get(item.location[0], len(first)))
    listed = os.environ.get("OMNIDESK_TEST_DONE")
    if not listed:
        return
    done = {tuple(pair) for pair in json.loads(open(listed, encoding="utf-8").read())}
    keep, leave = [], []
    for item in items:
        (leave if (item.location[0], item.name) in done else keep).append(item)
    if leave:
        config.hook.pytest_deselected(items=leave)
        items[:] = keep


# Whether the running test uses Qt. pytest-qt processes Qt's pending events between the phases of every test once a
# QApplication exists; a worker that ran client tests would then run Qt's event handlers inside unrelated tests (seen
# once as a crash in a mail test). tests/client/conftest.py processes them only for tests that use Qt.
QT_FIXTURES = frozenset({"qapp", "qtbot", "qloop", "qtlog", "drive", "bare_window"})
CURRENT_ITEM_USES_QT = [False]


def _cycles_of_qt_objects_freed_on_the_main_thread(uses_qt: bool) -> None:
    """Once a client test installed omnidesk.client.collector (automatic collection off, collected on the GUI
    thread, as in the app), a test without Qt gets automatic collection back, after one full collection here on the
    main thread: what Qt objects earlier tests left in cycles must not be freed in an aiosqlite or executor thread."""
    widgets = sys.modules.get("PySide6.QtWidgets")
    if uses_qt and widgets is not None and widgets.QApplication.instance() is not None:
        from omnidesk.client import collector as collector_module

        collector_module.install()  # Qt tests outside tests/client (e2e, perf) too, once a QApplication exists
    collector_module = sys.modules.get("omnidesk.client.collector")
    collector = collector_module.installed() if collector_module else None
    if collector is None:
        return
    if uses_qt and not collector.active:
        collector.start()
    elif not uses_qt and collector.active:
        gc.collect()
        collector.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    CURRENT_ITEM_USES_QT[0] = bool(QT_FIXTURES & set(getattr(item, "fixturenames", ()))) or "client" in item.path.parts
    _cycles_of_qt_objects_freed_on_the_main_thread(CURRENT_ITEM_USES_QT[0])
    try:
        return (yield)
    finally:
        CURRENT_ITEM_USES_QT[0] = False


@pytest.fixture(autouse=True)
def no_task_stuck_at_loop_close():
    """Fails the test whose loop closed with a task that ignored its cancellation (see _bounded_cancel_all_tasks)."""
    yield
    stuck, _stuck_at_close[:] = list(_stuck_at_close), []
    assert not stuck, f"tasks ignored their cancellation at loop close: {stuck}"


@pytest.fixture(scope="session")
def pg_server() -> bool:
    ok = pg_available()
    if not ok and REQUIRE_PG:
        pytest.fail("PostgreSQL is required (OMNIDESK_REQUIRE_PG=1) but not reachable")
    return ok


@pytest.fixture(scope="session")
def pg_database(pg_server):
    """One fresh, migrated PostgreSQL database for this test run."""
    if not pg_server:
        pytest.skip("PostgreSQL not reachable")
    name = unique_name()
    url = pg_create_database(name)
    migrate.upgrade(url)
    yield url
    pg_drop_database(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "omnidesk.db"
    migrate.upgrade(sqlite_url(path))
    return path


async def _reset_pg(url: str) -> None:
    """Empty every table and restart every sequence, as a fresh migrated database has them.

    DELETE, not TRUNCATE: a test leaves a handful of rows, and TRUNCATE makes new files for each of the 60 tables and
    their indexes (about a second per test on this machine, most of the suite's set-up time); DELETE of a few rows
    takes milliseconds. The foreign keys' triggers are off for the transaction (``session_replication_role``, the
    tests connect as a superuser), so the order of the tables does not matter."""
    db = Database(url, pool_size=1)
    try:
        async with db.engine.begin() as conn:
            # Every table the migrations made (features add their own), so no list here goes stale.
            tables = (
                await conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                         "AND tablename <> 'alembic_version'")
                )
            ).scalars().all()  # fmt: skip
            used = (
                await conn.execute(
                    text("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences "
                         "WHERE schemaname = current_schema() AND last_value IS NOT NULL")
                )
            ).scalars().all()  # fmt: skip
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
            for table in tables:
                await conn.execute(text(f'DELETE FROM "{table}"'))
            for sequence in used:
                await conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))
            await conn.execute(text("INSERT INTO queues (name, created_at) VALUES ('General', now())"))
    finally:
        await db.dispose()


# PostgreSQL loads the search configuration's hunspell dictionaries (tens of MB for Ukrainian and Russian) into each
# connection that first indexes a message: 1 to 1.7 s of the database's CPU on this machine, paid again by every
# test, whose server opens new connections. Only the tests marked ``search_dictionaries`` look at word forms; for
# the others the configuration keeps its Snowball stemmers alone (the chain the migration falls back to where a
# hunspell package is missing), so the column, the index and the searches stay the same, only word forms are
# found by stems. As the cheap argon2 parameters of tests/server/conftest.py, a cost of the test set-up, not of
# what is tested.
SEARCH_CONFIG = "omnidesk_search"
_search_mappings: dict[str, tuple[dict[str, str], bool]] = {}  # database url -> (the migration's chains, in use)


async def _search_dictionaries(url: str, wanted: bool) -> None:
    db = Database(url, pool_size=1)
    try:
        async with db.engine.begin() as conn:
            if url not in _search_mappings:
                rows = await conn.execute(
                    text(
                        "SELECT t.alias, string_agg(d.dictname, ', ' ORDER BY m.mapseqno) "
                        "FROM pg_ts_config_map m JOIN pg_ts_config c ON c.oid = m.mapcfg "
                        "JOIN pg_ts_dict d ON d.oid = m.mapdict "
                        "JOIN ts_token_type('default') t ON t.tokid = m.maptokentype "
                        "WHERE c.cfgname = :name GROUP BY t.alias"
                    ),
                    {"name": SEARCH_CONFIG},
                )
                _search_mappings[url] = ({alias: chain for alias, chain in rows.all()}, True)
            chains, current = _search_mappings[url]
            if current == wanted:
                return
            for alias, chain in chains.items():
                if not wanted:
                    chain = ", ".join(d for d in chain.split(", ") if not d.endswith("_hunspell")) or chain
                await conn.execute(
                    text(f"ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} ALTER MAPPING FOR {alias} WITH {chain}")
                )
            _search_mappings[url] = (chains, wanted)
    finally:
        await db.dispose()


def in_thread(fn, *args):
    """Run blocking set-up (which may call asyncio.run) outside the test's event loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_url(request, tmp_path, sqlite_template):
    """A clean, migrated database: a fresh SQLite file, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        path = tmp_path / "omnidesk.db"
        copy_sqlite(sqlite_template, path)
        return sqlite_url(path)
    url = request.getfixturevalue("pg_database")
    in_thread(asyncio.run, _reset_pg(url))
    wanted = request.node.get_closest_marker("search_dictionaries") is not None
    in_thread(asyncio.run, _search_dictionaries(url, wanted))
    return url


def test_settings(database_url: str, **overrides) -> Settings:
    values = dict(
        database_url=database_url,
        outbox_base_delay=0.05,
        outbox_max_delay=0.5,
        outbox_max_attempts=4,
        outbox_timeout=3.0,
        heartbeat_interval=0.5,
        db_pool_size=5,
        # A search pool warms 4 connections per server (a second of the database's CPU each): only its own test.
        search_pool_size=0,
        retention_schedule=False,  # the daily run would fire in whichever test runs at 02:30; its tests turn it on
    )
    values.update(overrides)
    return Settings(**values)


test_settings.__test__ = False


@dataclass
class Api:
    """A real server (uvicorn, in this process, on a loopback port) over ``db``, and an HTTP client for it."""

    url: str
    db: Database
    settings: Settings
    client: httpx.AsyncClient
    app: object

    async def user(
        self,
        username: str,
        role: Role | str = Role.OPERATOR,
        password: str = "password-123",
        queue_ids: list[int] | None = None,
    ) -> dict:
        async with self.db.session() as session:
            user = await create_user(
                session, username=username, password=password, role=Role(role), queue_ids=queue_ids
            )
            await session.commit()
            user_id = user.id
        return {"id": user_id, "username": username, "password": password}

    async def login(self, username: str, password: str = "password-123") -> dict:
        r = await self.client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.text
        return r.json()

    async def headers_for(self, username: str, role: Role | str = Role.OPERATOR, **kw) -> dict:
        await self.user(username, role, **kw)
        tokens = await self.login(username)
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    async def channel(self, name: str = "Site", webhook_url: str | None = None, queue_id: int | None = None):
        async with self.db.session() as session:
            channel, token = await create_api_channel(session, name=name, webhook_url=webhook_url, queue_id=queue_id)
            await session.commit()
            return channel.id, token

    async def inbound(
        self,
        channel_id: int,
        token: str,
        external_id: str,
        value: str = "+380501234567",
        text: str = "Hello",
        kind: str = "phone",
        name: str | None = None,
    ) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/channels/{channel_id}/inbound",
            json={"external_id": external_id, "sender": {"kind": kind, "value": value, "name": name}, "text": text},
            headers={"Authorization": f"Bearer {token}"},
        )


class _StartFailures(logging.Handler):
    """The errors uvicorn logs while an in-process server starts (a lifespan start that failed, with its traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f": {record.exc_info[1]!r}"
        self.records.append(text)

    def text(self) -> str:
        return "; ".join(self.records)


async def _serving(server: uvicorn.Server) -> None:
    """uvicorn ends a failed start with sys.exit(3), which in a task would end the test's whole event loop."""
    try:
        await server.serve()
    except SystemExit as exit_:
        if server.started:
            raise RuntimeError(f"the server exited with {exit_.code}") from None


@contextlib.asynccontextmanager
async def serve(settings: Settings, **app_kw):
    app = create_app(settings, **app_kw)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=1,
        proxy_headers=False,  # as `omnidesk server` runs it: the app honours X-Forwarded-For from trusted proxies only
    )
    server = uvicorn.Server(config)
    failures = _StartFailures()
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addHandler(failures)
    try:
        task = asyncio.create_task(_serving(server))
        while not server.started:
            if task.done():
                # uvicorn logs a failed lifespan start and ends; the test gets the application's own error
                task.result()
                raise RuntimeError(f"the server stopped during its start: {failures.text() or 'no error logged'}")
            await asyncio.sleep(0.01)
    finally:
        uvicorn_log.removeHandler(failures)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        try:
            await asyncio.wait_for(task, 5)
        except TimeoutError:
            server.force_exit = True
            task.cancel()
            # Bounded, and never swallowing a cancellation of this fixture itself: a server task that ignores its
            # cancel must not hold the test's loop open (the suite's hang in a client test's teardown).
            await asyncio.wait({task}, timeout=5)


@pytest.fixture
async def api(db_url):
    settings = test_settings(db_url)
    db = Database(db_url, pool_size=2)
    async with serve(settings) as (app, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield Api(url=url, db=db, settings=settings, client=client, app=app)
    await db.dispose()


@pytest.fixture
def webhook_sink():
    sink = WebhookSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """``omnidesk server`` as a real process on a fresh SQLite database (one per test module)."""
    folder = tmp_path_factory.mktemp("live")
    server = LiveServer(sqlite_url(folder / "omnidesk.db"), log_dir=folder).prepare().start()
    yield server
    server.close()
