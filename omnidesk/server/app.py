"""The application factory: routes, middleware, and the per-process workers started with the app."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import signal
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import omnidesk
from omnidesk.server import (
    admin,
    auth,
    channels,
    conversations,
    customers,
    duplicates_service,
    merge,
    stream,
    timeline,
    users,
)
from omnidesk.server.channels import ChannelTokens
from omnidesk.server.config import Settings
from omnidesk.server.context import ServerState
from omnidesk.server.db import Database
from omnidesk.server.events import EventHub, Sequencer
from omnidesk.server.ingest import suggest_for_new_customers
from omnidesk.server.ingest_pg import IngestBatcher
from omnidesk.server.outbox import OutboxWorker

log = logging.getLogger("omnidesk.server")


class BodySizeLimit:
    """Answer 413 to a request body larger than ``limit`` bytes, declared or streamed, before anything parses it.

    Bodies are small JSON documents, so the body is read here (at most ``limit`` bytes) and replayed to the app.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
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
            if size > self.limit:
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


SETTINGS_ENV = "_OMNIDESK_SERVER_SETTINGS"


def app_from_environment() -> FastAPI:
    """The app of one process of a multi-process `omnidesk server`: the parent resolved the settings (flags, variables,
    TOML file) and hands them over in the environment, so every process runs with exactly the same ones."""
    settings = Settings.model_validate_json(os.environ.pop(SETTINGS_ENV))
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return create_app(settings, parent_pid=os.getppid())


async def _exit_with_parent(parent_pid: int) -> None:
    """A worker process whose supervisor died (kill -9) stops instead of serving on as an orphan."""
    while True:
        await asyncio.sleep(1.0)
        if os.getppid() != parent_pid:
            log.warning("the server's supervisor process is gone; this worker process stops")
            os.kill(os.getpid(), signal.SIGTERM)
            return


def create_app(settings: Settings, *, start_workers: bool | None = None, parent_pid: int | None = None) -> FastAPI:
    run_workers = settings.workers if start_workers is None else start_workers

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        db = Database(settings.database_url, pool_size=settings.db_pool_size)
        hub = EventHub(db)
        st = ServerState(settings=settings, db=db, hub=hub)
        outbox = OutboxWorker(db, settings)
        st.wake_outbox = outbox.wake.set
        app.state.omnidesk = st
        app.state.channel_tokens = ChannelTokens()
        if not db.sqlite:
            st.ingest = IngestBatcher(db, after_commit=functools.partial(suggest_for_new_customers, db))
            st.ingest.start()
        tasks = [asyncio.create_task(hub.run(), name="event-hub")]
        if parent_pid is not None:
            tasks.append(asyncio.create_task(_exit_with_parent(parent_pid), name="parent-watch"))
        if run_workers:
            tasks.append(asyncio.create_task(Sequencer(db, hub).run(), name="event-sequencer"))
            tasks.append(asyncio.create_task(outbox.run(), name="outbox"))
        st.tasks = tasks
        await asyncio.wait_for(hub.started.wait(), 30)
        try:
            yield
        finally:
            if st.ingest is not None:
                await st.ingest.stop()
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await db.dispose()

    app = FastAPI(
        title="OmniDesk API",
        version=omnidesk.__version__,
        description=(
            "The open API of an OmniDesk server: channels deliver customer messages to "
            "`/api/v1/channels/{id}/inbound`; operator clients read conversations and follow `/api/v1/events`."
        ),
        lifespan=lifespan,
    )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(DBAPIError)
    async def _database_unavailable(request: Request, exc: DBAPIError) -> JSONResponse:
        if not exc.connection_invalidated:
            raise exc
        return JSONResponse(
            {"detail": "the database connection was lost; retry shortly"}, status_code=503, headers={"Retry-After": "1"}
        )

    for module in (auth, users, channels, conversations, merge, duplicates_service, customers, timeline, stream, admin):
        app.include_router(module.router)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.add_middleware(RefuseNulInQuery)
    return app
