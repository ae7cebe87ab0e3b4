"""The database layer: engine, sessions and every difference between PostgreSQL and SQLite.

Everything backend-specific lives here (in the spirit of Synapse's storage engines), so feature code is written once:

* SQLite runs in WAL mode with ``synchronous=FULL`` (a committed message survives a power cut), foreign keys on, and
  every transaction opened with ``BEGIN IMMEDIATE`` so writers queue on the lock instead of failing to upgrade a read
  lock halfway through.
* PostgreSQL runs through asyncpg with a connection pool; ``advisory_xact_lock`` and ``notify`` are real there and
  no-ops (or in-process) on SQLite.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import BigInteger, DateTime, Integer, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.types import TypeDecorator

from omnidesk.server.config import async_database_url
from omnidesk.server.db.problems import CHECK_URL, DatabaseUnreachable, missing_sqlite, sqlite_file

# A 64-bit id on PostgreSQL; SQLite's rowid alias must be spelt INTEGER to autoincrement.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both backends (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def is_sqlite(url: str) -> bool:
    return async_database_url(url).startswith("sqlite")


_sqlite_path = sqlite_file  # the file of an SQLite URL (ops/backup.py)


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    busy_timeout: float = 30.0,
    application_name: str = "omnidesk",
    create: bool = True,
) -> AsyncEngine:
    """An async engine for ``url`` (plain or driver-qualified), configured for durability. ``busy_timeout``: how
    long an SQLite connection waits for the write lock before "database is locked" (answered 503, guards.py).

    ``create``: an SQLite file (and its directory) that does not exist yet is made on first use; with False it is
    not, and DatabaseMissing is raised instead (read-only commands create nothing)."""
    async_url = async_database_url(url)
    if async_url.startswith("sqlite"):
        path = sqlite_file(url)
        if path is not None and not create and not path.is_file():
            raise missing_sqlite(path)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnreachable(
                    f"cannot create {path.parent} for the SQLite database: {exc.strerror}; {CHECK_URL}"
                ) from exc
        engine = create_async_engine(async_url, connect_args={"timeout": busy_timeout})
        _configure_sqlite(engine, busy_timeout)
        return engine
    return create_async_engine(
        async_url,
        # No pre-ping: on asyncpg it is a BEGIN/ROLLBACK pair on every checkout, two round trips per request.
        # A connection that died with the database is detected on use instead: the pool is invalidated, ingest
        # retries on a fresh connection, and any other request answers 503 (see app.py), never a 500.
        pool_size=pool_size,
        max_overflow=max(2, pool_size // 4),
        pool_recycle=1800,
        connect_args={"server_settings": {"application_name": application_name}},
    )


def _configure_sqlite(engine: AsyncEngine, busy_timeout: float = 30.0) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every SQLite test
        # Take transaction control away from the driver so that "begin" below decides how a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn):  # pragma: no cover - exercised by every SQLite test
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def dialect_insert(target: Database | AsyncSession | AsyncConnection):
    """The INSERT construct of the backend behind ``target`` (for ON CONFLICT, which plain ``insert`` lacks): one place
    decides it, for a Database, a session or a connection alike."""
    sqlite = target.sqlite if isinstance(target, Database) else target.bind.dialect.name == "sqlite"
    return sqlite_insert if sqlite else pg_insert


class Database:
    """The engine, its session factory and the backend-specific helpers, shared by one server process."""

    def __init__(self, url: str, *, pool_size: int = 10, busy_timeout: float = 30.0, create: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size, busy_timeout=busy_timeout, create=create)
        self.sessionmaker = make_sessionmaker(self.engine)
        self.sqlite = self.engine.dialect.name == "sqlite"
        # On SQLite there is one server process per file; commits wake the sequencer in-process.
        self.local_commit_signal = asyncio.Event()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    async def notify(self, conn: AsyncConnection | AsyncSession, channel: str, payload: str = "") -> None:
        """Send a wake-up that is delivered when the surrounding transaction commits (PostgreSQL NOTIFY)."""
        if not self.sqlite:
            await conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": channel, "p": payload})

    async def advisory_xact_lock(self, conn: AsyncConnection | AsyncSession, key: int) -> None:
        """Serialise with every other holder of ``key`` until the transaction ends (SQLite already is serial)."""
        if not self.sqlite:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

    async def dispose(self) -> None:
        await self.engine.dispose()
