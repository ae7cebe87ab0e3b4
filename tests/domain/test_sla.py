"""SLA arithmetic on hand-made histories with known answers: business hours across weekends, holidays, a DST change,
pauses while pending, next-response clocks, warnings and breaches."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omnidesk.domain import sla

KYIV = "Europe/Kyiv"
UTC = dt.UTC
H = 3600


def kyiv(*args) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime(*args, tzinfo=ZoneInfo(KYIV))


OFFICE_UA = sla.Calendar.from_config(
    timezone=KYIV,
    hours={d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    country="UA",
)


def test_friday_evening_message_is_due_monday_morning():
    # Fri 2026-11-27 17:30 local; 1 h of business time: 30 min on Friday, 30 min on Monday 09:00.
    due = sla.add_business(OFFICE_UA, kyiv(2026, 11, 27, 17, 30), H)
    assert due == kyiv(2026, 11, 30, 9, 30)
    assert sla.business_seconds(OFFICE_UA, kyiv(2026, 11, 27, 17, 30), due) == H


def test_message_outside_hours_waits_for_the_opening():
    assert sla.add_business(OFFICE_UA, kyiv(2026, 12, 1, 6, 0), 600) == kyiv(2026, 12, 1, 9, 10)
    assert sla.add_business(OFFICE_UA, kyiv(2026, 12, 1, 19, 0), 600) == kyiv(2026, 12, 2, 9, 10)
    assert sla.business_seconds(OFFICE_UA, kyiv(2026, 12, 1, 19, 0), kyiv(2026, 12, 2, 8, 0)) == 0


def test_ukrainian_public_holiday_is_skipped():
    # 2021-01-01 (Friday) was New Year's Day in Ukraine: a message on Thursday 31 Dec at 17:00 with 2 h gets one hour
    # that evening and the second after the holiday and the weekend, on Monday 4 January.
    assert OFFICE_UA.is_holiday(dt.date(2021, 1, 1)) and not OFFICE_UA.is_holiday(dt.date(2020, 12, 31))
    assert sla.add_business(OFFICE_UA, kyiv(2020, 12, 31, 17, 0), 2 * H) == kyiv(2021, 1, 4, 10, 0)
    # Under martial law (since 2022) Ukraine's public holidays are working days; the holidays package knows it.
    assert not OFFICE_UA.is_holiday(dt.date(2025, 1, 1))
    assert sla.add_business(OFFICE_UA, kyiv(2024, 12, 31, 17, 0), 2 * H) == kyiv(2025, 1, 1, 10, 0)


def test_kazakh_calendar_knows_its_own_holidays():
    almaty = sla.Calendar.from_config(
        timezone="Asia/Almaty", hours={"mon": [["09:00", "18:00"]], "tue": [["09:00", "18:00"]]}, country="KZ"
    )
    assert almaty.is_holiday(dt.date(2025, 3, 21))  # Nauryz
    assert not OFFICE_UA.is_holiday(dt.date(2025, 3, 21))


def test_closed_and_open_days_override_the_rules():
    cal = sla.Calendar.from_config(
        timezone=KYIV,
        hours={"mon": [["09:00", "18:00"]], "tue": [["09:00", "18:00"]]},
        closed_days=["2026-12-01"],
        open_days=["2026-12-05"],  # a Saturday made a working day
    )
    assert cal.is_holiday(dt.date(2026, 12, 1))
    assert cal.spans(dt.date(2026, 12, 5)) and not cal.spans(dt.date(2026, 12, 6))


def test_business_time_across_a_dst_change_counts_real_hours():
    # Around the clock in Kyiv: 2026-03-29 03:00 local jumps to 04:00, a 23-hour day.
    always_kyiv = sla.Calendar(timezone=KYIV, always=True)
    start, end = kyiv(2026, 3, 29, 0, 0), kyiv(2026, 3, 30, 0, 0)
    assert sla.business_seconds(always_kyiv, start, end) == 23 * H
    # Office hours keep to the wall clock: 09:00 local is 07:00 UTC in winter, 06:00 UTC in summer.
    assert OFFICE_UA.spans(dt.date(2026, 3, 27))[0][0] == dt.datetime(2026, 3, 27, 7, tzinfo=UTC)
    assert OFFICE_UA.spans(dt.date(2026, 3, 30))[0][0] == dt.datetime(2026, 3, 30, 6, tzinfo=UTC)


def test_split_shift_and_midnight_end():
    cal = sla.Calendar.from_config(timezone="UTC", hours={"mon": [["13:00", "24:00"], ["08:00", "12:00"]]})
    monday = dt.datetime(2026, 11, 30, 7, tzinfo=UTC)
    assert sla.add_business(cal, monday, 5 * H) == dt.datetime(2026, 11, 30, 14, tzinfo=UTC)
    assert sla.business_seconds(cal, monday, dt.datetime(2026, 12, 1, tzinfo=UTC)) == 15 * H


@pytest.mark.parametrize(
    "config",
    [
        {"timezone": "Mars/Olympus", "hours": {"mon": [["09:00", "18:00"]]}},
        {"hours": {}},
        {"hours": {"mon": [["18:00", "09:00"]]}},
        {"hours": {"funday": [["09:00", "18:00"]]}},
        {"hours": {"mon": [["9 am", "18:00"]]}},
        {"hours": {"mon": [["09:00", "18:00"]]}, "country": "XX"},
    ],
)
def test_bad_calendars_are_refused_with_a_reason(config):
    with pytest.raises(sla.CalendarError):
        sla.Calendar.from_config(**config)


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 1, 1), timezones=st.just(UTC)),
    seconds=st.integers(min_value=0, max_value=40 * H),
)
def test_add_business_and_business_seconds_are_inverse(start, seconds):
    due = sla.add_business(OFFICE_UA, start, seconds)
    assert due >= start
    assert sla.business_seconds(OFFICE_UA, start, due) == pytest.approx(seconds, abs=1e-6)


POLICIES = [
    sla.Policy(id=1, first_response=3600, next_response=None, resolution=None),
    sla.Policy(id=2, first_response=120, next_response=120, resolution=None, channel_kind="webchat"),
    sla.Policy(id=3, first_response=60, next_response=60, resolution=None, channel_kind="webchat", queue_id=7),
    sla.Policy(id=4, first_response=30, next_response=30, resolution=None, priority=3),
]


@pytest.mark.parametrize(
    ("queue", "kind", "priority", "expected"),
    [(1, "email", None, 1), (1, "webchat", None, 2), (7, "webchat", None, 3), (7, "email", 3, 4), (7, "webchat", 3, 3)],
)
def test_most_specific_policy_wins(queue, kind, priority, expected):
    chosen = sla.choose_policy(POLICIES, queue_id=queue, channel_kind=kind, priority=priority)
    assert chosen is not None and chosen.id == expected


CHAT = sla.Policy(id=9, first_response=120, next_response=300, resolution=4 * H, warn_fraction=0.5)
T0 = dt.datetime(2026, 12, 1, 10, tzinfo=UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_clock_first_response_then_next_response_then_resolution():
    clock = sla.on_customer_message(sla.Clock(), CHAT, sla.ALWAYS, T0)
    assert (clock.first_response_due, clock.first_response_warn) == (at(2), at(1))
    assert clock.resolution_due == at(240) and clock.next_check() == at(1)
    assert clock.nearest()[0] is sla.Target.FIRST_RESPONSE
    clock = sla.on_agent_reply(clock, at(1.5))
    assert clock.first_response_at == at(1.5) and not clock.breached
    assert sla.met(clock, sla.Target.FIRST_RESPONSE) is True
    # The customer writes again: the next-response clock starts; a second message does not restart it.
    clock = sla.on_customer_message(clock, CHAT, sla.ALWAYS, at(10))
    assert clock.next_response_due == at(15)
    assert sla.on_customer_message(clock, CHAT, sla.ALWAYS, at(12)).next_response_due == at(15)
    clock = sla.on_agent_reply(clock, at(16))  # late
    assert clock.next_response_due is None and clock.breached & sla.Alerted.NRT_BREACH
    clock = sla.on_status(clock, sla.ALWAYS, "resolved", at(60))
    assert clock.resolved_at == at(60) and sla.met(clock, sla.Target.RESOLUTION) is True
    assert clock.next_check() is None


def test_pending_pauses_the_clock_and_resuming_moves_every_deadline():
    clock = sla.on_customer_message(sla.Clock(), CHAT, sla.ALWAYS, T0)
    clock = sla.on_status(clock, sla.ALWAYS, "pending", at(0.5))
    assert clock.next_check() is None
    assert sla.alerts_due(clock, at(100)) == (clock, [])
    clock = sla.on_customer_message(clock, CHAT, sla.ALWAYS, at(30.5))  # the customer's answer resumes it
    assert clock.paused_at is None
    assert clock.first_response_due == at(32) and clock.resolution_due == at(270)


def test_pause_in_business_hours_shifts_by_working_time_only():
    office = sla.Calendar.from_config(timezone="UTC", hours={"tue": [["09:00", "18:00"]], "wed": [["09:00", "18:00"]]})
    policy = sla.Policy(id=1, first_response=None, next_response=None, resolution=4 * H, warn_fraction=0)
    clock = sla.on_customer_message(sla.Clock(), policy, office, dt.datetime(2026, 12, 1, 16, tzinfo=UTC))
    assert clock.resolution_due == dt.datetime(2026, 12, 2, 11, tzinfo=UTC)
    clock = sla.on_status(clock, office, "pending", dt.datetime(2026, 12, 1, 17, tzinfo=UTC))  # 3 h left
    clock = sla.on_status(clock, office, "open", dt.datetime(2026, 12, 2, 10, tzinfo=UTC))
    assert clock.resolution_due == dt.datetime(2026, 12, 2, 13, tzinfo=UTC)


def test_warning_then_breach_each_once_and_a_late_look_gives_the_breach_alone():
    clock = sla.on_customer_message(sla.Clock(), CHAT, sla.ALWAYS, T0)
    clock, alerts = sla.alerts_due(clock, at(1))
    assert [(a.target, a.breach) for a in alerts] == [(sla.Target.FIRST_RESPONSE, False)]
    assert sla.alerts_due(clock, at(1.2))[1] == []
    assert clock.next_check() == at(2)
    clock, alerts = sla.alerts_due(clock, at(2))
    assert [(a.target, a.breach) for a in alerts] == [(sla.Target.FIRST_RESPONSE, True)]
    assert clock.next_check() == at(120)  # the resolution warning next
    late = sla.on_customer_message(sla.Clock(), CHAT, sla.ALWAYS, T0)
    late, alerts = sla.alerts_due(late, at(500))
    assert [(a.target, a.breach) for a in alerts] == [
        (sla.Target.FIRST_RESPONSE, True),
        (sla.Target.RESOLUTION, True),
    ]
    assert late.next_check() is None


def test_no_policy_no_promise_but_the_facts_and_resolved_conversation_restarts_on_a_new_message():
    facts = sla.on_customer_message(sla.Clock(), None, sla.ALWAYS, T0)
    assert facts == sla.Clock(started_at=T0) and facts.nearest() is None and facts.next_check() is None
    facts = sla.on_status(sla.on_agent_reply(facts, at(3)), sla.ALWAYS, "resolved", at(9))
    assert (facts.first_response_at, facts.resolved_at, facts.breached) == (at(3), at(9), 0)
    clock = sla.on_status(sla.on_customer_message(sla.Clock(), CHAT, sla.ALWAYS, T0), sla.ALWAYS, "resolved", at(1))
    again = sla.on_customer_message(clock, CHAT, sla.ALWAYS, at(100))
    assert again.started_at == at(100) and again.first_response_at is None and again.resolved_at is None


def test_countdown_turns_amber_then_red_and_grey_while_paused():
    due, warn = at(10), at(8)
    assert sla.countdown(due, warn, paused=False, breached=False, now=at(1)) is sla.Countdown.RUNNING
    assert sla.countdown(due, warn, paused=False, breached=False, now=at(8)) is sla.Countdown.WARNING
    assert sla.countdown(due, warn, paused=False, breached=False, now=at(10)) is sla.Countdown.BREACHED
    assert sla.countdown(due, warn, paused=True, breached=False, now=at(11)) is sla.Countdown.PAUSED
    assert sla.countdown(due, None, paused=False, breached=True, now=at(1)) is sla.Countdown.BREACHED
