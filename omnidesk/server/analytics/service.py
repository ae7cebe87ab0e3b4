"""The reports' figures, aggregated in SQL from the per-conversation roll-up (``conversation_sla``), the
conversations and the answered surveys: the database returns one row per group, never the conversations themselves.

The definitions are omnidesk.domain.metrics'. Backend differences (durations, percentiles, time buckets) are the
small fragments below; percentiles are nearest-rank on both (``percentile_disc`` on PostgreSQL, ranks by window
functions on SQLite), so both databases give the same figures.

Business hours (``business=True``): first response and resolution are the stored ``conversation_sla.frt_business``
/ ``res_business`` (the working seconds of each conversation's queue calendar, written with the clock) in place of
the wall-clock durations, on the raw path and, through ``analytics_daily_business``, on the roll-up path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domain.metrics import METRICS, nps, ratio
from omnidesk.server.analytics import hourly, rollup
from omnidesk.server.analytics.models import ROLLUP_FCR_DAYS


@dataclass(frozen=True, slots=True)
class Filters:
    start: dt.datetime
    end: dt.datetime
    channel_id: int | None = None
    queue_id: int | None = None
    operator_id: int | None = None
    fcr_days: int = 3
    timezone: str = "UTC"
    segment: str | None = None  # the customer's segment; "": the customers without one


def _group(dialect: str, by: str | None, f: Filters, column: str = "s.started_at") -> str:
    if by is None:
        return "''"
    if by == "channel":
        return "ch.kind"
    if by == "queue":
        return "c.queue_id"
    if by == "operator":
        return "c.assignee_id"
    if by == "segment":
        return rollup.SEGMENT
    if by in ("hour", "day", "week", "month"):
        if dialect != "sqlite":
            return f"to_char(date_trunc('{by}', {column} AT TIME ZONE :tz), 'YYYY-MM-DD\"T\"HH24:MI')"
        # SQLite has no time zones: the zone's offset at the period's start (a DST change inside it shifts the
        # buckets after it by an hour; PostgreSQL has no such limit).
        offset = _offset(f)
        local = f"datetime({column}, '{offset:+d} minutes')"
        if by == "hour":
            return f"strftime('%Y-%m-%dT%H:00', {local})"
        if by == "day":
            return f"strftime('%Y-%m-%dT00:00', {local})"
        if by == "week":  # Monday of the week
            back = f"'-' || ((CAST(strftime('%w', {local}) AS INTEGER) + 6) % 7) || ' days'"
            return f"strftime('%Y-%m-%dT00:00', {local}, {back})"
        return f"strftime('%Y-%m-01T00:00', {local})"
    raise ValueError(by)


def _offset(f: Filters) -> int:
    delta = f.start.astimezone(ZoneInfo(f.timezone)).utcoffset() or dt.timedelta(0)
    return int(delta.total_seconds() // 60)


def _where(f: Filters, alias: str = "c") -> str:
    parts = []
    if f.channel_id is not None:
        parts.append(f"{alias}.channel_id = :channel_id")
    if f.queue_id is not None:
        parts.append(f"{alias}.queue_id = :queue_id")
    if f.operator_id is not None:
        parts.append(f"{alias}.assignee_id = :operator_id")
    if f.segment is not None:  # the query joins the customers as cu (rollup.CUSTOMER)
        parts.append("coalesce(cu.segment, '') = :segment")
    return "".join(f" AND {p}" for p in parts)


def _params(f: Filters) -> dict[str, Any]:
    return {
        "start": f.start,
        "end": f.end,
        "channel_id": f.channel_id,
        "queue_id": f.queue_id,
        "operator_id": f.operator_id,
        "fcr_days": f.fcr_days,
        "tz": f.timezone,
        "segment": f.segment,
    }


def _bind(dialect: str, params: dict[str, Any]) -> dict[str, Any]:
    if dialect == "sqlite":  # stored as naive UTC text
        return {
            k: (v.astimezone(dt.UTC).replace(tzinfo=None) if isinstance(v, dt.datetime) else v)
            for k, v in params.items()
        }
    return params


def _base(dialect: str, by: str | None, f: Filters, *, fcr: bool = True, business: bool = False) -> str:
    """The period's conversations, one row each (group, SLA facts, durations ``frt``/``res``, FCR); with
    ``business`` the durations are in business time (``conversation_sla.frt_business`` / ``res_business``)."""
    fcr_until = (
        "datetime(s.resolved_at, '+' || :fcr_days || ' days')"
        if dialect == "sqlite"
        else "s.resolved_at + make_interval(days => :fcr_days)"
    )
    # FCR looks for the customer's next conversation (a probe per resolved one): left out where no one reads it.
    returns = (
        f"""CASE WHEN s.resolved_at IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM conversations c2
                   WHERE c2.customer_id = c.customer_id AND c2.id <> c.id
                     AND c2.created_at > s.resolved_at AND c2.created_at <= {fcr_until}
               ) THEN 1 ELSE 0 END"""
        if fcr
        else "0"
    )
    if business:
        frt, res = "s.frt_business", "s.res_business"
    else:
        frt = rollup.duration(dialect, "s.first_response_at", "s.started_at")
        res = rollup.duration(dialect, "s.resolved_at", "s.started_at")
    return f"""
    base AS (
        SELECT {_group(dialect, by, f)} AS g, s.policy_id, s.breached, s.first_response_due, s.first_response_at,
               s.resolution_due, s.resolved_at,
               {frt} AS frt, {res} AS res,
               {returns} AS fcr
        FROM conversation_sla s
        JOIN conversations c ON c.id = s.conversation_id
        JOIN channels ch ON ch.id = c.channel_id{rollup.CUSTOMER}
        WHERE s.started_at >= :start AND s.started_at < :end{_where(f)}
    )"""


AGGREGATES = """
SELECT g, count(*) AS conversations, count(resolved_at) AS resolved, avg(frt) AS frt_mean, avg(res) AS resolution_mean,
       sum(CASE WHEN policy_id IS NOT NULL AND breached <> 0 THEN 1 ELSE 0 END) AS sla_breaches,
       sum(CASE WHEN policy_id IS NOT NULL AND (breached <> 0 OR (
               (first_response_due IS NULL OR first_response_at IS NOT NULL)
               AND (resolution_due IS NULL OR resolved_at IS NOT NULL))) THEN 1 ELSE 0 END) AS sla_decided,
       sum(CASE WHEN resolved_at IS NOT NULL AND first_response_at IS NULL THEN 1 ELSE 0 END) AS abandoned,
       sum(fcr) AS fcr_count
FROM base GROUP BY g
"""

PERCENTILES = {
    "frt": ("frt_median", "frt_p90"),
    "res": ("resolution_median", "resolution_p90"),
    "nrt": ("nrt_median", "nrt_p90"),
}
PG_PERCENTILES = """
       percentile_disc(0.5) WITHIN GROUP (ORDER BY frt) AS frt_median,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY frt) AS frt_p90,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY res) AS resolution_median,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY res) AS resolution_p90"""


def _percentile_sql(dialect: str, column: str) -> str:
    median, p90 = PERCENTILES[column]
    if dialect != "sqlite":
        return (
            f"SELECT g, percentile_disc(0.5) WITHIN GROUP (ORDER BY {column}) AS {median},"
            f" percentile_disc(0.9) WITHIN GROUP (ORDER BY {column}) AS {p90}"
            f" FROM base WHERE {column} IS NOT NULL GROUP BY g"
        )

    def rank(q: float) -> str:  # ceil(q * n), at least 1, without SQLite's optional math functions
        return f"max(1, CAST({q} * n AS INTEGER) + ({q} * n > CAST({q} * n AS INTEGER)))"

    return (
        f"SELECT g, max(CASE WHEN rn = {rank(0.5)} THEN x END) AS {median},"
        f" max(CASE WHEN rn = {rank(0.9)} THEN x END) AS {p90}"
        f" FROM (SELECT g, {column} AS x, ROW_NUMBER() OVER (PARTITION BY g ORDER BY {column}) AS rn,"
        f" COUNT(*) OVER (PARTITION BY g) AS n FROM base WHERE {column} IS NOT NULL) AS ranked GROUP BY g"
    )


def _nrt_base(dialect: str, by: str | None, f: Filters) -> str:
    """The next-response waits (omnidesk.server.analytics.rollup.nrt_waits) of the period's conversations, grouped
    like their other figures (``base`` with columns g, nrt)."""
    started = (
        "SELECT s.conversation_id FROM conversation_sla s JOIN conversations c ON c.id = s.conversation_id"
        f"{rollup.CUSTOMER} WHERE s.started_at >= :start AND s.started_at < :end{_where(f)}"
    )
    return f"""WITH base AS (
        SELECT {_group(dialect, by, f)} AS g, n.nrt
        FROM ({rollup.nrt_waits(dialect, started)}) n
        JOIN conversation_sla s ON s.conversation_id = n.conversation_id
        JOIN conversations c ON c.id = s.conversation_id
        JOIN channels ch ON ch.id = c.channel_id{rollup.CUSTOMER}
    )
    """


async def _nrt(session: AsyncSession, f: Filters, by: str | None, params: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    """Next response time per group: count, mean, nearest-rank median and p90 of the waits."""
    dialect = session.bind.dialect.name
    with_base = _nrt_base(dialect, by, f)
    counts = "SELECT g, count(nrt) AS nrt_responses, avg(nrt) AS nrt_mean"
    out: dict[Any, dict[str, Any]] = {}
    if dialect != "sqlite":
        pg = (
            f"{counts}, percentile_disc(0.5) WITHIN GROUP (ORDER BY nrt) AS nrt_median,"
            " percentile_disc(0.9) WITHIN GROUP (ORDER BY nrt) AS nrt_p90 FROM base GROUP BY g"
        )
        for row in (await session.execute(text(with_base + pg), params)).mappings():
            out[row["g"]] = {k: v for k, v in row.items() if k != "g"}
        return out
    for row in (await session.execute(text(with_base + counts + " FROM base GROUP BY g"), params)).mappings():
        out[row["g"]] = {k: v for k, v in row.items() if k != "g"}
    for row in (await session.execute(text(with_base + _percentile_sql(dialect, "nrt")), params)).mappings():
        out.setdefault(row["g"], {}).update({k: v for k, v in row.items() if k != "g"})
    return out


def _merge(into: dict[Any, dict[str, Any]], found: dict[Any, dict[str, Any]]) -> None:
    for g, values in found.items():
        if g in into:  # a group with waits always has conversations: no group of its own
            into[g].update(values)


def _csat_sql(dialect: str, by: str | None, f: Filters) -> str:
    group = {
        None: "''",
        "channel": "ch.kind",
        "queue": "v.queue_id",
        "operator": "v.operator_id",
        "segment": rollup.SEGMENT,
    }.get(by) or _group(dialect, by, f, "v.answered_at")
    where = []
    if f.channel_id is not None:
        where.append("v.channel_id = :channel_id")
    if f.queue_id is not None:
        where.append("v.queue_id = :queue_id")
    if f.operator_id is not None:
        where.append("v.operator_id = :operator_id")
    if f.segment is not None:
        where.append("coalesce(cu.segment, '') = :segment")
    extra = "".join(f" AND {w}" for w in where)
    return (
        f"SELECT {group} AS g, avg(v.score) AS csat, count(v.score) AS csat_responses,"
        f" sum(CASE WHEN v.score >= 4 THEN 1 ELSE 0 END) AS satisfied, count(v.nps) AS nps_responses,"
        f" sum(CASE WHEN v.nps >= 9 THEN 1 ELSE 0 END) AS nps_promoters,"
        f" sum(CASE WHEN v.nps <= 6 THEN 1 ELSE 0 END) AS nps_detractors"
        f" FROM csat_surveys v JOIN channels ch ON ch.id = v.channel_id"
        f" LEFT JOIN conversations c ON c.id = v.conversation_id{rollup.CUSTOMER}"
        f" WHERE v.answered_at >= :start AND v.answered_at < :end"
        f" AND (v.score IS NOT NULL OR v.nps IS NOT NULL){extra} GROUP BY 1"
    )


async def _no_jit(session: AsyncSession) -> None:
    """PostgreSQL's JIT compiles these one-off aggregates for longer than they run (over half of a summary's time
    at 100,000 conversations): off for this transaction; and memory enough that the percentiles' sorts stay off disk."""
    if session.bind.dialect.name != "sqlite":
        await session.execute(text("SET LOCAL jit = off"))
        await session.execute(text("SET LOCAL work_mem = '64MB'"))


async def figures(
    session: AsyncSession,
    f: Filters,
    by: str | None = None,
    *,
    conversations: bool = True,
    csat: bool = True,
    fcr: bool = True,
    nrt: bool = True,
    percentiles: bool = True,
    business: bool = False,
) -> dict[Any, dict[str, Any]]:
    """Every metric per group (``by``: channel, queue, operator, hour, day, week, month, or None for one row);
    ``conversations``/``csat`` False leaves out the groups that only that side has (a time series of one of them);
    ``fcr``, ``nrt``, ``percentiles`` False leave out the costly parts a caller does not read (a time series of
    one metric: the customer's returns, the replies' gaps, the ordered medians), those figures then empty;
    ``business`` counts first response and resolution in business time."""
    dialect = session.bind.dialect.name
    await _no_jit(session)
    params = _bind(dialect, _params(f))
    with_base = "WITH " + _base(dialect, by, f, fcr=fcr, business=business)
    out: dict[Any, dict[str, Any]] = {}
    if dialect != "sqlite" and not percentiles:
        for row in (await session.execute(text(with_base + AGGREGATES), params)).mappings() if conversations else ():
            out[row["g"]] = {k: v for k, v in row.items() if k != "g"}
    elif dialect != "sqlite":  # one scan: the percentiles are ordered-set aggregates beside the others
        one = AGGREGATES.replace("\nFROM base", "," + PG_PERCENTILES + "\nFROM base")
        for row in (await session.execute(text(with_base + one), params)).mappings() if conversations else ():
            out[row["g"]] = {k: v for k, v in row.items() if k != "g"}
    else:
        for row in (await session.execute(text(with_base + AGGREGATES), params)).mappings() if conversations else ():
            out[row["g"]] = {k: v for k, v in row.items() if k != "g"}
        for column in ("frt", "res") if conversations and percentiles else ():
            for row in (await session.execute(text(with_base + _percentile_sql(dialect, column)), params)).mappings():
                out.setdefault(row["g"], {}).update({k: v for k, v in row.items() if k != "g"})
    if conversations and nrt:
        _merge(out, await _nrt(session, f, by, params))
    for row in (await session.execute(text(_csat_sql(dialect, by, f)), params)).mappings() if csat else ():
        out.setdefault(row["g"], {}).update({k: v for k, v in row.items() if k != "g"})
    return {g: _finish(values) for g, values in out.items()}


async def series(
    session: AsyncSession,
    f: Filters,
    interval: str,
    metric: str,
    *,
    business: bool = False,
    exact_limit: int = rollup.EXACT_LIMIT,
) -> dict[Any, dict[str, Any]]:
    """One metric per ``interval`` of the period. From the hourly roll-up (omnidesk.server.analytics.hourly: whole
    UTC hours, the rest from the raw facts) where it can answer: no operator filter, a zone a whole number of hours
    off UTC, not in business time (it counts wall-clock durations); for a percentile metric only beyond
    ``exact_limit`` conversations in the period (up to it the raw facts give exact percentiles cheaply; counts and
    ratios are exact from the roll-up at any size). Otherwise from the raw facts (``series_from_facts``)."""
    dialect = session.bind.dialect.name
    if not business and hourly.usable(dialect, f):
        await _no_jit(session)
        columns, having = hourly.columns_of(metric)
        found = await hourly.buckets(session, f, _group(dialect, interval, f, "u.hour"), columns, having)
        if metric not in SERIES_PERCENTILES or sum(v["conversations"] for v in found.values()) > exact_limit:
            return {g: _finish(hourly.finish_values(v)) for g, v in found.items()}
    return await series_from_facts(session, f, interval, metric, business=business)


SERIES_PERCENTILES = ("frt_median", "frt_p90", "resolution_median", "nrt_median")


async def series_from_facts(
    session: AsyncSession, f: Filters, interval: str, metric: str, *, business: bool = False
) -> dict[Any, dict[str, Any]]:
    """One metric per ``interval`` of the period from the raw facts: only the parts of ``figures`` that metric needs
    (no series reads FCR; the replies' gaps for NRT, the ordered medians for the percentile metrics);
    ``business``: first response and resolution in business time."""
    return await figures(
        session,
        f,
        interval,
        conversations=metric != "csat",
        csat=metric == "csat",
        fcr=False,
        nrt=metric.startswith("nrt_"),
        percentiles=metric in ("frt_median", "frt_p90", "resolution_median"),
        business=business,
    )


async def summary_figures(
    session: AsyncSession, f: Filters, *, business: bool = False
) -> dict[str | None, dict[Any, dict[str, Any]]]:
    """The totals and the channel, queue, operator and customer segment groups: on PostgreSQL in one scan (grouping
    sets), on SQLite one grouping at a time. Keys: None (totals, under ""), "channel", "queue", "operator",
    "segment" (None: the customers without one). ``business``:
    first response and resolution in business time (the stored ``frt_business`` / ``res_business``)."""
    dialect = session.bind.dialect.name
    bys = rollup.BYS
    if dialect == "sqlite":
        return {by: await figures(session, f, by, business=business) for by in bys}
    await _no_jit(session)
    params = _bind(dialect, _params(f))
    base = _base(dialect, None, f, business=business).replace(
        "SELECT '' AS g,", f"SELECT ch.kind AS kind, c.queue_id, c.assignee_id, {rollup.SEGMENT} AS segment,"
    )
    one = AGGREGATES.replace("\nFROM base", "," + PG_PERCENTILES + "\nFROM base").replace(
        "SELECT g,",
        "SELECT GROUPING(kind, queue_id, assignee_id, segment) AS level, kind, queue_id, assignee_id, segment,",
    )
    one = one.replace("GROUP BY g", "GROUP BY GROUPING SETS ((), (kind), (queue_id), (assignee_id), (segment))")
    # GROUPING bits: kind 8, queue 4, assignee 2, segment 1 (rollup.LEVELS)
    keyed = ("level", "kind", "queue_id", "assignee_id", "segment")
    out: dict[str | None, dict[Any, dict[str, Any]]] = {by: {} for by in bys}
    for row in (await session.execute(text("WITH " + base + one), params)).mappings():
        by = rollup.LEVELS[row["level"]]
        key = {
            None: "",
            "channel": row["kind"],
            "queue": row["queue_id"],
            "operator": row["assignee_id"],
            "segment": row["segment"],
        }[by]
        out[by][key] = {k: v for k, v in row.items() if k not in keyed}
    for by in bys:
        _merge(out[by], await _nrt(session, f, by, params))
        for row in (await session.execute(text(_csat_sql(dialect, by, f)), params)).mappings():
            out[by].setdefault(row["g"], {}).update({k: v for k, v in row.items() if k != "g"})
    return {by: {g: _finish(v) for g, v in groups.items()} for by, groups in out.items()}


async def summary(
    session: AsyncSession, f: Filters, *, business: bool = False, exact_limit: int = rollup.EXACT_LIMIT
) -> dict[str | None, dict[Any, dict[str, Any]]]:
    """``summary_figures`` read from the daily roll-ups (whole days; by segment from analytics_daily_segment) and the
    raw facts (the rest). Up to
    ``exact_limit`` conversations in the period, or with an FCR window the roll-up does not count, the raw facts
    alone answer (exact percentiles); beyond, percentiles are estimated from the duration bands. ``business``:
    first response and resolution in business time (analytics_daily_business beside analytics_daily)."""
    if f.fcr_days != ROLLUP_FCR_DAYS or (f.segment is not None and f.operator_id is not None):
        return await summary_figures(session, f, business=business)  # (one operator's in one segment: few)
    await _no_jit(session)
    # Without a segment filter, analytics_daily gives every group but the segments' (analytics_daily_segment, or,
    # for one operator, the raw facts); with one, analytics_daily_segment gives every group but the operators'
    # (analytics_daily_operator_segment, or, with a channel or queue filter, the raw facts of that segment).
    segmented = f.segment is not None
    main, main_business = (
        (rollup.BY_SEGMENT, rollup.BY_SEGMENT_BUSINESS) if segmented else (rollup.DAILY, rollup.BUSINESS)
    )
    other = "operator" if segmented else "segment"
    bys = tuple(by for by in rollup.BYS if by != other)
    groups = rollup.marginals(await rollup.counters(session, f, main, bys), bys=bys)
    if groups[None].get("", {}).get("conversations", 0) <= exact_limit:
        return await summary_figures(session, f, business=business)
    out = await _rolled(session, f, groups, main_business, bys, business)
    if segmented:  # the operators' figures: per day x operator x segment, or (a channel or queue filter) raw
        side_table, side_business = rollup.BY_OPERATOR_SEGMENT, rollup.BY_OPERATOR_SEGMENT_BUSINESS
        answers = f.channel_id is None and f.queue_id is None
    else:
        side_table, side_business = rollup.BY_SEGMENT, rollup.BY_SEGMENT_BUSINESS
        answers = f.operator_id is None
    if answers:
        side = rollup.marginals(await rollup.counters(session, f, side_table, (other,)), bys=(other,))
        out |= await _rolled(session, f, side, side_business, (other,), business)
    else:
        out[other] = await figures(session, f, other, business=business)
    return out


async def _rolled(session: AsyncSession, f: Filters, groups: dict, durations_from, bys, business: bool) -> dict:
    """The finished figures of ``groups`` (rollup.marginals of a roll-up), first response and resolution from
    ``durations_from`` (its business table) when ``business``."""
    if not business:
        return {by: {k: _finish(rollup.finish_values(v)) for k, v in found.items()} for by, found in groups.items()}
    columns = durations_from.columns
    durations = rollup.marginals(await rollup.counters(session, f, durations_from, bys), columns, bys)
    none = dict.fromkeys(columns, 0.0)
    return {
        by: {k: _finish(rollup.finish_values(v, durations[by].get(k, none))) for k, v in found.items()}
        for by, found in groups.items()
    }


def _finish(v: dict[str, Any]) -> dict[str, Any]:
    def num(key: str) -> float | None:
        value = v.get(key)
        return None if value is None else round(float(value), 3)

    resolved = int(v.get("resolved") or 0)
    return {
        "conversations": int(v.get("conversations") or 0),
        "resolved": resolved,
        "frt_mean": num("frt_mean"),
        "frt_median": num("frt_median"),
        "frt_p90": num("frt_p90"),
        "nrt_mean": num("nrt_mean"),
        "nrt_median": num("nrt_median"),
        "nrt_p90": num("nrt_p90"),
        "nrt_responses": int(v.get("nrt_responses") or 0),
        "resolution_mean": num("resolution_mean"),
        "resolution_median": num("resolution_median"),
        "resolution_p90": num("resolution_p90"),
        "fcr": ratio(int(v.get("fcr_count") or 0), resolved),
        "abandonment": ratio(int(v.get("abandoned") or 0), resolved),
        "sla_compliance": ratio(
            int(v.get("sla_decided") or 0) - int(v.get("sla_breaches") or 0), int(v.get("sla_decided") or 0)
        ),
        "sla_breaches": int(v.get("sla_breaches") or 0),
        "csat": num("csat"),
        "csat_responses": int(v.get("csat_responses") or 0),
        "csat_satisfied": ratio(int(v.get("satisfied") or 0), int(v.get("csat_responses") or 0)),
        "nps": nps(
            int(v.get("nps_promoters") or 0), int(v.get("nps_detractors") or 0), int(v.get("nps_responses") or 0)
        ),
        "nps_responses": int(v.get("nps_responses") or 0),
    }


EMPTY = _finish({})


async def waiting(session: AsyncSession, f: Filters) -> int:
    """Open conversations still without a first reply, now (the board's live tile)."""
    query = (
        "SELECT count(*) FROM conversation_sla s JOIN conversations c ON c.id = s.conversation_id"
        + rollup.CUSTOMER
        + " WHERE s.first_response_at IS NULL AND s.resolved_at IS NULL AND c.status <> 'resolved'"
        + _where(f)
    )
    return int(await session.scalar(text(query), _bind(session.bind.dialect.name, _params(f))) or 0)


async def transitions(session: AsyncSession, f: Filters, hours: int) -> list[dict[str, Any]]:
    """Channel transitions: customers who came back in the period (conversation b created in it) on another kind of
    channel B within ``hours`` of their conversation on kind A: counts per (A, B), from the roll-up where it answers
    (omnidesk.server.analytics.transitions)."""
    from omnidesk.server.analytics import transitions as moves

    await _no_jit(session)
    return await moves.matrix(session, f, hours)


def definitions() -> dict[str, str]:
    return {k: m.definition for k, m in METRICS.items()}
