"""The daily retention run: a background worker of every server process applies the policies at ``retention_time``
(local to ``retention_time_zone``) by itself.

Every process that runs workers has one scheduler; at the due moment each calls ``run_retention``, and exactly one
of them applies the policies: the run takes a PostgreSQL transaction advisory lock (a second finds it held and
stands down) and the day's ``run_key`` is unique (a process that comes after the winner's commit finds the day
done). An admin's manual run (``POST /api/v1/retention/run``, ``omnidesk retention run``) is the same function under
the same lock, so the two never overlap, and a day that an admin already ran is not run again.

A run that fails is rolled back whole, logged, and recorded in ``retention_runs`` with the error (its own key, so it
does not take the day); the scheduler tries again ``retry_delay`` seconds later (or at the next day's time, if that
comes first). At shutdown the task is cancelled; a run under way is rolled back with its transaction.

Catching up: when the scheduler starts, and whenever it notices that the wall clock jumped (it sleeps in steps of
at most ``poll`` seconds and compares the wall clock with the monotonic one: a machine waking from sleep, a clock
set right), it asks ``pending_catch_up`` whether the latest due moment passed with no successful run after it
(``omnidesk.domain.retention.missed_run``); if so it runs at once, the same run under the same lock and the same
day's key, so several processes starting together still run it once and a day already done is not run again. The
report says ``catch_up`` (the missed moment). Otherwise it waits for the next due moment from the clock as it is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable

from omnidesk.domain.retention import next_run_at, parse_time, run_day
from omnidesk.server.audit.service import Actor
from omnidesk.server.config import Settings
from omnidesk.server.db import Database, utcnow
from omnidesk.server.retention.models import RetentionRun
from omnidesk.server.retention.service import SCHEDULER, Busy, failure_key, pending_catch_up, run_retention

log = logging.getLogger("omnidesk.retention")

JUMP = 120.0  # seconds the wall clock may run ahead of or behind the monotonic clock before it counts as a jump


class RetentionScheduler:
    def __init__(self, db: Database, settings: Settings, *, retry_delay: float = 900.0, poll: float = 60.0) -> None:
        self.db = db
        self.settings = settings
        self.at = parse_time(settings.retention_time)
        self.zone = settings.retention_zone
        self.retry_delay = retry_delay
        self.poll = poll
        self.due: dt.datetime | None = None  # the next moment this scheduler runs (tests and logs read it)
        self.catch_up: dt.datetime | None = None  # the missed due moment the next run makes up for
        self.outcomes: list[str] = []  # what each attempt came to: done, already, busy, failed
        self.jumps = 0  # clock jumps noticed
        self.recheck = False  # what is due could not be read (the database was away): read it again at self.due
        self.clock: Callable[[], dt.datetime] = utcnow  # the wall clock (a test moves it)

    def next_after(self, outcome: str, now: dt.datetime) -> dt.datetime:
        following = next_run_at(now, self.at, self.zone)
        if outcome in ("failed", "busy"):  # busy: the other run may yet fail; look again soon
            return min(following, now + dt.timedelta(seconds=self.retry_delay))
        return following

    async def first_due(self, now: dt.datetime) -> dt.datetime:
        """When to run next from ``now``: at once to catch up a missed run, else the next scheduled moment."""
        try:
            async with self.db.session() as session:
                self.catch_up = await pending_catch_up(session, self.settings, now)
                await session.rollback()
        except asyncio.CancelledError:
            raise
        except Exception:  # the database is away: look again after retry_delay
            log.warning("could not read the last retention run; looking again in %ss", self.retry_delay, exc_info=True)
            self.recheck = True
            return min(next_run_at(now, self.at, self.zone), now + dt.timedelta(seconds=self.retry_delay))
        self.recheck = False
        if self.catch_up is not None:
            log.info("retention was due at %s and has not run since: running it now", self.catch_up)
            return now
        return next_run_at(now, self.at, self.zone)

    async def run(self) -> None:
        if self.due is None:
            self.due = await self.first_due(self.clock())
        log.info("retention runs daily at %s (%s); next at %s", self.settings.retention_time, self.zone, self.due)
        wall, mono = self.clock(), time.monotonic()
        while True:
            now = self.clock()
            drift = (now - wall).total_seconds() - (time.monotonic() - mono)
            if abs(drift) > JUMP:  # the wall clock jumped: start over from the clock as it is now
                log.warning("the clock jumped by %+.0f s; retention looks again at what is due", drift)
                self.due = await self.first_due(now)
                self.jumps += 1
            elif now >= self.due and self.recheck:
                self.due = await self.first_due(now)
            if now >= self.due:
                outcome = await self.run_due(now)
                self.due = self.next_after(outcome, self.clock())
                wall, mono = self.clock(), time.monotonic()
                continue
            wall, mono = now, time.monotonic()
            await asyncio.sleep(min(self.poll, (self.due - now).total_seconds()))

    async def run_due(self, now: dt.datetime | None = None) -> str:
        """One attempt at the day's run: done, already (the day has run), busy (another run holds it), failed."""
        now = now or self.clock()
        try:
            async with self.db.session() as session:
                actor = Actor(None, SCHEDULER)
                report = await run_retention(session, self.settings, actor=actor, now=now, catch_up=self.catch_up)
                if report is None:
                    await session.rollback()
                    outcome = "already"
                    self.catch_up = None
                else:
                    await session.commit()
                    outcome = "done"
                    self.catch_up = None
                    log.info(
                        "retention run %s: %s messages, %s audit records pruned",
                        report["run_key"],
                        sum(p["messages"] for p in report["policies"]),
                        report["audit_pruned"],
                    )
        except asyncio.CancelledError:
            raise
        except Busy:
            outcome = "busy"
        except Exception as exc:
            log.exception("the retention run failed; it is tried again in %ss", self.retry_delay)
            await self._record_failure(now, exc)
            outcome = "failed"
        self.outcomes.append(outcome)
        return outcome

    async def _record_failure(self, now: dt.datetime, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        try:
            async with self.db.session() as session:
                session.add(
                    RetentionRun(
                        run_key=failure_key(run_day(now, self.zone), utcnow()),
                        started_at=now,
                        finished_at=utcnow(),
                        started_by=SCHEDULER,
                        report={"failed": True, "error": error},
                    )
                )
                await session.commit()
        except asyncio.CancelledError:
            raise
        except Exception:  # the database itself is away: the log line above is the record
            log.warning("could not record the failed retention run", exc_info=True)


__all__ = ["SCHEDULER", "RetentionScheduler"]
