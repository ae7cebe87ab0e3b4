"""Channel transitions: customers who came back on another kind of channel, from a daily roll-up.

A transition is a pair of one customer's conversations (a, b) on different channel kinds, b created after a within
``hours`` (conversations' ``created_at``, which a reopened clock does not move). It is counted in the period of its
**return**, b's creation: "who came back elsewhere in the period". So a new conversation changes only its own day (one
dated in the past, an import, also its followers' days), and the roll-up stays as cheap to keep as the others (counted
by a's day, every returning customer's new conversation would dirty up to 30 earlier days and the refresh would
recompute them all, every few seconds).

``analytics_transitions`` (migration 0025) holds per UTC hour of b x a's channel x b's kind x the customer's segment
(migration 0026) x ``within`` (the smallest of ``WITHIN_HOURS`` the gap fits) the number of pairs. A matrix for
``hours`` among ``WITHIN_HOURS`` (48 is the Reports window's) sums the rows with ``within <= hours`` for the whole
hours not dirty and reads the raw facts for the rest (the period's partial hours, days not yet refreshed), in one
statement (by the hour: a day's edge would cost a day of conversations joined to their customers' others, 0.3 s at
1M); any other ``hours``, or a queue or operator filter (of a, the conversation the customer left), reads the raw
facts alone, by the same SQL; a channel or segment filter reads the roll-up. Kept with the other roll-ups' dirty
days (omnidesk.server.analytics.rollup), whose triggers (migration 0025) also mark, when a conversation changes
customer (a merge) or channel, or is deleted, the days of that customer's conversations that followed it (and
migration 0026's, when a customer's segment changes, the days of their conversations).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.server.analytics import hourly, rollup

WITHIN_HOURS = (1, 2, 4, 8, 12, 24, 48, 72, 168, 336, 720)
LONGEST = WITHIN_HOURS[-1]  # the API's longest window (30 days)


def _gap(dialect: str) -> str:
    return rollup.duration(dialect, "b.created_at", "a.created_at")


def _within(dialect: str) -> str:
    gap = _gap(dialect)
    steps = " ".join(f"WHEN {gap} <= {h * 3600} THEN {h}" for h in WITHIN_HOURS)
    return f"CASE {steps} END"


def _where_source(params: dict[str, Any], f) -> str:
    """Filters on a, the conversation the customer left (its channel, queue and operator), and on the customer's
    segment."""
    parts = []
    for name, column, value in (
        ("channel_id", "channel_id", getattr(f, "channel_id", None)),
        ("queue_id", "queue_id", getattr(f, "queue_id", None)),
        ("operator_id", "assignee_id", getattr(f, "operator_id", None)),
    ):
        if value is not None:
            params[name] = value
            parts.append(f"a.{column} = :{name}")
    if getattr(f, "segment", None) is not None:  # the customer's (a's and b's)
        params["segment"] = f.segment
        parts.append("coalesce(cu.segment, '') = :segment")
    return "".join(f" AND {p}" for p in parts)


def pairs(dialect: str, ranges, params: dict[str, Any], f=None, hours: int = LONGEST) -> str:
    """Rows (hour, channel_id, target_kind, segment, within, n): the transitions returning in ``ranges`` (b's
    creation, its UTC hour), within ``hours``; ``segment`` the customer's."""
    params["gap_limit"] = hours * 3600
    params["gap_hours"] = hours
    # The window by the same gap the bands use: SQLite compares its stored text, where "+N hours" drops the
    # fraction of a second and a gap of exactly N hours would fall out of the window but not out of its band.
    until = (
        f"{_gap(dialect)} <= :gap_limit"
        if dialect == "sqlite"
        else "b.created_at <= a.created_at + make_interval(hours => :gap_hours)"
    )
    inner = f"""
        SELECT {hourly._hour(dialect, "b.created_at")} AS hour, a.channel_id, cb.kind AS target_kind,
               {rollup.SEGMENT} AS segment, {_within(dialect)} AS within
        FROM conversations b
        JOIN channels cb ON cb.id = b.channel_id
        LEFT JOIN customers cu ON cu.id = b.customer_id
        JOIN conversations a ON a.customer_id = b.customer_id AND a.id <> b.id
             AND a.created_at < b.created_at AND {until}
        JOIN channels ca ON ca.id = a.channel_id
        WHERE {rollup._ranges("b.created_at", ranges, params)} AND ca.kind <> cb.kind{_where_source(params, f)}"""
    return (
        f"SELECT i.hour, i.channel_id, i.target_kind, i.segment, i.within, count(*) AS n FROM ({inner}) i"
        " GROUP BY i.hour, i.channel_id, i.target_kind, i.segment, i.within"
    )


COLUMNS = "hour, channel_id, target_kind, segment, within, n"


async def _insert(session: AsyncSession, ranges) -> None:
    dialect = session.bind.dialect.name
    params: dict[str, Any] = {}
    sql = f"INSERT INTO analytics_transitions ({COLUMNS}) " + pairs(dialect, ranges, params)
    await session.execute(text(sql), rollup._bind(dialect, params))


async def recompute_days(session: AsyncSession, days) -> None:
    """Replace the hours of ``days`` (UTC dates) by a recomputation from the raw facts (the caller's transaction)."""
    await hourly.recompute_hours(session, "analytics_transitions", days, _insert)


async def rebuild(session: AsyncSession) -> None:
    """Recompute the whole roll-up from the raw facts (the caller's transaction)."""
    await session.execute(text("DELETE FROM analytics_transitions"))
    await _insert(session, None)


def usable(f, hours: int) -> bool:
    """Whether the roll-up answers: ``hours`` one of its bands, no filter on the source's queue or operator."""
    return hours in WITHIN_HOURS and f.queue_id is None and f.operator_id is None


async def _cells(session: AsyncSession, source: str, params: dict[str, Any], where: str = "") -> list[dict]:
    dialect = session.bind.dialect.name
    sql = (
        f"SELECT ca.kind AS source, u.target_kind AS target, sum(u.n) AS n FROM ({source}) u"
        f" JOIN channels ca ON ca.id = u.channel_id{where}"
        " GROUP BY ca.kind, u.target_kind ORDER BY ca.kind, u.target_kind"
    )
    return [
        {"source": r["source"], "target": r["target"], "n": int(r["n"])}
        for r in (await session.execute(text(sql), rollup._bind(dialect, params))).mappings()
    ]


async def matrix(session: AsyncSession, f, hours: int) -> list[dict[str, Any]]:
    """The (source kind, target kind, n) cells of the period ``f`` (omnidesk.server.analytics.service.Filters)."""
    if not usable(f, hours):
        return await from_facts(session, f, hours)
    dialect = session.bind.dialect.name
    dirty = await rollup.dirty_days(session, f)
    first, last, ranges = hourly.plan(f.start, f.end, dirty)
    params: dict[str, Any] = {"hours": hours, "hfirst": first, "hlast": last}
    skip = hourly.skip_dirty(params, dirty)
    channel = ""
    if f.channel_id is not None:
        params["channel_id"] = f.channel_id
        channel = " AND r.channel_id = :channel_id"
    if f.segment is not None:
        params["segment"] = f.segment
        channel += " AND coalesce(r.segment, '') = :segment"
    rolled = (
        "SELECT r.hour, r.channel_id, r.target_kind, r.segment, r.within, r.n FROM analytics_transitions r"
        f" WHERE r.hour >= :hfirst AND r.hour < :hlast{skip}{channel}"
    )
    # hours is one of the bands: a pair's band is within hours exactly when its gap is
    source = f"{rolled} UNION ALL SELECT * FROM ({pairs(dialect, ranges, params, f, hours)}) x"
    return await _cells(session, source, params, " WHERE u.within <= :hours")


async def from_facts(session: AsyncSession, f, hours: int) -> list[dict[str, Any]]:
    """The same cells from the raw facts alone (any ``hours``, any filter; the roll-up's baseline and reference)."""
    params: dict[str, Any] = {}
    return await _cells(session, pairs(session.bind.dialect.name, [(f.start, f.end)], params, f, hours), params)
