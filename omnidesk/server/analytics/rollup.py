"""The daily roll-ups (omnidesk.server.analytics.models): kept, refreshed, rebuilt and read.

* Kept: triggers append the days a change touches to ``analytics_dirty`` in the writer's transaction.
* Refreshed: ``refresh`` takes the dirty days (``DELETE ... RETURNING``: exactly the marks committed so far, so a
  mark committed meanwhile stays for the next time) and recomputes them from the raw facts in the same transaction;
  on PostgreSQL under a transaction advisory lock, so two instances never recompute one day at once. A failed
  refresh rolls back with its marks. The SLA worker (one instance across the cluster) calls it every few seconds.
* Rebuilt: ``rebuild_all`` recomputes every day (``omnidesk analytics rebuild``).
* Both also recompute the time series' hourly roll-up of those days (omnidesk.server.analytics.hourly), in the
  same transaction, by the same SQL builders with an hour ``Grain``.
* Read: ``summary`` sums the roll-up for the whole UTC days of the period that are not dirty and the raw facts for
  the rest (the partial days at its edges, days not yet refreshed), in one statement.

The raw side is one SQL text for both uses (the recompute of a day and a report's edges), so a day reads the same
from the roll-up as from its facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.metrics import BANDS, percentile_from_bands
from omnidesk.protocol.customers import SURVEY_ANSWER_KINDS
from omnidesk.server.analytics.models import COLUMNS, FRT_BANDS, NRT_BANDS, RES_BANDS, ROLLUP_FCR_DAYS
from omnidesk.server.db import Database

LOCK_KEY = 0x0D5C_51A7_0000_0013  # the transaction advisory lock "analytics roll-up refresh"
EXACT_LIMIT = 20_000  # up to this many conversations a report reads the raw facts: exact percentiles, cheap
KEYS = "channel_id, queue_id, operator_id"
SURVEY_KINDS = ", ".join(f"'{k}'" for k in SURVEY_ANSWER_KINDS)  # survey answers: not customer messages


def _day(dialect: str, column: str) -> str:
    return f"date({column})" if dialect == "sqlite" else f"({column} AT TIME ZONE 'UTC')::date"


@dataclass(frozen=True, slots=True)
class Grain:
    """What the builders below count by: the time bucket of a timestamp column (its SQL, output as ``day``), the key
    columns and the counters. The daily roll-up's is ``DAILY``; omnidesk.server.analytics.hourly has its own."""

    bucket: Callable[[str, str], str]
    keys: tuple[str, ...]
    columns: tuple[str, ...]


DAILY = Grain(_day, ("channel_id", "queue_id", "operator_id"), COLUMNS)


def duration(dialect: str, later: str, earlier: str) -> str:
    """Seconds from ``earlier`` to ``later``; on SQLite rounded to the millisecond, as julianday's floating point
    puts 300 s at 299.99999 (in the band below 300)."""
    if dialect == "sqlite":
        return f"round((julianday({later}) - julianday({earlier})) * 86400.0, 3)"
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


def _band(column: str) -> str:
    steps = " ".join(f"WHEN {column} < {BANDS[i + 1]} THEN {i}" for i in range(len(BANDS) - 1))
    return f"CASE WHEN {column} IS NULL THEN NULL {steps} ELSE {len(BANDS) - 1} END"


def _ranges(column: str, ranges: list[tuple[dt.datetime, dt.datetime]] | None, params: dict[str, Any]) -> str:
    """``column`` inside one of ``ranges`` (None: any non-null value); binds the bounds into ``params``."""
    if ranges is None:
        return f"{column} IS NOT NULL"
    if not ranges:
        return "1 = 0"
    parts = []
    for i, (low, high) in enumerate(ranges):
        params[f"lo{i}"], params[f"hi{i}"] = low, high
        parts.append(f"({column} >= :lo{i} AND {column} < :hi{i})")
    return "(" + " OR ".join(parts) + ")"


def _filters(params: dict[str, Any], alias: str, operator: str, f) -> str:
    parts = []
    if f is not None:
        for name, column, value in (
            ("channel_id", "channel_id", f.channel_id),
            ("queue_id", "queue_id", f.queue_id),
            ("operator_id", operator, f.operator_id),
        ):
            if value is not None:
                params[name] = value
                parts.append(f"{alias}.{column} = :{name}")
    return "".join(f" AND {p}" for p in parts)


def conversation_counters(dialect: str, ranges, params: dict[str, Any], f=None, grain: Grain = DAILY) -> str:
    """Counters per day x channel x queue x operator of the conversations started in ``ranges``."""
    params["fcr_days"] = ROLLUP_FCR_DAYS
    fcr_until = (
        "datetime(s.resolved_at, '+' || :fcr_days || ' days')"
        if dialect == "sqlite"
        else "s.resolved_at + make_interval(days => :fcr_days)"
    )
    frt = duration(dialect, "s.first_response_at", "s.started_at")
    res = duration(dialect, "s.resolved_at", "s.started_at")
    inner = f"""
        SELECT {grain.bucket(dialect, "s.started_at")} AS day, c.channel_id, c.queue_id, c.assignee_id AS operator_id,
               s.policy_id, s.breached, s.first_response_due, s.first_response_at, s.resolution_due, s.resolved_at,
               {frt} AS frt, {res} AS res,
               CASE WHEN s.resolved_at IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM conversations c2
                   WHERE c2.customer_id = c.customer_id AND c2.id <> c.id
                     AND c2.created_at > s.resolved_at AND c2.created_at <= {fcr_until}
               ) THEN 1 ELSE 0 END AS fcr
        FROM conversation_sla s JOIN conversations c ON c.id = s.conversation_id
        WHERE {_ranges("s.started_at", ranges, params)}{_filters(params, "c", "assignee_id", f)}"""
    # The fence (OFFSET 0) keeps each row's durations, FCR probe and bands computed once: flattened, the planner
    # evaluated them again inside each of the hundred band sums (40 times slower).
    fence = " LIMIT -1 OFFSET 0" if dialect == "sqlite" else " OFFSET 0"
    banded = f"SELECT i.*, {_band('i.frt')} AS fb, {_band('i.res')} AS rb FROM ({inner}{fence}) i{fence}"
    values = {
        "conversations": "count(*)",
        "resolved": "count(resolved_at)",
        "frt_n": "count(frt)",
        "frt_sum": "coalesce(sum(frt), 0)",
        "res_n": "count(res)",
        "res_sum": "coalesce(sum(res), 0)",
        "sla_breaches": "sum(CASE WHEN policy_id IS NOT NULL AND breached <> 0 THEN 1 ELSE 0 END)",
        "sla_decided": "sum(CASE WHEN policy_id IS NOT NULL AND (breached <> 0 OR ("
        "(first_response_due IS NULL OR first_response_at IS NOT NULL)"
        " AND (resolution_due IS NULL OR resolved_at IS NOT NULL))) THEN 1 ELSE 0 END)",
        "abandoned": "sum(CASE WHEN resolved_at IS NOT NULL AND first_response_at IS NULL THEN 1 ELSE 0 END)",
        "fcr_count": "sum(fcr)",
        **{name: f"sum(CASE WHEN fb = {i} THEN 1 ELSE 0 END)" for i, name in enumerate(FRT_BANDS)},
        **{name: f"sum(CASE WHEN rb = {i} THEN 1 ELSE 0 END)" for i, name in enumerate(RES_BANDS)},
    }
    columns = ", ".join(f"{values.get(c, '0')} AS {c}" for c in grain.columns)
    keys = ", ".join(grain.keys)
    return f"SELECT day, {keys}, {columns} FROM ({banded}) b GROUP BY day, {keys}"


def nrt_waits(dialect: str, conversations: str) -> str:
    """One row per answered next-response wait (``conversation_id``, ``nrt`` seconds) of the conversations whose ids
    the SELECT ``conversations`` gives (omnidesk.domain.metrics' ``nrt_*``).

    The messages that count are the customer's (less their survey ratings, as for the SLA clock) and the operators'
    text replies (the survey question and other author-less messages are not replies). A wait starts at a customer
    message whose previous counted message is an operator reply and ends at the next operator reply; messages at one
    instant order customer first, as the SLA replay does."""
    wait = duration(dialect, "q.answered_at", "q.asked_at")
    return f"""
        SELECT q.conversation_id, {wait} AS nrt FROM (
            SELECT m.conversation_id, m.created_at AS asked_at, m.is_out, LAG(m.is_out) OVER w AS prev_out,
                   MIN(CASE WHEN m.is_out = 1 THEN m.created_at END)
                       OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS answered_at
            FROM (
                SELECT x.id, x.conversation_id, x.created_at, CASE WHEN x.direction = 'out' THEN 1 ELSE 0 END AS is_out
                FROM messages x
                WHERE x.conversation_id IN ({conversations}) AND x.kind = 'text'
                  AND (x.direction = 'in' OR x.author_id IS NOT NULL)
                  AND NOT EXISTS (SELECT 1 FROM timeline_items t WHERE t.conversation_id = x.conversation_id
                                  AND t.message_id = x.id AND t.kind IN ({SURVEY_KINDS}))
            ) m
            WINDOW w AS (PARTITION BY m.conversation_id ORDER BY m.created_at, m.is_out, m.id)
        ) q
        WHERE q.is_out = 0 AND q.prev_out = 1 AND q.answered_at IS NOT NULL"""


def nrt_counters(dialect: str, ranges, params: dict[str, Any], f=None, grain: Grain = DAILY) -> str:
    """Counters per day x channel x queue x operator of the next-response waits of the conversations started in
    ``ranges`` (each wait counts on its conversation's start day, like the conversation's other figures)."""
    started = (
        "SELECT s.conversation_id FROM conversation_sla s JOIN conversations c ON c.id = s.conversation_id"
        f" WHERE {_ranges('s.started_at', ranges, params)}{_filters(params, 'c', 'assignee_id', f)}"
    )
    inner = f"""
        SELECT {grain.bucket(dialect, "s.started_at")} AS day, c.channel_id, c.queue_id, c.assignee_id AS operator_id,
               n.nrt
        FROM ({nrt_waits(dialect, started)}) n
        JOIN conversation_sla s ON s.conversation_id = n.conversation_id
        JOIN conversations c ON c.id = s.conversation_id"""
    fence = " LIMIT -1 OFFSET 0" if dialect == "sqlite" else " OFFSET 0"
    banded = f"SELECT i.*, {_band('i.nrt')} AS nb FROM ({inner}{fence}) i{fence}"
    values = {
        "nrt_n": "count(nrt)",
        "nrt_sum": "coalesce(sum(nrt), 0)",
        **{name: f"sum(CASE WHEN nb = {i} THEN 1 ELSE 0 END)" for i, name in enumerate(NRT_BANDS)},
    }
    columns = ", ".join(f"{values.get(c, '0')} AS {c}" for c in grain.columns)
    keys = ", ".join(grain.keys)
    return f"SELECT day, {keys}, {columns} FROM ({banded}) b GROUP BY day, {keys}"


def survey_counters(dialect: str, ranges, params: dict[str, Any], f=None, grain: Grain = DAILY) -> str:
    """Counters per day x channel x queue x operator of the surveys answered in ``ranges``."""
    values = {
        "csat_n": "count(v.score)",
        "csat_sum": "coalesce(sum(v.score), 0)",
        "csat_satisfied": "sum(CASE WHEN v.score >= 4 THEN 1 ELSE 0 END)",
        "nps_n": "count(v.nps)",
        "nps_promoters": "sum(CASE WHEN v.nps >= 9 THEN 1 ELSE 0 END)",
        "nps_detractors": "sum(CASE WHEN v.nps <= 6 THEN 1 ELSE 0 END)",
    }
    columns = ", ".join(f"{values.get(c, '0')} AS {c}" for c in grain.columns)
    day = grain.bucket(dialect, "v.answered_at")
    keys = ", ".join(f"v.{k}" for k in grain.keys)
    return (
        f"SELECT {day} AS day, {keys}, {columns} FROM csat_surveys v"
        f" WHERE {_ranges('v.answered_at', ranges, params)} AND (v.score IS NOT NULL OR v.nps IS NOT NULL)"
        f"{_filters(params, 'v', 'operator_id', f)} GROUP BY {day}, {keys}"
    )


BUILDERS = (conversation_counters, survey_counters, nrt_counters)


def _bind(dialect: str, params: dict[str, Any]) -> dict[str, Any]:
    if dialect != "sqlite":
        return params
    return {  # SQLite stores naive UTC text and dates as ISO text
        k: (
            v.astimezone(dt.UTC).replace(tzinfo=None)
            if isinstance(v, dt.datetime)
            else v.isoformat()
            if isinstance(v, dt.date)
            else v
        )
        for k, v in params.items()
    }


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


async def _insert(session: AsyncSession, ranges) -> None:
    dialect = session.bind.dialect.name
    target = f"INSERT INTO analytics_daily (day, {KEYS}, {', '.join(COLUMNS)}) "
    for build in BUILDERS:
        params: dict[str, Any] = {}
        sql = build(dialect, ranges, params)
        await session.execute(text(target + sql), _bind(dialect, params))


async def _lock(session: AsyncSession) -> None:
    if session.bind.dialect.name != "sqlite":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        await session.execute(text("SET LOCAL jit = off"))
        await session.execute(text("SET LOCAL work_mem = '64MB'"))


async def recompute_days(session: AsyncSession, days: set[dt.date]) -> None:
    """Replace the roll-up of ``days`` by a recomputation from the raw facts (the caller commits)."""
    ordered = sorted(days)
    for start in range(0, len(ordered), 31):
        chunk = ordered[start : start + 31]
        params = {f"d{i}": d for i, d in enumerate(chunk)}
        marks = ", ".join(f":d{i}" for i in range(len(chunk)))
        await session.execute(
            text(f"DELETE FROM analytics_daily WHERE day IN ({marks})"), _bind(session.bind.dialect.name, params)
        )
        await _insert(session, [(_midnight(d), _midnight(d + dt.timedelta(days=1))) for d in chunk])
    from omnidesk.server.analytics import hourly  # imports this module

    await hourly.recompute_days(session, ordered)


async def refresh(db: Database) -> int:
    """Recompute the days marked dirty so far, exactly once; the number of days recomputed."""
    async with db.session() as session:
        await _lock(session)
        marked = (await session.execute(text("DELETE FROM analytics_dirty RETURNING day"))).scalars().all()
        days = {_as_date(d) for d in marked}
        if days:
            await recompute_days(session, days)
        await session.commit()
    return len(days)


async def rebuild_all(db: Database) -> int:
    """Recompute the whole roll-up from the raw facts; the number of roll-up rows."""
    async with db.session() as session:
        await _lock(session)
        await session.execute(text("DELETE FROM analytics_dirty"))
        await session.execute(text("DELETE FROM analytics_daily"))
        await _insert(session, None)
        from omnidesk.server.analytics import hourly  # imports this module

        await hourly.rebuild(session)
        await session.commit()
        return int(await session.scalar(text("SELECT count(*) FROM analytics_daily")) or 0)


def _plan(start: dt.datetime, end: dt.datetime, dirty: set[dt.date]):
    """(first whole day, end day, raw ranges): the roll-up covers [first, last) minus ``dirty``."""
    first = start.astimezone(dt.UTC).date()
    if _midnight(first) < start:
        first += dt.timedelta(days=1)
    last = end.astimezone(dt.UTC).date()
    if last <= first:
        return first, first, [(start, end)]
    ranges = []
    if start < _midnight(first):
        ranges.append((start, _midnight(first)))
    ranges += [(_midnight(d), _midnight(d + dt.timedelta(days=1))) for d in sorted(dirty) if first <= d < last]
    if _midnight(last) < end:
        ranges.append((_midnight(last), end))
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for low, high in ranges:
        if merged and merged[-1][1] == low:
            merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return first, last, merged


async def counters(session: AsyncSession, f) -> list[dict[str, Any]]:
    """The period's counters per channel kind x queue x operator: roll-up rows plus raw facts, one statement."""
    dialect = session.bind.dialect.name
    probe = {"first": f.start.astimezone(dt.UTC).date(), "last": f.end.astimezone(dt.UTC).date()}
    dirty = {
        _as_date(d)
        for d in (
            await session.scalars(
                text("SELECT DISTINCT day FROM analytics_dirty WHERE day >= :first AND day <= :last"),
                _bind(dialect, probe),
            )
        ).all()
    }
    first, last, ranges = _plan(f.start, f.end, dirty)
    params: dict[str, Any] = {"first": first, "last": last}
    skip = ""
    for i, day in enumerate(sorted(dirty)):
        params[f"x{i}"] = day
        skip += f" AND day <> :x{i}"
    cols = ", ".join(COLUMNS)
    rolled = f"SELECT {KEYS}, {cols} FROM analytics_daily r WHERE day >= :first AND day < :last{skip}" + _filters(
        params, "r", "operator_id", f
    )
    raw = [build(dialect, ranges, params, f) for build in BUILDERS]
    union = " UNION ALL ".join([rolled, *(f"SELECT {KEYS}, {cols} FROM ({q}) x{i}" for i, q in enumerate(raw))])
    sums = ", ".join(f"sum(u.{c}) AS {c}" for c in COLUMNS)
    source = f"FROM ({union}) u JOIN channels ch ON ch.id = u.channel_id"
    if dialect == "sqlite":  # no grouping sets: per combination, added up below (a small office's few rows)
        sql = f"SELECT 0 AS level, ch.kind AS kind, u.queue_id, u.operator_id, {sums} {source}"
        sql += " GROUP BY ch.kind, u.queue_id, u.operator_id"
    else:  # the four groupings in one pass; GROUPING bits: kind 4, queue 2, operator 1
        sql = "SELECT GROUPING(ch.kind, u.queue_id, u.operator_id) AS level, ch.kind AS kind, u.queue_id,"
        sql += f" u.operator_id, {sums} {source}"
        sql += " GROUP BY GROUPING SETS ((), (ch.kind), (u.queue_id), (u.operator_id))"
    return [dict(r) for r in (await session.execute(text(sql), _bind(dialect, params))).mappings()]


LEVELS = {7: None, 3: "channel", 5: "queue", 6: "operator"}


def marginals(rows: list[dict[str, Any]]) -> dict[str | None, dict[Any, dict[str, float]]]:
    """Totals (None, key ""), and sums by channel kind, queue and operator, from ``counters``' rows."""
    out: dict[str | None, dict[Any, dict[str, float]]] = {None: {}, "channel": {}, "queue": {}, "operator": {}}
    for row in rows:
        keys = {None: "", "channel": row["kind"], "queue": row["queue_id"], "operator": row["operator_id"]}
        for by in (LEVELS[row["level"]],) if row["level"] else (None, "channel", "queue", "operator"):
            into = out[by].setdefault(keys[by], dict.fromkeys(COLUMNS, 0.0))
            for c in COLUMNS:
                into[c] += float(row[c] or 0)
    return out


def finish_values(v: dict[str, float]) -> dict[str, Any]:
    """The reported figures' inputs of one group (the shape omnidesk.server.analytics.service._finish reads)."""
    frt = [int(v[c]) for c in FRT_BANDS]
    res = [int(v[c]) for c in RES_BANDS]
    nrt = [int(v[c]) for c in NRT_BANDS]
    return {
        "conversations": v["conversations"],
        "resolved": v["resolved"],
        "frt_mean": v["frt_sum"] / v["frt_n"] if v["frt_n"] else None,
        "frt_median": percentile_from_bands(frt, 0.5),
        "frt_p90": percentile_from_bands(frt, 0.9),
        "nrt_mean": v["nrt_sum"] / v["nrt_n"] if v["nrt_n"] else None,
        "nrt_median": percentile_from_bands(nrt, 0.5),
        "nrt_p90": percentile_from_bands(nrt, 0.9),
        "nrt_responses": v["nrt_n"],
        "resolution_mean": v["res_sum"] / v["res_n"] if v["res_n"] else None,
        "resolution_median": percentile_from_bands(res, 0.5),
        "resolution_p90": percentile_from_bands(res, 0.9),
        "sla_breaches": v["sla_breaches"],
        "sla_decided": v["sla_decided"],
        "abandoned": v["abandoned"],
        "fcr_count": v["fcr_count"],
        "csat": v["csat_sum"] / v["csat_n"] if v["csat_n"] else None,
        "csat_responses": v["csat_n"],
        "satisfied": v["csat_satisfied"],
        "nps_responses": v["nps_n"],
        "nps_promoters": v["nps_promoters"],
        "nps_detractors": v["nps_detractors"],
    }
