"""The daily retention run's time: the next local HH:MM after a moment, across both summer time changes, and the
day a run belongs to."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from omnidesk.domain.retention import next_run_at, parse_time, run_day

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
