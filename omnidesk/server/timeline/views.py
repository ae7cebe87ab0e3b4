"""HTTP routes of the timeline feature: thin handlers over timeline.service."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from sqlalchemy import select, tuple_

from omnidesk.protocol import Page
from omnidesk.protocol.customers import TimelineItem
from omnidesk.server.audit import service as audit
from omnidesk.server.context import OperatorDep, SessionDep
from omnidesk.server.customers.service import load_visible_customer
from omnidesk.server.db.pagination import BadCursor, decode_cursor, encode_cursor
from omnidesk.server.timeline.models import TimelineEntry
from omnidesk.server.timeline.service import _scope, items_out

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])


@router.get("/{customer_id}/timeline", response_model=Page[TimelineItem])
async def get_timeline(
    customer_id: int,
    caller: OperatorDep,
    session: SessionDep,
    kinds: Annotated[
        list[str] | None, Query(description="Only these kinds (repeat, or comma-separated); see TimelineKind.")
    ] = None,
    channel_id: int | None = None,
    before: Annotated[str | None, Query(description="The next_cursor of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[TimelineItem]:
    """The customer's history, newest first, paged by ``before``; filter by kinds and channel."""

    await load_visible_customer(session, caller, customer_id, reading=True)
    query = select(TimelineEntry).where(TimelineEntry.customer_id == customer_id)
    wanted = sorted({k.strip() for value in kinds or [] for k in value.split(",") if k.strip()})
    if wanted:
        query = query.where(TimelineEntry.kind.in_(wanted))
    if channel_id is not None:
        query = query.where(TimelineEntry.channel_id == channel_id)
    scope = _scope(caller)
    if scope is not None:
        query = query.where(scope)
    if before:
        try:
            at_text, last_id = decode_cursor(before)
            at = dt.datetime.fromisoformat(at_text)
            last_id = int(last_id)
        except (BadCursor, ValueError, TypeError):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "cursor is not one this server issued") from None
        query = query.where(tuple_(TimelineEntry.at, TimelineEntry.id) < tuple_(at, last_id))
    query = query.order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc()).limit(limit + 1)
    entries = list((await session.scalars(query)).all())
    items = await items_out(session, entries[:limit])
    next_cursor = encode_cursor(items[-1].at.isoformat(), items[-1].id) if len(entries) > limit else None
    await audit.record(
        session,
        caller.actor,
        "customer.read_timeline",
        "customer",
        customer_id,
        {"kinds": wanted, "channel_id": channel_id, "n": len(items)},
    )
    await session.commit()
    return Page[TimelineItem](items=items, next_cursor=next_cursor)
