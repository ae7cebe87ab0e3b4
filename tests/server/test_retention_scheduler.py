"""The daily retention run by itself: two schedulers racing at the due moment apply the policies once, a legal hold
holds, a failed run is logged, recorded and tried again, a manual run and the scheduler never overlap, and the
worker starts with the others and stops cleanly; after downtime (a server starting, a clock that jumped) a missed run
is caught up once, never a day already done; the status shows the last run, the next and a pending catch-up."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import zoneinfo

import httpx
import pytest
from sqlalchemy import func, select, text

from omnidesk.domain.retention import last_due_at, next_run_at, run_day
from omnidesk.server.audit.models import AuditRecord
from omnidesk.server.db import Database, utcnow
from omnidesk.server.retention.models import RetentionRun
from omnidesk.server.retention.scheduler import SCHEDULER, RetentionScheduler
from omnidesk.server.retention.service import LOCK_KEY, REMOVED
from tests.conftest import Api, serve, test_settings
from tests.server.conftest import omnidesk_here
from tests.server.test_retention import _admin, _policy, _seed, _text


def _local_noon() -> dict:
    """Settings whose zone has it about noon now (a fixed-offset zone), the daily time at 11:00: today's run is an
    hour or two past, tomorrow's a day away, and no midnight is near whenever the test runs."""
    offset = 12 - utcnow().hour  # -11 .. +12 hours from UTC
    return {"retention_time": "11:00", "retention_time_zone": f"Etc/GMT{-offset:+d}"}  # Etc/GMT-3 is UTC+3


async def _ran(api, key: str, started_at: dt.datetime, by: str = SCHEDULER) -> None:
    """A successful run recorded at ``started_at`` (what an earlier server or an admin did)."""
    async with api.db.session() as session:
        report = {"run_key": key, "policies": [], "audit_pruned": 0, "legal_holds": 0}
        session.add(
            RetentionRun(run_key=key, started_at=started_at, finished_at=started_at, started_by=by, report=report)
        )
        await session.commit()


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


@contextlib.asynccontextmanager
async def _processes(api, settings, count: int, due: dt.datetime | None = None):
    """``count`` server processes' schedulers (each its own connection pool) running; stopped on the way out."""
    dbs = [Database(api.settings.database_url, pool_size=2) for _ in range(count)]
    schedulers = [RetentionScheduler(db, settings, poll=0.05, retry_delay=0.2) for db in dbs]
    for s in schedulers:
        s.due = due
    tasks = [asyncio.create_task(s.run()) for s in schedulers]
    try:
        yield schedulers
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for db in dbs:
            await db.dispose()


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
    async with _processes(api, settings, 2, due=utcnow() - dt.timedelta(seconds=1)) as schedulers:
        await _until(lambda: all(s.outcomes for s in schedulers), "both schedulers' attempts")
        first = [s.outcomes[0] for s in schedulers]
        # The loser found the lock held (busy: it looks again later and then finds the day done) or the day done.
        assert first.count("done") == 1 and set(first) - {"done"} <= {"already", "busy"}, first
        await _until(lambda: all(s.outcomes[-1] in ("done", "already") for s in schedulers), "the day settled")
        for s in schedulers:  # both wait for tomorrow's 02:30 in Kyiv now
            assert s.due == next_run_at(utcnow(), s.at, s.zone)
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
        # A new database has never had a run: the first server catches it up at once, then waits for 03:15.
        await _until(lambda: scheduler.outcomes == ["done"], "the catch-up of a server that never ran retention")
        await _until(lambda: scheduler.due > utcnow(), "the next due moment")
        assert scheduler.due == next_run_at(utcnow(), dt.time(3, 15), dt.UTC)
        assert not task.done()
    assert task.done() and task.cancelled()
    assert not [r for r in caplog.records if "retention" in r.getMessage()]  # no "did not stop", no error
    async with serve(settings) as (app, _url):  # started again the same day: nothing to catch up
        scheduler = app.state.retention_scheduler
        await _until(lambda: scheduler.due is not None, "the scheduler's first due moment")
        assert scheduler.due == next_run_at(utcnow(), dt.time(3, 15), dt.UTC) and scheduler.outcomes == []
    async with serve(test_settings(db_url, retention_schedule=False)) as (app, _url):
        assert not hasattr(app.state, "retention_scheduler")
        assert "retention" not in [t.get_name() for t in app.state.omnidesk.tasks]


async def test_servers_starting_after_downtime_catch_up_the_missed_run_exactly_once(api):
    await _prepared(api)
    settings = api.settings.model_copy(update=_local_noon())
    zone = settings.retention_zone
    due = last_due_at(utcnow(), dt.time(11, 0), zone)  # today 11:00 local, an hour or two ago: no server ran then
    yesterday = due - dt.timedelta(days=1)
    await _ran(api, run_day(yesterday, zone).isoformat(), yesterday)  # yesterday's run, on time
    async with _processes(api, settings, 3) as schedulers:  # three server processes start
        # Each either tried (one applied the policies; the others found the lock held or the day done) or started
        # after the winner's commit and found nothing to catch up.
        def settled() -> bool:
            return all(s.due == next_run_at(utcnow(), s.at, zone) for s in schedulers)

        await _until(settled, "every scheduler waiting for tomorrow")
        outcomes = [o for s in schedulers for o in s.outcomes]
        assert outcomes.count("done") == 1 and set(outcomes) <= {"done", "already", "busy"}, outcomes
        for s in schedulers:  # each waits for tomorrow's 11:00 now
            assert s.due == next_run_at(utcnow(), s.at, zone) and s.catch_up is None
        late = RetentionScheduler(api.db, settings)  # a fourth process, started after: the day is done
        assert await late.first_due(utcnow()) == next_run_at(utcnow(), late.at, zone) and late.catch_up is None
    runs = await _runs(api)
    assert len(runs) == 2 and runs[0].started_at == yesterday
    caught = runs[1]
    assert caught.run_key == run_day(utcnow(), zone).isoformat() and caught.started_by == SCHEDULER
    assert caught.report["catch_up"] == due.isoformat() and caught.report["policies"][0]["messages"] == 2
    assert await _audited_runs(api) == 1
    assert await _text(api, "s-old") == REMOVED and await _text(api, "h-old") == "Картка 4444 h-old"


async def test_a_day_an_admin_already_ran_before_the_time_is_not_run_again_at_start(api):
    settings = api.settings.model_copy(update=_local_noon())
    zone = settings.retention_zone
    due = last_due_at(utcnow(), dt.time(11, 0), zone)
    await _ran(api, run_day(due, zone).isoformat(), due - dt.timedelta(minutes=50), by="olena")  # 10:10 local
    scheduler = RetentionScheduler(api.db, settings, poll=0.05)
    task = asyncio.create_task(scheduler.run())
    try:
        await _until(lambda: scheduler.due is not None, "the first due moment")
        await asyncio.sleep(0.3)
        assert scheduler.outcomes == [] and scheduler.catch_up is None
        assert scheduler.due == next_run_at(utcnow(), scheduler.at, zone)  # tomorrow's 11:00
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert len(await _runs(api)) == 1


async def test_a_clock_jump_is_noticed_a_run_missed_while_asleep_is_caught_up_and_a_clock_set_back_replans(api):
    settings = api.settings.model_copy(update=_local_noon())
    zone = settings.retention_zone
    due = last_due_at(utcnow(), dt.time(11, 0), zone)
    yesterday = due - dt.timedelta(days=1)
    await _ran(api, run_day(yesterday, zone).isoformat(), yesterday)
    scheduler = RetentionScheduler(api.db, settings, poll=0.05)
    shift = [dt.timedelta(hours=-2)]  # the machine went to sleep at 10:xx local, before today's 11:00
    scheduler.clock = lambda: utcnow() + shift[0]
    task = asyncio.create_task(scheduler.run())
    try:
        await _until(lambda: scheduler.due is not None, "the first due moment")
        assert scheduler.due == due and scheduler.outcomes == []  # today's 11:00 lies ahead on its clock
        shift[0] = dt.timedelta(0)  # it wakes at 12:xx: the wall clock jumped two hours, the monotonic one did not
        await _until(lambda: scheduler.outcomes, "the catch-up after the jump")
        assert scheduler.jumps == 1 and scheduler.outcomes == ["done"]
        assert scheduler.due == next_run_at(utcnow(), scheduler.at, zone)
        shift[0] = dt.timedelta(days=-400)  # the clock set back (by a wrong time source): plan from the new clock
        await _until(lambda: scheduler.jumps == 2, "the second jump")
        assert scheduler.due == next_run_at(scheduler.clock(), scheduler.at, zone)
        assert scheduler.outcomes == ["done"]  # nothing was due: the last run is "after" the clock now
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    runs = await _runs(api)
    assert len(runs) == 2 and runs[1].report["catch_up"] == due.isoformat()


async def test_the_status_shows_the_last_run_the_next_one_and_a_pending_catch_up(db_url, monkeypatch):
    noon = _local_noon()
    settings = test_settings(db_url, retention_schedule=True, **noon)
    zone = zoneinfo.ZoneInfo(noon["retention_time_zone"])
    db = Database(db_url, pool_size=2)
    async with serve(settings, start_workers=False) as (app, url):  # a server without the background workers
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            try:
                await _status_checks(Api(url=url, db=db, settings=settings, client=client, app=app), zone, monkeypatch)
            finally:
                await db.dispose()


async def _status_checks(api, zone, monkeypatch) -> None:
    settings = api.settings
    headers = await _admin(api)
    due = last_due_at(utcnow(), dt.time(11, 0), zone)
    r = await api.client.get("/api/v1/retention/status", headers=headers)
    assert r.status_code == 200, r.text
    status = r.json()
    following = dt.datetime.fromisoformat(status["next_run_at"])
    assert following == next_run_at(utcnow(), dt.time(11, 0), zone) and following.utcoffset() == zone.utcoffset(None)
    assert status["time"] == "11:00" and status["time_zone"] == settings.retention_time_zone
    assert status["catch_up_pending"] is True and dt.datetime.fromisoformat(status["missed_due_at"]) == due
    assert status["last_run"] is None and status["last_success"] is None
    # The command line says the same, in words and as JSON.
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    out = await asyncio.to_thread(omnidesk_here, "retention", "status", database=settings.database_url)
    assert out.returncode == 0, out.stderr
    assert f"daily at 11:00 ({settings.retention_time_zone}); next run {following.isoformat()}" in out.stdout
    assert f"catch-up:  pending: the run due {due.astimezone(zone).isoformat()} was missed" in out.stdout
    assert "last run:  never" in out.stdout
    # An admin runs it now: the day is done, nothing pending; the status names the admin and what the run did.
    ran = await api.client.post("/api/v1/retention/run", headers=headers)
    assert ran.status_code == 200, ran.text
    status = (await api.client.get("/api/v1/retention/status", headers=headers)).json()
    last = status["last_run"]
    assert status["catch_up_pending"] is False and status["missed_due_at"] is None
    assert last["by"] == "admin" and last["started_by"] == "root" and last["outcome"] == "done"
    assert last["catch_up"] is False and last["messages"] == 0 and last["audit_pruned"] == 0
    assert dt.datetime.fromisoformat(last["started_at"]).utcoffset() == zone.utcoffset(None)
    assert status["last_success"] == last
    # A later failed attempt: the last run says so, the last success stays the admin's.
    async with api.db.session() as session:
        key = f"{run_day(utcnow(), zone).isoformat()} failed {utcnow().isoformat()}"
        report = {"failed": True, "error": "OperationalError: the database is away"}
        session.add(
            RetentionRun(run_key=key, started_at=utcnow(), finished_at=utcnow(), started_by=SCHEDULER, report=report)
        )
        await session.commit()
    out = await asyncio.to_thread(omnidesk_here, "retention", "status", "--json", database=settings.database_url)
    assert out.returncode == 0, out.stderr
    status = json.loads(out.stdout)
    assert status["last_run"]["outcome"] == "failed" and status["last_run"]["by"] == "scheduler"
    assert status["last_run"]["error"] == "OperationalError: the database is away"
    assert status["last_success"]["started_by"] == "root" and status["catch_up_pending"] is False
    words = await asyncio.to_thread(omnidesk_here, "retention", "status", database=settings.database_url)
    assert "by the scheduler: failed; error: OperationalError: the database is away" in words.stdout
    assert "last done: " in words.stdout and "by root: done; 0 messages, 0 audit records pruned" in words.stdout


def settings_env(settings) -> dict[str, str]:
    return {
        "OMNIDESK_RETENTION_SCHEDULE": "true",
        "OMNIDESK_RETENTION_TIME": settings.retention_time,
        "OMNIDESK_RETENTION_TIME_ZONE": settings.retention_time_zone,
    }


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
