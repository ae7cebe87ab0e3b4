"""The time series' hourly roll-up (omnidesk.server.analytics.models ``analytics_hourly``): kept, rebuilt and read.

``analytics_hourly`` holds, per UTC hour x channel x queue (no operator or segment: about 24 x days x channels x
queues rows),
the additive counters the time series' metrics (omnidesk.domain.metrics.TIMESERIES) read: conversations, resolved,
the SLA's decided and breached, the duration-band counts of first response, resolution and next response (the
percentiles' estimate, as in the daily roll-up), and the surveys' CSAT count and sum (and NPS count: a bucket with
only NPS answers is still a point of the CSAT series, as on the raw path). They are counted by the daily roll-up's
own SQL (omnidesk.server.analytics.rollup's builders, with an hour bucket and no operator key: ``grain``), so an
hour reads the same as its day.

* Kept with the daily roll-up: the same dirty days (``analytics_dirty``); ``rollup.recompute_days`` recomputes a dirty
  day's 24 hours here in the same transaction as its daily rows, ``rollup.rebuild_all`` rebuilds the whole table.
* Read (``usable``, ``buckets``, called by omnidesk.server.analytics.service.series): without an operator filter, in a
  time zone a whole number of hours off UTC throughout the period (on SQLite: at its start, the one offset the
  backend applies), the whole UTC hours not dirty come from the roll-up and the partial hours at the period's edges
  and the dirty days from the raw facts, in one statement, summed per bucket of the viewer's zone.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.metrics import percentile_from_bands
from omnidesk.server.analytics import rollup
from omnidesk.server.analytics.models import FRT_BANDS, HOURLY_COLUMNS, NRT_BANDS, RES_BANDS

HOUR = dt.timedelta(hours=1)
KEYS = ("channel_id", "queue_id")
# Each hourly roll-up and its keys: the series' (analytics_hourly) and, for a segment filter, by segment alone
# (analytics_hourly_segment, migration 0027: a segment key in the first would multiply every series' rows).
TABLES = {"analytics_hourly": KEYS, "analytics_hourly_segment": ("segment",)}


def _hour(dialect: str, column: str) -> str:
    """The UTC hour of a timestamp: text ``YYYY-MM-DD HH:00:00`` on SQLite (as its naive UTC datetimes are stored and
    bound), a ``timestamptz`` on PostgreSQL."""
    if dialect == "sqlite":
        return f"strftime('%Y-%m-%d %H:00:00', {column})"
    return f"(date_trunc('hour', {column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')"


def grain(columns: tuple[str, ...] = HOURLY_COLUMNS, keys: tuple[str, ...] = KEYS) -> rollup.Grain:
    """The builders' grain here: the UTC hour and ``keys`` (channel and queue), ``columns`` counted."""
    return rollup.Grain(_hour, keys, columns)


BUILDERS = {  # which counters each of rollup's builders gives
    rollup.conversation_counters: frozenset(
        ("conversations", "resolved", "sla_decided", "sla_breaches", *FRT_BANDS, *RES_BANDS)
    ),
    rollup.survey_counters: frozenset(("csat_n", "csat_sum", "nps_n")),
    rollup.nrt_counters: frozenset(NRT_BANDS),
}


def _counted(
    dialect: str, ranges, params: dict[str, Any], columns: tuple[str, ...], f=None, by: tuple[str, ...] = KEYS
) -> str:
    """Per UTC hour x ``by`` (channel x queue; columns hour, the keys, ``columns``) of the facts in ``ranges``: the
    builders that give one of ``columns``, their rows added up."""
    keys = ", ".join(by)
    parts = [
        build(dialect, ranges, params, f, grain(columns, by))
        for build, gives in BUILDERS.items()
        if gives & set(columns)
    ]
    union = " UNION ALL ".join(f"SELECT * FROM ({q}) p{i}" for i, q in enumerate(parts))
    # As integers, the roll-up's own type: the read's final sums then add integers, not numerics (slower).
    sums = ", ".join(f"CAST(sum({c}) AS INTEGER) AS {c}" for c in columns)
    return f"SELECT day AS hour, {keys}, {sums} FROM ({union}) h GROUP BY day, {keys}"


async def _insert(session: AsyncSession, ranges, table: str = "analytics_hourly") -> None:
    dialect = session.bind.dialect.name
    params: dict[str, Any] = {}
    by = TABLES[table]
    sql = _counted(dialect, ranges, params, HOURLY_COLUMNS, by=by)
    target = f"INSERT INTO {table} (hour, {', '.join(by)}, {', '.join(HOURLY_COLUMNS)}) "
    await session.execute(text(target + sql), rollup._bind(dialect, params))


async def recompute_days(session: AsyncSession, days) -> None:
    """Replace the hours of ``days`` (UTC dates) by a recomputation from the raw facts (the caller's transaction)."""
    for table in TABLES:
        await recompute_hours(session, table, days, partial(_insert, table=table))


async def recompute_hours(session: AsyncSession, table: str, days, insert) -> None:
    """Delete the rows of an hour-keyed roll-up ``table`` in ``days`` and ``insert(session, ranges)`` them afresh
    (this table's and the channel transitions')."""
    dialect = session.bind.dialect.name
    ordered = sorted(days)
    for start in range(0, len(ordered), 31):
        ranges = [(_midnight(d), _midnight(d + dt.timedelta(days=1))) for d in ordered[start : start + 31]]
        params: dict[str, Any] = {}
        where = rollup._ranges("hour", ranges, params)
        await session.execute(text(f"DELETE FROM {table} WHERE {where}"), rollup._bind(dialect, params))
        await insert(session, ranges)


def skip_dirty(params: dict[str, Any], dirty: set[dt.date]) -> str:
    """SQL leaving out the roll-up rows (``r.hour``) of the ``dirty`` days; binds their bounds into ``params``."""
    skip = ""
    for i, day in enumerate(sorted(dirty)):
        params[f"xlo{i}"], params[f"xhi{i}"] = _midnight(day), _midnight(day + dt.timedelta(days=1))
        skip += f" AND NOT (r.hour >= :xlo{i} AND r.hour < :xhi{i})"
    return skip


async def rebuild(session: AsyncSession) -> None:
    """Recompute the whole hourly roll-ups from the raw facts (the caller's transaction)."""
    for table in TABLES:
        await session.execute(text(f"DELETE FROM {table}"))
        await _insert(session, None, table)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _floor(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def _whole(offset: dt.timedelta | None) -> bool:
    return (offset or dt.timedelta(0)) % HOUR == dt.timedelta(0)


def usable(dialect: str, f) -> bool:
    """Whether the roll-ups can answer a series of ``f`` (omnidesk.server.analytics.service.Filters): no operator
    filter (they have no operator), a segment filter only without a channel or queue filter (analytics_hourly_segment
    has neither), and every UTC hour of the period inside one bucket of the viewer's zone: its
    offset a whole number of hours at every hour of the period (DST changes are fine, +05:30 is not). SQLite shifts
    the whole period by the offset at its start (omnidesk.server.analytics.service._group), so only that one counts.
    """
    if f.operator_id is not None:
        return False
    if getattr(f, "segment", None) is not None and (f.channel_id is not None or f.queue_id is not None):
        return False
    zone = ZoneInfo(f.timezone)
    if dialect == "sqlite":
        return _whole(f.start.astimezone(zone).utcoffset())
    day = _midnight(f.start.astimezone(dt.UTC).date())
    before = day.astimezone(zone).utcoffset()
    if not _whole(before):
        return False
    while day < f.end:  # a day at a time; hour by hour (both ends of each) only where the offset changes
        after = (day + dt.timedelta(days=1)).astimezone(zone).utcoffset()
        if after != before:
            for h in range(24):
                at = day + h * HOUR
                first, last = (
                    at.astimezone(zone).utcoffset(),
                    (at + HOUR - dt.timedelta(microseconds=1)).astimezone(zone).utcoffset(),
                )
                if first != last or not _whole(first):
                    return False
        day, before = day + dt.timedelta(days=1), after
    return True


def plan(start: dt.datetime, end: dt.datetime, dirty: set[dt.date]):
    """(first whole hour, end hour, raw ranges): the roll-up covers [first, last) minus the ``dirty`` days, the raw
    facts the rest of [start, end)."""
    first = _floor(start)
    if first < start:
        first += HOUR
    last = _floor(end)
    if last <= first:
        return first, first, [(start, end)]
    ranges = [(start, first)] if start < first else []
    for day in sorted(dirty):
        low, high = max(_midnight(day), first), min(_midnight(day + dt.timedelta(days=1)), last)
        if low < high:
            ranges.append((low, high))
    if last < end:
        ranges.append((last, end))
    return first, last, ranges


async def buckets(
    session: AsyncSession, f, bucket: str, columns: tuple[str, ...], having: str
) -> dict[Any, dict[str, float]]:
    """``columns`` summed per ``bucket`` (SQL of the UTC hour ``u.hour``, e.g. a day of the viewer's zone; it may bind
    ``:tz``) over the period of ``f``, groups kept where ``having`` (SQL over the sums) holds: the roll-up's whole
    hours not dirty plus the raw facts of the rest, one statement."""
    dialect = session.bind.dialect.name
    dirty = await rollup.dirty_days(session, f)
    first, last, ranges = plan(f.start, f.end, dirty)
    params: dict[str, Any] = {"hfirst": first, "hlast": last, "tz": f.timezone}
    skip = skip_dirty(params, dirty)
    cols = ", ".join(columns)
    table = "analytics_hourly" if getattr(f, "segment", None) is None else "analytics_hourly_segment"
    rolled = f"SELECT hour, {cols} FROM {table} r WHERE r.hour >= :hfirst AND r.hour < :hlast{skip}"
    rolled += rollup._filters(params, "r", "operator_id", f, "r.segment")
    raw = _counted(dialect, ranges, params, columns, f, TABLES[table])
    sums = ", ".join(f"sum(u.{c}) AS {c}" for c in columns)
    sql = (
        f"SELECT {bucket} AS g, {sums} FROM ({rolled} UNION ALL SELECT hour, {cols} FROM ({raw}) x) u"
        f" GROUP BY 1 HAVING {having}"
    )
    rows = (await session.execute(text(sql), rollup._bind(dialect, params))).mappings()
    return {r["g"]: {c: float(r[c] or 0) for c in columns} for r in rows}


def columns_of(metric: str) -> tuple[tuple[str, ...], str]:
    """The roll-up's columns a series of ``metric`` reads, and the condition a bucket has a point (the raw path's:
    a conversation started in it; for CSAT a survey answered)."""
    if metric == "csat":
        return ("csat_n", "csat_sum", "nps_n"), "sum(u.csat_n) + sum(u.nps_n) > 0"
    more = {
        "conversations": (),
        "resolved": ("resolved",),
        "frt_median": FRT_BANDS,
        "frt_p90": FRT_BANDS,
        "resolution_median": RES_BANDS,
        "nrt_median": NRT_BANDS,
        "sla_compliance": ("sla_decided", "sla_breaches"),
    }[metric]
    return ("conversations", *more), "sum(u.conversations) > 0"


def finish_values(v: dict[str, float]) -> dict[str, Any]:
    """The figures' inputs a bucket's sums give (the shape omnidesk.server.analytics.service._finish reads); the
    percentiles estimated from the bands, as rollup.finish_values does; what was not read left out (empty)."""

    def bands(names: tuple[str, ...], q: float) -> float | None:
        return percentile_from_bands([int(v[c]) for c in names], q) if names[0] in v else None

    n = v.get("csat_n", 0)
    return {
        "conversations": v.get("conversations", 0),
        "resolved": v.get("resolved", 0),
        "frt_median": bands(FRT_BANDS, 0.5),
        "frt_p90": bands(FRT_BANDS, 0.9),
        "resolution_median": bands(RES_BANDS, 0.5),
        "nrt_median": bands(NRT_BANDS, 0.5),
        "sla_decided": v.get("sla_decided", 0),
        "sla_breaches": v.get("sla_breaches", 0),
        "csat": v["csat_sum"] / n if n else None,
        "csat_responses": n,
        "nps_responses": v.get("nps_n", 0),
    }
