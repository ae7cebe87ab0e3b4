"""The application factory: routes, middleware, and the per-process workers started with the app."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import signal
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import omnidesk
from omnidesk.server import guards, refusals
from omnidesk.server import secrets as secret_store
from omnidesk.server.admin import views as admin_views
from omnidesk.server.admin.service import ChannelTokens
from omnidesk.server.analytics import views as analytics_views
from omnidesk.server.attachments import views as attachment_views
from omnidesk.server.audit import views as audit_views
from omnidesk.server.auth import channel_tokens as channel_token_views
from omnidesk.server.auth import views as auth_views
from omnidesk.server.canned import views as canned_views
from omnidesk.server.channels import views as provider_views
from omnidesk.server.channels.poller import ChannelPollers
from omnidesk.server.config import Settings
from omnidesk.server.context import ServerState
from omnidesk.server.conversations import views as conversation_views
from omnidesk.server.csat import survey_views
from omnidesk.server.csat import views as csat_views
from omnidesk.server.customers import views as customer_views
from omnidesk.server.db import Database
from omnidesk.server.docs import install_docs
from omnidesk.server.duplicates import views as duplicate_views
from omnidesk.server.email import envelope_views as mail_envelope_views
from omnidesk.server.email import views as email_views
from omnidesk.server.events import views as event_views
from omnidesk.server.events.service import EventHub, Sequencer
from omnidesk.server.export import views as export_views
from omnidesk.server.forms import card_views as form_card_views
from omnidesk.server.forms import views as form_views
from omnidesk.server.ingest import views as ingest_views
from omnidesk.server.ingest.batch_pg import IngestBatcher
from omnidesk.server.ingest.service import suggest_for_new_customers
from omnidesk.server.merge import views as merge_views
from omnidesk.server.notes import views as note_views
from omnidesk.server.ops import logging as ops_logging
from omnidesk.server.ops import metrics as ops_metrics
from omnidesk.server.outbox.worker import OutboxWorker
from omnidesk.server.permissions import views as permission_views
from omnidesk.server.permissions.service import PermissionCache
from omnidesk.server.presence import views as presence_views
from omnidesk.server.presence.service import Assigner
from omnidesk.server.queues import views as queue_views
from omnidesk.server.retention import views as retention_views
from omnidesk.server.retention.scheduler import RetentionScheduler
from omnidesk.server.routing import views as routing_views
from omnidesk.server.search import views as search_views
from omnidesk.server.sla import views as sla_views
from omnidesk.server.sla.worker import SlaWorker
from omnidesk.server.timeline import views as timeline_views
from omnidesk.server.users import views as user_views
from omnidesk.server.webchat import views as webchat_views

log = logging.getLogger("omnidesk.server")


class BodySizeLimit:
    """Answer 413 to a request body larger than ``limit`` bytes, declared or streamed, before anything parses it.

    Bodies are small JSON documents, so the body is read here (at most ``limit`` bytes) and replayed to the app.
    """

    def __init__(self, app: ASGIApp, limit: int, upload_limit: int | None = None) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit or limit  # file uploads (POST .../attachments) may be larger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope.get("path", "").endswith("/attachments") else self.limit
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._reject(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._reject(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, send: Send) -> None:
        body = b'{"detail":"request body too large (limit %d bytes)"}' % self.limit
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class RefuseNulInQuery:
    """Answer 400 to a query string with a NUL character (%00): PostgreSQL cannot compare text containing U+0000."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and b"%00" in scope.get("query_string", b""):
            response = JSONResponse({"detail": "the query must not contain the NUL character (%00)"}, status_code=400)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


WORKER_STOP_GRACE = 15  # seconds the background workers get to end at shutdown (the outbox finishes its sends)
HUB_START_TIMEOUT = 30.0  # seconds the event hub may take to read the stream head at start
SETTINGS_ENV = "_OMNIDESK_SERVER_SETTINGS"
SUPERVISOR_ENV = "_OMNIDESK_SERVER_SUPERVISOR"


def app_from_environment() -> FastAPI:
    """The app of one process of a multi-process `omnidesk server`: the parent resolved the settings (flags, variables,
    TOML file) and hands them over in the environment, so every process runs with exactly the same ones."""
    settings = Settings.model_validate_json(os.environ.pop(SETTINGS_ENV))
    # Each process logs like a one-process server: structured and redacted, text or JSON (log_format). It used to
    # call logging.basicConfig here (plain, unredacted lines), the structured set-up being dead code after a return.
    ops_logging.configure(settings)
    # The supervisor's pid comes from the environment, not os.getppid(): a worker that loads the app after a kill -9
    # of the supervisor already has init as its parent and would never notice.
    supervisor = os.environ.get(SUPERVISOR_ENV, "")
    return create_app(settings, parent_pid=int(supervisor) if supervisor.isdigit() else os.getppid())


async def _exit_with_parent(parent_pid: int) -> None:
    """A worker process whose supervisor died (kill -9) stops instead of serving on as an orphan."""
    while True:
        if os.getppid() != parent_pid:
            log.warning("the server's supervisor process is gone; this worker process stops")
            os.kill(os.getpid(), signal.SIGTERM)
            return
        await asyncio.sleep(1.0)


async def _hub_started(hub: EventHub, task: asyncio.Task) -> None:
    """Waits until the event hub has read the stream's head; a hub that failed to start (the database refused the
    connection, say) fails the server's start at once with its own error instead of a timeout 30 s later."""
    started = asyncio.ensure_future(hub.started.wait())
    try:
        await asyncio.wait({started, task}, timeout=HUB_START_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    finally:
        started.cancel()
    if hub.started.is_set():
        return
    if task.done():
        if task.cancelled():
            raise RuntimeError("the event hub was cancelled during the server's start")
        raise RuntimeError(f"the event hub could not start: {task.exception()!r}") from task.exception()
    raise TimeoutError(f"the event hub did not read the event stream's head within {HUB_START_TIMEOUT}s")


def create_app(settings: Settings, *, start_workers: bool | None = None, parent_pid: int | None = None) -> FastAPI:
    run_workers = settings.workers if start_workers is None else start_workers
    secret_store.configure(settings)  # e-mail, web chat and forms seal with this server's one channel key

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        db = Database(settings.database_url, pool_size=settings.db_pool_size, busy_timeout=settings.sqlite_busy_timeout)
        hub = EventHub(db)
        st = ServerState(settings=settings, db=db, hub=hub, permissions=PermissionCache())
        outbox = OutboxWorker(db, settings)
        st.wake_outbox = outbox.wake.set
        app.state.omnidesk = st
        app.state.channel_tokens = ChannelTokens()
        if not db.sqlite:
            st.ingest = IngestBatcher(db, after_commit=functools.partial(suggest_for_new_customers, db))
            st.ingest.start()
        tasks = [asyncio.create_task(hub.run(), name="event-hub")]
        if not db.sqlite and settings.search_pool_size:  # history search's own, warmed connections (search/pool.py)
            from omnidesk.server.search.pool import SearchPool

            st.search_db = SearchPool(settings.database_url, settings.search_pool_size)
            tasks.append(asyncio.create_task(st.search_db.warm(), name="search-warm-up"))
        # Web chat (issue 13): wakes the visitors' streams when their conversation changes.
        from omnidesk.server.webchat.service import VisitorFanout

        app.state.webchat = VisitorFanout(hub)
        tasks.append(asyncio.create_task(app.state.webchat.run(), name="webchat-fanout"))
        if parent_pid is not None:
            tasks.append(asyncio.create_task(_exit_with_parent(parent_pid), name="parent-watch"))
        if run_workers:
            tasks.append(asyncio.create_task(Sequencer(db, hub).run(), name="event-sequencer"))
            tasks.append(asyncio.create_task(outbox.run(), name="outbox"))
            if settings.telegram_pollers:  # poll-mode Telegram, VK and MAX channels (one poller each across processes)
                pollers = app.state.channel_pollers = ChannelPollers(db, settings, st.ingest)
                tasks.append(asyncio.create_task(pollers.run(), name="channel-pollers"))
            # Issue 11: push assignment and the offline grace period.
            assigner = Assigner(
                db, interval=settings.assign_interval, grace=settings.offline_grace, silence=settings.presence_timeout
            )
            tasks.append(asyncio.create_task(assigner.run(), name="assigner"))
            # SLA warnings and breaches, satisfaction surveys (one instance at a time: an advisory lock)
            st.sla = SlaWorker(db, wake_outbox=outbox.wake.set, public_url=settings.public_url)
            tasks.append(asyncio.create_task(st.sla.run(), name="sla-timers"))
            # E-mail (issue 13): one reader per mailbox; on PostgreSQL an advisory lock makes other processes standbys.
            from omnidesk.server.email.poller import MailWorker

            app.state.mail_worker = MailWorker(db)
            tasks.append(asyncio.create_task(app.state.mail_worker.run(), name="mail"))
            if settings.retention_schedule:  # issue 15: the daily retention run (once across processes: a lock)
                app.state.retention_scheduler = RetentionScheduler(db, settings)
                tasks.append(asyncio.create_task(app.state.retention_scheduler.run(), name="retention"))
        st.tasks = tasks
        await _hub_started(hub, tasks[0])
        try:
            yield
        finally:
            if st.ingest is not None:
                await st.ingest.stop()
            for task in tasks:
                task.cancel()
            if tasks:  # bounded: a worker that does not end within the grace is left behind, named in the log
                done, stuck = await asyncio.wait(tasks, timeout=WORKER_STOP_GRACE)
                for task in done:
                    if not task.cancelled() and task.exception() is not None:
                        log.warning("background worker %s ended with %r", task.get_name(), task.exception())
                for task in stuck:
                    log.warning("background worker %s did not stop within %ss", task.get_name(), WORKER_STOP_GRACE)
            provider_http = getattr(app.state, "provider_http", None)
            if provider_http is not None:
                await provider_http.aclose()
            if st.search_db is not None:
                await st.search_db.dispose()
            await db.dispose()

    app = FastAPI(
        title="OmniDesk API",
        version=omnidesk.__version__,
        description=(
            "The open API of an OmniDesk server: channels deliver customer messages to "
            "`/api/v1/channels/{id}/inbound`; operator clients read conversations and follow `/api/v1/events`."
        ),
        lifespan=lifespan,
        docs_url=None,  # issue 17: served by server/docs.py from local assets, not a CDN
        redoc_url=None,
    )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
        ]
        if errors and all(e["loc"][:1] == ["path"] for e in errors):
            allowed = guards.other_methods(app, request.scope)
            if allowed:  # e.g. GET /customers/matches: the path is a POST route's, not a bad {customer_id}
                return JSONResponse(
                    {"detail": "method not allowed"}, status_code=405, headers={"Allow": ", ".join(sorted(allowed))}
                )
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if exc.status_code == 422 and isinstance(detail, str):  # every 422 has the same structured detail
            detail = guards.problem(["request"], detail, "value_error")
        body = {"detail": detail, **refusals.coded(exc)}  # a refusal's code and params (domain/problems.py)
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if guards.is_database_outage(exc):
            return JSONResponse(
                {"detail": "the database is unavailable; retry shortly"}, status_code=503, headers={"Retry-After": "5"}
            )
        if guards.is_out_of_range(exc):
            return JSONResponse(
                {"detail": guards.problem(["request"], "a value in the request is out of range", "value_error.range")},
                status_code=422,
            )
        raise exc

    # Order matters where paths overlap (``/customers/matches`` before ``/customers/{customer_id}``).
    for views in (
        auth_views,
        user_views,
        ingest_views,
        admin_views,
        conversation_views,
        merge_views,
        duplicate_views,
        customer_views,
        timeline_views,
        event_views,
        audit_views,
        permission_views,  # issue 17: permission overrides
        channel_token_views,  # issue 17: channel token rotation
        provider_views,  # every provider channel's administration, templates, reply windows, comment threads
        attachment_views,
        # Issue 11 (``presence_views`` serves /conversations/next and /transfer, which no route above shadows).
        queue_views,
        routing_views,
        presence_views,
        note_views,
        canned_views,
        sla_views,
        analytics_views,
        csat_views,
        email_views,  # issue 13: e-mail, web chat and forms
        mail_envelope_views,  # issue 13: the client's mail composer (Reply / Reply all)
        form_views,
        form_card_views,  # issue 13: the form card in the client
        search_views,  # history search (admin workstream)
        webchat_views,
        survey_views,  # issue 14: the e-mail survey's public pages (/survey/{token})
        retention_views,  # retention, legal holds, customer export and erasure (admin workstream)
        export_views,  # issue 15: a conversation or a customer's history as PDF/HTML, conversations in bulk
    ):
        app.include_router(views.router)
    app.include_router(attachment_views.public)  # /files/{token}/{name}: a reply's file for Viber and Instagram
    app.include_router(provider_views.hooks)  # /hooks/{kind}/{channel_id}: every provider platform's webhook
    app.add_middleware(guards.RequestGuard)  # issue 17: innermost, after the size limit
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes, upload_limit=settings.attachment_max_bytes + 65536)
    app.add_middleware(RefuseNulInQuery)
    app.add_middleware(guards.ErrorShield)  # issue 17: outermost, so nothing escapes as a bare 500
    guards.install_log_redaction()
    guards.document_responses(app)
    install_docs(app)
    # Operations (omnidesk/server/ops): GET /metrics, request metrics, request ids on every log line.
    app.state.metrics = ops_metrics.Metrics()
    app.include_router(ops_metrics.router)
    app.add_middleware(ops_logging.RequestIds, metrics=app.state.metrics)
    return app
