"""SLA on the server: the rules (policies and calendars) as domain objects, and each conversation's clock as a row.

The decisions are omnidesk.domain.sla's; this module only loads their inputs and stores their outputs. `plan_inbound`
is the single function both ingest paths call for a customer's message (the general path through `on_inbound` with
its SQLAlchemy session, the PostgreSQL batch through `omnidesk.server.sla.batch`, set-wise), so both give the same
due times.

`business_values` is the one function that gives a clock's first response and resolution in the working time of
the conversation's queue calendar (``conversation_sla.frt_business`` / ``res_business``, the reports' business-hours
durations); every writer of a clock's start, first response or resolution stores them with it (`on_inbound`,
`on_agent_reply`, `on_status`, the batch, the rebuild replay, migration 0023's backfill). The queue calendars are
loaded with the rules (same cache, same invalidation: `forget_rules` after a queue's hours change).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain import routing, sla
from omnidesk.protocol import SlaOut
from omnidesk.server.db import dialect_insert
from omnidesk.server.sla.models import ConversationSla

CLOCK_FIELDS = [f.name for f in dataclasses.fields(sla.Clock)]

RULES_SQL = """
SELECT p.id, p.queue_id, p.channel_kind, p.priority, p.segment, p.calendar_id, p.first_response_seconds,
       p.next_response_seconds, p.resolution_seconds, p.warn_fraction, p.escalation, p.position
FROM sla_policies p WHERE p.active
"""
CALENDARS_SQL = "SELECT id, timezone, hours, country, subdiv, closed_days, open_days FROM business_calendars"
QUEUES_SQL = "SELECT id, calendar FROM queues WHERE calendar IS NOT NULL"
BUSINESS_FIELDS = ("frt_business", "res_business")

RULES_TTL = 5.0  # seconds another instance's policy change may take to apply here


@dataclass(frozen=True)
class Rules:
    policies: tuple[sla.Policy, ...]
    calendars: dict[int, sla.Calendar]
    queue_calendars: dict[int, sla.Calendar] = dataclasses.field(default_factory=dict)  # queues with hours

    def policy(self, policy_id: int | None) -> sla.Policy | None:
        return next((p for p in self.policies if p.id == policy_id), None)

    def calendar(self, policy: sla.Policy | None) -> sla.Calendar:
        if policy is None or policy.calendar_id is None:
            return sla.ALWAYS
        return self.calendars.get(policy.calendar_id, sla.ALWAYS)


# Per engine (one per process in production; a new one per test server), so nothing outlives its database.
_cache: weakref.WeakKeyDictionary[Any, tuple[float, Rules]] = weakref.WeakKeyDictionary()


def forget_rules() -> None:
    """Policies or calendars changed in this process: the next read loads them afresh."""
    _cache.clear()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def queue_calendars(queue_rows) -> dict[int, sla.Calendar]:
    """Each queue's routing calendar (``queues.calendar``) as a business calendar; a queue without hours, or with a
    calendar broken since it was saved, counts around the clock (no entry)."""
    out = {}
    for r in queue_rows:
        raw = _json(r["calendar"])
        if not raw:
            continue
        try:
            c = routing.parse_calendar(raw)
            calendar = sla.queue_calendar(c.tz, c.week, c.holidays)
        except (routing.RuleError, sla.CalendarError):
            continue
        if not calendar.always:
            out[r["id"]] = calendar
    return out


def business_values(rules: Rules, queue_id: int | None, clock: sla.Clock) -> dict[str, float | None]:
    """``frt_business`` and ``res_business`` of a clock: the working seconds of the queue's calendar from its start
    to its first response and to its resolution (None while that moment is; no calendar: around the clock)."""
    calendar = rules.queue_calendars.get(queue_id, sla.ALWAYS) if queue_id is not None else sla.ALWAYS
    start = clock.started_at

    def worked(moment: dt.datetime | None) -> float | None:
        return None if start is None or moment is None else sla.business_seconds(calendar, start, moment)

    return {"frt_business": worked(clock.first_response_at), "res_business": worked(clock.resolved_at)}


def rules_from_rows(policy_rows, calendar_rows, queue_rows=()) -> Rules:
    calendars = {}
    for r in calendar_rows:
        try:
            calendars[r["id"]] = sla.Calendar.from_config(
                timezone=r["timezone"],
                hours=_json(r["hours"]),
                country=r["country"],
                subdiv=r["subdiv"],
                closed_days=_json(r["closed_days"]) or (),
                open_days=_json(r["open_days"]) or (),
            )
        except sla.CalendarError:
            continue  # validated when saved; a calendar broken since (a removed zone) counts around the clock
    policies = tuple(
        sla.Policy(
            id=r["id"],
            first_response=r["first_response_seconds"],
            next_response=r["next_response_seconds"],
            resolution=r["resolution_seconds"],
            queue_id=r["queue_id"],
            channel_kind=r["channel_kind"],
            priority=r["priority"],
            segment=r["segment"],
            warn_fraction=r["warn_fraction"],
            escalation=sla.Escalation(r["escalation"]),
            calendar_id=r["calendar_id"],
            position=r["position"],
        )
        for r in policy_rows
    )
    return Rules(policies, calendars, queue_calendars(queue_rows))


async def load_rules(session: AsyncSession) -> Rules:
    """The active policies, calendars and queue calendars (cached for a few seconds per engine)."""
    key = session.bind
    hit = _cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < RULES_TTL:
        return hit[1]
    policies = (await session.execute(text(RULES_SQL))).mappings().all()
    calendars = (await session.execute(text(CALENDARS_SQL))).mappings().all()
    queues = (await session.execute(text(QUEUES_SQL))).mappings().all()
    rules = rules_from_rows(policies, calendars, queues)
    _cache[key] = (time.monotonic(), rules)
    return rules


async def load_rules_asyncpg(conn, key: Any) -> Rules:
    """The same, read on the batch's raw connection; ``key`` is the engine the connection belongs to."""
    hit = _cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < RULES_TTL:
        return hit[1]
    rules = rules_from_rows(await conn.fetch(RULES_SQL), await conn.fetch(CALENDARS_SQL), await conn.fetch(QUEUES_SQL))
    _cache[key] = (time.monotonic(), rules)
    return rules


def clock_of(row: Any) -> sla.Clock:
    """A stored row (ORM object or mapping) as a domain clock; an absent row is a clock not started."""
    if row is None:
        return sla.Clock()
    get = row.get if isinstance(row, dict) or hasattr(row, "keys") else lambda k: getattr(row, k)
    values = {name: get(name) for name in CLOCK_FIELDS}
    for name, value in values.items():
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            values[name] = value.replace(tzinfo=dt.UTC)
    values["alerted"] = values["alerted"] or 0
    values["breached"] = values["breached"] or 0
    return sla.Clock(**values)


def row_values(clock: sla.Clock) -> dict[str, Any]:
    values = {name: getattr(clock, name) for name in CLOCK_FIELDS}
    values["next_check_at"] = clock.next_check()
    return values


def plan_inbound(
    rules: Rules,
    clock: sla.Clock,
    *,
    queue_id: int | None,
    channel_kind: str | None,
    priority: int | None = None,
    segment: str | None = None,
    at: dt.datetime,
) -> sla.Clock:
    """A customer's message on a conversation: the clock afterwards (the one rule both ingest paths apply)."""
    if clock.started_at is None or clock.resolved_at is not None:
        policy = sla.choose_policy(
            rules.policies, queue_id=queue_id, channel_kind=channel_kind, priority=priority, segment=segment
        )
    else:
        policy = rules.policy(clock.policy_id)
    return sla.on_customer_message(clock, policy, rules.calendar(policy), at)


def sla_out(clock: sla.Clock | None) -> SlaOut | None:
    if clock is None:
        return None
    nearest = clock.nearest()
    if nearest is None:
        return None
    target, due, warn = nearest
    return SlaOut(
        target=target.value,
        due_at=due,
        warn_at=warn,
        paused=clock.paused_at is not None,
        breached=bool(clock.breached),
    )


async def read_clock(session: AsyncSession, conversation_id: int) -> sla.Clock:
    row = await session.get(ConversationSla, conversation_id, populate_existing=True)
    return clock_of(row)


async def store_clock(
    session: AsyncSession, conversation_id: int, clock: sla.Clock, rules: Rules, queue_id: int | None
) -> None:
    """The clock and its business durations in the queue's calendar (business_values), inserted or updated."""
    values = {**row_values(clock), **business_values(rules, queue_id, clock)}
    insert = dialect_insert(session)
    statement = insert(ConversationSla).values(conversation_id=conversation_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=["conversation_id"], set_=values))


async def store_clocks(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Several clocks (``conversation_id`` and row_values each) in one statement: only the columns given (the timer
    worker's alerts leave the business durations alone)."""
    if not rows:
        return
    insert = dialect_insert(session)
    statement = insert(ConversationSla)
    columns = {c: getattr(statement.excluded, c) for c in rows[0] if c != "conversation_id"}
    await session.execute(statement.on_conflict_do_update(index_elements=["conversation_id"], set_=columns), rows)


async def on_inbound(
    session: AsyncSession,
    *,
    conversation_id: int,
    queue_id: int | None,
    channel_kind: str | None,
    segment: str | None,
    at: dt.datetime,
    priority: int | None = None,
) -> sla.Clock:
    """The general ingest path: the conversation's clock after a customer's message, stored."""
    rules = await load_rules(session)
    before = await read_clock(session, conversation_id)
    after = plan_inbound(
        rules, before, queue_id=queue_id, channel_kind=channel_kind, priority=priority, segment=segment, at=at
    )
    if after != before:
        await store_clock(session, conversation_id, after, rules, queue_id)
    return after


async def on_agent_reply(session: AsyncSession, conversation_id: int, at: dt.datetime, *, queue_id: int | None) -> None:
    """An operator's reply on a conversation (in queue ``queue_id``, whose calendar counts its business time)."""
    before = await read_clock(session, conversation_id)
    after = sla.on_agent_reply(before, at)
    if after != before:
        await store_clock(session, conversation_id, after, await load_rules(session), queue_id)


async def on_status(
    session: AsyncSession, conversation_id: int, status: str, at: dt.datetime, *, queue_id: int | None
) -> None:
    """A status change of a conversation (in queue ``queue_id``, whose calendar counts its business time)."""
    before = await read_clock(session, conversation_id)
    if before.started_at is None:
        return
    rules = await load_rules(session)
    after = sla.on_status(before, rules.calendar(rules.policy(before.policy_id)), status, at)
    if after != before:
        await store_clock(session, conversation_id, after, rules, queue_id)


async def clocks_for(session: AsyncSession, conversation_ids: list[int]) -> dict[int, sla.Clock]:
    if not conversation_ids:
        return {}
    rows = (
        await session.scalars(select(ConversationSla).where(ConversationSla.conversation_id.in_(conversation_ids)))
    ).all()
    return {r.conversation_id: clock_of(r) for r in rows}


def running_filters(now: dt.datetime):
    """SQL conditions on ``conversation_sla`` for the inbox filters: (breached, breaching soon) as of ``now``."""
    from sqlalchemy import and_, or_

    s = ConversationSla
    frt = and_(s.first_response_due.is_not(None), s.first_response_at.is_(None), s.resolved_at.is_(None))
    nrt = s.next_response_due.is_not(None)
    res = and_(s.resolution_due.is_not(None), s.resolved_at.is_(None))
    running = s.paused_at.is_(None)
    overdue = and_(
        running,
        or_(
            and_(frt, s.first_response_due <= now),
            and_(nrt, s.next_response_due <= now),
            and_(res, s.resolution_due <= now),
        ),
    )
    breached = or_(s.breached != 0, overdue)
    warned = and_(
        running,
        or_(
            and_(frt, s.first_response_warn <= now),
            and_(nrt, s.next_response_warn <= now),
            and_(res, s.resolution_warn <= now),
        ),
    )
    return breached, and_(warned, ~breached)
