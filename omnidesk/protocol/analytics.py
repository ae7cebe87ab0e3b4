"""API bodies of the reports (/api/v1/analytics); each figure's meaning is in omnidesk.domain.metrics."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from omnidesk.protocol.schemas import Contract


class Figures(Contract):
    conversations: int = Field(description="Conversations whose first customer message arrived in the period")
    resolved: int
    frt_mean: float | None = Field(None, description="First response time, mean, seconds")
    frt_median: float | None = None
    frt_p90: float | None = None
    resolution_mean: float | None = Field(None, description="Resolution time, mean, seconds")
    resolution_median: float | None = None
    resolution_p90: float | None = None
    fcr: float | None = Field(None, description="First contact resolution, share 0..1")
    abandonment: float | None = Field(None, description="Resolved without any operator reply, share 0..1")
    sla_compliance: float | None = Field(None, description="Decided SLA conversations with no promise missed, 0..1")
    sla_breaches: int = 0
    csat: float | None = Field(None, description="Mean satisfaction rating 1..5")
    csat_responses: int = 0
    csat_satisfied: float | None = Field(None, description="Share of ratings 4 or 5")
    nps: float | None = Field(None, description="Net promoter score -100..100 (promoters 9-10 minus detractors 0-6)")
    nps_responses: int = 0
    # Added after the first release: new fields go last, so an export's existing columns keep their places.
    nrt_mean: float | None = Field(
        None, description="Next response time, mean, seconds: a customer message after an operator reply to the next"
    )
    nrt_median: float | None = None
    nrt_p90: float | None = None
    nrt_responses: int = Field(0, description="Answered next-response waits counted")
    # Operator load: in the totals (the team) and per operator; null in the channel and queue groups.
    online_hours: float | None = Field(None, description="Hours online (presence) in the period")
    handled: int | None = Field(None, description="Conversations an operator replied in during the period")
    handled_per_hour: float | None = Field(None, description="Conversations handled per hour online")
    occupancy: float | None = Field(None, description="Share of the time online with an active conversation, 0..1")
    concurrent_mean: float | None = Field(None, description="Mean active conversations over the time online")
    concurrent_peak: int | None = Field(None, description="Most conversations active at once while online")
    capacity: int | None = Field(None, description="Chats the operator (team: operators online) may hold at once")


class GroupFigures(Figures):
    key: str | None = Field(
        description="Channel kind, queue id, operator id (as text) or customer segment; null: none (no queue, no "
        "operator, a customer without a segment)"
    )
    label: str | None = None


class Summary(Contract):
    start: datetime
    end: datetime
    timezone: str
    totals: Figures
    waiting: int = Field(description="Open conversations without a first reply, now")
    by_channel: list[GroupFigures]
    by_queue: list[GroupFigures]
    by_operator: list[GroupFigures]
    by_segment: list[GroupFigures] = Field(
        default_factory=list, description="By the customer's segment (as on the customer card now)"
    )
    definitions: dict[str, str]
    business_hours: bool = Field(
        False, description="Durations (first response, resolution) in the queues' business hours, not wall-clock"
    )


class Point(Contract):
    bucket: str = Field(description="Start of the interval in the requested time zone, YYYY-MM-DDTHH:MM")
    value: float | None


class Timeseries(Contract):
    metric: str
    interval: str
    timezone: str
    points: list[Point]
    business_hours: bool = Field(
        False, description="Durations (first response, resolution) in the queues' business hours, not wall-clock"
    )


class TransitionCell(Contract):
    source: str
    target: str
    count: int


class Transitions(Contract):
    hours: int
    cells: list[TransitionCell]
