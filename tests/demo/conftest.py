"""Fixtures of the demo tests: one seeded database per backend and test module (the tests only read it)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt

import pytest
from cryptography.fernet import Fernet

from omnidesk.demo.data import seed
from omnidesk.demo.run import DemoServices, bind, fresh_database, seed_database
from omnidesk.server import migrate
from omnidesk.server.config import Settings
from omnidesk.server.db import Database
from tests.helpers import copy_sqlite, pg_create_database, pg_drop_database, run_blocking, sqlite_url, unique_name

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


async def seed_at(url: str, **kw):
    db = Database(url, pool_size=1)
    try:
        return await seed(db, now=NOW, **kw)
    finally:
        await db.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def seeded_url(request, tmp_path_factory, sqlite_template):
    """A migrated database with the demo seeded at ``NOW``: (url, world)."""
    name = None
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "demo.db"
        copy_sqlite(sqlite_template, path)
        url = sqlite_url(path)
    else:
        if not request.getfixturevalue("pg_server"):
            pytest.skip("PostgreSQL not reachable")
        name = unique_name("omnidesk_demo")
        url = pg_create_database(name)
        migrate.upgrade(url)
    world = run_blocking(lambda: seed_at(url))
    yield url, world
    if name is not None:
        pg_drop_database(name)


@pytest.fixture
async def seeded(seeded_url):
    url, world = seeded_url
    db = Database(url, pool_size=2)
    yield db, world
    await db.dispose()


@contextlib.asynccontextmanager
async def demo_services(folder, *, interval: float = 3600.0, **overrides):
    """The demo's services as ``omnidesk demo`` starts them in ``folder`` (a fresh seeded SQLite database, every
    connector against its loopback platform): (services, world, a Database for the checks); stopped at the end."""
    url = await asyncio.to_thread(fresh_database, folder)
    sockets = [bind(None), bind(None)]
    world = await seed_database(url, f"http://127.0.0.1:{sockets[1].getsockname()[1]}/replies")
    settings = Settings(
        database_url=url,
        port=sockets[0].getsockname()[1],
        log_level="warning",
        data_dir=str(folder),
        channel_key=Fernet.generate_key().decode(),
        **overrides,
    )
    services = await asyncio.to_thread(lambda: DemoServices(settings, world, *sockets, interval=interval).start())
    db = Database(url, pool_size=1)
    try:
        yield services, world, db
    finally:
        await db.dispose()
        await asyncio.to_thread(services.stop)
