"""When the retention scheduler runs: once a day at a local wall-clock time, and which day a run belongs to.

The time is local to a time zone with summer time, so two days a year need a rule:

* spring forward: a time inside the skipped hour (02:30 where clocks jump from 02:00 to 03:00) runs as late as the
  gap is long, at 03:30 that day: the day is never skipped;
* fall back: a time that happens twice (02:30 where clocks go from 03:00 back to 02:00) runs at its first
  occurrence only.

A run belongs to the local day it starts on (``run_day``): one run a day, whoever starts it (the scheduler, the API
or the command line), and consecutive scheduled runs never fall on one day, even when a day is 23 hours long.

Catching up (``missed_run``): a server that was down (or asleep) at the due moment runs once when it starts, or when
it notices its clock jumped, if the most recent due moment (``last_due_at``) passed with no successful run at or
after it, unless today's run is done already (a run started earlier today, before the time, by an admin). A server
that never ran retention catches up at once: a machine switched off every night is the case this is for.
"""

from __future__ import annotations

import datetime as dt
import re

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time(value: str) -> dt.time:
    """``HH:MM`` (24-hour clock) as a time; ValueError for anything else."""
    match = _TIME.match(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not a time of day as HH:MM (00:00 to 23:59)")
    return dt.time(int(match.group(1)), int(match.group(2)))


def run_day(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The local day a run started at ``moment`` (aware) belongs to."""
    return moment.astimezone(zone).date()


def slot_on(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """The moment (UTC) of ``at`` on the local ``day``: in a spring gap the wall time shifted by the gap, in a fall
    overlap its first occurrence."""
    local = dt.datetime.combine(day, at, tzinfo=zone)  # fold=0: the offset before a change (see the module's rules)
    return local.astimezone(dt.UTC)


def next_run_at(after: dt.datetime, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """The first scheduled moment (UTC) strictly after ``after`` (aware)."""
    today = after.astimezone(zone).date()
    for offset in (-1, 0, 1, 2):
        moment = slot_on(today + dt.timedelta(days=offset), at, zone)
        if moment > after:
            return moment
    raise AssertionError("unreachable: a day always has its slot")  # pragma: no cover


def last_due_at(now: dt.datetime, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """The latest scheduled moment (UTC) at or before ``now`` (aware): today's, once it has come, else yesterday's."""
    today = now.astimezone(zone).date()
    for offset in (1, 0, -1, -2):
        moment = slot_on(today + dt.timedelta(days=offset), at, zone)
        if moment <= now:
            return moment
    raise AssertionError("unreachable: a day always has its slot")  # pragma: no cover


def missed_run(
    now: dt.datetime,
    at: dt.time,
    zone: dt.tzinfo,
    *,
    last_success: dt.datetime | None,
    today_done: bool,
) -> dt.datetime | None:
    """The due moment a run missed and should catch up now, or None: the latest due moment at or before ``now``
    when no successful run started at or after it (``last_success``: the start of the latest successful run, None
    if there was none), unless the local day of ``now`` has its run already (``today_done``: each day runs once)."""
    due = last_due_at(now, at, zone)
    if today_done or (last_success is not None and last_success >= due):
        return None
    return due


__all__ = ["last_due_at", "missed_run", "next_run_at", "parse_time", "run_day", "slot_on"]
