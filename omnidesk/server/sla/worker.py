"""The SLA timer worker: warnings and breaches as events when their moment comes, exactly once across instances.

Due times are data (``conversation_sla.next_check_at``), not in-memory timers, so a restart loses nothing: the worker
reads the rows whose moment has passed through their index, records what it alerted in the same transaction as the
events it appends, and sleeps until the next moment (at most ``poll`` seconds, so a clock stored by another process
is seen soon). On PostgreSQL the worker first takes a session advisory lock: one instance works, the others are hot
standbys that take over when its connection goes. Rows are also read ``FOR UPDATE SKIP LOCKED``, so even two
workers could not alert one clock twice. Warnings go to the assignee (the queue when nobody has it), breaches to
the queue, its supervisors and the assignee; a policy's escalation on breach may give the conversation back to its
queue or raise its priority (where conversations carry one).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time

from sqlalchemy import func, select, text, update

from omnidesk.domain import sla
from omnidesk.domain.enums import EventType
from omnidesk.server.analytics import rollup
from omnidesk.server.conversations.models import Conversation
from omnidesk.server.conversations.serialize import conversation_out, conversation_query
from omnidesk.server.csat import service as csat_service
from omnidesk.server.csat.models import CsatSurvey
from omnidesk.server.db import Database, utcnow
from omnidesk.server.events.service import emit_many
from omnidesk.server.sla.models import ConversationSla
from omnidesk.server.sla.service import clock_of, load_rules, row_values, store_clocks

log = logging.getLogger("omnidesk.sla")

LOCK_KEY = 0x0D5C_51A7_0000_0001  # the advisory lock "SLA timers" (any 64-bit constant no other job uses)
STATS = {"ticks": 0, "alerts": 0}


class SlaWorker:
    def __init__(
        self,
        db: Database,
        *,
        batch: int = 500,
        poll: float = 2.0,
        standby_poll: float = 5.0,
        wake_outbox=None,
        public_url: str | None = None,
    ) -> None:
        self.db = db
        self.public_url = public_url  # the server's public base URL: the e-mail survey's links (None: text only)
        self.wake_outbox = wake_outbox or (lambda: None)
        self.gather = 1.0
        self.batch = batch
        self.poll = poll
        self.standby_poll = standby_poll
        self.active = asyncio.Event()  # set while this instance holds the lock and works (tests read it)
        self.rollup_every = 5.0  # seconds between refreshes of the reports' daily roll-ups
        self._rolled_at = 0.0

    async def run(self) -> None:
        while True:
            try:
                if self.db.sqlite:  # one server process per SQLite file: nobody to share with
                    await self._serve(None)
                else:
                    async with self.db.engine.connect() as lock_conn:
                        got = await lock_conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
                        await lock_conn.commit()
                        if got:
                            try:
                                await self._serve(lock_conn)
                            finally:
                                self.active.clear()
                                with contextlib.suppress(Exception):
                                    await lock_conn.scalar(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                    await asyncio.sleep(self.standby_poll)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database went away: try again shortly, as a standby first
                self.active.clear()
                log.exception("SLA timers stopped; retrying")
                await asyncio.sleep(self.standby_poll)

    async def _serve(self, lock_conn) -> None:
        self.active.set()
        while True:
            processed, next_at = await self.tick()
            if processed >= self.batch:
                continue
            if lock_conn is not None:  # the lock lives as long as this connection: make sure it still does
                await lock_conn.execute(text("SELECT 1"))
                await lock_conn.commit()
            wait = self.poll
            if next_at is not None:
                wait = min(wait, max(0.0, (next_at - utcnow()).total_seconds()))
            # At least ``gather`` seconds between ticks: under a steady stream of due alerts one transaction sends
            # a second's worth instead of one each (an alert is at most that much late).
            await asyncio.sleep(max(wait, self.gather))

    async def tick(self, now: dt.datetime | None = None) -> tuple[int, dt.datetime | None]:
        """Alert every clock whose moment has come by ``now``; (clocks handled, the next moment after them)."""
        now = now or utcnow()
        STATS["ticks"] += 1
        async with self.db.session() as session:
            query = (
                select(ConversationSla)
                .where(ConversationSla.next_check_at <= now)
                .order_by(ConversationSla.next_check_at)
                .limit(self.batch)
            )
            if not self.db.sqlite:
                query = query.with_for_update(skip_locked=True)
            rows = (await session.scalars(query.execution_options(populate_existing=True))).all()
            if rows:
                await self._alert_all(session, await load_rules(session), rows, now)
                await session.commit()
            next_at = await session.scalar(select(func.min(ConversationSla.next_check_at)))
            await session.rollback()
        async with self.db.session() as session:
            # Satisfaction surveys due to be asked: timed work that must also happen once across instances.
            asked = await csat_service.send_due(session, self.db, now, public_url=self.public_url)
            if asked:
                await session.commit()
                self.wake_outbox()
            survey_at = await session.scalar(
                select(func.min(CsatSurvey.requested_at)).where(
                    CsatSurvey.message_id.is_(None), CsatSurvey.answered_at.is_(None)
                )
            )
            nps_at = await session.scalar(  # NPS after a CSAT answer (due at once: the next tick asks it)
                select(func.min(CsatSurvey.nps_requested_at)).where(CsatSurvey.nps_message_id.is_(None))
            )
            if nps_at is not None and (survey_at is None or nps_at < survey_at):
                survey_at = nps_at
            await session.rollback()
        if time.monotonic() - self._rolled_at >= self.rollup_every:
            # The reports' dirty days: timed work that must happen once, like the timers (its own lock too).
            self._rolled_at = time.monotonic()
            await rollup.refresh(self.db)
        if survey_at is not None and (next_at is None or survey_at < next_at):
            next_at = survey_at
        return len(rows), next_at

    async def _alert_all(self, session, rules, rows: list[ConversationSla], now: dt.datetime) -> None:
        """The due alerts of ``rows``: the clocks in one statement, the conversations read in one, then per
        conversation its escalation (rare) and its events."""
        planned = []
        values = []
        for row in rows:
            before = clock_of(row)
            after, alerts = sla.alerts_due(before, now)
            values.append({"conversation_id": row.conversation_id, **row_values(after)})
            if alerts:
                planned.append((row.conversation_id, before, alerts))
        await store_clocks(session, values)
        if not planned:
            return
        ids = [conversation_id for conversation_id, _, _ in planned]
        escalated = []
        for conversation_id, before, alerts in planned:
            policy = rules.policy(before.policy_id)
            if policy is not None and policy.escalation is not sla.Escalation.NOTIFY and any(a.breach for a in alerts):
                await self._escalate(session, conversation_id, policy)
                escalated.append(conversation_id)
        query = conversation_query().where(Conversation.id.in_(ids)).execution_options(populate_existing=True)
        outs = {out.id: out for out in (conversation_out(r) for r in (await session.execute(query)).all())}
        for conversation_id, _before, alerts in planned:
            out = outs.get(conversation_id)
            if out is None:
                continue
            dumped = out.model_dump(mode="json")
            events = [
                (
                    (EventType.SLA_BREACHED if alert.breach else EventType.SLA_WARNING).value,
                    {
                        "conversation_id": conversation_id,
                        "target": alert.target.value,
                        "due_at": alert.due.isoformat(),
                        "conversation": dumped,
                    },
                )
                for alert in alerts
            ]
            if conversation_id in escalated:
                events.append((EventType.CONVERSATION_UPDATED.value, {"conversation": dumped}))
            STATS["alerts"] += len(alerts)
            breach = any(a.breach for a in alerts)
            # A warning goes to the assignee alone (supervisors see every event anyway); unassigned, to the queue.
            queue = out.queue_id if breach or out.assignee_id is None else None
            await emit_many(session, self.db, events, queue_id=queue, user_id=out.assignee_id)

    async def _escalate(self, session, conversation_id: int, policy: sla.Policy) -> None:
        if policy.escalation is sla.Escalation.UNASSIGN:
            await session.execute(
                update(Conversation).where(Conversation.id == conversation_id).values(assignee_id=None)
            )
        elif policy.escalation is sla.Escalation.RAISE_PRIORITY and hasattr(Conversation, "priority"):
            column = Conversation.priority  # type: ignore[attr-defined]
            await session.execute(
                update(Conversation).where(Conversation.id == conversation_id, column < 3).values(priority=column + 1)
            )
