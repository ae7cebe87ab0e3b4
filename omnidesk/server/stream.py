"""``GET /api/v1/events``: the live event stream (Server-Sent Events), and ``/events/head``.

Why SSE rather than long-polling: one HTTP response carries events as they happen (no request per batch, so no gap
between polls and no thundering herd after each batch); the ``id:`` field and the ``Last-Event-ID`` header give
resume-by-id for free; heartbeats are comment lines that proxies and NAT boxes see as traffic; and it is plain HTTP
that every reverse proxy passes (with buffering off, which the ``X-Accel-Buffering`` header asks of nginx).
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from fastapi.responses import StreamingResponse

from omnidesk.protocol import EventHead
from omnidesk.server import audit
from omnidesk.server.context import OperatorDep, SessionDep, StateDep
from omnidesk.server.events import EventHub, head

router = APIRouter(prefix="/api/v1/events", tags=["events"])


@router.get("/head", response_model=EventHead)
async def events_head(caller: OperatorDep, st: StateDep, session: SessionDep) -> EventHead:
    """The id to stream from after loading the current state (fetch state after this call, then stream)."""
    hub: EventHub = st.hub
    return EventHead(last_event_id=max(hub.last_seq, await head(session)))


@router.get(
    "",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "An endless SSE stream."}},
)
async def stream_events(
    request: Request,
    caller: OperatorDep,
    st: StateDep,
    session: SessionDep,
    after: Annotated[int | None, Query(ge=0, description="Last event id the client has seen.")] = None,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Every event after ``after`` (or the Last-Event-ID header) that the caller may see, then new ones live."""
    hub: EventHub = st.hub
    if after is None and last_event_id:
        if not last_event_id.strip().isdigit():
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "Last-Event-ID must be an event id")
        after = int(last_event_id)
    if after is None:
        after = hub.last_seq
    await audit.record(session, caller.actor, "events.stream", "events", after)
    await session.commit()
    heartbeat = st.settings.heartbeat_interval
    sees_all, user_id, queue_ids = caller.sees_all_queues, caller.user_id, caller.queue_ids

    async def frames():
        cursor = after
        yield b": connected\nretry: 2000\n\n"
        last_write = time.monotonic()
        while True:
            batch = await hub.events_after(cursor, limit=500)
            if batch:
                chunk = [
                    e.frame for e in batch if e.visible_to(sees_all=sees_all, user_id=user_id, queue_ids=queue_ids)
                ]
                cursor = batch[-1].seq
                if chunk:
                    yield b"".join(chunk)
                    last_write = time.monotonic()
                continue
            if await request.is_disconnected():
                return
            remaining = heartbeat - (time.monotonic() - last_write)
            if remaining <= 0:
                yield b": ping\n\n"
                last_write = time.monotonic()
                continue
            await hub.wait_changed(min(remaining, 5.0))
            await asyncio.sleep(0)

    return StreamingResponse(
        frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no", "Connection": "keep-alive"},
    )
