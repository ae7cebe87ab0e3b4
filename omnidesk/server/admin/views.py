"""Admin endpoints: channels (list, add) and the health and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse
from sqlalchemy import select, text

from omnidesk.protocol import ChannelCreate, ChannelCreated, ChannelOut
from omnidesk.server.admin.models import Channel
from omnidesk.server.admin.service import create_api_channel
from omnidesk.server.context import AdminDep, OperatorDep, SessionDep, StateDep
from omnidesk.server.migrate import current_revision_async, head_revision
from omnidesk.server.security import webhook_allowed

router = APIRouter(tags=["admin"])


@router.get("/healthz", include_in_schema=True)
async def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(session: SessionDep, st: StateDep) -> JSONResponse:
    """The database answers and its schema is at this version's migration head."""
    try:
        await session.execute(text("SELECT 1"))
        await session.rollback()
        current = await current_revision_async(st.db.engine)
    except Exception as exc:
        return JSONResponse({"status": "unavailable", "reason": f"database: {type(exc).__name__}"}, status_code=503)
    expected = head_revision()
    if current != expected:
        return JSONResponse(
            {
                "status": "unavailable",
                "reason": f"migrations at {current}, expected {expected}: run omnidesk db upgrade",
            },
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return JSONResponse({"status": "ready", "migration": current})


@router.get("/api/v1/channels", response_model=list[ChannelOut], tags=["channels"])
async def list_channels(caller: OperatorDep, session: SessionDep) -> list[ChannelOut]:
    rows = (await session.scalars(select(Channel).where(Channel.is_active).order_by(Channel.id))).all()
    return [ChannelOut(id=c.id, kind=c.kind, name=c.name) for c in rows]


@router.post("/api/v1/channels", response_model=ChannelCreated, status_code=status.HTTP_201_CREATED, tags=["channels"])
async def add_channel(body: ChannelCreate, caller: AdminDep, session: SessionDep, st: StateDep) -> ChannelCreated:
    if not webhook_allowed(body.webhook_url, st.settings.webhook_allowed_hosts):  # issue 17: webhook allow-list
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "the webhook URL's host is not in this server's webhook_allowed_hosts",
        )
    try:
        channel, token = await create_api_channel(
            session, name=body.name, webhook_url=body.webhook_url, queue_id=body.queue_id, actor=caller.actor
        )
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
    await session.commit()
    return ChannelCreated(
        id=channel.id,
        kind=channel.kind,
        name=channel.name,
        token=token,
        webhook_url=channel.webhook_url,
        queue_id=channel.queue_id,
    )
