"""``GET /api/v1/events``: the live event stream (Server-Sent Events), and ``/events/head``.

Why SSE rather than long-polling: one HTTP response carries events as they happen (no request per batch, so no gap
between polls and no thundering herd after each batch); the ``id:`` field and the ``Last-Event-ID`` header give
resume-by-id for free; heartbeats are comment lines that proxies and NAT boxes see as traffic; and it is plain HTTP
that every reverse proxy passes (with buffering off, which the ``X-Accel-Buffering`` header asks of nginx).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from omnidesk.domain.enums import EventType
from omnidesk.protocol import EventHead
from omnidesk.server.audit import service as audit
from omnidesk.server.auth.models import AuthSession
from omnidesk.server.context import OperatorDep, SessionDep, StateDep
from omnidesk.server.db import utcnow
from omnidesk.server.events.service import EventHub, head
from omnidesk.server.queues.models import QueueMember
from omnidesk.server.security import token_hash
from omnidesk.server.users.models import User

router = APIRouter(prefix="/api/v1/events", tags=["events"])


@router.get("/head", response_model=EventHead)
async def events_head(caller: OperatorDep, st: StateDep, session: SessionDep) -> EventHead:
    """The id to stream from after loading the current state (fetch state after this call, then stream)."""
    hub: EventHub = st.hub
    return EventHead(last_event_id=max(hub.last_seq, await head(session)))


MAX_ID = 2**63 - 1

# Why a stream ended (the data of its final ``stream.end`` event); the client acts on it:
END_SESSION = "session_ended"  # logged out, or signed out everywhere by an admin: sign in again
END_EXPIRED = "token_expired"  # the access token expired or was refreshed: refresh, then reconnect
END_DISABLED = "account_disabled"  # the account was disabled: sign in again (it will be refused)
END_ACCESS = "access_changed"  # role, permissions or queue memberships changed: reconnect (scope is re-read)


async def session_verdict(db, session_id: int, access_hash: str, role: str, queue_ids: frozenset[int]) -> str | None:
    """None while the stream may go on; otherwise why it must end (one of the END_* reasons)."""
    async with db.session() as session:
        row = (
            await session.execute(
                select(
                    AuthSession.access_hash,
                    AuthSession.revoked_at,
                    AuthSession.access_expires_at,
                    User.is_active,
                    User.role,
                )
                .join(User, User.id == AuthSession.user_id)
                .where(AuthSession.id == session_id)
            )
        ).first()
        if row is None or row.revoked_at is not None:
            await session.rollback()
            return END_SESSION
        if not row.is_active:
            await session.rollback()
            return END_DISABLED
        if row.access_hash != access_hash or row.access_expires_at <= utcnow():
            await session.rollback()
            return END_EXPIRED
        current = frozenset(
            (
                await session.scalars(
                    select(QueueMember.queue_id).where(
                        QueueMember.user_id
                        == select(AuthSession.user_id).where(AuthSession.id == session_id).scalar_subquery()
                    )
                )
            ).all()
        )
        await session.rollback()
    if row.role != role or current != queue_ids:
        return END_ACCESS
    return None


def end_frame(reason: str) -> bytes:
    body = json.dumps({"type": "stream.end", "payload": {"reason": reason}}, separators=(",", ":"))
    return f"event: stream.end\ndata: {body}\n\n".encode()


def _event_id(value: str, what: str) -> int:
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 19 or int(value) > MAX_ID:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"{what} must be an event id (0 to {MAX_ID})")
    return int(value)


@router.get(
    "",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": (
                "An SSE stream. It ends with a `stream.end` event whose payload names the reason "
                f"({END_SESSION}, {END_EXPIRED}, {END_DISABLED}, {END_ACCESS}) within seconds of a logout, "
                "a revocation, the token's expiry, the account's deactivation or a change of its role or queues."
            ),
        },
        400: {"description": "Last-Event-ID is not an event id."},
        409: {"description": "The id is beyond the newest event: reload state, then stream from /events/head."},
    },
)
async def stream_events(
    request: Request,
    caller: OperatorDep,
    st: StateDep,
    session: SessionDep,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID, description="Last event id the client has seen.")] = None,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Every event after ``after`` (or the Last-Event-ID header) that the caller may see, then new ones live."""
    hub: EventHub = st.hub
    if after is None and last_event_id:
        after = _event_id(last_event_id, "Last-Event-ID")
    newest = max(hub.last_seq, await head(session))
    if after is None:
        after = newest
    elif after > newest:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"event {after} is beyond the newest event {newest}: reload the state, then stream from /events/head",
        )
    await audit.record(session, caller.actor, "events.stream", "events", after)
    await session.commit()
    heartbeat = st.settings.heartbeat_interval
    recheck = st.settings.stream_recheck_interval
    sees_all, user_id, queue_ids = caller.sees_all_queues, caller.user_id, caller.queue_ids
    # Conversations a colleague mentioned the caller in, outside their queues (issue 11): known ones now, new ones as
    # their mention arrives on this stream (a note's mention is written before the note's own event).
    mentioned_in = set(caller.mentioned_in)
    mention_type = EventType.MENTION_CREATED.value
    credentials = request.headers.get("authorization", "").partition(" ")[2].strip()
    access_hash = token_hash(credentials)
    db = st.db

    async def frames():
        cursor = after
        yield b": connected\nretry: 2000\n\n"
        last_write = time.monotonic()
        next_check = time.monotonic() + recheck
        while True:
            if time.monotonic() >= next_check:
                try:
                    reason = await session_verdict(db, caller.session_id, access_hash, caller.role.value, queue_ids)
                except Exception:  # the database is away: say so, the client reconnects and is re-checked then
                    reason = "server_unavailable"
                if reason is not None:
                    yield end_frame(reason)
                    return
                next_check = time.monotonic() + recheck
            batch = await hub.events_after(cursor, limit=500)
            if batch:
                chunk = []
                for e in batch:
                    if not sees_all and e.type == mention_type and e.user_id == user_id and e.conversation_id:
                        mentioned_in.add(e.conversation_id)
                    if e.visible_to(sees_all=sees_all, user_id=user_id, queue_ids=queue_ids, mentioned_in=mentioned_in):
                        chunk.append(e.frame)
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
            await hub.wait_changed(max(0.01, min(remaining, next_check - time.monotonic(), 5.0)))
            await asyncio.sleep(0)

    return StreamingResponse(
        frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no", "Connection": "keep-alive"},
    )
