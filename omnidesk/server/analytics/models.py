"""The reports' daily roll-ups and the days waiting to be refreshed.

``analytics_daily`` holds additive counters per UTC day x channel x queue x operator: the conversation figures of the
conversations that started that day (from ``conversation_sla``) and, in rows of their own, the survey figures of the
surveys answered that day, and the next-response waits of the conversations that started that day (``nrt_*``, migration
0015). Every column adds up across days and groups, so a 30-day report sums a few thousand rows instead of scanning a
million conversations; the duration columns ``frt_b*`` / ``res_b*`` count the conversations (``nrt_b*`` the waits) per
band of omnidesk.domain.metrics.BANDS, for percentiles.

``analytics_daily_business`` (migration 0023) holds the same first-response and resolution counters and bands, in
business time (``conversation_sla.frt_business`` / ``res_business``: the working seconds of each conversation's queue
calendar), per the same day x channel x queue x operator; a table of its own, so the wall-clock summary's rows do not
get wider. It is refreshed and rebuilt with ``analytics_daily``, from the same dirty days, in the same transaction.

``analytics_dirty`` is the list of days whose facts changed since their roll-up was computed: database triggers
(migrations 0012 and 0015) append the day in the same transaction as the change, whoever writes it, and the refresh
(omnidesk.server.analytics.rollup) recomputes those days from the raw facts exactly once. Reports read the roll-up
only for whole days that are not dirty, and the raw facts for the rest, so a report is never stale.

``analytics_hourly`` (migration 0024) holds the time series' counters per UTC hour x channel x queue, recomputed
with the daily rows of the same dirty days (omnidesk.server.analytics.hourly); ``analytics_hourly_segment``
(migration 0027) the same per UTC hour x customer segment, for the series with a segment filter.

``analytics_daily_segment`` and ``analytics_daily_segment_business`` (migration 0026) hold the counters of the first
two per day x channel x queue x the customer's segment (no operator): the reports by segment and with a segment
filter. A table of their own, not a fifth key of ``analytics_daily``: segments are not tied to operators, so that key
would multiply its rows by the number of segments (4 segments at 1,000,000 conversations: 1.6 s for the summary
instead of 0.45 s). The segment is the conversation's customer's ``customers.segment`` when the day was last
recomputed (a report "by segment" groups by the customer's segment now, as the card shows it): a change of a
customer's segment marks the days of their conversations and surveys dirty (a trigger on ``customers``), and so does
a merge (it moves conversations to the survivor: the triggers on ``conversations.customer_id``). The channel
transitions' roll-up has the segment as a key too (a few rows per hour). ``analytics_daily_operator_segment`` and its
``_business`` companion (migration 0028) give the operators' figures under a segment filter (day x operator x
segment, no channel or queue).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Float, Index, Integer, String, Table

from omnidesk.domain.metrics import BANDS
from omnidesk.server.db import BigId, UTCDateTime
from omnidesk.server.db.base import Base, BigInt

COUNTERS = (
    "conversations",
    "resolved",
    "frt_n",
    "frt_sum",
    "res_n",
    "res_sum",
    "sla_breaches",
    "sla_decided",
    "abandoned",
    "fcr_count",
    "csat_n",
    "csat_sum",
    "csat_satisfied",
    "nps_n",
    "nps_promoters",
    "nps_detractors",
    "nrt_n",
    "nrt_sum",
)
FLOATS = {"frt_sum", "res_sum", "nrt_sum"}
FRT_BANDS = tuple(f"frt_b{i}" for i in range(len(BANDS)))
RES_BANDS = tuple(f"res_b{i}" for i in range(len(BANDS)))
NRT_BANDS = tuple(f"nrt_b{i}" for i in range(len(BANDS)))  # migration 0015
COLUMNS = COUNTERS + FRT_BANDS + RES_BANDS + NRT_BANDS
# analytics_daily_business (migration 0023): the first response and resolution counters again, in business time
BUSINESS_COLUMNS = ("frt_n", "frt_sum", "res_n", "res_sum", *FRT_BANDS, *RES_BANDS)
ROLLUP_FCR_DAYS = 3  # the FCR window the roll-up counts (the reports' default); other windows read the raw facts


def daily_columns(
    columns: tuple[str, ...] = COLUMNS, *, segment: bool = False, operator_segment: bool = False
) -> list[Column]:
    """A roll-up's columns (shared by the models and migrations 0023, 0026 and 0028): keyed by day, channel, queue and
    operator; with ``segment`` by day, channel, queue and the customer's segment (no operator); with
    ``operator_segment`` by day, operator and segment (no channel or queue)."""
    if operator_segment:
        keys = [Column("operator_id", BigInt), Column("segment", String(64))]
    else:
        keys = [
            Column("channel_id", BigInt, nullable=False),
            Column("queue_id", BigInt),
            Column("segment", String(64)) if segment else Column("operator_id", BigInt),
        ]
    return [
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("day", Date, nullable=False),
        *keys,
        *(Column(name, Float if name in FLOATS else Integer, nullable=False, default=0) for name in columns),
    ]


analytics_daily = Table("analytics_daily", Base.metadata, *daily_columns(), Index("ix_analytics_daily_day", "day"))
analytics_daily_business = Table(
    "analytics_daily_business",
    Base.metadata,
    *daily_columns(BUSINESS_COLUMNS),
    Index("ix_analytics_daily_business_day", "day"),
)

# By the customer's segment (migration 0026): the same counters per day x channel x queue x segment, no operator.
analytics_daily_segment = Table(
    "analytics_daily_segment",
    Base.metadata,
    *daily_columns(segment=True),
    Index("ix_analytics_daily_segment_day", "day"),
)
analytics_daily_segment_business = Table(
    "analytics_daily_segment_business",
    Base.metadata,
    *daily_columns(BUSINESS_COLUMNS, segment=True),
    Index("ix_analytics_daily_segment_business_day", "day"),
)

# The operators' figures under a segment filter (migration 0028): per day x operator x segment.
analytics_daily_operator_segment = Table(
    "analytics_daily_operator_segment",
    Base.metadata,
    *daily_columns(operator_segment=True),
    Index("ix_analytics_daily_operator_segment_day", "day"),
)
analytics_daily_operator_segment_business = Table(
    "analytics_daily_operator_segment_business",
    Base.metadata,
    *daily_columns(BUSINESS_COLUMNS, operator_segment=True),
    Index("ix_analytics_daily_operator_segment_business_day", "day"),
)

analytics_dirty = Table(
    "analytics_dirty",
    Base.metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False),
)

# The time series' hourly roll-up (omnidesk.server.analytics.hourly, migration 0024): per UTC hour x channel x queue
# (no operator), only the counters the time series' metrics (omnidesk.domain.metrics.TIMESERIES) read.
HOURLY_COUNTERS = ("conversations", "resolved", "sla_decided", "sla_breaches", "csat_n", "csat_sum", "nps_n")
HOURLY_COLUMNS = HOURLY_COUNTERS + FRT_BANDS + RES_BANDS + NRT_BANDS


def hourly_columns() -> list[Column]:
    """The hourly roll-up's columns: the daily roll-up's, an hour for the day, no operator, only HOURLY_COLUMNS."""
    kept = [c for c in daily_columns() if c.name in {"id", "channel_id", "queue_id", *HOURLY_COLUMNS}]
    return [kept[0], Column("hour", UTCDateTime, nullable=False), *kept[1:]]


analytics_hourly = Table(
    "analytics_hourly", Base.metadata, *hourly_columns(), Index("ix_analytics_hourly_hour", "hour")
)


def hourly_segment_columns() -> list[Column]:
    """The series' counters per UTC hour x customer segment (migration 0027): the series with a segment filter."""
    kept = hourly_columns()
    return [kept[0], kept[1], Column("segment", String(64)), *kept[4:]]  # id, hour, segment, the counters


analytics_hourly_segment = Table(
    "analytics_hourly_segment",
    Base.metadata,
    *hourly_segment_columns(),
    Index("ix_analytics_hourly_segment_hour", "hour"),
)


def transitions_columns() -> list[Column]:
    """The transitions roll-up's columns (shared by the model and migration 0025;
    omnidesk.server.analytics.transitions)."""
    return [
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("hour", UTCDateTime, nullable=False),  # UTC hour the customer came back (b created)
        Column("channel_id", BigInt, nullable=False),  # a's channel, the one left
        Column("target_kind", String(32), nullable=False),  # b's channel kind
        Column("segment", String(64)),  # the customer's segment at roll-up time (migration 0026)
        Column("within", Integer, nullable=False),  # the smallest of WITHIN_HOURS the gap fits
        Column("n", Integer, nullable=False),
    ]


analytics_transitions = Table(
    "analytics_transitions",
    Base.metadata,
    *transitions_columns(),
    Index("ix_analytics_transitions_hour", "hour"),
)
