"""What each reported figure means: one definition per metric, shared by the server's SQL, the API's OpenAPI text,
the exports and the client's hover help.

Durations are wall-clock seconds from the customer's first message of the conversation (``conversation_sla.
started_at``) to the event (next response: from the customer's message to the reply); every figure of a
conversation, its next-response waits too, counts in the period of its first customer message. Percentiles
are the nearest-rank kind (PostgreSQL's ``percentile_disc``), so every reported median is a value that really
occurred and both databases give the same answer. Operator load (``online_hours`` .. ``capacity``) is
omnidesk.domain.load's: figures of the period's time, not of the conversations started in it.

In business hours (``summary?business_hours=true``, ``timeseries?business_hours=true``) first response and
resolution count only the working seconds of the conversation's queue calendar (omnidesk.domain.sla.business_seconds;
no queue, no hours: around the clock). They are stored per conversation when the response or resolution happens
(``conversation_sla.frt_business`` / ``res_business``), so they are counted in the calendar in force then: a later
change of a queue's hours applies to earlier conversations after ``omnidesk analytics rebuild``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"
    SECONDS = "seconds"
    RATIO = "ratio"  # 0..1
    SCORE = "score"


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    unit: Unit
    definition: str


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("conversations", Unit.COUNT, "Conversations whose first customer message arrived in the period."),
        Metric("resolved", Unit.COUNT, "Of those, the conversations resolved (at any time up to now)."),
        Metric(
            "frt_mean",
            Unit.SECONDS,
            "First response time, mean: first customer message to the first operator reply (in business hours: the "
            "working time of the queue's calendar between them).",
        ),
        Metric("frt_median", Unit.SECONDS, "First response time, median (half of the conversations were faster)."),
        Metric("frt_p90", Unit.SECONDS, "First response time, 90th percentile (nine in ten were this fast or faster)."),
        Metric(
            "nrt_mean",
            Unit.SECONDS,
            "Next response time, mean: from each customer message that follows an operator reply (the first of a "
            "run of them) to the operator's next reply; answered waits only.",
        ),
        Metric("nrt_median", Unit.SECONDS, "Next response time, median (half of the waits were shorter)."),
        Metric("nrt_p90", Unit.SECONDS, "Next response time, 90th percentile."),
        Metric("nrt_responses", Unit.COUNT, "Next-response waits counted (customer waits after a reply, answered)."),
        Metric(
            "resolution_mean",
            Unit.SECONDS,
            "Resolution time, mean: first customer message to resolved (in business hours: the working time of the "
            "queue's calendar between them).",
        ),
        Metric("resolution_median", Unit.SECONDS, "Resolution time, median."),
        Metric("resolution_p90", Unit.SECONDS, "Resolution time, 90th percentile."),
        Metric(
            "fcr",
            Unit.RATIO,
            "First contact resolution: resolved conversations after which the same customer opened no new "
            "conversation on any channel within the FCR window (days), as a share of resolved ones.",
        ),
        Metric(
            "abandonment",
            Unit.RATIO,
            "Abandonment: resolved conversations that never got an operator reply, as a share of resolved ones.",
        ),
        Metric(
            "sla_compliance",
            Unit.RATIO,
            "SLA compliance: conversations under a policy that missed none of its promises, as a share of those "
            "whose promises have been decided (met or missed).",
        ),
        Metric("sla_breaches", Unit.COUNT, "Conversations that missed at least one SLA promise."),
        Metric("csat", Unit.SCORE, "Customer satisfaction: mean rating (1-5) of the surveys answered in the period."),
        Metric("csat_responses", Unit.COUNT, "Satisfaction surveys answered in the period."),
        Metric("csat_satisfied", Unit.RATIO, "Share of answered surveys rated 4 or 5 (the usual CSAT percentage)."),
        Metric(
            "nps",
            Unit.SCORE,
            'Net promoter score: of the answers to "how likely are you to recommend us" (0-10) in the period, the '
            "percentage of promoters (9-10) minus that of detractors (0-6), from -100 to 100.",
        ),
        Metric("nps_responses", Unit.COUNT, "Recommendation (NPS) questions answered in the period."),
        Metric(
            "online_hours",
            Unit.COUNT,
            "Hours online: the time the operators' presence was online in the period (away does not count).",
        ),
        Metric("handled", Unit.COUNT, "Conversations handled: those an operator replied in during the period."),
        Metric(
            "handled_per_hour",
            Unit.COUNT,
            "Dialogs per hour: conversations handled per hour online (the team: the operators online in the period).",
        ),
        Metric(
            "occupancy",
            Unit.RATIO,
            "Occupancy: the share of the time online with at least one active conversation (assigned to the "
            "operator and open: not pending on the customer, not resolved).",
        ),
        Metric(
            "concurrent_mean",
            Unit.COUNT,
            "Concurrent conversations: the mean number of active conversations over the time online (compare "
            "with the capacity).",
        ),
        Metric("concurrent_peak", Unit.COUNT, "The most conversations one operator had active at once while online."),
        Metric(
            "capacity",
            Unit.COUNT,
            "Capacity: the chats an operator may hold at once (their queue membership's, largest; for the team, "
            "the sum over the operators online in the period).",
        ),
        Metric("waiting", Unit.COUNT, "Open conversations still without a first operator reply (now)."),
    )
}

TIMESERIES = (
    "conversations", "resolved", "frt_median", "frt_p90", "nrt_median", "resolution_median", "sla_compliance", "csat",
)  # fmt: skip
INTERVALS = ("hour", "day", "week", "month")
GROUPS = ("channel", "queue", "operator", "segment")


def percentile_disc(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``q`` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def ratio(part: int | None, whole: int | None) -> float | None:
    return None if not whole else (part or 0) / whole


def nps(promoters: int, detractors: int, answers: int) -> float | None:
    """Net promoter score, -100..100: promoters' percentage minus detractors'."""
    return None if not answers else round(100.0 * (promoters - detractors) / answers, 3)


# Duration bands of the daily roll-ups (seconds, each a band's lower bound; the last is open-ended). A median over a
# month cannot be added up from daily medians, but counts per band can: at scale the reports estimate percentiles
# from these counts, interpolating linearly inside the band that holds the nearest rank.
BANDS: tuple[int, ...] = (
    0, 5, 10, 15, 20, 30, 45, 60, 75, 90, 120, 150, 180, 240, 300, 360, 450, 600, 750, 900, 1200, 1500, 1800, 2400,
    2700, 3600, 4500, 5400, 7200, 9000, 10800, 14400, 18000, 21600, 28800, 36000, 43200, 57600, 72000, 86400,
    129600, 172800, 259200, 345600, 432000, 604800, 864000, 1209600, 1814400, 2592000,
)  # fmt: skip


def band_of(seconds: float) -> int:
    """The band index of a duration (negative ones, from clock skew, fall in the first)."""
    low, high = 0, len(BANDS) - 1
    while low < high:  # the last bound at or below ``seconds``
        mid = (low + high + 1) // 2
        if BANDS[mid] <= seconds:
            low = mid
        else:
            high = mid - 1
    return low


def percentile_from_bands(counts: Sequence[int], q: float) -> float | None:
    """The nearest-rank percentile estimated from band counts: the band holding rank ceil(q * n), the value
    interpolated linearly inside it (an open-ended last band answers with its lower bound)."""
    n = sum(counts)
    if not n:
        return None
    rank = max(1, math.ceil(q * n))
    before = 0
    for index, count in enumerate(counts):
        if count and before + count >= rank:
            low = BANDS[index]
            if index + 1 >= len(BANDS):
                return float(low)
            return low + (BANDS[index + 1] - low) * (rank - before - 0.5) / count
        before += count
    return None
