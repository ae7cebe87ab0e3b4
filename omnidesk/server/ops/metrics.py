"""Prometheus metrics at GET /metrics (prometheus-client); requests are counted and timed by ops.logging.RequestIds.

Request metrics are labelled by the route's template (``/api/v1/conversations/{conversation_id}``), never by the
raw path, so ids do not multiply the series. The state of the pipeline (messages stored, event lag, outbox depth and
failures per channel, SLA timers waiting and due, each channel's health) is read from the database at each scrape with
cheap, indexed queries.

Who may scrape: with ``metrics_token`` set, a request with ``Authorization: Bearer <metrics_token>``; without it, only
a client on this machine (loopback) that came directly, not through the proxy, so the page is never public by
default. Each server process has its own counters (with several processes a scrape sees the one that answers; the
database-derived figures are the same from every process).
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, HTTPException, Request, Response, status
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import func, select

from omnidesk.server.admin.models import Channel
from omnidesk.server.channels.models import ChannelSettings
from omnidesk.server.conversations.models import Message as MessageRow
from omnidesk.server.db import utcnow
from omnidesk.server.events.models import EventRow
from omnidesk.server.outbox.models import OutboxItem
from omnidesk.server.sla.models import ConversationSla

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class Metrics:
    """The metrics of one application instance (its own registry, so several apps in one process do not clash)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        r = self.registry
        self.requests = Counter(
            "omnidesk_http_requests", "HTTP requests answered.", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "omnidesk_http_request_duration_seconds",
            "Time to answer an HTTP request (streams: until the response starts).",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=r,
        )
        self.messages = Gauge(
            "omnidesk_messages_stored", "Highest message id stored (rate() of it is the ingest rate).", registry=r
        )
        self.events_unsequenced = Gauge(
            "omnidesk_events_unsequenced", "Committed events not yet numbered for the stream.", registry=r
        )
        self.event_lag = Gauge(
            "omnidesk_event_lag_seconds", "Age of the oldest event waiting to be numbered for the stream.", registry=r
        )
        self.outbox = Gauge(
            "omnidesk_outbox_items", "Replies in the outbox by state.", ["state", "channel_id"], registry=r
        )
        self.outbox_oldest = Gauge(
            "omnidesk_outbox_oldest_pending_seconds", "Age of the oldest reply still waiting for delivery.", registry=r
        )
        self.sla_timers = Gauge(
            "omnidesk_sla_timers",
            "SLA clocks with a warning or breach still ahead (waiting) or whose moment has come and the timer worker "
            "has not yet handled (due).",
            ["state"],
            registry=r,
        )
        self.sla_lag = Gauge(
            "omnidesk_sla_timer_lag_seconds", "How long the oldest due SLA check has waited for the worker.", registry=r
        )
        channel = ["channel_id", "kind"]
        self.channel_active = Gauge(
            "omnidesk_channel_active", "1 for an enabled channel, 0 for a disabled one.", channel, registry=r
        )
        self.channel_last_update = Gauge(
            "omnidesk_channel_last_update_seconds",
            "Seconds since the channel last delivered an update (webhook or poll); absent until its first.",
            channel,
            registry=r,
        )
        self.channel_rejected = Gauge(
            "omnidesk_channel_rejected_requests",
            "Inbound requests refused for a bad signature or secret since the channel was added.",
            channel,
            registry=r,
        )
        self.channel_error = Gauge(
            "omnidesk_channel_error", "1 while the channel's last poll or health check failed.", channel, registry=r
        )
        self.scrape_errors = Counter(
            "omnidesk_metrics_scrape_errors", "Scrapes whose database figures could not be read.", registry=r
        )

    async def refresh(self, db) -> None:
        """Read the pipeline's state from the database into the gauges."""
        now = utcnow()
        async with db.session() as session:
            self.messages.set(await session.scalar(select(func.coalesce(func.max(MessageRow.id), 0))) or 0)
            count, oldest = (
                await session.execute(select(func.count(), func.min(EventRow.at)).where(EventRow.seq.is_(None)))
            ).one()
            self.events_unsequenced.set(count or 0)
            self.event_lag.set((now - oldest).total_seconds() if oldest else 0)
            self.outbox.clear()
            rows = await session.execute(
                select(OutboxItem.state, OutboxItem.channel_id, func.count())
                .where(OutboxItem.state != "done")
                .group_by(OutboxItem.state, OutboxItem.channel_id)
            )
            for state, channel_id, n in rows:
                self.outbox.labels(state, str(channel_id)).set(n)
            pending_since = await session.scalar(
                select(func.min(OutboxItem.created_at)).where(OutboxItem.state == "pending")
            )
            self.outbox_oldest.set((now - pending_since).total_seconds() if pending_since else 0)
            # SLA: both counts through ix_conversation_sla_next_check (a cleared next_check_at is a finished clock).
            due, oldest_due = (
                await session.execute(
                    select(func.count(), func.min(ConversationSla.next_check_at)).where(
                        ConversationSla.next_check_at <= now
                    )
                )
            ).one()
            waiting = await session.scalar(
                select(func.count()).select_from(ConversationSla).where(ConversationSla.next_check_at > now)
            )
            self.sla_timers.labels("due").set(due or 0)
            self.sla_timers.labels("waiting").set(waiting or 0)
            self.sla_lag.set((now - oldest_due).total_seconds() if oldest_due else 0)
            for gauge in (self.channel_active, self.channel_last_update, self.channel_rejected, self.channel_error):
                gauge.clear()
            channels = await session.execute(
                select(
                    Channel.id,
                    Channel.kind,
                    Channel.is_active,
                    ChannelSettings.last_update_at,
                    ChannelSettings.rejected,
                    ChannelSettings.last_error,
                ).outerjoin(ChannelSettings, ChannelSettings.channel_id == Channel.id)
            )
            for channel_id, kind, active, last_update, rejected, last_error in channels:
                labels = (str(channel_id), kind)
                self.channel_active.labels(*labels).set(1 if active else 0)
                self.channel_rejected.labels(*labels).set(rejected or 0)
                self.channel_error.labels(*labels).set(1 if last_error else 0)
                if last_update is not None:
                    self.channel_last_update.labels(*labels).set(max(0.0, (now - last_update).total_seconds()))
            await session.rollback()

    def observe(self, method: str, route: str, status_code: int, seconds: float) -> None:
        """One answered request (called by ops.logging.RequestIds, which sees every request anyway)."""
        self.latency.labels(method, route).observe(seconds)
        self.requests.labels(method, route, str(status_code)).inc()


router = APIRouter(tags=["operations"])


def _may_scrape(request: Request) -> bool:
    token = request.app.state.omnidesk.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        return given.lower().startswith("bearer ") and hmac.compare_digest(given[7:].strip(), token)
    host = request.client.host if request.client else None
    return host in LOOPBACK and "x-forwarded-for" not in request.headers


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    if not _may_scrape(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "metrics: set metrics_token, or scrape from this machine")
    state = request.app.state
    try:
        await state.metrics.refresh(state.omnidesk.db)
    except Exception:  # the HTTP figures are still worth serving while the database is away
        state.metrics.scrape_errors.inc()
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
