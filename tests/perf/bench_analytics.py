"""Benchmark: the 30-day report over 1,000,000 conversations on PostgreSQL, from the roll-ups vs the raw path.

Run on demand:

    /work/main/.venv/bin/python tests/perf/bench_analytics.py [--conversations 1000000] [--days 30] [--runs 7]
        [--keep NAME]  (load once into database NAME, reuse it in later runs)

Data (generate_series, triggers off while loading): ``--conversations`` over the last ``--days`` days (by default
all of them inside the report's window: the hardest case), 4 channel kinds, 10 queues, 200 operators, a customer for
every 2.5 conversations (in segments VIP 10%, Business 20%, Retail 50%, none 20%: a key of every roll-up) (so
first-contact resolution has returns to find; their channels vary, so the customers move between channels for the
transitions), first responses within 2 h, 90% resolved within a day, one in three under an SLA policy, a survey
answer (CSAT and NPS) for one in four.

Printed: the backfill of the business-hours durations (``conversation_sla.frt_business`` / ``res_business``) of the
loaded rows by migration 0023's own ``backfill`` (the one-off cost of that migration at this size); the full rebuild
of the daily and hourly roll-ups (``rollup.rebuild_all``: all three tables, seconds, rows); then GET
/api/v1/analytics/summary's work (every figure in total and by channel, queue and operator, plus the live "waiting"
count) p50/p95 over ``--runs`` runs for the roll-up path (``service.summary``) and the old raw path
(``service.summary_figures``, the baseline) in the same run, and their ratio; the same for
``summary?business_hours=true``: the roll-up path (``service.summary(business=True)``, analytics_daily_business
beside analytics_daily) against the per-row Python path it replaced (``business_durations_per_row`` below, every
conversation of the period read and its calendar walked twice). Target: both under 1 s. Then the other dashboard
reads one by one; the Reports window's three time series (daily conversations, daily median first response, the
hourly heat map of the last 31 days; in ``--tz``) from the hourly roll-up (``service.series``) against the raw path
(``service.series_from_facts``, the baseline), p50/p95 and ratio; and the whole Reports-window load: its five reads
in sequence, one session each, as omnidesk/client/reports/window.py ``load`` makes them (the summary endpoint's
work, the two daily series, the hourly series, the channel transitions: from their daily roll-up, against the raw
facts, ``transitions.from_facts``, the baseline). Target: under 1 s. The window's load again at the worst time of
day (its first day half inside the period: the most raw facts an edge reads) and filtered to the VIP segment
(``--baseline-runs`` runs: a segment filter reads the operators' figures and the series from the raw facts).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import select, text

from omnidesk.domain import routing, sla
from omnidesk.domain.metrics import percentile_disc
from omnidesk.server import migrate
from omnidesk.server.analytics import load, rollup, service, transitions
from omnidesk.server.db import Database
from omnidesk.server.queues.models import Queue
from tests.helpers import pg_create_database, pg_drop_database, pg_keep_database, unique_name

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0023_analytics_business.py"

LOAD = """
SET session_replication_role = replica;
INSERT INTO channels (id, kind, name, token_hash, is_active, created_at)
SELECT i, k, 'bench ' || k, md5(k), true, now()
FROM unnest(ARRAY['webchat','email','telegram','whatsapp']) WITH ORDINALITY AS t(k, i);
INSERT INTO queues (id, name, created_at, calendar, auto_assign, offer_timeout_s, offer_cooldown_s)
SELECT q, 'queue ' || q, now(),
       CASE WHEN q % 2 = 0 THEN '{"tz": "Europe/Kyiv", "week": {"0": [["09:00", "18:00"]], "1": [["09:00", "18:00"]],
            "2": [["09:00", "18:00"]], "3": [["09:00", "18:00"]], "4": [["09:00", "17:00"]]},
            "holidays": []}'::json END,
       false, 0, 600
FROM generate_series(1, 10) q
ON CONFLICT (id) DO UPDATE SET calendar = EXCLUDED.calendar;
INSERT INTO customers (id, display_name, segment, created_at, updated_at)
SELECT g, 'c' || g,
       (ARRAY['VIP', 'Business', 'Business', 'Retail', 'Retail', 'Retail', 'Retail',
              'Retail'])[1 + abs(hashtext('s' || g)) % 10],
       now(), now()
FROM generate_series(1, ($1 * 2 / 5)::bigint) g;
INSERT INTO conversations (id, customer_id, channel_id, queue_id, status, last_message_at, last_message_preview,
                           unread_count, created_at, updated_at, assignee_id)
SELECT g, 1 + (g * 7919) % ($1 * 2 / 5), 1 + (g / 3) % 4, 1 + g % 10, 'resolved', now(), '', 0,
       now() - (random() * $2 * 86400) * interval '1 second', now(), 1 + (g * 31) % 200
FROM generate_series(1, $1::bigint) g;
INSERT INTO conversation_sla (conversation_id, policy_id, started_at, first_response_due, first_response_at,
                              resolution_due, resolved_at, alerted, breached, next_check_at)
SELECT c.id, CASE WHEN c.id % 3 = 0 THEN 1 END, c.created_at, c.created_at + interval '1 hour',
       CASE WHEN c.id % 20 <> 0 THEN c.created_at + (random() * 7200) * interval '1 second' END,
       c.created_at + interval '8 hours',
       CASE WHEN c.id % 10 <> 0 THEN c.created_at + (random() * 86400) * interval '1 second' END, 0,
       CASE WHEN c.id % 17 = 0 THEN 2 ELSE 0 END, NULL
FROM conversations c;
INSERT INTO csat_surveys (conversation_id, customer_id, channel_id, queue_id, operator_id, requested_at, score, nps,
                          answered_at)
SELECT c.id, c.customer_id, c.channel_id, c.queue_id, c.assignee_id, c.created_at, 1 + c.id % 5, c.id % 11,
       c.created_at + interval '1 hour'
FROM conversations c WHERE c.id % 4 = 0;
SET session_replication_role = origin;
ANALYZE
"""


SEGMENTS = """
SET session_replication_role = replica;
UPDATE customers SET segment = (ARRAY['VIP', 'Business', 'Business', 'Retail', 'Retail', 'Retail', 'Retail',
                                      'Retail'])[1 + abs(hashtext('s' || id)) % 10];
SET session_replication_role = origin;
INSERT INTO analytics_dirty(day) SELECT DISTINCT (created_at AT TIME ZONE 'UTC')::date FROM conversations
"""


async def _load(db: Database, n: int, days: int) -> None:
    async with db.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        for statement in [s for s in LOAD.split(";\n") if s.strip()]:
            await raw.execute(statement.replace("$1", str(n)).replace("$2", str(days)))
        await conn.commit()


async def _time(db: Database, f: service.Filters, runs: int, read, *, waiting: bool = True) -> list[float]:
    """Seconds of each of ``runs`` reads (with the summary's live "waiting" count, unless ``waiting`` is False)."""
    took = []
    for _ in range(runs):
        async with db.session() as session:
            t = time.perf_counter()
            await read(session, f)
            if waiting:
                await service.waiting(session, f)
            took.append(time.perf_counter() - t)
    return took


async def business_durations_per_row(session, f: service.Filters) -> dict[str | None, dict[Any, dict[str, Any]]]:
    """The baseline: what ``summary?business_hours=true`` computed before migration 0023 (every conversation of the
    period read into Python, ``sla.business_seconds`` twice per row in its queue's calendar, percentiles sorted)."""
    calendars: dict[int, sla.Calendar] = {}
    for queue_id, raw in (await session.execute(select(Queue.id, Queue.calendar))).all():
        if raw:
            try:
                c = routing.parse_calendar(raw)
                calendars[queue_id] = sla.queue_calendar(c.tz, c.week, c.holidays)
            except (routing.RuleError, sla.CalendarError):
                continue
    query = text(
        "SELECT ch.kind, c.queue_id, c.assignee_id, s.started_at, s.first_response_at, s.resolved_at"
        " FROM conversation_sla s JOIN conversations c ON c.id = s.conversation_id"
        " JOIN channels ch ON ch.id = c.channel_id WHERE s.started_at >= :start AND s.started_at < :end"
    )
    samples: dict[str | None, dict[Any, tuple[list[float], list[float]]]] = {
        None: {},
        "channel": {},
        "queue": {},
        "operator": {},
    }
    rows = (await session.execute(query, {"start": f.start, "end": f.end})).all()
    for kind, queue_id, assignee_id, started, answered, resolved in rows:
        calendar = calendars.get(queue_id, sla.ALWAYS)
        frt = sla.business_seconds(calendar, started, answered) if answered else None
        res = sla.business_seconds(calendar, started, resolved) if resolved else None
        for by, key in ((None, ""), ("channel", kind), ("queue", queue_id), ("operator", assignee_id)):
            frts, ress = samples[by].setdefault(key, ([], []))
            if frt is not None:
                frts.append(frt)
            if res is not None:
                ress.append(res)

    def figures(frts: list[float], ress: list[float]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, values in (("frt", frts), ("resolution", ress)):
            out[f"{name}_mean"] = round(sum(values) / len(values), 3) if values else None
            for suffix, q in (("median", 0.5), ("p90", 0.9)):
                found = percentile_disc(values, q)
                out[f"{name}_{suffix}"] = None if found is None else round(found, 3)
        return out

    return {by: {k: figures(*v) for k, v in groups.items()} for by, groups in samples.items()}


async def _backfill(db: Database) -> int:
    """Migration 0023's backfill of the business durations, on the loaded rows (its sync code on this connection)."""
    spec = importlib.util.spec_from_file_location("migration_0023", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    async with db.engine.connect() as conn:
        await conn.execute(text("UPDATE conversation_sla SET frt_business = NULL, res_business = NULL"))
        done = await conn.run_sync(module.backfill)
        await conn.commit()
    return done


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


async def _prepare(db: Database, args) -> None:
    """Load the data, backfill the business durations, rebuild the roll-ups (each timed and printed)."""
    t = time.perf_counter()
    await _load(db, args.conversations, args.days)
    print(f"loaded {args.conversations:,} conversations over {args.days} days in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    filled = await _backfill(db)
    print(f"backfill (migration 0023): business durations of {filled:,} clocks in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    rows = await rollup.rebuild_all(db)
    took = time.perf_counter() - t
    async with db.engine.connect() as conn:
        for table in ("analytics_daily", "analytics_daily_business", "analytics_hourly", "conversation_sla"):
            await conn.execute(text(f"ANALYZE {table}"))
        hours = await conn.scalar(text("SELECT count(*) FROM analytics_hourly"))
        segments = await conn.scalar(text("SELECT count(*) FROM analytics_daily_segment"))
        await conn.commit()
    print(f"rebuild: the daily and hourly roll-ups from the raw facts in {took:.1f} s ({rows:,} daily rows,")
    print(f"  {hours:,} hourly rows, {segments:,} daily rows by segment)")
    await _vacuum(db)


async def _vacuum(db: Database) -> None:
    """What autovacuum does on a production server (this machine's PostgreSQL has it off): the backfill's and
    rebuild's dead rows gone and the statistics fresh, so the reads are timed on the tables a desk would have."""
    t = time.perf_counter()
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM (ANALYZE)"))
    print(f"VACUUM (ANALYZE) in {time.perf_counter() - t:.1f} s")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument(
        "--keep", metavar="NAME", help="load into database NAME and keep it; a later run with NAME reuses the data"
    )
    parser.add_argument("--tz", default="Europe/Kyiv", help="the viewer's time zone of the series and the window")
    args = parser.parse_args()
    name = args.keep or unique_name("omnidesk_bench")
    url = pg_keep_database(name) if args.keep else pg_create_database(name)
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        db = Database(url, pool_size=4)
        async with db.session() as session:
            reuse = bool(args.keep) and bool(await session.scalar(text("SELECT count(*) FROM analytics_daily")))
        if reuse:
            print(f"reusing the loaded database {name} (no load, backfill or rebuild)")
            async with db.engine.connect() as conn:  # loaded before the segments (migration 0026): give them now
                if not await conn.scalar(text("SELECT count(*) FROM customers WHERE segment IS NOT NULL")):
                    raw = (await conn.get_raw_connection()).driver_connection
                    for statement in [s for s in SEGMENTS.split(";\n") if s.strip()]:
                        await raw.execute(statement)
                    await conn.commit()
                    print("  gave the customers segments (triggers off): the refresh below recomputes every day")
            t = time.perf_counter()
            days = await rollup.refresh(db)  # what a migration since marked dirty
            print(f"  refreshed {days} dirty days in {time.perf_counter() - t:.1f} s")
            if days:
                await _vacuum(db)
        if not reuse:
            await _prepare(db, args)
        end = dt.datetime.now(dt.UTC)
        f = service.Filters(end - dt.timedelta(days=30), end)
        async with db.session() as session:
            inside = await session.scalar(
                text("SELECT count(*) FROM conversation_sla WHERE started_at >= :a AND started_at < :b"),
                {"a": f.start, "b": f.end},
            )
        new = await _time(db, f, args.runs, service.summary)
        old = await _time(db, f, args.baseline_runs, service.summary_figures)
        p50, p95, b50, b95 = _p(new, 0.5), _p(new, 0.95), _p(old, 0.5), _p(old, 0.95)
        print(f"report: 30-day summary, {inside:,} conversations in the window, {args.conversations:,} in all")
        print(f"  roll-ups + raw edges: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms ({args.runs} runs)")
        print(f"  raw path (baseline):  p50 {b50 * 1000:.0f} ms, p95 {b95 * 1000:.0f} ms ({args.baseline_runs} runs)")
        print(f"  ratio {b50 / p50:.1f}x faster at p50; target under 1 s")

        async def business_rolled(session, f):
            await service.summary(session, f, business=True)

        async def business_per_row(session, f):  # the endpoint's work before 0023: the summary, then the rows
            await service.summary(session, f)
            await business_durations_per_row(session, f)

        new = await _time(db, f, args.runs, business_rolled)
        old = await _time(db, f, args.baseline_runs, business_per_row)
        p50, p95, b50, b95 = _p(new, 0.5), _p(new, 0.95), _p(old, 0.5), _p(old, 0.95)
        print("report: the same summary in business hours (half the queues with Kyiv office hours)")
        print(f"  roll-ups + raw edges: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms ({args.runs} runs)")
        runs = args.baseline_runs
        print(f"  per-row Python (baseline): p50 {b50 * 1000:.0f} ms, p95 {b95 * 1000:.0f} ms ({runs} runs)")
        print(f"  ratio {b50 / p50:.1f}x faster at p50; target under 1 s")
        async with db.session() as session:  # the same figures: stored durations vs the per-row computation
            per_row = await business_durations_per_row(session, f)
            exact = await service.summary_figures(session, f, business=True)
            rolled = await service.summary(session, f, business=True)
        names = ("frt_mean", "frt_median", "frt_p90", "resolution_mean", "resolution_median", "resolution_p90")
        same = all(set(exact[by]) == set(per_row[by]) for by in per_row) and all(
            {n: exact[by][k][n] for n in names} == per_row[by][k] for by in per_row for k in per_row[by]
        )
        worst = max(
            abs(rolled[by][k][n] - per_row[by][k][n]) / max(per_row[by][k][n], 1.0)
            for by in per_row
            for k in per_row[by]
            for n in ("frt_mean", "resolution_mean")
            if per_row[by][k][n] is not None
        )
        print(f"  exact path = per-row figures in every group: {same}; roll-up means within {worst:.1e} (relative)")

        # The rest of the dashboard's reads over the same window, each timed on its own (medians of the runs):
        # the summary endpoint's whole work (with the operators' load), its business-hours variant (half the
        # queues with Kyiv office hours), the hourly series as it was read before (every metric) and the channel
        # transitions.
        async def endpoint(session, f):
            await service.summary(session, f)
            await load.loads(session, f)

        async def business(session, f):
            await service.summary(session, f, business=True)
            await load.loads(session, f)

        async def heat_before(session, f):  # what the series read before: every metric of every hour
            await service.figures(session, f, "hour", conversations=True, csat=False)

        async def moves(session, f):
            await service.transitions(session, f, 48)

        async def moves_from_facts(session, f):
            await transitions.from_facts(session, f, 48)

        async with db.session() as session:
            cells = await service.transitions(session, f, 48)
            same = cells == await transitions.from_facts(session, f, 48)
        returns = sum(c["n"] for c in cells)
        print(f"  transitions (48 h): {returns:,} returns in {len(cells)} cells; equal to the raw facts: {same}")

        for label, read, runs in (
            ("summary endpoint (figures, load, waiting)", endpoint, args.runs),
            ("summary endpoint in business hours", business, args.runs),
            ("  hourly series, every metric (raw, before)", heat_before, args.baseline_runs),
            ("channel transitions (48 h), roll-up", moves, args.runs),
            ("  the same from the raw facts (baseline)", moves_from_facts, args.baseline_runs),
        ):
            took = await _time(db, f, runs, read)
            p50, p95 = _p(took, 0.5) * 1000, _p(took, 0.95) * 1000
            print(f"  {label:<44} p50 {p50:7.0f} ms, p95 {p95:7.0f} ms ({runs} runs)")

        # The Reports window's series, in the viewer's zone: from the hourly roll-up against the raw path.
        zoned = service.Filters(f.start, f.end, timezone=args.tz)
        heat_from = max(f.start, f.end - dt.timedelta(days=31))  # the window's heat map: the last 31 days at most
        hourly = service.Filters(heat_from, f.end, timezone=args.tz)
        print(f"series ({args.tz}): hourly roll-up + raw edges vs the raw path (baseline)")
        for label, g, interval, metric in (
            ("daily series of conversations", zoned, "day", "conversations"),
            ("daily series of the median first response", zoned, "day", "frt_median"),
            ("hourly series (the load heat map)", hourly, "hour", "conversations"),
        ):

            async def rolled(session, g, interval=interval, metric=metric):
                await service.series(session, g, interval, metric)

            async def raw(session, g, interval=interval, metric=metric):
                await service.series_from_facts(session, g, interval, metric)

            new = await _time(db, g, args.runs, rolled, waiting=False)
            old = await _time(db, g, args.baseline_runs, raw, waiting=False)
            p50, p95, b50, b95 = _p(new, 0.5), _p(new, 0.95), _p(old, 0.5), _p(old, 0.95)
            print(f"  {label:<44} roll-up p50 {p50 * 1000:5.0f} ms, p95 {p95 * 1000:5.0f} ms;"
                  f" raw p50 {b50 * 1000:5.0f} ms, p95 {b95 * 1000:5.0f} ms; {b50 / p50:.1f}x")  # fmt: skip

        # The whole Reports-window load: its five requests' work in sequence, a session (a request) each; as the window
        # opens ("the last 30 days"), at the worst time of day (the period's first day half inside it: the most raw
        # facts an edge reads, rollup._plan), and filtered to one customer segment.
        noon = dt.datetime.combine((f.end - dt.timedelta(days=30)).date(), dt.time(12), dt.UTC)
        for label, start, segment in (
            ("", f.start, None),
            (", the first day half in the period", noon, None),
            (", segment VIP", f.start, "VIP"),
        ):
            base = service.Filters(start, f.end, segment=segment)
            zoned = service.Filters(start, f.end, timezone=args.tz, segment=segment)
            heat = max(start, f.end - dt.timedelta(days=31))
            hourly = service.Filters(heat, f.end, timezone=args.tz, segment=segment)
            reads = {
                "summary": lambda s, z=zoned: endpoint(s, z),
                "conversations/day": lambda s, z=zoned: service.series(s, z, "day", "conversations"),
                "frt_median/day": lambda s, z=zoned: service.series(s, z, "day", "frt_median"),
                "conversations/hour": lambda s, h=hourly: service.series(s, h, "hour", "conversations"),
                "transitions": lambda s, b=base: service.transitions(s, b, 48),
            }
            took, each = [], {name: [] for name in reads}
            for _ in range(args.runs if segment is None else args.baseline_runs):
                t = time.perf_counter()
                for name, read in reads.items():
                    async with db.session() as session:
                        started = time.perf_counter()
                        await read(session)
                        each[name].append(time.perf_counter() - started)
                took.append(time.perf_counter() - t)
            p50, p95 = _p(took, 0.5), _p(took, 0.95)
            print(f"Reports window load{label} (5 reads in sequence): p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
                  f" ({len(took)} runs); target under 1 s: {'met' if p95 < 1 else 'NOT met'} at p95")  # fmt: skip
            print("  of which, p50: " + ", ".join(f"{name} {_p(v, 0.5) * 1000:.0f} ms" for name, v in each.items()))
        await db.dispose()
    finally:
        if not args.keep:
            pg_drop_database(name)


if __name__ == "__main__":
    asyncio.run(main())
