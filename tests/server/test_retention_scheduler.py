"""The daily retention run by itself: two schedulers racing at the due moment apply the policies once, a legal hold
holds, a failed run is logged, recorded and tried again, a manual run and the scheduler never overlap, and the
worker starts with the others and stops cleanly."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest
from sqlalchemy import func, select, text

from omnidesk.domain.retention import next_run_at
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.db import Database, utcnow
from omnidesk.server.retention.models import RetentionRun
from omnidesk.server.retention.scheduler import SCHEDULER, RetentionScheduler
from omnidesk.server.retention.service import LOCK_KEY, REMOVED
from tests.conftest import serve, test_settings
from tests.server.test_retention import _admin, _policy, _seed, _text


async def _runs(api) -> list[RetentionRun]:
    async with api.db.session() as session:
        return list((await session.scalars(select(RetentionRun).order_by(RetentionRun.id))).all())


async def _audited_runs(api) -> int:
    async with api.db.session() as session:
        return await session.scalar(select(func.count()).where(AuditRecord.action == "retention.run"))


async def _until(predicate, what: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def _prepared(api):
    _site, _bot, seeded = await _seed(api)
    headers = await _admin(api)
    await _policy(api, headers, name="Everything: 12 months", action="anonymise", months=12)
    hold = await api.client.put(
        f"/api/v1/customers/{seeded['h-old']['customer_id']}/legal-hold", json={"reason": "court"}, headers=headers
    )
    assert hold.status_code == 204, hold.text
    return headers


async def test_two_schedulers_racing_at_the_due_moment_apply_the_policies_once_and_respect_the_hold(api):
    await _prepared(api)
    settings = api.settings.model_copy(update={"retention_time": "02:30", "retention_time_zone": "Europe/Kyiv"})
    dbs = [Database(api.settings.database_url, pool_size=2) for _ in range(2)]  # two server processes
    schedulers = [RetentionScheduler(db, settings, poll=0.05, retry_delay=0.2) for db in dbs]
    due = utcnow() - dt.timedelta(seconds=1)
    for s in schedulers:
        s.due = due
    tasks = [asyncio.create_task(s.run()) for s in schedulers]
    try:
        await _until(lambda: all(s.outcomes for s in schedulers), "both schedulers' attempts")
        first = [s.outcomes[0] for s in schedulers]
        # The loser found the lock held (busy: it looks again later and then finds the day done) or the day done.
        assert first.count("done") == 1 and set(first) - {"done"} <= {"already", "busy"}, first
        await _until(lambda: all(s.outcomes[-1] in ("done", "already") for s in schedulers), "the day settled")
        for s in schedulers:  # both wait for tomorrow's 02:30 in Kyiv now
            assert s.due == next_run_at(utcnow(), s.at, s.zone)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for db in dbs:
            await db.dispose()
    runs = await _runs(api)
    assert [(r.started_by, r.finished_at is not None) for r in runs] == [(SCHEDULER, True)]
    assert runs[0].report["policies"][0]["messages"] == 2  # s-old and b-old; h-old is on hold, s-new recent
    assert await _audited_runs(api) == 1
    assert await _text(api, "s-old") == REMOVED and await _text(api, "b-old") == REMOVED
    assert await _text(api, "h-old") == "Картка 4444 h-old"  # the legal hold holds for the scheduled run too
    assert await _text(api, "s-new") == "Картка 4444 s-new"


async def test_a_failed_run_is_logged_recorded_and_tried_again(api, caplog):
    headers = await _prepared(api)
    scheduler = RetentionScheduler(api.db, api.settings, retry_delay=0.3, poll=0.05)
    async with api.db.session() as session:  # a real failure: the policies' table is not there
        await session.execute(text("ALTER TABLE retention_policies RENAME TO retention_policies_away"))
        await session.commit()
    scheduler.due = utcnow()
    caplog.set_level(logging.ERROR, logger="omnidesk.retention")
    task = asyncio.create_task(scheduler.run())
    try:
        await _until(lambda: scheduler.outcomes, "the first attempt")
        assert scheduler.outcomes == ["failed"]
        assert any("retention run failed" in r.getMessage() for r in caplog.records)
        assert scheduler.due <= utcnow() + dt.timedelta(seconds=0.3)  # tried again soon, not tomorrow
        failed = await _runs(api)
        assert (
            len(failed) == 1
            and failed[0].report["failed"] is True
            and "retention_policies" in failed[0].report["error"]
        )
        assert await _text(api, "s-old") == "Картка 4444 s-old"  # rolled back whole
        async with api.db.session() as session:
            await session.execute(text("ALTER TABLE retention_policies_away RENAME TO retention_policies"))
            await session.commit()
        await _until(lambda: "done" in scheduler.outcomes, "the retry")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert await _text(api, "s-old") == REMOVED
    listed = (await api.client.get("/api/v1/retention/runs", headers=headers)).json()
    assert [bool((r["report"] or {}).get("failed")) for r in listed] == [False, True]  # newest first
    assert await _audited_runs(api) == 1


async def test_a_manual_run_and_the_scheduled_one_never_overlap(api):
    headers = await _prepared(api)
    scheduler = RetentionScheduler(api.db, api.settings)
    if not api.db.sqlite:  # another run (an admin's command, another server) holds the lock
        async with api.db.engine.connect() as other:
            assert await other.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
            r = await api.client.post("/api/v1/retention/run", headers=headers)
            assert r.status_code == 409 and "in progress" in r.json()["detail"], r.text
            assert await scheduler.run_due() == "busy"
            assert scheduler.next_after("busy", utcnow()) <= utcnow() + dt.timedelta(seconds=scheduler.retry_delay)
            await other.scalar(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
        assert await _runs(api) == []
    r = await api.client.post("/api/v1/retention/run", headers=headers)
    assert r.status_code == 200, r.text
    assert await scheduler.run_due() == "already"  # an admin ran today: the scheduler does not run it again
    assert scheduler.next_after("already", utcnow()) > utcnow() + dt.timedelta(seconds=scheduler.retry_delay)
    assert len(await _runs(api)) == 1 and await _audited_runs(api) == 1


async def test_the_scheduler_starts_with_the_workers_and_stops_cleanly(db_url, caplog):
    settings = test_settings(db_url, retention_schedule=True, retention_time="03:15", retention_time_zone="UTC")
    caplog.set_level(logging.WARNING, logger="omnidesk.server")
    async with serve(settings) as (app, _url):
        scheduler = app.state.retention_scheduler
        task = next(t for t in app.state.omnidesk.tasks if t.get_name() == "retention")
        await _until(lambda: scheduler.due is not None, "the scheduler's first due moment")
        assert scheduler.due == next_run_at(utcnow(), dt.time(3, 15), dt.UTC)
        assert not task.done()
    assert task.done() and task.cancelled()
    assert not [r for r in caplog.records if "retention" in r.getMessage()]  # no "did not stop", no error
    async with serve(test_settings(db_url, retention_schedule=False)) as (app, _url):
        assert not hasattr(app.state, "retention_scheduler")
        assert "retention" not in [t.get_name() for t in app.state.omnidesk.tasks]


async def test_a_run_under_way_at_shutdown_is_rolled_back_and_frees_the_lock(api):
    if api.db.sqlite:
        pytest.skip("holding a run midway needs a second writer's lock: PostgreSQL (SQLite has one writer per file)")
    await _prepared(api)
    # The probe below takes the lock for an instant to look: a run starting in that instant is "busy" and tries
    # again after retry_delay (15 min by default), so retry at once here.
    scheduler = RetentionScheduler(api.db, api.settings, poll=0.05, retry_delay=0.05)
    async with api.db.engine.connect() as blocker:  # the messages table locked: the run stops midway, waiting
        await blocker.execute(text("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE"))
        scheduler.due = utcnow()
        task = asyncio.create_task(scheduler.run())
        async with api.db.engine.connect() as probe:

            async def lock_taken() -> bool:
                got = await probe.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
                if got:
                    await probe.scalar(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                return not got

            for _ in range(500):
                if await lock_taken():
                    break
                await asyncio.sleep(0.02)
            assert await lock_taken(), "the run never got under way"
            task.cancel()  # the server's shutdown
            done, _ = await asyncio.wait({task}, timeout=5)
            assert task in done and task.cancelled()
            await blocker.rollback()
            for _ in range(250):  # the cancelled run's connection gives the lock back as it is returned
                if not await lock_taken():
                    break
                await asyncio.sleep(0.02)
            assert not await lock_taken()
    assert await _runs(api) == [] and await _audited_runs(api) == 0
    assert await _text(api, "s-old") == "Картка 4444 s-old"
