"""The daily retention run's time: the next local HH:MM after a moment, across both summer time changes, and the
day a run belongs to."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from omnidesk.domain.retention import last_due_at, missed_run, next_run_at, parse_time, run_day

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
AT = dt.time(2, 30)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_the_next_run_is_todays_time_until_it_passes_then_tomorrows():
    assert next_run_at(utc(2026, 12, 3, 0, 0), AT, KYIV) == utc(2026, 12, 3, 0, 30)  # 02:30 EET
    assert next_run_at(utc(2026, 12, 3, 0, 30), AT, KYIV) == utc(2026, 12, 4, 0, 30)  # strictly after
    assert next_run_at(utc(2026, 12, 2, 23, 0), AT, KYIV) == utc(2026, 12, 3, 0, 30)  # already the 3rd in Kyiv
    assert next_run_at(utc(2026, 7, 1, 12, 0), AT, KYIV) == utc(2026, 7, 1, 23, 30)  # 02:30 EEST on the 2nd
    assert next_run_at(utc(2026, 12, 3, 5, 0), dt.time(23, 59), dt.UTC) == utc(2026, 12, 3, 23, 59)


def test_spring_forward_a_skipped_time_runs_as_late_as_the_gap_and_the_day_is_not_lost():
    # Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:30 does not exist and runs at 03:30 CEST.
    first = next_run_at(utc(2026, 3, 28, 12, 0), AT, BERLIN)
    assert first == utc(2026, 3, 29, 1, 30)
    assert first.astimezone(BERLIN).strftime("%d %H:%M %Z") == "29 03:30 CEST"
    assert next_run_at(first, AT, BERLIN) == utc(2026, 3, 30, 0, 30)  # 02:30 CEST the day after


def test_fall_back_a_repeated_time_runs_once_at_its_first_occurrence():
    # Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30 and again at 01:30 UTC.
    first = next_run_at(utc(2026, 10, 24, 12, 0), AT, BERLIN)
    assert first == utc(2026, 10, 25, 0, 30)
    second = next_run_at(first, AT, BERLIN)
    assert second == utc(2026, 10, 26, 1, 30)  # not the repeated 02:30 (01:30 UTC) of the same day


def test_consecutive_runs_belong_to_different_days_even_on_one_utc_date():
    # Kyiv's 23-hour day: Sunday's 02:30 EET is 00:30 UTC, Monday's 02:30 EEST is 23:30 UTC the same Sunday.
    sunday = next_run_at(utc(2026, 3, 28, 12, 0), AT, KYIV)
    monday = next_run_at(sunday, AT, KYIV)
    assert sunday.date() == monday.date() == dt.date(2026, 3, 29)
    assert (monday - sunday) == dt.timedelta(hours=23)
    assert run_day(sunday, KYIV) == dt.date(2026, 3, 29) and run_day(monday, KYIV) == dt.date(2026, 3, 30)


def test_the_last_due_moment_is_todays_time_once_it_has_come_else_yesterdays():
    assert last_due_at(utc(2026, 12, 3, 0, 29), AT, KYIV) == utc(2026, 12, 2, 0, 30)  # 02:29 EET: yesterday's
    assert last_due_at(utc(2026, 12, 3, 0, 30), AT, KYIV) == utc(2026, 12, 3, 0, 30)  # at the moment: today's
    assert last_due_at(utc(2026, 12, 2, 22, 30), AT, KYIV) == utc(2026, 12, 2, 0, 30)  # 00:30 on the 3rd in Kyiv
    # Around midnight: a time just before it, seen just after it, is yesterday's.
    late = dt.time(23, 50)
    assert last_due_at(utc(2026, 12, 3, 21, 55), late, KYIV) == utc(2026, 12, 3, 21, 50)  # 23:55 EET
    assert last_due_at(utc(2026, 12, 3, 22, 5), late, KYIV) == utc(2026, 12, 3, 21, 50)  # 00:05 on the 4th
    assert last_due_at(utc(2026, 12, 3, 21, 45), late, KYIV) == utc(2026, 12, 2, 21, 50)  # 23:45: not yet today's
    assert last_due_at(utc(2026, 12, 3, 0, 0), dt.time(0, 0), dt.UTC) == utc(2026, 12, 3, 0, 0)


def test_the_last_due_moment_and_the_next_bracket_now_across_summer_time():
    starts = (utc(2026, 3, 28, 12, 0), utc(2026, 10, 24, 12, 0))  # both changes, in Berlin and Kyiv, every 7 min
    for zone in (BERLIN, KYIV):
        for now in (start + dt.timedelta(minutes=7 * i) for start in starts for i in range(0, 1000)):
            last, following = last_due_at(now, AT, zone), next_run_at(now, AT, zone)
            assert last <= now < following, (zone, now)
            assert next_run_at(last, AT, zone) == following, (zone, now)  # no slot in between: neighbours
            assert dt.timedelta(hours=23) <= following - last <= dt.timedelta(hours=25), (zone, now)


def test_spring_forward_the_last_due_moment_of_the_skipped_time_is_its_late_run():
    # Berlin, 29 March 2026: 02:30 does not exist; its run is at 03:30 CEST (01:30 UTC).
    assert last_due_at(utc(2026, 3, 29, 1, 29), AT, BERLIN) == utc(2026, 3, 28, 1, 30)  # 03:29 CEST: Saturday's
    assert last_due_at(utc(2026, 3, 29, 1, 30), AT, BERLIN) == utc(2026, 3, 29, 1, 30)


def test_fall_back_the_repeated_time_is_due_once_at_its_first_occurrence():
    # Berlin, 25 October 2026: 02:30 CEST is 00:30 UTC, the repeated 02:30 CET (01:30 UTC) is not a second slot.
    assert last_due_at(utc(2026, 10, 25, 1, 45), AT, BERLIN) == utc(2026, 10, 25, 0, 30)
    assert last_due_at(utc(2026, 10, 25, 0, 29), AT, BERLIN) == utc(2026, 10, 24, 0, 30)


def test_a_missed_run_is_caught_up_unless_a_run_came_after_it_or_today_is_done():
    now = utc(2026, 12, 3, 9, 0)  # 11:00 in Kyiv; today's 02:30 was 00:30 UTC
    due = utc(2026, 12, 3, 0, 30)
    assert missed_run(now, AT, KYIV, last_success=None, today_done=False) == due  # never ran: at once
    assert missed_run(now, AT, KYIV, last_success=utc(2026, 12, 2, 0, 30), today_done=False) == due  # down at 02:30
    assert missed_run(now, AT, KYIV, last_success=due, today_done=True) is None  # ran at the moment
    assert missed_run(now, AT, KYIV, last_success=utc(2026, 12, 3, 5, 0), today_done=True) is None  # admin, later
    # An admin ran it today before the time (00:10 Kyiv), then the server was down at 02:30: the day is done.
    assert missed_run(now, AT, KYIV, last_success=utc(2026, 12, 2, 22, 10), today_done=True) is None
    # Down from yesterday evening until 01:00 today: yesterday's run is missed; today's is not due yet.
    early = utc(2026, 12, 2, 23, 0)  # 01:00 on the 3rd in Kyiv
    assert missed_run(early, AT, KYIV, last_success=utc(2026, 12, 1, 0, 30), today_done=False) == utc(
        2026, 12, 2, 0, 30
    )
    assert missed_run(early, AT, KYIV, last_success=utc(2026, 12, 2, 0, 31), today_done=False) is None


def test_a_missed_run_across_the_spring_gap_and_the_autumn_repeat():
    # Berlin spring: the 29th's run is due at 03:30 CEST; down then, started at 09:00 CEST, it catches up.
    spring_due = utc(2026, 3, 29, 1, 30)
    assert missed_run(utc(2026, 3, 29, 7, 0), AT, BERLIN, last_success=utc(2026, 3, 28, 1, 30), today_done=False) == (
        spring_due
    )
    assert missed_run(utc(2026, 3, 29, 1, 0), AT, BERLIN, last_success=utc(2026, 3, 28, 1, 30), today_done=False) is (
        None
    )  # 03:00 CEST: the late run has not come yet and Saturday's was done
    # Berlin autumn: the run at the first 02:30 counts; the repeated hour does not make a second one due.
    autumn_due = utc(2026, 10, 25, 0, 30)
    assert missed_run(utc(2026, 10, 25, 1, 45), AT, BERLIN, last_success=autumn_due, today_done=True) is None
    assert missed_run(utc(2026, 10, 25, 1, 45), AT, BERLIN, last_success=None, today_done=False) == autumn_due


@pytest.mark.parametrize("value", ["24:00", "2:3", "02:60", "0230", "", "noon", "-1:00"])
def test_a_time_that_is_not_hh_mm_is_refused(value):
    with pytest.raises(ValueError):
        parse_time(value)


def test_hh_mm_is_read():
    assert parse_time("02:30") == AT and parse_time(" 7:05 ") == dt.time(7, 5) and parse_time("23:59").hour == 23


def test_the_settings_refuse_a_bad_time_or_zone_and_name_the_machines_zone_by_default():
    from pydantic import ValidationError

    from omnidesk.server.config import Settings

    with pytest.raises(ValidationError, match="HH:MM"):
        Settings(database_url="sqlite:///x.db", retention_time="25:00")
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(database_url="sqlite:///x.db", retention_time_zone="Mars/Olympus")
    kyiv = Settings(database_url="sqlite:///x.db", retention_time="3:05", retention_time_zone="Europe/Kyiv")
    assert kyiv.retention_time == "03:05" and kyiv.retention_zone == KYIV
    machine = Settings(database_url="sqlite:///x.db").retention_zone
    assert machine.utcoffset(dt.datetime(2026, 7, 1)) is not None  # a real zone, with its own rules
