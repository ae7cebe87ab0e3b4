"""The daily and hourly roll-ups: after a random sequence of events spread over days (messages, replies, status changes,
transfers, survey answers), the incrementally refreshed roll-up equals a full recomputation from the raw facts, and
a report read from roll-ups + raw edges equals the report read from the raw facts alone; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import random

import pytest
from sqlalchemy import text

from omnidesk.domain.metrics import BANDS, INTERVALS, TIMESERIES, band_of
from omnidesk.server.analytics import rollup, service
from omnidesk.server.analytics.models import BUSINESS_COLUMNS, COLUMNS, HOURLY_COLUMNS

DAY, HOUR = dt.timedelta(days=1), dt.timedelta(hours=1)
SHIFTED = ("started_at", "first_response_at", "resolved_at", "first_response_due", "resolution_due")
EXACT = ("conversations", "resolved", "frt_mean", "resolution_mean", "fcr", "abandonment", "sla_compliance",
         "sla_breaches", "csat", "csat_responses", "csat_satisfied", "nps", "nps_responses", "nrt_mean",
         "nrt_responses")  # fmt: skip


async def _table(api, r: rollup.Rollup | None = None) -> dict:
    """A roll-up summed per key: ``r``'s daily table by day and its keys; by default every daily roll-up and the
    hourly (by hour, channel, queue) together."""
    tables = [
        (x.table, "day", ", ".join(x.keys), x.columns)
        for x in ((r,) if r else tuple(x for x in rollup.ROLLUPS if x is not rollup.BUSINESS))
    ]
    if r is None:
        tables.append(("analytics_hourly", "hour", "channel_id, queue_id", HOURLY_COLUMNS))
        tables.append(("analytics_hourly_segment", "hour", "segment", HOURLY_COLUMNS))
    out = {}
    async with api.db.session() as session:
        for table, bucket, keys, columns in tables:
            sums = ", ".join(f"sum({c})" for c in columns)
            rows = await session.execute(
                text(f"SELECT {bucket}, {keys}, {sums} FROM {table} GROUP BY {bucket}, {keys}")
            )
            width = 1 + keys.count(",") + 1
            out |= {
                (table, str(row[0]), *row[1:width]): tuple(round(float(x), 6) for x in row[width:])
                for row in rows
                if any(row[width:])  # a day (an hour) whose facts all moved away leaves no row
            }
    return out


def _summed(table: dict, name: str, column: str) -> float:
    hourly = {"analytics_hourly": HOURLY_COLUMNS, "analytics_hourly_segment": HOURLY_COLUMNS}
    business = {r.table: BUSINESS_COLUMNS for r in (rollup.BY_SEGMENT_BUSINESS, rollup.BY_OPERATOR_SEGMENT_BUSINESS)}
    columns = {**hourly, **business}.get(name, COLUMNS)
    return sum(v[columns.index(column)] for k, v in table.items() if k[0] == name)


async def _history(api, rnd: random.Random, steps: int) -> list[int]:
    sup = await api.headers_for("sup", "supervisor")
    await api.client.post(
        "/api/v1/sla/policies", json={"name": "p", "first_response_seconds": 60, "resolution_seconds": 600}, headers=sup
    )
    office = {"tz": "Europe/Kyiv", "week": {str(d): [["09:00", "13:00"]] for d in range(5)}, "holidays": []}
    r = await api.client.post("/api/v1/queues", json={"name": "Office", "calendar": office}, headers=sup)
    assert r.status_code == 201, r.text  # channel A's conversations count business time in office hours
    channels = [await api.channel("A", queue_id=r.json()["id"]), await api.channel("B")]
    phones = [f"+38067{n:07d}" for n in rnd.sample(range(10**6, 10**7), 5)]
    known: list[int] = []
    for step in range(steps):
        op = rnd.random()
        if op < 0.4 or not known:
            channel_id, token = rnd.choice(channels)
            ack = await api.inbound(channel_id, token, f"r-{step}", value=rnd.choice(phones), text="Hello")
            if ack.json()["conversation_id"] not in known:
                known.append(ack.json()["conversation_id"])
            continue
        base = f"/api/v1/conversations/{rnd.choice(known)}"
        if op < 0.65:
            await api.client.post(f"{base}/messages", json={"text": "On it"}, headers=sup)
        else:
            status = rnd.choice(["pending", "open", "resolved", "resolved"])
            await api.client.post(f"{base}/status", json={"status": status}, headers=sup)
    return known


async def _scatter(api, rnd: random.Random, conversations: list[int]) -> None:
    """Move each conversation's facts some days and hours back, and answer some surveys: every change through the
    tables' triggers, as any writer's would be."""
    async with api.db.session() as session:
        sqlite = api.db.sqlite
        for cid in conversations:
            seconds = rnd.randrange(0, 6 * 86400)

            def shift(c, s=seconds):
                return f"datetime({c}, '-{s} seconds')" if sqlite else f"{c} - interval '{s} seconds'"

            sets = ", ".join(f"{c} = {shift(c)}" for c in SHIFTED)
            await session.execute(text(f"UPDATE conversation_sla SET {sets} WHERE conversation_id = :c"), {"c": cid})
            await session.execute(
                text(f"UPDATE conversations SET created_at = {shift('created_at')} WHERE id = :c"), {"c": cid}
            )
            await session.execute(
                text(f"UPDATE messages SET created_at = {shift('created_at')} WHERE conversation_id = :c"), {"c": cid}
            )
            if rnd.random() < 0.5:
                at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds / 2)
                await session.execute(
                    text(
                        "INSERT INTO csat_surveys (conversation_id, customer_id, channel_id, queue_id, operator_id,"
                        " requested_at, score, nps, answered_at) SELECT id, customer_id, channel_id, queue_id,"
                        " assignee_id, :at, :score, :nps, :at FROM conversations WHERE id = :c"
                    ),
                    {
                        "c": cid,
                        "at": at.replace(tzinfo=None) if sqlite else at,
                        "score": rnd.randint(1, 5),
                        "nps": rnd.choice([None, *range(11)]),
                    },
                )
        await session.commit()


@pytest.mark.parametrize("seed", [3, 4])
async def test_refreshed_rollups_equal_a_recomputation_and_reports_equal_the_raw_path(api, seed):
    rnd = random.Random(seed)
    conversations = await _history(api, rnd, 45)
    await rollup.refresh(api.db)  # today's facts
    await _scatter(api, rnd, conversations)
    await rollup.refresh(api.db)
    refreshed = await _table(api)
    business = await _table(api, rollup.BUSINESS)
    assert refreshed and business
    assert _summed(refreshed, "analytics_hourly", "conversations") == _summed(
        refreshed, "analytics_daily", "conversations"
    )
    await rollup.rebuild_all(api.db)
    assert await _table(api) == refreshed
    assert await _table(api, rollup.BUSINESS) == business

    # Customer segments (a key of every roll-up): set, changed, and a conversation moved to another customer (as a
    # merge does); each through the triggers, the refreshed roll-ups equal to a rebuild.
    segments = ["vip", "retail", None, ""]
    async with api.db.session() as session:
        customers = (await session.scalars(text("SELECT id FROM customers ORDER BY id"))).all()
        for customer in customers:
            await session.execute(
                text("UPDATE customers SET segment = :s WHERE id = :c"), {"s": rnd.choice(segments), "c": customer}
            )
        await session.commit()
    await rollup.refresh(api.db)
    refreshed = await _table(api)
    assert {k[4] for k in refreshed if k[0] == "analytics_daily_segment"} > {None}  # the customers' segments
    async with api.db.session() as session:
        await session.execute(
            text("UPDATE customers SET segment = 'corporate' WHERE id = :c"), {"c": rnd.choice(customers)}
        )
        await session.execute(
            text("UPDATE conversations SET customer_id = :c WHERE id = :v"),
            {"c": rnd.choice(customers), "v": rnd.choice(conversations)},
        )
        await session.commit()
    await rollup.refresh(api.db)
    refreshed = await _table(api)
    business = await _table(api, rollup.BUSINESS)
    assert "corporate" in {k[4] for k in refreshed if k[0] == "analytics_daily_segment"}
    for column in ("conversations", "csat_n", "nrt_n", "fcr_count"):  # by segment adds up to the whole
        for table in ("analytics_daily_segment", "analytics_daily_operator_segment"):
            assert _summed(refreshed, table, column) == _summed(refreshed, "analytics_daily", column), (table, column)
    for column in ("conversations", "csat_n", "nrt_b0", "frt_b3"):
        assert _summed(refreshed, "analytics_hourly_segment", column) == _summed(refreshed, "analytics_hourly", column)
    await rollup.rebuild_all(api.db)
    assert await _table(api) == refreshed
    assert await _table(api, rollup.BUSINESS) == business

    # Replies and customer messages in conversations of earlier days (their clock rows may not change: the policy
    # has no next-response target): the messages' own triggers mark those days.
    sup = {"Authorization": f"Bearer {(await api.login('sup'))['access_token']}"}
    for cid in rnd.sample(conversations, min(4, len(conversations))):
        await api.client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "And also"}, headers=sup)
        now = dt.datetime.now(dt.UTC)
        async with api.db.session() as session:
            await session.execute(
                text(
                    "INSERT INTO messages (conversation_id, channel_id, direction, kind, text, sent_at, created_at)"
                    " SELECT id, channel_id, 'in', 'text', 'Thanks', :at, :at FROM conversations WHERE id = :c"
                ),
                {"c": cid, "at": now.replace(tzinfo=None) if api.db.sqlite else now},
            )
            await session.commit()
        await api.client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "Welcome"}, headers=sup)
    await rollup.refresh(api.db)
    refreshed = await _table(api)
    business = await _table(api, rollup.BUSINESS)
    assert _summed(refreshed, "analytics_daily", "nrt_n") >= 4  # each of them has a wait now
    assert sum(_summed(refreshed, "analytics_hourly", f"nrt_b{i}") for i in range(len(BANDS))) == _summed(
        refreshed, "analytics_daily", "nrt_n"
    )
    frt_n = rollup.BUSINESS.columns.index("frt_n")
    assert sum(v[frt_n] for v in business.values()) == _summed(refreshed, "analytics_daily", "frt_n")
    await rollup.rebuild_all(api.db)
    assert await _table(api) == refreshed
    assert await _table(api, rollup.BUSINESS) == business

    # A period with ragged edges in Kyiv's time, and days changed after the last refresh (dirty: read raw): a breach,
    # a customer's new segment.
    async with api.db.session() as session:
        await session.execute(text("UPDATE conversation_sla SET breached = 1 WHERE conversation_id = :c"),
                              {"c": conversations[0]})  # fmt: skip
        await session.execute(text("UPDATE customers SET segment = 'vip' WHERE id = :c"), {"c": customers[0]})
        await session.commit()
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(days=5, hours=7), now + dt.timedelta(minutes=1)
    periods = [service.Filters(start, end, timezone="Europe/Kyiv")]
    periods += [service.Filters(start, end, timezone="Europe/Kyiv", segment=s) for s in ("vip", "")]
    # Edges read raw, or as their day's roll-up row less the raw facts outside (rollup._plan): each kind once.
    midnight = dt.datetime.combine(now.date(), dt.time(), dt.UTC)
    edges = [
        (midnight - 3 * DAY + 3 * HOUR, now + dt.timedelta(minutes=1)),  # the first day less its first 3 h
        (midnight - 3 * DAY + 20 * HOUR, midnight - 2 * HOUR),  # 4 h raw; the day before today less its last 2 h
        (midnight - 2 * DAY + HOUR, midnight - 2 * DAY + 23 * HOUR),  # inside one day: the day less 2 h
        (midnight - 2 * DAY + 9 * HOUR, midnight - 2 * DAY + 15 * HOUR),  # inside one day: 6 h raw
    ]
    for low, high in edges:
        plan = rollup._plan(low, high, set(), now)
        assert plan.add or plan.subtract, (low, high)
    for f in [*periods, *(service.Filters(low, high) for low, high in edges)]:
        for business in (False, True):
            async with api.db.session() as session:
                rolled = await service.summary(session, f, business=business, exact_limit=-1)
                raw = await service.summary_figures(session, f, business=business)
            _same(rolled, raw)
    # The groups by segment add up to the total, and a segment's filter gives its group's figures.
    whole, vip, none = [await _summary(api, g) for g in periods]
    by_segment = whole["segment"]
    assert (
        len(by_segment) >= 2
        and sum(g["conversations"] for g in by_segment.values()) == whole[None][""]["conversations"]
    )
    for key, filtered in (("vip", vip), (None, none)):
        assert {m: filtered[None].get("", service.EMPTY)[m] for m in EXACT} == pytest.approx(
            {m: by_segment.get(key, service.EMPTY)[m] for m in EXACT}, abs=1.5e-3
        ), key
        assert set(filtered["segment"]) <= {key}

    # The time series of the same period from the hourly roll-up (+ raw edges and the dirty days) equal the raw
    # path's; for one segment too.
    async with api.db.session() as session:
        for f in periods[:2]:
            for metric in TIMESERIES:
                for interval in INTERVALS if f.segment is None else ("day",):
                    raw = await service.series_from_facts(session, f, interval, metric)
                    rolled = await service.series(session, f, interval, metric, exact_limit=-1)
                    assert set(rolled) == set(raw), (metric, interval)
                    for bucket, figures in raw.items():
                        where = (metric, interval, bucket, f.segment)
                        if metric in PERCENTILES:
                            assert_in_band(figures[metric], rolled[bucket][metric], where)
                        else:
                            assert rolled[bucket][metric] == pytest.approx(figures[metric]), where


async def _summary(api, f: service.Filters) -> dict:
    async with api.db.session() as session:
        return await service.summary(session, f, exact_limit=-1)


def test_the_plan_reads_the_smaller_part_of_each_partial_day():
    """rollup._plan: a partial edge day reads its raw facts inside the period, or its roll-up row less the raw facts
    outside when those are fewer hours (or lie after now); dirty days always raw."""
    d = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    now = d + 14 * HOUR
    plan = rollup._plan(d - 29 * DAY - 16 * HOUR, now, set(), now)  # "the last 30 days" at 14:00
    assert (plan.first, plan.last) == ((d - 30 * DAY).date(), (d + DAY).date())
    assert plan.add == [] and plan.subtract == [(d - 30 * DAY, d - 29 * DAY - 16 * HOUR), (now, d + DAY)]
    plan = rollup._plan(d - 29 * DAY - 4 * HOUR, now, set(), now)  # 4 h of the first day: read them
    assert plan.first == (d - 29 * DAY).date() and plan.add == [(d - 29 * DAY - 4 * HOUR, d - 29 * DAY)]
    plan = rollup._plan(d - 29 * DAY - 4 * HOUR, now, {(d - 3 * DAY).date(), d.date()}, now)  # dirty: raw
    assert plan.add == [(d - 29 * DAY - 4 * HOUR, d - 29 * DAY), (d - 3 * DAY, d - 2 * DAY), (d, now)]
    assert plan.subtract == [] and plan.last == d.date()
    today = rollup._plan(d + HOUR, d + 23 * HOUR, set(), now)  # 1 h raw, the rest lies after now
    assert today.add == [] and today.subtract == [(d, d + HOUR), (d + 23 * HOUR, d + DAY)]
    one = rollup._plan(d - DAY + HOUR, d - DAY + 23 * HOUR, set(), now)
    assert one.add == [] and one.subtract == [(d - DAY, d - DAY + HOUR), (d - DAY + 23 * HOUR, d)]
    six = (d - DAY + 9 * HOUR, d - DAY + 15 * HOUR)
    assert rollup._plan(*six, set(), now) == rollup.Plan(six[0].date(), six[0].date(), [six], [])
    assert rollup._plan(d - 2 * DAY, d, set(), now) == rollup.Plan((d - 2 * DAY).date(), d.date(), [], [])


def _same(rolled: dict, raw: dict) -> None:
    for by in rollup.BYS:
        assert set(rolled[by]) == set(raw[by]), by
        for key, figures in raw[by].items():
            # Both sides are rounded to 3 decimals (service._finish): a mean on a rounding edge may differ by 0.001
            # (and the float sums of roll-up rows less raw facts by a few ulps more).
            expected = pytest.approx({m: rolled[by][key][m] for m in EXACT}, abs=1.5e-3)
            assert {m: figures[m] for m in EXACT} == expected, (by, key)
            for m in PERCENTILES:
                assert_in_band(figures[m], rolled[by][key][m], (by, key, m))


PERCENTILES = ("frt_median", "frt_p90", "resolution_median", "resolution_p90", "nrt_median", "nrt_p90")


def assert_in_band(exact: float | None, estimate: float | None, where) -> None:
    """A percentile estimated from the duration bands lies in the band of the exact nearest-rank value."""
    assert (exact is None) == (estimate is None), where
    if exact is not None:
        band = band_of(exact)
        assert BANDS[band] <= estimate <= (BANDS[band + 1] if band + 1 < len(BANDS) else estimate), where


async def test_concurrent_writers_and_refreshes_leave_the_rollup_exact(api):
    channel_id, token = await api.channel()
    sup = await api.headers_for("sup", "supervisor")

    async def writer(w: int) -> None:
        for i in range(12):
            ack = await api.inbound(channel_id, token, f"w{w}-{i}", value=f"+3806300{w:02d}{i:03d}", text="Hi")
            conversation = ack.json()["conversation_id"]
            await api.client.post(f"/api/v1/conversations/{conversation}/messages", json={"text": "ok"}, headers=sup)

    async def refresher(stop: asyncio.Event) -> None:
        while not stop.is_set():
            await rollup.refresh(api.db)
            await asyncio.sleep(0)

    stop = asyncio.Event()
    refreshing = [asyncio.create_task(refresher(stop)) for _ in range(2)]
    await asyncio.gather(*(writer(w) for w in range(4)))
    stop.set()
    await asyncio.gather(*refreshing)
    await rollup.refresh(api.db)
    live = await _table(api)
    await rollup.rebuild_all(api.db)
    assert await _table(api) == live
    assert _summed(live, "analytics_daily", "conversations") == 48
    assert _summed(live, "analytics_hourly", "conversations") == 48
