"""API bodies of SLA policies and business calendars (/api/v1/sla)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from omnidesk.domain.enums import ChannelKind
from omnidesk.protocol.schemas import Contract

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Seconds = Annotated[int, Field(ge=1, le=366 * 24 * 3600)]
Span = Annotated[
    list[Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]],
    Field(min_length=2, max_length=2),
]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class CalendarIn(Contract):
    name: Name
    timezone: str = Field("UTC", max_length=64, description="An IANA time zone, e.g. Europe/Kyiv")
    hours: dict[Weekday, list[Span]] = Field(description='Working hours per weekday: {"mon": [["09:00", "18:00"]]}')
    country: str | None = Field(None, max_length=8, description="Public holidays of this country (UA, KZ, PL...)")
    subdiv: str | None = Field(None, max_length=16)
    closed_days: list[Day] = Field(default_factory=list, max_length=1000)
    open_days: list[Day] = Field(default_factory=list, max_length=1000)


class CalendarOut(CalendarIn):
    id: int


class PolicyIn(Contract):
    name: Name
    queue_id: int | None = None
    channel_kind: ChannelKind | None = None
    priority: int | None = Field(None, ge=0, le=3, description="Matches the conversation's priority (0-3)")
    segment: str | None = Field(None, max_length=64, description="Matches the customer's segment")
    calendar_id: int | None = Field(None, description="Business hours to count in; none: around the clock")
    first_response_seconds: Seconds | None = None
    next_response_seconds: Seconds | None = None
    resolution_seconds: Seconds | None = None
    warn_fraction: float = Field(0.8, ge=0, lt=1, description="Warn when this share of a target has passed")
    escalation: Literal["notify", "unassign", "raise_priority"] = "notify"
    position: int = Field(0, ge=0, le=10_000)
    active: bool = True


class PolicyOut(PolicyIn):
    id: int
    created_at: datetime
