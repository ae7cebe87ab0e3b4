"""The time series' hourly roll-up (omnidesk.server.analytics.hourly), on SQLite and PostgreSQL: on a generated
history across Kyiv's DST change, with a day changed after the last refresh (dirty) and a period with partial edge
hours, every time series metric at every interval, in UTC and in Kyiv, reads from the roll-up what the raw path reads
(counts and ratios exactly, medians inside the band of the exact value); an operator filter, a half-hour zone
(Asia/Kolkata) or business hours fall back to the raw path; and which zones the roll-up can answer for."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import text

from omnidesk.domain.metrics import INTERVALS, TIMESERIES
from omnidesk.server.admin.models import Channel
from omnidesk.server.analytics import hourly, rollup, service
from omnidesk.server.conversations.models import Conversation, Message
from omnidesk.server.csat.models import CsatSurvey
from omnidesk.server.customers.models import Customer
from omnidesk.server.queues.models import Queue
from omnidesk.server.sla.models import ConversationSla
from tests.server.test_analytics_rollup import PERCENTILES, assert_in_band

UTC = dt.UTC
START = dt.datetime(2026, 10, 19, 7, 23, tzinfo=UTC)  # Kyiv leaves summer time on 25 October 2026, 01:00 UTC
END = dt.datetime(2026, 11, 2, 13, 41, tzinfo=UTC)
DIRTY = dt.date(2026, 10, 27)
DURATIONS = (0, 4, 5, 59, 60, 299, 300, 301, 1800, 7200, 90000)  # some on the bands' bounds


def _at(rnd: random.Random) -> dt.datetime:
    seconds = int((END - START).total_seconds()) + 12 * 3600
    return START - dt.timedelta(hours=6) + dt.timedelta(seconds=rnd.randrange(seconds))


async def _history(api, rnd: random.Random) -> dict:
    alice, bob = (await api.user("alice"))["id"], (await api.user("bob"))["id"]
    async with api.db.session() as session:
        channels = [Channel(kind="webchat", name="chat", token_hash="a" * 64), Channel(kind="email", name="mail",
                                                                                      token_hash="b" * 64)]  # fmt: skip
        queues = [Queue(name="first line"), Queue(name="second line")]
        customers = [Customer(display_name=f"c{i}") for i in range(8)]
        session.add_all([*channels, *queues, *customers])
        await session.flush()
        starts = [_at(rnd) for _ in range(160)]
        # The edges' partial hours, just outside them, and both 03:30s of Kyiv's DST change night.
        starts += [START + dt.timedelta(minutes=5), START - dt.timedelta(minutes=5), END - dt.timedelta(minutes=5)]
        starts += [END + dt.timedelta(minutes=5), dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]
        starts += [dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)] * 2
        starts += [dt.datetime(2026, 10, 27, 9, tzinfo=UTC) + dt.timedelta(minutes=7 * i) for i in range(6)]  # DIRTY
        for started in starts:
            channel = rnd.choice(channels)
            conv = Conversation(
                customer_id=rnd.choice(customers).id,
                channel_id=channel.id,
                queue_id=rnd.choice([None, *(q.id for q in queues)]),
                assignee_id=rnd.choice([None, alice, bob]),
                status="open",
                created_at=started,
                last_message_at=started,
            )
            session.add(conv)
            await session.flush()
            frt = rnd.choice([None, *DURATIONS])
            res = rnd.choice([None, *DURATIONS[4:]])
            policy = rnd.choice([None, 1])
            session.add(
                ConversationSla(
                    conversation_id=conv.id,
                    policy_id=policy,
                    started_at=started,
                    first_response_due=started + dt.timedelta(seconds=300) if policy and rnd.random() < 0.7 else None,
                    first_response_at=started + dt.timedelta(seconds=frt) if frt is not None else None,
                    resolution_due=started + dt.timedelta(hours=1) if policy and rnd.random() < 0.5 else None,
                    resolved_at=started + dt.timedelta(seconds=res) if res is not None else None,
                    alerted=0,
                    breached=rnd.choice([0, 0, 1]),
                )
            )
            at, out = started, False
            for _ in range(rnd.choice([0, 2, 4, 5])):  # customer, reply, customer, reply ...: the waits
                session.add(
                    Message(
                        conversation_id=conv.id,
                        channel_id=channel.id,
                        direction="out" if out else "in",
                        author_id=alice if out else None,
                        text="x",
                        sent_at=at,
                        created_at=at,
                    )
                )
                at, out = at + dt.timedelta(seconds=rnd.choice(DURATIONS)), not out
            if rnd.random() < 0.4:
                answered = _at(rnd)
                score, nps = rnd.choice([None, 1, 2, 3, 4, 5]), rnd.choice([None, 0, 7, 10, 9])
                session.add(CsatSurvey(conversation_id=conv.id, customer_id=conv.customer_id, channel_id=channel.id,
                                       queue_id=conv.queue_id, operator_id=conv.assignee_id, requested_at=answered,
                                       score=score, nps=nps, answered_at=answered))  # fmt: skip
        await session.commit()
    return {"alice": alice, "channel": channels[0].id, "queue": queues[0].id}


async def _dirty_day(api) -> None:
    """Change the facts of DIRTY after the refresh: a stale roll-up would read the old figures."""
    sqlite = api.db.sqlite
    low, high = dt.datetime(2026, 10, 27, tzinfo=UTC), dt.datetime(2026, 10, 28, tzinfo=UTC)
    bounds = {"lo": low.replace(tzinfo=None), "hi": high.replace(tzinfo=None)} if sqlite else {"lo": low, "hi": high}
    seven = "datetime(started_at, '+7 seconds')" if sqlite else "started_at + interval '7 seconds'"
    async with api.db.session() as session:
        changed = await session.execute(
            text(
                f"UPDATE conversation_sla SET first_response_at = {seven}, resolved_at = NULL, breached = 1,"
                " policy_id = 1 WHERE started_at >= :lo AND started_at < :hi"
            ),
            bounds,
        )
        assert changed.rowcount >= 6
        await session.commit()
    async with api.db.session() as session:
        marked = await session.scalar(text("SELECT count(*) FROM analytics_dirty"))
    assert marked


def _compare(raw: dict, rolled: dict, metric: str, where) -> None:
    assert set(rolled) == set(raw), where
    for bucket, figures in raw.items():
        if metric in PERCENTILES:
            assert_in_band(figures[metric], rolled[bucket][metric], (where, bucket))
        else:
            assert rolled[bucket][metric] == pytest.approx(figures[metric]), (where, bucket)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Kyiv"])
async def test_series_from_the_hourly_rollup_equal_the_raw_path(api, zone):
    rnd = random.Random(24)
    ids = await _history(api, rnd)
    await rollup.refresh(api.db)
    async with api.db.session() as session:
        assert await session.scalar(text("SELECT count(*) FROM analytics_hourly")) > 100
    await _dirty_day(api)
    f = service.Filters(START, END, timezone=zone)
    assert hourly.usable("sqlite" if api.db.sqlite else "postgresql", f)
    points = 0
    async with api.db.session() as session:
        for metric in TIMESERIES:
            for interval in INTERVALS:
                raw = await service.series_from_facts(session, f, interval, metric)
                rolled = await service.series(session, f, interval, metric, exact_limit=-1)
                _compare(raw, rolled, metric, (metric, interval))
                points += len(raw)
            for scope in ({"channel_id": ids["channel"]}, {"queue_id": ids["queue"]}, {"segment": ""}):
                g = service.Filters(START, END, timezone=zone, **scope)
                raw = await service.series_from_facts(session, g, "day", metric)
                _compare(raw, await service.series(session, g, "day", metric, exact_limit=-1), metric, scope)
        hours = await service.series(session, f, "hour", "conversations", exact_limit=-1)
    assert points > 400
    if zone == "Europe/Kyiv" and not api.db.sqlite:  # both 03:30s of the night the clocks went back: one bucket
        assert hours["2026-10-25T03:00"]["conversations"] >= 3

    # The roll-up is what answered: a corrupted table shows in the series, not in the raw path.
    async with api.db.session() as session:
        await session.execute(text("UPDATE analytics_hourly SET conversations = conversations + 1000"))
        await session.commit()
    async with api.db.session() as session:
        rolled = await service.series(session, f, "week", "conversations", exact_limit=-1)
        raw = await service.series_from_facts(session, f, "week", "conversations")
    assert sum(v["conversations"] for v in rolled.values()) > sum(v["conversations"] for v in raw.values()) + 1000
    async with api.db.session() as session:  # and the segment's (the customers here have none: segment "")
        await session.execute(text("UPDATE analytics_hourly_segment SET conversations = conversations + 1000"))
        await session.commit()
    g = service.Filters(START, END, timezone=zone, segment="")
    async with api.db.session() as session:
        rolled = await service.series(session, g, "week", "conversations", exact_limit=-1)
        raw = await service.series_from_facts(session, g, "week", "conversations")
    assert sum(v["conversations"] for v in rolled.values()) > sum(v["conversations"] for v in raw.values()) + 1000
    assert not hourly.usable("postgresql", service.Filters(START, END, segment="vip", queue_id=ids["queue"]))


async def test_an_operator_filter_or_a_half_hour_zone_reads_the_raw_path(api):
    ids = await _history(api, random.Random(7))
    await rollup.refresh(api.db)
    # Below the exact limit a percentile metric reads the raw facts (exact medians, not the bands' estimates).
    f = service.Filters(START, END)
    async with api.db.session() as session:
        exact = await service.series_from_facts(session, f, "day", "frt_median")
        assert await service.series(session, f, "day", "frt_median") == exact
        assert await service.series(session, f, "day", "frt_median", exact_limit=-1) != exact
    async with api.db.session() as session:  # a roll-up that would be seen if it were read
        await session.execute(text("UPDATE analytics_hourly SET conversations = conversations + 1000"))
        await session.commit()
    for f in (
        service.Filters(START, END, operator_id=ids["alice"]),
        service.Filters(START, END, timezone="Asia/Kolkata"),
    ):
        async with api.db.session() as session:
            for interval in INTERVALS:
                raw = await service.series_from_facts(session, f, interval, "conversations")
                assert raw
                assert await service.series(session, f, interval, "conversations", exact_limit=-1) == raw
    # A count reads the roll-up at any size (exact there); in business hours the raw facts (wall-clock roll-up).
    f = service.Filters(START, END)
    async with api.db.session() as session:
        raw = await service.series_from_facts(session, f, "day", "conversations", business=True)
        assert await service.series(session, f, "day", "conversations", business=True, exact_limit=-1) == raw
        rolled = await service.series(session, f, "day", "conversations")
        raw = await service.series_from_facts(session, f, "day", "conversations")
    assert sum(v["conversations"] for v in rolled.values()) > sum(v["conversations"] for v in raw.values())


@pytest.mark.parametrize(
    ("zone", "dialect", "usable"),
    [
        ("UTC", "postgresql", True),
        ("Europe/Kyiv", "postgresql", True),  # +3 then +2: whole hours across the change
        ("America/St_Johns", "postgresql", False),  # -02:30
        ("Asia/Kolkata", "postgresql", False),
        ("Australia/Lord_Howe", "postgresql", False),  # +11 then +10:30 from April
        ("Australia/Lord_Howe", "sqlite", True),  # SQLite applies the offset at the start (+11) to the whole period
        ("Asia/Kolkata", "sqlite", False),
    ],
)
def test_which_zones_the_hourly_rollup_answers_for(zone, dialect, usable):
    f = service.Filters(dt.datetime(2026, 3, 20, tzinfo=UTC), dt.datetime(2026, 4, 20, tzinfo=UTC), timezone=zone)
    assert hourly.usable(dialect, f) is usable
    assert not hourly.usable(dialect, service.Filters(f.start, f.end, operator_id=1))


def test_the_plan_reads_partial_edge_hours_and_dirty_days_raw():
    start, end = dt.datetime(2026, 10, 26, 22, 10, tzinfo=UTC), dt.datetime(2026, 10, 28, 3, 0, tzinfo=UTC)
    first, last, ranges = hourly.plan(start, end, {dt.date(2026, 10, 27), dt.date(2026, 10, 20)})
    assert (first, last) == (dt.datetime(2026, 10, 26, 23, tzinfo=UTC), end)
    assert ranges == [(start, first), (dt.datetime(2026, 10, 27, tzinfo=UTC), dt.datetime(2026, 10, 28, tzinfo=UTC))]
    inside = dt.datetime(2026, 10, 26, 22, 50, tzinfo=UTC)
    assert hourly.plan(start, inside, set())[2] == [(start, inside)]
