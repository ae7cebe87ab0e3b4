"""The daily retention run: a background worker of every server process applies the policies at ``retention_time``
(local to ``retention_time_zone``) by itself.

Every process that runs workers has one scheduler; at the due moment each calls ``run_retention``, and exactly one
of them applies the policies: the run takes a PostgreSQL transaction advisory lock (a second finds it held and
stands down) and the day's ``run_key`` is unique (a process that comes after the winner's commit finds the day
done). An admin's manual run (``POST /api/v1/retention/run``, ``omnidesk retention run``) is the same function under
the same lock, so the two never overlap, and a day that an admin already ran is not run again.

A run that fails is rolled back whole, logged, and recorded in ``retention_runs`` with the error (its own key, so it
does not take the day); the scheduler tries again ``retry_delay`` seconds later (or at the next day's time, if that
comes first). The scheduler sleeps in steps of at most ``poll`` seconds, so a changed clock is noticed; it does not
catch up a day when the server was down at the hour (run it by hand then). At shutdown the task is cancelled; a run
under way is rolled back with its transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from omnidesk.domain.retention import next_run_at, parse_time, run_day
from omnidesk.server.audit.service import Actor
from omnidesk.server.config import Settings
from omnidesk.server.db import Database, utcnow
from omnidesk.server.retention.models import RetentionRun
from omnidesk.server.retention.service import Busy, run_retention

log = logging.getLogger("omnidesk.retention")

SCHEDULER = "scheduler"  # started_by of the scheduler's runs


class RetentionScheduler:
    def __init__(self, db: Database, settings: Settings, *, retry_delay: float = 900.0, poll: float = 60.0) -> None:
        self.db = db
        self.settings = settings
        self.at = parse_time(settings.retention_time)
        self.zone = settings.retention_zone
        self.retry_delay = retry_delay
        self.poll = poll
        self.due: dt.datetime | None = None  # the next moment this scheduler runs (tests and logs read it)
        self.outcomes: list[str] = []  # what each attempt came to: done, already, busy, failed

    def next_after(self, outcome: str, now: dt.datetime) -> dt.datetime:
        following = next_run_at(now, self.at, self.zone)
        if outcome in ("failed", "busy"):  # busy: the other run may yet fail; look again soon
            return min(following, now + dt.timedelta(seconds=self.retry_delay))
        return following

    async def run(self) -> None:
        if self.due is None:
            self.due = next_run_at(utcnow(), self.at, self.zone)
        log.info("retention runs daily at %s (%s); next at %s", self.settings.retention_time, self.zone, self.due)
        while True:
            now = utcnow()
            if now >= self.due:
                outcome = await self.run_due(now)
                self.due = self.next_after(outcome, utcnow())
                continue
            await asyncio.sleep(min(self.poll, (self.due - now).total_seconds()))

    async def run_due(self, now: dt.datetime | None = None) -> str:
        """One attempt at the day's run: done, already (the day has run), busy (another run holds it), failed."""
        now = now or utcnow()
        try:
            async with self.db.session() as session:
                report = await run_retention(session, self.settings, actor=Actor(None, SCHEDULER), now=now)
                if report is None:
                    await session.rollback()
                    outcome = "already"
                else:
                    await session.commit()
                    outcome = "done"
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
                day = run_day(now, self.zone).isoformat()
                session.add(
                    RetentionRun(
                        run_key=f"{day} failed {utcnow().isoformat()}",
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
