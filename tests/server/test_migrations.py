"""Schema migrations on SQLite and PostgreSQL: up, down to nothing, up again; the models match; readiness follows."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from omnidesk.server import migrate
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.db import Database
from omnidesk.server.schema import OUTSIDE_ORM, Base
from tests.conftest import serve, test_settings
from tests.helpers import pg_create_database, pg_drop_database, sqlite_url, unique_name
from tests.server.conftest import omnidesk_here


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def empty_url(request, tmp_path):
    """A database with nothing in it (no migration applied), on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "empty.db")
        return
    if not request.getfixturevalue("pg_server"):
        pytest.skip("PostgreSQL not reachable")
    name = unique_name("omnidesk_migrations")
    yield pg_create_database(name)
    pg_drop_database(name)


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


async def _tables(url: str) -> set[str]:
    db = Database(url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            return set(await conn.run_sync(lambda c: inspect(c).get_table_names())) - {"alembic_version"} - OUTSIDE_ORM
    finally:
        await db.dispose()


async def _schema_diff(url: str) -> list:
    db = Database(url, pool_size=1)
    try:
        async with db.engine.connect() as conn:

            def compare(sync_conn):
                context = MigrationContext.configure(
                    sync_conn,
                    opts={"compare_type": True, "include_object": lambda _o, name, *_a: name not in OUTSIDE_ORM},
                )
                return compare_metadata(context, Base.metadata)

            return await conn.run_sync(compare)
    finally:
        await db.dispose()


async def test_cli_upgrade_downgrade_to_base_and_upgrade_again(empty_url):
    def omnidesk(*args: str) -> str:
        result = omnidesk_here(*args, database=empty_url)
        assert result.returncode == 0, result.stderr
        return result.stdout

    head = migrate.head_revision()
    assert f"database at {head}" in omnidesk("db", "upgrade")
    assert await _tables(empty_url) == set(Base.metadata.tables)
    assert "up to date" in omnidesk("db", "current")

    assert "database at base" in omnidesk("db", "downgrade", "base")
    assert await _tables(empty_url) == set()
    assert "needs upgrade" in omnidesk("db", "current")

    omnidesk("db", "upgrade")
    omnidesk("db", "upgrade")  # a second upgrade changes nothing
    assert await _tables(empty_url) == set(Base.metadata.tables)
    assert await _schema_diff(empty_url) == []


def test_each_revision_steps_down_and_up_one_at_a_time(empty_url):
    revisions = _revisions()
    assert revisions[0] == "0001" and len(revisions) >= 2
    for revision in revisions:
        migrate.upgrade(empty_url, revision)
        assert migrate.current_revision(empty_url) == revision
    for previous in reversed([None, *revisions[:-1]]):
        migrate.downgrade(empty_url, "-1")
        assert migrate.current_revision(empty_url) == previous
    migrate.upgrade(empty_url)
    assert migrate.current_revision(empty_url) == migrate.head_revision()


async def test_models_match_the_migrated_schema(db_url):
    diff = await _schema_diff(db_url)
    assert diff == [], "the migrations and models.py disagree; write a migration for:\n" + "\n".join(map(str, diff))


async def test_stored_messages_survive_a_downgrade_and_upgrade(empty_url):
    from omnidesk.domain.identity import normalize
    from omnidesk.protocol import InboundMessage
    from omnidesk.server.ingest.service import ChannelRef, ingest

    await asyncio.to_thread(migrate.upgrade, empty_url)
    db = Database(empty_url, pool_size=1)
    try:
        async with db.session() as session:
            channel, _token = await create_api_channel(session, name="Site")
            await session.commit()
        ref = ChannelRef(channel.id, channel.kind, channel.name, channel.queue_id, None)
        message = InboundMessage.model_validate(
            {"external_id": "m-1", "sender": {"kind": "phone", "value": "+380501234567"}, "text": "keep me"}
        )
        ack = await ingest(db, ref, message, normalize("phone", "+380501234567"))
    finally:
        await db.dispose()
    previous = _revisions()[-2]
    await asyncio.to_thread(migrate.downgrade, empty_url, previous)
    await asyncio.to_thread(migrate.upgrade, empty_url)
    db = Database(empty_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT m.text, c.customer_id FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                    )
                )
            ).one()
    finally:
        await db.dispose()
    assert tuple(row) == ("keep me", ack.customer_id)


async def test_downgrade_after_a_merge_left_two_open_conversations_on_one_channel(empty_url):
    """0002 allows one open conversation per identity; 0001 one per customer and channel: the older one is resolved."""
    await asyncio.to_thread(migrate.upgrade, empty_url, "0002")
    db = Database(empty_url, pool_size=1)
    try:
        async with db.session() as session:
            channel, _token = await create_api_channel(session, name="Site")
            await session.commit()
        async with db.engine.begin() as conn:
            at = {"at": dt.datetime(2026, 11, 23)}
            await conn.execute(
                text("INSERT INTO customers (id, display_name, created_at, updated_at) VALUES (1, 'A', :at, :at)"), at
            )
            for conversation_id, identity_id in ((10, 100), (11, 101)):  # what a merge leaves: one per identity
                await conn.execute(
                    text(
                        "INSERT INTO conversations (id, customer_id, channel_id, identity_id, status, last_message_at,"
                        " last_message_preview, unread_count, created_at, updated_at)"
                        " VALUES (:id, 1, :channel, :identity, 'open', :at, '', 0, :at, :at)"
                    ),
                    at | {"id": conversation_id, "channel": channel.id, "identity": identity_id},
                )
    finally:
        await db.dispose()
    await asyncio.to_thread(migrate.downgrade, empty_url, "0001")
    db = Database(empty_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT id, status FROM conversations ORDER BY id"))).all()
    finally:
        await db.dispose()
    assert [tuple(r) for r in rows] == [(10, "resolved"), (11, "open")]


async def test_readyz_is_not_ready_while_migrations_are_behind(empty_url):
    await asyncio.to_thread(migrate.upgrade, empty_url, _revisions()[-2])
    async with serve(test_settings(empty_url), start_workers=False) as (_app, url):
        async with httpx.AsyncClient(base_url=url) as client:
            r = await client.get("/readyz")
            assert r.status_code == 503
            assert "omnidesk db upgrade" in r.json()["reason"]
            assert (await client.get("/healthz")).status_code == 200
            await asyncio.to_thread(migrate.upgrade, empty_url)
            r = await client.get("/readyz")
            assert r.status_code == 200
            assert r.json() == {"status": "ready", "migration": migrate.head_revision()}


async def test_0023_backfills_the_business_durations_of_stored_clocks_and_marks_their_days(empty_url):
    """Clocks stored before 0023 get frt_business / res_business in their queue's hours (Kyiv, Monday to Friday
    09:00-18:00; a queue without hours, or no queue: around the clock), and their days are marked for the refresh."""
    await asyncio.to_thread(migrate.upgrade, empty_url, "0022")
    db = Database(empty_url, pool_size=1)
    utc = dt.UTC
    thursday = dt.datetime(2026, 11, 5, 15, 30, tzinfo=utc)  # 17:30 in Kyiv
    monday = dt.datetime(2026, 11, 9, 7, 10, tzinfo=utc)  # 09:10 in Kyiv
    office = '{"tz": "Europe/Kyiv", "week": {"0": [["09:00", "18:00"]], "1": [["09:00", "18:00"]], "2": [["09:00", "18:00"]], "3": [["09:00", "18:00"]], "4": [["09:00", "18:00"]]}, "holidays": ["2026-11-06"]}'  # noqa: E501
    rows = [  # conversation, queue, started, answered, resolved
        (1, 2, thursday, monday, monday + dt.timedelta(minutes=50)),
        (2, 2, thursday, None, None),
        (3, None, thursday, thursday + dt.timedelta(minutes=5), None),
    ]
    try:
        async with db.session() as session:
            channel, _token = await create_api_channel(session, name="Site")
            await session.commit()
        async with db.engine.begin() as conn:
            sqlite = db.sqlite

            def at(value):
                return value.replace(tzinfo=None) if sqlite and value is not None else value

            now = at(dt.datetime(2026, 11, 10, tzinfo=utc))
            await conn.execute(
                text(
                    "INSERT INTO queues (id, name, created_at, calendar, auto_assign, offer_timeout_s,"
                    " offer_cooldown_s) VALUES (2, 'Office', :at, :cal, :no, 0, 600)"
                ),
                {"at": now, "cal": office, "no": False},
            )
            await conn.execute(
                text("INSERT INTO customers (id, display_name, created_at, updated_at) VALUES (1, 'A', :at, :at)"),
                {"at": now},
            )
            for cid, queue, started, answered, resolved in rows:
                await conn.execute(
                    text(
                        "INSERT INTO conversations (id, customer_id, channel_id, queue_id, status, last_message_at,"
                        " last_message_preview, unread_count, created_at, updated_at)"
                        " VALUES (:id, 1, :channel, :queue, 'open', :at, '', 0, :at, :at)"
                    ),
                    {"id": cid, "channel": channel.id, "queue": queue, "at": at(started)},
                )
                await conn.execute(
                    text(
                        "INSERT INTO conversation_sla (conversation_id, started_at, first_response_at, resolved_at,"
                        " alerted, breached) VALUES (:id, :s, :a, :r, 0, 0)"
                    ),
                    {"id": cid, "s": at(started), "a": at(answered), "r": at(resolved)},
                )
            await conn.execute(text("DELETE FROM analytics_dirty"))
    finally:
        await db.dispose()
    await asyncio.to_thread(migrate.upgrade, empty_url)
    found = await select_rows(
        empty_url, "SELECT conversation_id, frt_business, res_business FROM conversation_sla ORDER BY 1"
    )
    # 30 working minutes on Thursday, Friday a holiday, 10 on Monday; then 50 more to the resolution.
    assert found == [(1, 2400.0, 5400.0), (2, None, None), (3, 300.0, None)]
    assert {str(d) for (d,) in await select_rows(empty_url, "SELECT DISTINCT day FROM analytics_dirty")} == {
        "2026-11-05"
    }
    await asyncio.to_thread(migrate.downgrade, empty_url, "0022")
    db = Database(empty_url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            columns = await conn.run_sync(lambda c: {x["name"] for x in inspect(c).get_columns("conversation_sla")})
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await db.dispose()
    assert "frt_business" not in columns and "started_at" in columns and "analytics_daily_business" not in tables


async def select_rows(url: str, sql: str) -> list[tuple]:
    """The rows a query finds in the database at ``url`` (a short-lived engine of its own)."""
    db = Database(url, pool_size=1)
    try:
        async with db.engine.connect() as conn:
            return [tuple(r) for r in (await conn.execute(text(sql))).all()]
    finally:
        await db.dispose()
