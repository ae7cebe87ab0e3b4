"""HTTP route of history search: GET /api/v1/search/messages (cursor-paged, audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.protocol.schemas import Page
from omnidesk.protocol.search import SearchHit
from omnidesk.server.audit import service as audit
from omnidesk.server.context import OperatorDep
from omnidesk.server.db.pagination import BadCursor, bad_request, decode_cursor, encode_cursor
from omnidesk.server.search.service import SearchFilters, search_messages
from omnidesk.server.search.terms import BadQuery

router = APIRouter(prefix="/api/v1/search", tags=["search"])


async def search_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session on the search connections (omnidesk.server.search.pool), or on the main pool where there are none."""
    st = request.app.state.omnidesk
    async with (st.search_db or st.db).session() as session:
        yield session


SearchSessionDep = Annotated[AsyncSession, Depends(search_session)]


def _moment(value: str | None, name: str, *, end: bool = False) -> dt.datetime | None:
    """A date (2026-05-01: the whole day) or a date and time with offset; naive times are UTC."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            moment = dt.datetime.combine(day, dt.time(), dt.UTC)
            return moment + dt.timedelta(days=1) if end else moment
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise bad_request(f"{name} must be a date (2026-05-01) or an ISO date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@router.get("/messages", response_model=Page[SearchHit], responses={400: {}})
async def search(
    caller: OperatorDep,
    session: SearchSessionDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words and/or parts of numbers")],
    channel: int | None = None,
    queue: int | None = None,
    operator: Annotated[int | None, Query(description="user id of the author of replies and notes")] = None,
    customer: int | None = None,
    kind: Annotated[str | None, Query(pattern="^(text|note|call)$")] = None,
    from_: Annotated[str | None, Query(alias="from", description="from this date or time (inclusive)")] = None,
    to: Annotated[str | None, Query(description="until this date (inclusive) or time (exclusive)")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[SearchHit]:
    """Messages and notes matching every term of ``q``, newest first, only from conversations the caller may see."""
    filters = SearchFilters(
        channel_id=channel,
        queue_id=queue,
        author_id=operator,
        customer_id=customer,
        since=_moment(from_, "from"),
        until=_moment(to, "to", end=True),
        kind=kind,
    )
    before_id = None
    if cursor:
        try:
            (before_id,) = decode_cursor(cursor)
            before_id = int(before_id)
        except (BadCursor, ValueError, TypeError):
            raise bad_request("cursor is not one this server issued") from None
    try:
        hits, next_id = await search_messages(session, caller, q, filters, before_id=before_id, limit=limit)
    except BadQuery as exc:
        raise bad_request(str(exc)) from None
    await audit.record(
        session,
        caller.actor,
        "search.messages",
        "message",
        None,
        {
            "q": q,
            "channel": channel,
            "queue": queue,
            "operator": operator,
            "customer": customer,
            "from": from_,
            "to": to,
            "n": len(hits),
        },
    )
    await session.commit()
    return Page[SearchHit](items=hits, next_cursor=encode_cursor(next_id) if next_id is not None else None)
