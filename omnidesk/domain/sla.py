"""SLA arithmetic: business hours, holidays, pauses and the due times of a conversation's promises.

Pure rules, no I/O. A `Calendar` says when a desk works (weekly hours in its own time zone, public holidays of a
country from the ``holidays`` package, extra closed days); `add_business` and `business_seconds` count time only while
it works (or around the clock with `ALWAYS`). A `Clock` is one conversation's SLA state; the transition functions
(`on_customer_message`, `on_agent_reply`, `on_status`) return the next state, and `alerts_due` says which warnings and
breaches have come. The server stores the clock as data (due times, not timers), so it survives restarts, and the
general ingest path and the PostgreSQL batch path both call these same functions.

All datetimes are aware; results are in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import IntFlag, StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

UTC = dt.UTC
_MAX_DAYS = 3 * 366  # a calendar open less than once in three years is a configuration error, not a wait


class CalendarError(ValueError):
    """A calendar that cannot be used (unknown time zone or country, malformed hours, never open)."""


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_time(text: str) -> dt.time:
    if text in ("24:00", "24:00:00"):
        return dt.time.max
    try:
        return dt.time.fromisoformat(text)
    except ValueError as exc:
        raise CalendarError(f"{text!r} is not a time of day (HH:MM)") from exc


@lru_cache(maxsize=64)
def _country_holidays(country: str, subdiv: str | None, year: int) -> frozenset[dt.date]:
    import holidays  # a pure data package; imported lazily so that domain/ loads fast

    try:
        return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=year).keys())
    except (NotImplementedError, KeyError) as exc:
        raise CalendarError(f"no public holidays are known for {country!r}") from exc


@dataclass(frozen=True)
class Calendar:
    """Working hours: per weekday (0 = Monday) a tuple of (start, end) local times; closed on holidays."""

    timezone: str = "UTC"
    hours: Mapping[int, tuple[tuple[dt.time, dt.time], ...]] = field(default_factory=dict)
    country: str | None = None  # public holidays of this country (ISO 3166 code: UA, KZ, PL...)
    subdiv: str | None = None
    closed_days: frozenset[dt.date] = frozenset()
    open_days: frozenset[dt.date] = frozenset()  # working days that a holiday or weekday rule would close
    always: bool = False

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except Exception as exc:
            raise CalendarError(f"{self.timezone!r} is not a known time zone") from exc
        if not self.always and not any(self.hours.values()):
            raise CalendarError("a business calendar needs working hours on at least one weekday")
        for spans in self.hours.values():
            for start, end in spans:
                if end <= start:
                    raise CalendarError(f"working hours end ({end}) before they start ({start})")
        if self.country:
            _country_holidays(self.country, self.subdiv, 2000)

    @classmethod
    def from_config(
        cls,
        *,
        timezone: str = "UTC",
        hours: Mapping[str, Sequence[Sequence[str]]] | None = None,
        country: str | None = None,
        subdiv: str | None = None,
        closed_days: Iterable[str] = (),
        open_days: Iterable[str] = (),
    ) -> Calendar:
        """A calendar from stored settings: ``hours={"mon": [["09:00", "18:00"]], ...}``; dates as ISO text."""
        parsed: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {}
        for name, spans in (hours or {}).items():
            if name not in WEEKDAYS:
                raise CalendarError(f"{name!r} is not a weekday (mon..sun)")
            parsed[WEEKDAYS.index(name)] = tuple(sorted((_parse_time(span[0]), _parse_time(span[1])) for span in spans))
        try:
            closed = frozenset(dt.date.fromisoformat(d) for d in closed_days)
            opened = frozenset(dt.date.fromisoformat(d) for d in open_days)
        except ValueError as exc:
            raise CalendarError(f"not a date (YYYY-MM-DD): {exc}") from exc
        return cls(timezone, parsed, country or None, subdiv or None, closed, opened)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_holiday(self, day: dt.date) -> bool:
        if day in self.open_days:
            return False
        if day in self.closed_days:
            return True
        return bool(self.country) and day in _country_holidays(self.country, self.subdiv, day.year)  # type: ignore[arg-type]

    def spans(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working intervals of a local date, as UTC datetimes (a DST change moves them correctly)."""
        if self.always:
            zone = self.zone
            start = dt.datetime.combine(day, dt.time(), zone)
            return [(start.astimezone(UTC), (start + dt.timedelta(days=1)).astimezone(UTC))]
        if self.is_holiday(day):
            return []
        spans = self.hours.get(day.weekday(), ())
        if not spans and day in self.open_days:
            spans = next((s for s in (self.hours.get(i) for i in range(5)) if s), ())
        zone = self.zone
        out = []
        for start, end in spans:
            begin = dt.datetime.combine(day, start, zone).astimezone(UTC)
            if end == dt.time.max:
                finish = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone).astimezone(UTC)
            else:
                finish = dt.datetime.combine(day, end, zone).astimezone(UTC)
            out.append((begin, finish))
        return out

    def is_open(self, at: dt.datetime) -> bool:
        day = at.astimezone(self.zone).date()
        return any(a <= at < b for a, b in self.spans(day))


ALWAYS = Calendar(always=True)


def queue_calendar(tz: str, week: Mapping[int, tuple[tuple[dt.time, dt.time], ...]], holidays=()) -> Calendar:
    """A queue's open hours (omnidesk.domain.routing.Calendar's fields) as a business calendar for this module's
    arithmetic; a week with no open hours at all counts around the clock."""
    if not any(week.values()):
        return ALWAYS
    return Calendar(timezone=tz, hours=dict(week), closed_days=frozenset(holidays))


def _days_from(calendar: Calendar, at: dt.datetime):
    day = at.astimezone(calendar.zone).date() - dt.timedelta(days=1)  # yesterday's span may run past midnight
    for _ in range(_MAX_DAYS):
        yield day
        day += dt.timedelta(days=1)
    raise CalendarError("the calendar is never open within three years")


def add_business(calendar: Calendar, start: dt.datetime, seconds: float) -> dt.datetime:
    """The moment ``seconds`` of working time after ``start`` (a start outside hours waits for the next opening)."""
    start = start.astimezone(UTC)
    if calendar.always:
        return start + dt.timedelta(seconds=seconds)
    left = dt.timedelta(seconds=seconds)
    for day in _days_from(calendar, start):
        for begin, end in calendar.spans(day):
            if end <= start:
                continue
            begin = max(begin, start)
            if begin + left <= end:
                if left <= dt.timedelta(0):
                    return begin
                return begin + left
            left -= end - begin
    raise AssertionError("unreachable")


def business_seconds(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> float:
    """Working seconds between two moments (0 when ``end`` is not after ``start``)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        return 0.0
    if calendar.always:
        return (end - start).total_seconds()
    total = dt.timedelta(0)
    for day in _days_from(calendar, start):
        spans = calendar.spans(day)
        for begin, finish in spans:
            lo, hi = max(begin, start), min(finish, end)
            if hi > lo:
                total += hi - lo
        if dt.datetime.combine(day, dt.time(), calendar.zone).astimezone(UTC) > end:
            break
    return total.total_seconds()


# --- policies -------------------------------------------------------------------------------------------------------


class Escalation(StrEnum):
    NOTIFY = "notify"  # warnings and breaches as events (always); nothing else
    UNASSIGN = "unassign"  # on breach, give the conversation back to its queue for someone free to take
    RAISE_PRIORITY = "raise_priority"  # on breach, one priority step up (where conversations carry a priority)


@dataclass(frozen=True, slots=True)
class Policy:
    """Targets in seconds (None: no promise of that kind) and what the policy applies to (None: any)."""

    id: int
    first_response: int | None
    next_response: int | None
    resolution: int | None
    queue_id: int | None = None
    channel_kind: str | None = None
    priority: int | None = None
    segment: str | None = None
    warn_fraction: float = 0.8  # a warning when this share of the target has gone by
    escalation: Escalation = Escalation.NOTIFY
    calendar_id: int | None = None
    position: int = 0


def choose_policy(
    policies: Iterable[Policy],
    *,
    queue_id: int | None,
    channel_kind: str | None,
    priority: int | None = None,
    segment: str | None = None,
) -> Policy | None:
    """The policy for a conversation: among those whose every set condition matches, the most specific one
    (conditions that are set count: queue, channel, priority, segment), then the lowest position, then the lowest id."""
    best: tuple[int, int, int] | None = None
    chosen = None
    for p in policies:
        wanted = ((p.queue_id, queue_id), (p.channel_kind, channel_kind), (p.priority, priority), (p.segment, segment))
        if any(rule is not None and rule != value for rule, value in wanted):
            continue
        rank = (-sum(rule is not None for rule, _ in wanted), p.position, p.id)
        if best is None or rank < best:
            best, chosen = rank, p
    return chosen


# --- one conversation's clock ---------------------------------------------------------------------------------------


class Target(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


class Alerted(IntFlag):
    """Which alerts have been sent for a clock (stored as an integer)."""

    NONE = 0
    FRT_WARN = 1
    FRT_BREACH = 2
    NRT_WARN = 4
    NRT_BREACH = 8
    RES_WARN = 16
    RES_BREACH = 32


_FLAGS = {
    Target.FIRST_RESPONSE: (Alerted.FRT_WARN, Alerted.FRT_BREACH),
    Target.NEXT_RESPONSE: (Alerted.NRT_WARN, Alerted.NRT_BREACH),
    Target.RESOLUTION: (Alerted.RES_WARN, Alerted.RES_BREACH),
}


@dataclass(frozen=True, slots=True)
class Clock:
    """A conversation's SLA state: what is due when, what was met, what was alerted; ``paused_at`` while pending."""

    policy_id: int | None = None
    started_at: dt.datetime | None = None
    first_response_due: dt.datetime | None = None
    first_response_warn: dt.datetime | None = None
    first_response_at: dt.datetime | None = None
    next_response_due: dt.datetime | None = None
    next_response_warn: dt.datetime | None = None
    resolution_due: dt.datetime | None = None
    resolution_warn: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    paused_at: dt.datetime | None = None
    alerted: int = 0
    breached: int = 0  # Alerted breach bits of targets missed (kept when the target is met late)

    def due(self, target: Target) -> tuple[dt.datetime | None, dt.datetime | None]:
        if target is Target.FIRST_RESPONSE:
            return self.first_response_due, self.first_response_warn
        if target is Target.NEXT_RESPONSE:
            return self.next_response_due, self.next_response_warn
        return self.resolution_due, self.resolution_warn

    def pending_targets(self) -> list[Target]:
        """The promises still running (not met, not stopped)."""
        out = []
        if self.first_response_due is not None and self.first_response_at is None:
            out.append(Target.FIRST_RESPONSE)
        if self.next_response_due is not None:
            out.append(Target.NEXT_RESPONSE)
        if self.resolution_due is not None and self.resolved_at is None:
            out.append(Target.RESOLUTION)
        return out

    def nearest(self) -> tuple[Target, dt.datetime, dt.datetime | None] | None:
        """The running promise due first: (target, due, warn), or None."""
        found = [(self.due(t)[0], t) for t in self.pending_targets()]
        if not found:
            return None
        due, target = min(found, key=lambda x: (x[0], list(Target).index(x[1])))
        return target, due, self.due(target)[1]  # type: ignore[return-value]

    def next_check(self) -> dt.datetime | None:
        """When the timer worker must look at this clock next (None: nothing to alert, or paused)."""
        if self.paused_at is not None:
            return None
        moments = []
        for target in self.pending_targets():
            due, warn = self.due(target)
            warn_flag, breach_flag = _FLAGS[target]
            if warn is not None and not self.alerted & warn_flag and not self.alerted & breach_flag:
                moments.append(warn)
            elif not self.alerted & breach_flag:
                moments.append(due)
        return min(moments) if moments else None


def _deadline(calendar: Calendar, start: dt.datetime, seconds: int | None, warn_fraction: float):
    if seconds is None:
        return None, None
    due = add_business(calendar, start, seconds)
    warn = add_business(calendar, start, seconds * warn_fraction) if 0 < warn_fraction < 1 else None
    return due, warn


def on_customer_message(clock: Clock, policy: Policy | None, calendar: Calendar, at: dt.datetime) -> Clock:
    """A customer's message: starts the clock of a new conversation (first response and resolution), starts the
    next-response clock once the first response was given, resumes a paused clock, and restarts a resolved one."""
    if clock.paused_at is not None:
        clock = resume(clock, calendar, at)
    if clock.resolved_at is not None:  # a resolved conversation written to again: a new round of promises
        clock = Clock()
    if clock.started_at is None and policy is None:
        return Clock(started_at=at)  # no promise, but the facts the reports count (first response, resolution)
    if policy is None:
        return clock
    if clock.started_at is None:
        frt_due, frt_warn = _deadline(calendar, at, policy.first_response, policy.warn_fraction)
        res_due, res_warn = _deadline(calendar, at, policy.resolution, policy.warn_fraction)
        return Clock(
            policy_id=policy.id,
            started_at=at,
            first_response_due=frt_due,
            first_response_warn=frt_warn,
            resolution_due=res_due,
            resolution_warn=res_warn,
        )
    if clock.first_response_at is not None and clock.next_response_due is None:
        due, warn = _deadline(calendar, at, policy.next_response, policy.warn_fraction)
        cleared = clock.alerted & ~(Alerted.NRT_WARN | Alerted.NRT_BREACH)
        return replace(clock, next_response_due=due, next_response_warn=warn, alerted=int(cleared))
    return clock


def on_agent_reply(clock: Clock, at: dt.datetime) -> Clock:
    """An operator's reply to the customer: meets the first response (once) and any running next response."""
    if clock.started_at is None:
        return clock
    changes: dict = {"next_response_due": None, "next_response_warn": None}
    breached = clock.breached
    if clock.first_response_at is None:
        changes["first_response_at"] = at
        if clock.first_response_due is not None and at > clock.first_response_due:
            breached |= Alerted.FRT_BREACH
    if clock.next_response_due is not None and at > clock.next_response_due:
        breached |= Alerted.NRT_BREACH
    return replace(clock, breached=int(breached), **changes)


def pause(clock: Clock, at: dt.datetime) -> Clock:
    """The conversation waits on the customer: no time counts until it resumes."""
    if clock.started_at is None or clock.paused_at is not None or clock.resolved_at is not None:
        return clock
    return replace(clock, paused_at=at)


def resume(clock: Clock, calendar: Calendar, at: dt.datetime) -> Clock:
    """Back from pending: every running deadline moves by the working time the pause lasted."""
    if clock.paused_at is None:
        return clock
    paused = clock.paused_at
    answered = clock.first_response_at is not None

    def shifted(moment: dt.datetime | None) -> dt.datetime | None:
        if moment is None or moment <= paused:
            return moment  # already passed before the pause: it stays passed
        return add_business(calendar, at, business_seconds(calendar, paused, moment))

    return replace(
        clock,
        paused_at=None,
        first_response_due=clock.first_response_due if answered else shifted(clock.first_response_due),
        first_response_warn=clock.first_response_warn if answered else shifted(clock.first_response_warn),
        next_response_due=shifted(clock.next_response_due),
        next_response_warn=shifted(clock.next_response_warn),
        resolution_due=shifted(clock.resolution_due),
        resolution_warn=shifted(clock.resolution_warn),
    )


def on_status(clock: Clock, calendar: Calendar, status: str, at: dt.datetime) -> Clock:
    """A status change: pending pauses, open resumes, resolved stops the clock (resolution met or missed)."""
    if status == "pending":
        return pause(clock, at)
    if status == "open":
        return resume(clock, calendar, at)
    if status == "resolved":
        if clock.started_at is None:
            return clock
        clock = resume(clock, calendar, at) if clock.paused_at is not None else clock
        breached = clock.breached
        if clock.resolution_due is not None and at > clock.resolution_due:
            breached |= Alerted.RES_BREACH
        if clock.first_response_at is None and clock.first_response_due is not None and at > clock.first_response_due:
            breached |= Alerted.FRT_BREACH
        if clock.next_response_due is not None and at > clock.next_response_due:
            breached |= Alerted.NRT_BREACH
        return replace(clock, resolved_at=at, next_response_due=None, next_response_warn=None, breached=int(breached))
    return clock


@dataclass(frozen=True, slots=True)
class Alert:
    target: Target
    breach: bool  # False: a warning before the breach
    due: dt.datetime


def alerts_due(clock: Clock, now: dt.datetime) -> tuple[Clock, list[Alert]]:
    """The warnings and breaches that have come by ``now`` and were not sent yet, and the clock that records them.

    A clock found already past its due time (the worker was down) gets the breach alone, not a stale warning."""
    if clock.paused_at is not None:
        return clock, []
    alerted, breached = Alerted(clock.alerted), Alerted(clock.breached)
    out = []
    for target in clock.pending_targets():
        due, warn = clock.due(target)
        warn_flag, breach_flag = _FLAGS[target]
        if due is not None and due <= now and not alerted & breach_flag:
            alerted |= breach_flag | warn_flag
            breached |= breach_flag
            out.append(Alert(target, True, due))
        elif warn is not None and warn <= now and not alerted & (warn_flag | breach_flag):
            alerted |= warn_flag
            out.append(Alert(target, False, due))  # type: ignore[arg-type]
    return replace(clock, alerted=int(alerted), breached=int(breached)), out


def met(clock: Clock, target: Target) -> bool | None:
    """Whether a finished promise was kept (None: no promise, or still running)."""
    breach_flag = _FLAGS[target][1]
    if clock.breached & breach_flag:
        return False
    if target is Target.FIRST_RESPONSE:
        return None if clock.first_response_due is None or clock.first_response_at is None else True
    if target is Target.RESOLUTION:
        return None if clock.resolution_due is None or clock.resolved_at is None else True
    return None


class Countdown(StrEnum):
    """The colour of a conversation's countdown in the inbox (ConversationOut.sla as of now)."""

    RUNNING = "running"  # neutral
    WARNING = "warning"  # amber: past the warning, before the due time
    BREACHED = "breached"  # red: past a due time, or a promise already missed
    PAUSED = "paused"  # grey: waiting on the customer


def countdown(
    due: dt.datetime, warn: dt.datetime | None, *, paused: bool, breached: bool, now: dt.datetime
) -> Countdown:
    if breached or (not paused and now >= due):
        return Countdown.BREACHED
    if paused:
        return Countdown.PAUSED
    if warn is not None and now >= warn:
        return Countdown.WARNING
    return Countdown.RUNNING
