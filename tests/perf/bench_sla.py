"""Benchmark: SLA timers and reports at scale, on PostgreSQL.

Run on demand:

    /work/main/.venv/bin/python tests/perf/bench_sla.py [--open 100000] [--report 300000] [--rebuild 20000]

1. Timers: ``--open`` open conversations with running clocks whose warnings and breaches fall due evenly over the
   next hour (at 100,000 that is ~28 alerts a second, each an event); the real SlaWorker runs for ``--seconds`` and
   the process CPU it used is compared with the same process idling for as long (the baseline). The issue's target:
   under 5% of one core at steady state. The database side is the worker's queries (timed per tick and printed).
2. Reports: ``--report`` conversations over 30 days (with first responses, resolutions, breaches, CSAT answers);
   GET /api/v1/analytics/summary's SQL (every figure, in total and by channel, queue and operator) timed, p50 of 5,
   against a full count of the roll-up table in the same run (the baseline). Target: 1 s (the issue's scale is
   1,000,000 conversations).
3. Rebuild: ``--rebuild`` conversations with two messages and a resolve each, ``omnidesk analytics rebuild``'s
   function timed (conversations per second).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import text

from omnidesk.server import migrate
from omnidesk.server.analytics import service as analytics
from omnidesk.server.analytics.rebuild import rebuild
from omnidesk.server.db import Database
from omnidesk.server.sla import worker as sla_worker
from tests.helpers import pg_create_database, pg_drop_database, unique_name

SETUP = """
INSERT INTO channels (kind, name, token_hash, is_active, created_at)
SELECT k, 'bench ' || k, md5(k), true, now() FROM unnest(ARRAY['webchat','email','telegram','whatsapp']) AS k;
INSERT INTO sla_policies (name, first_response_seconds, resolution_seconds, warn_fraction, escalation, position,
                          active, created_at)
VALUES ('bench', 3600, 28800, 0.8, 'notify', 0, true, now());
INSERT INTO users (username, display_name, password_hash, role, is_active, created_at)
VALUES ('bench', 'Bench', 'x', 'operator', true, now());
"""

# n customers, one conversation each (channel round robin), started `age_seconds` ago at most.
CONVERSATIONS = """
INSERT INTO customers (id, display_name, created_at, updated_at)
SELECT g, 'c' || g, now(), now() FROM generate_series($1::bigint, $2::bigint) g;
INSERT INTO conversations (id, customer_id, channel_id, queue_id, status, last_message_at, last_message_preview,
                           unread_count, created_at, updated_at, assignee_id)
SELECT g, g, 1 + g % 4, 1, $3, now(), '', 0, now() - (random() * $4) * interval '1 second',
       now(), NULL
FROM generate_series($1::bigint, $2::bigint) g;
"""


async def _exec(db: Database, sql: str, *args) -> None:
    async with db.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        for statement in [s for s in sql.split(";\n") if s.strip()]:
            used = max((int(m) for m in re.findall(r"\$(\d+)", statement)), default=0)
            await raw.execute(statement, *args[:used])
        await conn.commit()


async def timers(db: Database, n: int, seconds: float) -> None:
    await _exec(db, CONVERSATIONS, 1, n, "open", 1.0)
    # Clocks with warnings evenly due over the next hour (first response 1 h, warn at 80 %).
    await _exec(
        db,
        """
        INSERT INTO conversation_sla (conversation_id, policy_id, started_at, first_response_due, first_response_warn,
                                      resolution_due, resolution_warn, alerted, breached, next_check_at)
        SELECT g, 1, t, t + interval '1 hour', t + interval '48 minutes', t + interval '8 hours',
               t + interval '384 minutes', 0, 0, t + interval '48 minutes'
        FROM (SELECT g, now() - interval '48 minutes' + (g::float / $1) * interval '1 hour' AS t
              FROM generate_series(1, $1::bigint) g) s
        """,
        n,
    )
    async with db.engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()
    # Quiet steady state first: every clock's next moment an hour or more away (nothing due in the window).
    await _exec(db, "UPDATE conversation_sla SET next_check_at = next_check_at + interval '2 hours'")
    worker = sla_worker.SlaWorker(db)
    task = asyncio.create_task(worker.run())
    await asyncio.wait_for(worker.active.wait(), 10)
    t0, c0 = time.monotonic(), time.process_time()
    await asyncio.sleep(seconds)
    quiet = (time.process_time() - c0) / (time.monotonic() - t0)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await _exec(db, "UPDATE conversation_sla SET next_check_at = next_check_at - interval '2 hours'")
    print(f"timers: {n:,} open clocks, none due: worker process CPU {quiet * 100:.2f}% of one core")
    # Baseline: the process idling.
    t0, c0 = time.monotonic(), time.process_time()
    await asyncio.sleep(seconds)
    idle = (time.process_time() - c0) / (time.monotonic() - t0)
    worker = sla_worker.SlaWorker(db)
    sla_worker.STATS.update(ticks=0, alerts=0)
    task = asyncio.create_task(worker.run())
    await asyncio.wait_for(worker.active.wait(), 10)
    await asyncio.sleep(2)  # the backlog of the first seconds
    start_alerts, start_ticks = sla_worker.STATS["alerts"], sla_worker.STATS["ticks"]
    t0, c0 = time.monotonic(), time.process_time()
    await asyncio.sleep(seconds)
    wall = time.monotonic() - t0
    busy = (time.process_time() - c0) / wall
    alerts, ticks = sla_worker.STATS["alerts"] - start_alerts, sla_worker.STATS["ticks"] - start_ticks
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    # The database side: one idle tick (nothing due) timed.
    probe = []
    far_past = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    for _ in range(20):
        t = time.perf_counter()
        await worker.tick(far_past)
        probe.append(time.perf_counter() - t)
    print(f"timers: {n:,} open clocks, {alerts / wall:.1f} alerts/s over {wall:.0f} s in {ticks} ticks")
    print(
        f"  worker process CPU {busy * 100:.2f}% of one core (idle baseline {idle * 100:.2f}%, "
        f"net {(busy - idle) * 100:.2f}%; target < 5%)"
    )
    print(f"  an empty tick (index probe + next due) p50 {statistics.median(probe) * 1000:.2f} ms round trip")


async def report(db: Database, n: int, offset: int) -> None:
    await _exec(db, CONVERSATIONS, offset + 1, offset + n, "resolved", 30 * 86400.0)
    await _exec(
        db,
        """
        INSERT INTO conversation_sla (conversation_id, policy_id, started_at, first_response_due, first_response_at,
                                      resolution_due, resolved_at, alerted, breached, next_check_at)
        SELECT c.id, CASE WHEN c.id % 3 = 0 THEN 1 END, c.created_at, c.created_at + interval '1 hour',
               c.created_at + (random() * 7200) * interval '1 second', c.created_at + interval '8 hours',
               c.created_at + (random() * 86400) * interval '1 second', 0,
               CASE WHEN c.id % 17 = 0 THEN 2 ELSE 0 END, NULL
        FROM conversations c WHERE c.id BETWEEN $1 AND $2
        """,
        offset + 1,
        offset + n,
    )
    await _exec(
        db,
        """
        INSERT INTO csat_surveys (conversation_id, customer_id, channel_id, queue_id, requested_at, score, answered_at)
        SELECT c.id, c.customer_id, c.channel_id, 1, c.created_at, 1 + c.id % 5, c.created_at + interval '1 hour'
        FROM conversations c WHERE c.id BETWEEN $1 AND $2 AND c.id % 4 = 0
        """,
        offset + 1,
        offset + n,
    )
    async with db.engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()
    end = dt.datetime.now(dt.UTC)
    f = analytics.Filters(end - dt.timedelta(days=30), end)
    runs, base = [], []
    for _ in range(5):
        async with db.session() as session:
            t = time.perf_counter()
            await session.scalar(text("SELECT count(*) FROM conversation_sla"))
            base.append(time.perf_counter() - t)
            t = time.perf_counter()
            await analytics.summary_figures(session, f)
            await analytics.waiting(session, f)
            runs.append(time.perf_counter() - t)
    p50, b50 = statistics.median(runs), statistics.median(base)
    print(f"report: 30-day summary over {n:,} conversations (+ the open ones): p50 {p50 * 1000:.0f} ms")
    print(f"  max {max(runs) * 1000:.0f} ms; baseline count(*) of the roll-up p50 {b50 * 1000:.0f} ms")
    print(f"  ratio {p50 / b50:.1f}x; target 1 s")


async def rebuild_bench(db: Database, n: int, offset: int) -> None:
    await _exec(db, CONVERSATIONS, offset + 1, offset + n, "resolved", 30 * 86400.0)
    await _exec(
        db,
        """
        INSERT INTO messages (conversation_id, channel_id, direction, kind, author_id, text, sent_at, created_at)
        SELECT c.id, c.channel_id, d, 'text', CASE WHEN d = 'out' THEN 1 END, 'x', c.created_at + o, c.created_at + o
        FROM conversations c, (VALUES ('in', interval '0'), ('out', interval '5 minutes')) AS v(d, o)
        WHERE c.id BETWEEN $1 AND $2
        """,
        offset + 1,
        offset + n,
    )
    t = time.perf_counter()
    done = await rebuild(db)
    took = time.perf_counter() - t
    print(f"rebuild: {done:,} conversations in {took:.1f} s ({done / took:,.0f} conversations/s)")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--report", type=int, default=300_000)
    parser.add_argument("--rebuild", type=int, default=20_000)
    parser.add_argument("--only", choices=["timers", "report", "rebuild"])
    args = parser.parse_args()
    for part in ("timers+report", "rebuild"):
        name = unique_name()
        url = pg_create_database(name)
        try:
            await asyncio.to_thread(migrate.upgrade, url)
            db = Database(url, pool_size=4)
            await _exec(db, SETUP)
            if part == "rebuild":
                if args.only in (None, "rebuild"):
                    await rebuild_bench(db, args.rebuild, 0)
            else:
                if args.only in (None, "timers"):
                    await timers(db, args.open, args.seconds)
                if args.only in (None, "report"):
                    await report(db, args.report, args.open)
            await db.dispose()
        finally:
            pg_drop_database(name)


if __name__ == "__main__":
    asyncio.run(main())
